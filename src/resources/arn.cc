#include "resources/arn.h"

namespace kindred {

std::string ArnFactory::Make(std::string_view type, std::string_view path) const {
  std::string arn = "arn:aws:personalize:";
  arn += region_;
  arn += ':';
  arn += account_id_;
  arn += ':';
  arn += type;
  arn += '/';
  arn += path;
  return arn;
}

std::optional<ParsedArn> ParseArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:personalize:";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = arn.substr(kPrefix.size());
  size_t colon1 = rest.find(':');
  if (colon1 == std::string_view::npos) return std::nullopt;
  size_t colon2 = rest.find(':', colon1 + 1);
  if (colon2 == std::string_view::npos) return std::nullopt;
  std::string_view resource = rest.substr(colon2 + 1);
  size_t slash = resource.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == resource.size()) {
    return std::nullopt;
  }
  ParsedArn out;
  out.region = std::string(rest.substr(0, colon1));
  out.account_id = std::string(rest.substr(colon1 + 1, colon2 - colon1 - 1));
  out.type = std::string(resource.substr(0, slash));
  out.path = std::string(resource.substr(slash + 1));
  return out;
}

}  // namespace kindred
