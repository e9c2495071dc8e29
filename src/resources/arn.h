// ARNs of kindred's resources, in Amazon Personalize's format:
//   arn:aws:personalize:<region>:<account>:<resource-type>/<resource-path>
// e.g. schema/clicks, dataset-group/shop, dataset/shop/INTERACTIONS, dataset-import-job/load-1,
// solution/shop-sims, and a solution version solution/shop-sims/1a2b3c4d (its solution's path
// plus 8 hex digits, as Personalize writes them).
//
// Thread-safety: ArnFactory is immutable after construction; ParseArn is a pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kindred {

// The resource types that exist in this version, as they appear in ARNs.
namespace resource_type {
inline constexpr std::string_view kSchema = "schema";
inline constexpr std::string_view kDatasetGroup = "dataset-group";
inline constexpr std::string_view kDataset = "dataset";
inline constexpr std::string_view kDatasetImportJob = "dataset-import-job";
inline constexpr std::string_view kSolution = "solution";
// Registry type of solution versions; their ARNs use the "solution" type (see above).
inline constexpr std::string_view kSolutionVersion = "solution-version";
inline constexpr std::string_view kCampaign = "campaign";
inline constexpr std::string_view kEventTracker = "event-tracker";
inline constexpr std::string_view kFilter = "filter";
}  // namespace resource_type

class ArnFactory {
 public:
  ArnFactory(std::string region, std::string account_id)
      : region_(std::move(region)), account_id_(std::move(account_id)) {}

  // arn:aws:personalize:<region>:<account>:<type>/<path>
  std::string Make(std::string_view type, std::string_view path) const;

  const std::string& region() const { return region_; }
  const std::string& account_id() const { return account_id_; }

 private:
  std::string region_;
  std::string account_id_;
};

struct ParsedArn {
  std::string region;
  std::string account_id;
  std::string type;  // e.g. "dataset-group"
  std::string path;  // everything after "<type>/"
};

// Splits a Personalize ARN; nullopt when `arn` does not have that shape.
std::optional<ParsedArn> ParseArn(std::string_view arn);

}  // namespace kindred
