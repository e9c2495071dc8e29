# kindred_api: Personalize service models (embedded at build time), model-driven request
# validation and API dispatch. See service_model.h, request_validator.h, api_dispatcher.h.

set(KINDRED_BOTOCORE_DATA "/usr/lib/python3/dist-packages/botocore/data" CACHE PATH
    "botocore's data directory, which holds the Personalize service models")

set(kindred_api_models
    "PersonalizeModel=${KINDRED_BOTOCORE_DATA}/personalize/2018-05-22/service-2.json"
    "RuntimeModel=${KINDRED_BOTOCORE_DATA}/personalize-runtime/2018-05-22/service-2.json"
    "EventsModel=${KINDRED_BOTOCORE_DATA}/personalize-events/2018-03-22/service-2.json"
    "PersonalizeOverlay=${CMAKE_SOURCE_DIR}/model/kindred-extensions.json")
set(kindred_api_model_files "")
foreach(entry IN LISTS kindred_api_models)
  string(REGEX REPLACE "^[^=]*=" "" model_file "${entry}")
  if(NOT EXISTS "${model_file}")
    message(FATAL_ERROR "kindred_api: ${model_file} is missing. Install Debian's "
                        "python3-botocore package, or point -DKINDRED_BOTOCORE_DATA=<dir> at "
                        "botocore's data directory.")
  endif()
  list(APPEND kindred_api_model_files "${model_file}")
endforeach()

set(kindred_api_embedded "${CMAKE_CURRENT_BINARY_DIR}/embedded_models.cc")
add_custom_command(
  OUTPUT "${kindred_api_embedded}"
  COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${kindred_api_embedded}" "-DENTRIES=${kindred_api_models}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/embed_files.cmake"
  DEPENDS ${kindred_api_model_files} "${CMAKE_CURRENT_SOURCE_DIR}/embed_files.cmake"
  COMMENT "Embedding the Personalize service models"
  VERBATIM)

add_library(kindred_api
  ${CMAKE_CURRENT_SOURCE_DIR}/api_dispatcher.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/java_pattern.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/request_validator.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/service_model.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/unicode_category.cc
  "${kindred_api_embedded}")
target_link_libraries(kindred_api PUBLIC kindred_common nlohmann_json::nlohmann_json
                      PRIVATE spdlog::spdlog)

add_executable(api_tests
  ${CMAKE_CURRENT_SOURCE_DIR}/api_dispatcher_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/java_pattern_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/request_validator_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/service_model_test.cc)
target_link_libraries(api_tests PRIVATE kindred_api GTest::gtest_main)
gtest_discover_tests(api_tests)
