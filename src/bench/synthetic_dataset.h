// The synthetic generator's output (synthetic_generator.h) in the forms kindred consumes:
// Personalize CSV files, as an import job reads them, and TrainingData, as a recipe trains on
// it.
//
//   interactions.csv  USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE   in time order; EVENT_TYPE click|watch
//   items.csv         ITEM_ID,GENRE,CREATION_TIMESTAMP       every item, in creation order
//
// Users are "u<n>" and items "i<n>" (n from 0); GENRE is the item's provider's genre.
//
//   Result<SimulationStats> s = WriteSyntheticCsv(SyntheticOptions(1000, 500, 20000, 1), dir);
//   TrainingData data = SyntheticTrainingData(SyntheticOptions(1000, 500, 20000, 1));
//
// Thread-safety: stateless functions; calls on different directories may run concurrently.
#pragma once

#include <cstdint>
#include <string>

#include "bench/synthetic_generator.h"
#include "common/status.h"
#include "recipes/training_data.h"

namespace kindred {

std::string SyntheticUserId(int32_t user);
std::string SyntheticItemId(int32_t item);
const char* SyntheticEventType(const SyntheticEvent& event);

// Generates the data of `options` into `dir` (created if needed) as the two files above.
// kIoError when a file cannot be written.
Result<SimulationStats> WriteSyntheticCsv(const GeneratorOptions& options, const std::string& dir);

// Generates the data of `options` in memory: the events with their event types, and every item
// with its GENRE feature and creation time.
TrainingData SyntheticTrainingData(const GeneratorOptions& options);

}  // namespace kindred
