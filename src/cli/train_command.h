// `kindred train`: trains a recipe on an interactions file or on a dataset group of a stopped
// server (evaluate_command.h, InteractionSource), optionally writes the model, and prints its
// offline metrics.
//
//   kindred train --input interactions.txt --format games --recipe aws-user-personalization
//       [--param hidden_dimension=64 ...] [--output model.bin] [--protocol next-item|personalize]
//       [--seed 42]
//   kindred train --data-dir DIR --dataset-group ARN [--recipe ...] [--output model.bin]
//
// Trains on every event with a progress bar on stderr; with --output writes
// Model::Serialize() to that file and checks that the recipe loads it back. Then prints the
// metric table of `kindred evaluate` (evaluate_command.h), for which the protocol trains once
// more on its own split. Exit code 0 on success, 1 on usage, input, training or output errors,
// with a message naming the bad flag or file (CLI11's own codes on usage errors).
//
// AddTrainCommand registers it with a callback that runs it during parsing and ends the process
// with its exit code (as a CLI::RuntimeError) when it is not 0.
//
// Thread-safety: called once, from main().
#pragma once

#include <CLI/CLI.hpp>

namespace kindred {

CLI::App* AddTrainCommand(CLI::App& app);

}  // namespace kindred
