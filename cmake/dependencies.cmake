# Third-party libraries, all from Debian packages (scripts/deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# nlohmann-json is header-only; Debian puts it in /usr/include.
find_path(NLOHMANN_JSON_INCLUDE_DIR nlohmann/json.hpp REQUIRED)
add_library(nlohmann_json_headers INTERFACE)
target_include_directories(nlohmann_json_headers SYSTEM INTERFACE ${NLOHMANN_JSON_INCLUDE_DIR})

if(CARAVAN_BUILD_TESTS AND NOT CARAVAN_FUZZ)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(CARAVAN_BUILD_BENCH AND NOT CARAVAN_FUZZ)
  find_package(benchmark REQUIRED)
endif()
