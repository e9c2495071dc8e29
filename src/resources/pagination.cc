#include "resources/pagination.h"

#include <charconv>

namespace kindred {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string ToHex(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool FromHex(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int v = 0;
    auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc() || p != hex.data() + i + 2) return false;
    out->push_back(static_cast<char>(v));
  }
  return true;
}

std::string MakeToken(std::string_view operation, int64_t seq) {
  return ToHex("kindred1:" + std::string(operation) + ":" + std::to_string(seq));
}

}  // namespace

Result<PageRequest> ReadPageRequest(const nlohmann::json& input, std::string_view operation) {
  PageRequest page;
  if (auto it = input.find("maxResults"); it != input.end() && it->is_number_integer()) {
    int64_t n = it->get<int64_t>();
    if (n < 1 || n > 100) {
      return Status::InvalidInput("maxResults must be between 1 and 100, got " +
                                  std::to_string(n));
    }
    page.max_results = static_cast<size_t>(n);
  }
  auto it = input.find("nextToken");
  if (it == input.end() || !it->is_string()) return page;
  const Status bad(StatusCode::kInvalidNextToken,
                   "The nextToken is not valid for " + std::string(operation) +
                       "; pass the token from the previous response unchanged");
  std::string decoded;
  if (!FromHex(it->get<std::string>(), &decoded)) return bad;
  std::string prefix = "kindred1:" + std::string(operation) + ":";
  if (decoded.compare(0, prefix.size(), prefix) != 0) return bad;
  std::string_view num = std::string_view(decoded).substr(prefix.size());
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), page.after_seq);
  if (ec != std::errc() || p != num.data() + num.size() || page.after_seq < 0) return bad;
  return page;
}

nlohmann::json MakePage(const std::vector<Resource>& resources, const PageRequest& page,
                        std::string_view operation, std::string_view list_member,
                        const std::function<nlohmann::json(const Resource&)>& summary) {
  nlohmann::json items = nlohmann::json::array();
  size_t n = std::min(resources.size(), page.max_results);
  for (size_t i = 0; i < n; ++i) items.push_back(summary(resources[i]));
  nlohmann::json out = {{std::string(list_member), std::move(items)}};
  if (resources.size() > n) out["nextToken"] = MakeToken(operation, resources[n - 1].seq);
  return out;
}

nlohmann::json Pick(const nlohmann::json& body, std::initializer_list<const char*> fields) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* f : fields) {
    if (auto it = body.find(f); it != body.end()) out[f] = *it;
  }
  return out;
}

}  // namespace kindred
