#include "cli/recommend_command.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "protocol/credentials.h"
#include "protocol/sigv4.h"

namespace kindred {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

int Fail(const std::string& message) {
  std::cerr << "kindred recommend: " << message << "\n";
  return 1;
}

// The access key pair to sign with (see the header), or an error message.
Result<std::pair<std::string, std::string>> Keys(const RecommendOptions& o) {
  if (!o.access_key_id.empty() || !o.secret_access_key.empty()) {
    if (o.access_key_id.empty() || o.secret_access_key.empty()) {
      return Status::InvalidInput("give both --access-key-id and --secret-access-key");
    }
    return std::make_pair(o.access_key_id, o.secret_access_key);
  }
  const char* id = std::getenv("KINDRED_ACCESS_KEY_ID");
  const char* secret = std::getenv("KINDRED_SECRET_ACCESS_KEY");
  if (id != nullptr && secret != nullptr)
    return std::make_pair(std::string(id), std::string(secret));
  const std::filesystem::path file = std::filesystem::path(o.data_dir) / kCredentialsFileName;
  std::ifstream in(file);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("keys") || !j["keys"].is_array() || j["keys"].empty() ||
      !j["keys"][0].is_object()) {
    return Status::InvalidInput(
        "no keys: pass --access-key-id/--secret-access-key, set "
        "KINDRED_ACCESS_KEY_ID/KINDRED_SECRET_ACCESS_KEY, or point "
        "--data-dir at the server's data directory (" +
        file.string() + " is missing or unreadable)");
  }
  const nlohmann::json& k = j["keys"][0];
  return std::make_pair(k.value("accessKeyId", ""), k.value("secretAccessKey", ""));
}

}  // namespace

CLI::App* AddRecommendCommand(CLI::App& app, RecommendOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "recommend", "Ask a running kindred server for a campaign's recommendations");
  cmd->add_option("--campaign", o.campaign, "Campaign ARN")->required();
  cmd->add_option("--user", o.user, "User id");
  cmd->add_option("--item", o.item, "Item id (related-item campaigns)");
  cmd->add_option("--num-results", o.num_results, "How many items")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  cmd->add_option("--filter-arn", o.filter_arn, "Filter ARN");
  cmd->add_option("--filter-value", o.filter_values,
                  "Filter placeholder value as NAME=VALUE, e.g. GENRE='\"Comedy\"' (repeatable)");
  cmd->add_option("--endpoint", o.endpoint, "Server URL")->capture_default_str();
  cmd->add_option("--data-dir", o.data_dir, "The server's data directory (for its keys)")
      ->capture_default_str();
  cmd->add_option("--access-key-id", o.access_key_id, "Access key id");
  cmd->add_option("--secret-access-key", o.secret_access_key, "Secret access key");
  cmd->add_option("--region", o.region, "Region to sign for")->capture_default_str();
  return cmd;
}

int RunRecommend(const RecommendOptions& o) {
  if (o.user.empty() && o.item.empty()) return Fail("give --user or --item");
  const std::string prefix = "http://";
  if (o.endpoint.rfind(prefix, 0) != 0) return Fail("--endpoint must start with http://");
  std::string authority = o.endpoint.substr(prefix.size());
  authority = authority.substr(0, authority.find('/'));
  const size_t colon = authority.rfind(':');
  const std::string host = authority.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  Result<std::pair<std::string, std::string>> keys = Keys(o);
  if (!keys.ok()) return Fail(keys.status().message());

  nlohmann::json body = {{"campaignArn", o.campaign}, {"numResults", o.num_results}};
  if (!o.user.empty()) body["userId"] = o.user;
  if (!o.item.empty()) body["itemId"] = o.item;
  if (!o.filter_arn.empty()) body["filterArn"] = o.filter_arn;
  for (const std::string& v : o.filter_values) {
    const size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) return Fail("--filter-value needs NAME=VALUE: " + v);
    body["filterValues"][v.substr(0, eq)] = v.substr(eq + 1);
  }
  HttpRequest req;
  req.method = "POST";
  req.target = "/recommendations";
  req.body = body.dump();
  req.headers = {{"Host", authority}, {"Content-Type", "application/json"}};
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  SignRequest(req, keys->first, keys->second, o.region, "personalize", now);

  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> out(http::verb::post, req.target, 11);
    for (const auto& [k, v] : req.headers) out.set(k, v);
    out.body() = req.body;
    out.prepare_payload();
    http::write(stream, out);
    beast::flat_buffer buffer;
    http::response<http::string_body> in;
    http::read(stream, buffer, in);
    beast::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    nlohmann::json reply = nlohmann::json::parse(in.body(), nullptr, false);
    if (in.result_int() != 200) {
      return Fail(reply.is_object()
                      ? reply.value("__type", "error") + ": " + reply.value("message", "")
                      : in.body());
    }
    std::printf("%-6s %-40s %s\n", "rank", "item", "score");
    int rank = 0;
    for (const nlohmann::json& i : reply.value("itemList", nlohmann::json::array())) {
      if (i.contains("score")) {
        std::printf("%-6d %-40s %.6f\n", ++rank, i.value("itemId", "").c_str(),
                    i["score"].get<double>());
      } else {
        std::printf("%-6d %-40s %s\n", ++rank, i.value("itemId", "").c_str(), "-");
      }
    }
    std::printf("recommendationId %s\n", reply.value("recommendationId", "").c_str());
  } catch (const std::exception& e) {
    return Fail("cannot reach " + o.endpoint + ": " + e.what());
  }
  return 0;
}

}  // namespace kindred
