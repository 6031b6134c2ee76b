# practica_service_test(NAME SERVICES postgres [...] SOURCES ... DEPS ... [TIMEOUT seconds])
#
# A GoogleTest executable that needs local stand-ins for cloud services (DESIGN.md "Local
# stand-ins"). ctest runs the whole binary as ONE test, wrapped in run_with.py beside this file,
# which starts each service (--postgres, …), exports its address (PRACTICA_TEST_POSTGRES_URL, …),
# runs the binary and tears the services down. One service instance per binary, not per case:
# gtest_discover_tests would list the cases one by one and pay a service start-up for each.
# The binary brings its own main() that refuses to run without the variables (see
# tests/store/postgres_test_main.cc), so a direct run says how to run it instead of failing.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

function(practica_service_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SERVICES;SOURCES;DEPS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock practica_warnings)
  target_compile_definitions(${name} PRIVATE PRACTICA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  list(TRANSFORM T_SERVICES PREPEND "--" OUTPUT_VARIABLE service_flags)
  add_test(NAME ${name}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/run_with.py ${service_flags}
            -- $<TARGET_FILE:${name}>)
  practica_test_labels(${name} labels)
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "PRACTICA_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1"
    LABELS "${labels}")
endfunction()
