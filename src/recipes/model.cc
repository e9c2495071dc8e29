#include "recipes/model.h"

#include <limits>

namespace kindred {

Status Model::ScoreUnseen(const ModelQuery& /*query*/,
                          std::span<const std::vector<std::string>> items,
                          std::vector<float>* scores) const {
  scores->assign(items.size(), -std::numeric_limits<float>::infinity());
  return Status::Ok();
}

float DotProductForm::ExactScore(std::span<const float> q, const float* v, float bias) {
  float sum = 0;
  for (size_t i = 0; i < q.size(); ++i) sum += q[i] * v[i];
  return sum + bias;
}

}  // namespace kindred
