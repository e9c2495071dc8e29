# kindred_http: the Beast HTTP server, SigV4 verification and credentials loading.
# Beast/Asio headers are used only by http_server.cc (and the test's client).
add_library(kindred_http http_server.cc sigv4.cc signing_key.cc credentials.cc)
target_link_libraries(kindred_http
  PUBLIC kindred_common nlohmann_json::nlohmann_json
  PRIVATE Boost::headers OpenSSL::Crypto Threads::Threads spdlog::spdlog)

add_executable(http_tests http_server_test.cc sigv4_test.cc signing_key_test.cc
  credentials_test.cc)
target_link_libraries(http_tests PRIVATE kindred_http Boost::headers Threads::Threads
  GTest::gtest_main)
gtest_discover_tests(http_tests)
