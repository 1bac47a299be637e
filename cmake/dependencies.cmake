# Third-party libraries, all from Debian packages (scripts/deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# Standalone Asio is header-only; C++20 coroutines. clang 14 does not detect
# co_await support by itself.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(asio_headers INTERFACE)
target_include_directories(asio_headers SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(asio_headers INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED
                           ASIO_HAS_CO_AWAIT ASIO_HAS_STD_COROUTINE)
target_link_libraries(asio_headers INTERFACE Threads::Threads)

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
