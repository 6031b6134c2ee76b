# practica_layer(NAME SOURCES... [DEPS targets...])
# Declares one architectural layer as a static library. Links are PRIVATE unless a layer's
# headers expose the dependency, which keeps every layer from seeing more than it declares.
function(practica_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(practica_${name} STATIC ${L_SOURCES})
  target_include_directories(practica_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(practica_${name} PUBLIC ${L_PUBLIC_DEPS} PRIVATE ${L_PRIVATE_DEPS}
    practica_warnings)
endfunction()
