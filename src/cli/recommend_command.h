// `kindred recommend`: asks a running kindred server for recommendations and prints a table.
//
//   kindred recommend --campaign ARN --user u1 [--item i9] [--num-results 10]
//       [--filter-arn ARN --filter-value GENRE='"Comedy"'] [--endpoint http://127.0.0.1:8080]
//       [--data-dir D | --access-key-id K --secret-access-key S] [--region us-east-1]
//
// Sends GetRecommendations (personalize-runtime, POST /recommendations) signed with SigV4, like
// any SDK: keys from the flags, else KINDRED_ACCESS_KEY_ID / KINDRED_SECRET_ACCESS_KEY, else the
// first pair of <data-dir>/credentials.json. Prints rank, item and score, and the
// recommendationId; exit code 0 on success, 1 with the server's error type and message.
//
// Thread-safety: RunRecommend is called once, from main().
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace kindred {

struct RecommendOptions {
  std::string endpoint = "http://127.0.0.1:8080";
  std::string campaign;
  std::string user;
  std::string item;
  int num_results = 10;
  std::string filter_arn;
  std::vector<std::string> filter_values;  // NAME=VALUE
  std::string data_dir = "kindred-data";
  std::string access_key_id;
  std::string secret_access_key;
  std::string region = "us-east-1";
};

CLI::App* AddRecommendCommand(CLI::App& app, RecommendOptions& options);
int RunRecommend(const RecommendOptions& options);

}  // namespace kindred
