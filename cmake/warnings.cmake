# Warnings are errors on every compiler we support (g++ 12, clang 14).
add_compile_options(-Wall -Wextra -Werror -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # bookworm's Asio 1.22 detects coroutines only under g++; tell it clang 14 has them.
  add_compile_definitions(ASIO_HAS_CO_AWAIT ASIO_HAS_STD_COROUTINE)
endif()
# g++ 12 at -O2 reports -Wrestrict (and -Wstringop-overflow) false positives
# inside libstdc++'s std::string when short literals are assigned (GCC bugs
# 105329, 105651); off for that compiler (ASan and clang still cover the code).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict -Wno-stringop-overflow)
endif()
