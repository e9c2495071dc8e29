# kindred_serving_filters: item/user metadata tables and the filter language (parsing, checking
# against schemas, evaluation per request).
set(_filters_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(kindred_serving_filters
  ${_filters_dir}/metadata_table.cc
  ${_filters_dir}/filter_syntax.cc
  ${_filters_dir}/filter.cc)
target_link_libraries(kindred_serving_filters
  PUBLIC kindred_recipes kindred_data_import kindred_data_schema kindred_common)

add_executable(serving_filters_tests
  ${_filters_dir}/metadata_table_test.cc
  ${_filters_dir}/filter_syntax_test.cc
  ${_filters_dir}/filter_test.cc)
target_link_libraries(serving_filters_tests PRIVATE kindred_serving_filters GTest::gtest_main)
gtest_discover_tests(serving_filters_tests)

find_package(benchmark REQUIRED)
add_executable(filter_bench ${_filters_dir}/filter_bench.cc)
target_link_libraries(filter_bench PRIVATE kindred_serving_filters benchmark::benchmark)
