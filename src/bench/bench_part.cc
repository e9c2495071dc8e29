#include "bench/bench_part.h"

#include <algorithm>

#include "bench/events_part.h"
#include "bench/import_part.h"
#include "bench/memory_part.h"
#include "bench/quality_part.h"
#include "bench/serving_part.h"

namespace kindred {

BenchOptions WithModeDefaults(BenchOptions o) {
  if (o.quality_repetitions <= 0) o.quality_repetitions = 1;
  if (o.import_repetitions <= 0) o.import_repetitions = o.quick ? 1 : 3;
  if (o.synthetic_events <= 0) o.synthetic_events = o.quick ? 200'000 : 10'000'000;
  return o;
}

bool DatasetSelected(const BenchOptions& options, std::string_view dataset) {
  return options.datasets.empty() || std::find(options.datasets.begin(), options.datasets.end(),
                                               dataset) != options.datasets.end();
}

const std::vector<const BenchPart*>& AllBenchParts() {
  static const QualityPart kQuality;
  static const ImportPart kImport;
  static const MemoryPart kMemory;
  static const ServingPart kServing;
  static const EventsPart kEvents;
  static const std::vector<const BenchPart*> kAll = {&kQuality, &kImport, &kMemory, &kServing,
                                                     &kEvents};
  return kAll;
}

const BenchPart* FindBenchPart(std::string_view name) {
  for (const BenchPart* part : AllBenchParts()) {
    if (part->name() == name) return part;
  }
  return nullptr;
}

}  // namespace kindred
