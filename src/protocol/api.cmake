add_library(kindred_api INTERFACE)
