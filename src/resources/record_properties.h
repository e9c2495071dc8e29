// Turning a record put through the events API (PutEvents, PutItems, PutUsers) into a dataset
// row: the fixed members (USER_ID, ITEM_ID, ...) plus the `properties` JSON object, whose keys
// name schema fields in camelCase ("numberOfRatings" for NUMBER_OF_RATINGS; matching ignores case
// and underscores, as Personalize's does).
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "data/dataset_schema.h"
#include "data/row_codec.h"

namespace kindred {

// A row of `schema` with `fixed` (field name -> value) and the fields `properties` (a JSON
// object as text; empty for none) names. kInvalidInput naming `what` (e.g. "eventList[2]") and
// the field for unparsable properties, an unknown field, a value of the wrong type, or a
// required field left empty.
Result<Row> RowFromRecord(const DatasetSchema& schema,
                          const std::map<std::string, FieldValue>& fixed,
                          std::string_view properties, const std::string& what);

}  // namespace kindred
