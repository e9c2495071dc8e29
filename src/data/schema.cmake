# kindred_data_schema: Personalize Avro schema checking and dataSource.dataLocation resolution.
set(_schema_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(kindred_data_schema ${_schema_dir}/dataset_schema.cc ${_schema_dir}/data_location.cc)
target_link_libraries(kindred_data_schema
  PUBLIC kindred_common
  PRIVATE nlohmann_json::nlohmann_json)

add_executable(schema_tests ${_schema_dir}/dataset_schema_test.cc
                            ${_schema_dir}/data_location_test.cc)
target_link_libraries(schema_tests PRIVATE kindred_data_schema GTest::gtest_main)
gtest_discover_tests(schema_tests)
