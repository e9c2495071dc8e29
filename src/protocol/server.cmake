add_library(kindred_http INTERFACE)
