// Interaction files outside the API: the benchmark datasets of ../shared/data and CSV exports,
// read straight into TrainingData for `kindred evaluate`, `kindred train` and `kindred bench`.
//
// Formats:
//   games            "user item" per line, each user's lines in time order; the line number is
//                    the timestamp (the SASRec preprocessing of Amazon Games).
//   personalize-csv  a header naming USER_ID, ITEM_ID, TIMESTAMP and optionally EVENT_TYPE
//                    (any order, any case), then one event per line.
//   movielens        ratings.csv: userId,movieId,rating,timestamp; the rating is the event value.
//
//   Result<TrainingData> data = ReadInteractionFile("interactions.txt", "games");
//
// Thread-safety: stateless functions.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "common/status.h"
#include "recipes/recipe.h"
#include "recipes/training_data.h"

namespace kindred {

// The formats above, for command-line validation.
const std::vector<std::string>& InteractionFileFormats();

// Reads `in` in `format` into `builder`; a malformed line is kInvalidInput naming its number.
Status ReadInteractions(std::istream& in, const std::string& format, TrainingDataBuilder* builder);

// Reads the file at `path`: kIoError when it cannot be opened.
Result<TrainingData> ReadInteractionFile(const std::string& path, const std::string& format);

// Hyperparameters given on a command line as "name=value" strings; kInvalidInput naming a
// malformed one.
Result<HyperParameters> ParseHyperParameterArgs(const std::vector<std::string>& args);

}  // namespace kindred
