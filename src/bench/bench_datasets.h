// The data the benchmark parts measure on.
//
// Public datasets live under BenchOptions::data_dir (../shared/data; its README.md describes
// them and the evaluation protocols). A user's clone and CI do not have them, so a part asks
// FindPublicFile and skips a dataset that is missing, with a note saying where it looked.
//
// Synthetic data comes from the generator (synthetic_generator.h). The import and memory parts
// share one pair of CSV files of BenchOptions::synthetic_events events, generated once per run
// into the scratch folder by SyntheticCsvDir.
//
// Thread-safety: stateless functions; SyntheticCsvDir is called from the driver's thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_part.h"
#include "bench/synthetic_generator.h"
#include "common/status.h"

namespace kindred {

struct PublicDataset {
  std::string name;          // "amazon-games": also its folder under data_dir
  std::string interactions;  // file name in the folder
  std::string format;        // for ReadInteractionFile (recipes/interaction_files.h)
};

// amazon-games (games), personalize-poc (personalize-csv), movielens-small (movielens).
const std::vector<PublicDataset>& PublicDatasets();

// data_dir/<dataset>/<file>, or kNotFound "<path> not found" when it is not a readable file.
Result<std::string> FindPublicFile(const BenchOptions& options, const std::string& dataset,
                                   const std::string& file);

// Avro schemas of those files: the AWS Personalize workshop's Interactions (USER_ID, ITEM_ID,
// TIMESTAMP, EVENT_TYPE) and Items (ITEM_ID, GENRE categorical, YEAR) schemas, and the synthetic
// items' (ITEM_ID, GENRE categorical, CREATION_TIMESTAMP).
std::string_view InteractionsSchemaJson();
std::string_view WorkshopItemsSchemaJson();
std::string_view SyntheticItemsSchemaJson();

// The generator's options for the import and memory parts' file of `events` events: one user
// per 50 events and one item per 250 (at least 100 of each).
GeneratorOptions SyntheticFileOptions(int64_t events, uint64_t seed);

// The folder holding interactions.csv and items.csv generated with
// SyntheticFileOptions(options.synthetic_events, options.seed), generating them (in a child
// process) unless an earlier part of the run did.
Result<std::string> SyntheticCsvDir(const BenchOptions& options);

}  // namespace kindred
