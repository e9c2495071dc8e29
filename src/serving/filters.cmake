# kindred_serving_filters: filled in with the filter language.
