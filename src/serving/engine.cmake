add_library(kindred_serving catalogue_binding.cc exp_sum.cc group_state.cc group_states.cc
  quantized_items.cc recent_recommendations.cc recommender.cc)
target_link_libraries(kindred_serving PUBLIC kindred_serving_filters kindred_recipes kindred_common)

add_executable(serving_tests approximate_scoring_test.cc group_state_test.cc group_states_test.cc
  exp_sum_test.cc quantized_items_test.cc recent_recommendations_test.cc recommender_test.cc
  shared_passes_test.cc)
target_link_libraries(serving_tests PRIVATE kindred_serving GTest::gtest_main)
gtest_discover_tests(serving_tests)

find_package(benchmark REQUIRED)
add_executable(serving_bench ${CMAKE_CURRENT_LIST_DIR}/serving_bench.cc)
target_link_libraries(serving_bench PRIVATE kindred_serving benchmark::benchmark)
