# kindred_data_import: CSV reading, row encoding, dataset segments and the import job.
add_library(kindred_data_import csv_reader.cc row_codec.cc dataset_store.cc csv_importer.cc)
target_link_libraries(kindred_data_import
  PUBLIC kindred_data_schema kindred_storage kindred_common nlohmann_json::nlohmann_json)

add_executable(import_tests
  csv_reader_test.cc row_codec_test.cc dataset_store_test.cc csv_importer_test.cc)
target_link_libraries(import_tests PRIVATE kindred_data_import GTest::gtest_main)
gtest_discover_tests(import_tests)
