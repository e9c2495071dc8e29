// The items schema that the serving benchmark and the approximate-scoring test build their
// catalogues on: ITEM_ID, a categorical GENRE and a CREATION_TIMESTAMP (both nullable).
#pragma once

#include "data/dataset_schema.h"

namespace kindred {

inline DatasetSchema GenreItemsSchema() {
  DatasetSchema schema;
  schema.fields = {{"ITEM_ID", FieldType::kString},
                   {"GENRE", FieldType::kString, true, /*categorical=*/true},
                   {"CREATION_TIMESTAMP", FieldType::kLong, true}};
  return schema;
}

}  // namespace kindred
