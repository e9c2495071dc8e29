#include "recipes/model.h"

#include <limits>

namespace kindred {

Status Model::ScoreUnseen(const ModelQuery& /*query*/,
                          std::span<const std::vector<std::string>> items,
                          std::vector<float>* scores) const {
  scores->assign(items.size(), -std::numeric_limits<float>::infinity());
  return Status::Ok();
}

}  // namespace kindred
