# caravan_library(<dir>): the static library caravan_<dir> built from every .cc
# file in src/<dir>/ and src/<dir>/internal/ (helpers private to the library).
# A directory whose sources are not written yet still configures (an empty
# placeholder source keeps CMake happy).
function(caravan_library dir)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc
       ${CMAKE_CURRENT_SOURCE_DIR}/internal/*.cc)
  if(NOT sources)
    set(sources ${CMAKE_CURRENT_BINARY_DIR}/empty.cc)
    file(WRITE ${sources} "// placeholder: src/${dir} has no sources yet\n")
  endif()
  add_library(caravan_${dir} STATIC ${sources})
  target_include_directories(caravan_${dir} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
