// kindred: a self-hosted recommendation engine that speaks the Amazon Personalize API.
// This file only parses the command line and hands over to one subcommand.
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/bench_command.h"
#include "cli/evaluate_command.h"
#include "cli/import_command.h"
#include "cli/recommend_command.h"
#include "cli/serve_command.h"
#include "cli/train_command.h"

#ifndef KINDRED_VERSION
#define KINDRED_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app("kindred: a self-hosted recommendation engine with the Amazon Personalize API");
  app.require_subcommand(1);
  spdlog::set_default_logger(spdlog::stderr_color_mt("kindred"));

  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "kindred " << KINDRED_VERSION << std::endl;
  });
  kindred::ServeOptions serve;
  CLI::App* serve_cmd = kindred::AddServeCommand(app, serve);

  kindred::ImportCommandOptions import;
  CLI::App* import_cmd = kindred::AddImportCommand(app, import);

  kindred::EvaluateOptions evaluate;
  CLI::App* evaluate_cmd = kindred::AddEvaluateCommand(app, evaluate);

  kindred::AddBenchCommand(app);  // runs from its own callback
  kindred::AddTrainCommand(app);  // runs from its own callback

  kindred::RecommendOptions recommend;
  CLI::App* recommend_cmd = kindred::AddRecommendCommand(app, recommend);

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return kindred::RunServe(serve);
  if (import_cmd->parsed()) return kindred::RunImport(import);
  if (evaluate_cmd->parsed()) return kindred::RunEvaluate(evaluate);
  if (recommend_cmd->parsed()) return kindred::RunRecommend(recommend);
  return 0;
}
