// Training of solution versions: the background job that turns a CREATE PENDING solution
// version into a trained model, and the rules it applies to the training data.
//
// The job (on ctx.training, one at a time) moves the version CREATE PENDING -> CREATE
// IN_PROGRESS, reads the dataset group's Interactions (filtered by the solution's eventType and
// eventValueThreshold) and Items datasets into TrainingData, checks Personalize's minimum-data
// rules, measures the offline metrics on a holdout split (with performHPO: of every candidate of
// the search in hpo.h, keeping the best and reporting it as tunedHPOParams), trains on all the
// data and, in ONE atomic write, stores the serialised model (model_store.h) and sets the version
// ACTIVE with its trainingHours and metrics. A version with trainingMode UPDATE instead loads the
// model of the solution's newest ACTIVE version and hands it to Recipe::Update with the data and
// the hyperparameters that version was trained with (no search) and reports that version's
// metrics (measuring them would need a training from scratch on a holdout split). Any failure ends CREATE FAILED with a failureReason; a version
// stopped meanwhile (StopSolutionVersionCreation) ends CREATE STOPPED.
//
// Thread-safety: the functions may be called from any thread; the job runs on ctx.training.
#pragma once

#include <optional>
#include <string>

#include "recipes/training_data.h"
#include "resources/resource_context.h"

namespace kindred {

// The solution's restrictions on which interactions are trained on.
struct InteractionFilter {
  std::optional<std::string> event_type;        // only events of this EVENT_TYPE
  std::optional<double> event_value_threshold;  // only events with EVENT_VALUE >= this
};

// The TrainingData of a dataset group: its Interactions dataset's rows that pass `filter`, and
// the categorical fields (and CREATION_TIMESTAMP) of its Items dataset when it has one.
// kInvalidInput when the group has no Interactions dataset.
Result<TrainingData> BuildTrainingData(ResourceContext& ctx, const std::string& group_arn,
                                       const InteractionFilter& filter);

// Personalize's minimum data for training: 1000 interactions (after filtering) and 25 users with
// at least 2 interactions each. kInvalidInput with the failure reason otherwise.
Status CheckMinimumData(const TrainingData& data);

// Queues the training of a CREATE PENDING solution version (after ctx.options.lifecycle_delay).
void ScheduleTraining(ResourceContext& ctx, const std::string& version_arn);

// True for the statuses in which a version's training is queued, running or being stopped.
bool IsTraining(const std::string& version_status);

}  // namespace kindred
