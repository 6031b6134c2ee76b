# PRACTICA_LAMBDA_LINKING: link the way the Lambda zip needs (scripts/package-lambda, the `lambda`
# preset). The zip runs on provided.al2023, whose glibc (2.34) and libstdc++ are older than
# Debian 12's, and it ships the binary itself as `bootstrap` rather than a script that sets up a
# loader. So:
#   - libstdc++ and libgcc are linked statically (AL2023's libstdc++ lacks Debian's symbol versions);
#   - SQLite, libsodium, cmark-gfm, yaml-cpp and libpqxx come from Debian's static archives;
#   - libpq stays shared: Debian's libpq.a needs libpgcommon/libpgport and Kerberos archives that
#     Debian does not ship. It and its chain (OpenSSL, Kerberos, LDAP, GnuTLS, ...) go into the
#     zip's lib/, which the binary finds through an $ORIGIN/lib DT_RPATH. OpenSSL is linked shared
#     for the same reason: libpq loads libssl.so.3 and libcrypto.so.3 anyway, and one copy of
#     OpenSSL in the process is smaller and simpler than a static one beside the shared one.
#   - libzip stays shared too (Debian ships no libzip.a), with zlib and libbz2, in the same lib/.
#   - glibc itself is never bundled: the binary uses the host's (docs/DEPLOY.md).
# Must be included before the find_package() calls, whose cache variables it seeds.
# practica_lambda_executable(target): the Lambda build's additions to an executable, called once
# the target exists; nothing in other builds.
function(practica_lambda_executable target)
  if(NOT PRACTICA_LAMBDA_LINKING)
    return()
  endif()
  # Debian 12's libgcc_eh.a and libstdc++.a call two functions newer than glibc 2.34;
  # glibc_compat.c says which and replaces them.
  # An object library of its own: the C++ warning flags that practica_warnings gives every source
  # of the executable are not valid for C.
  if(NOT TARGET practica_glibc_compat)
    add_library(practica_glibc_compat OBJECT ${PROJECT_SOURCE_DIR}/cmake/lambda/glibc_compat.c)
    target_compile_options(practica_glibc_compat PRIVATE -Wall -Wextra
      $<$<BOOL:${PRACTICA_WERROR}>:-Werror>)
  endif()
  target_sources(${target} PRIVATE $<TARGET_OBJECTS:practica_glibc_compat>)
  target_link_options(${target} PRIVATE LINKER:--wrap=_dl_find_object LINKER:--wrap=arc4random)
endfunction()

option(PRACTICA_LAMBDA_LINKING
  "Link libstdc++, libgcc and most libraries statically, with an \$ORIGIN/lib rpath (Lambda zip)"
  OFF)

if(NOT PRACTICA_LAMBDA_LINKING)
  return()
endif()

# find_library() result variable of each find module -> the static archive to put there. Cache
# variables that are already set are not searched again, so seeding them picks the archive while
# the modules (FindSQLite3, pkg_check_modules' pkgcfg_lib_* variables) still define the targets.
function(practica_static_archive variable archive)
  if(NOT DEFINED CACHE{${variable}})
    find_library(practica_archive_${variable} NAMES ${archive} NO_CACHE REQUIRED)
    set(${variable} ${practica_archive_${variable}} CACHE FILEPATH "Static archive (Lambda linking)")
  endif()
endfunction()
practica_static_archive(SQLite3_LIBRARY libsqlite3.a)
practica_static_archive(CMARK_GFM_LIB libcmark-gfm.a)
practica_static_archive(CMARK_GFM_EXT_LIB libcmark-gfm-extensions.a)
practica_static_archive(pkgcfg_lib_SODIUM_sodium libsodium.a)
practica_static_archive(pkgcfg_lib_PQXX_pqxx libpqxx.a)

# yaml-cpp's CMake package only describes its shared library: point the imported target at the
# archive instead (the later find_package(yaml-cpp) sees the target defined and keeps it).
find_package(yaml-cpp REQUIRED CONFIG)
find_library(PRACTICA_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a REQUIRED)
get_target_property(practica_yaml_configs yaml-cpp IMPORTED_CONFIGURATIONS)
foreach(config IN LISTS practica_yaml_configs)
  set_target_properties(yaml-cpp PROPERTIES
    IMPORTED_LOCATION_${config} ${PRACTICA_YAML_CPP_ARCHIVE} IMPORTED_NO_SONAME_${config} TRUE)
endforeach()
set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION ${PRACTICA_YAML_CPP_ARCHIVE})

# The zip must stay under 10 MB: one section per function and object lets the linker drop what
# nothing calls (of Boost, SQLite, cmark-gfm, ...).
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(LINKER:--gc-sections)

add_link_options(-static-libstdc++ -static-libgcc
  # DT_RPATH rather than DT_RUNPATH: RPATH also applies to the dependencies of dependencies (libpq's
  # Kerberos and LDAP libraries), and it is searched before LD_LIBRARY_PATH, which Lambda sets to
  # /lib64 and /usr/lib64 among others.
  LINKER:--disable-new-dtags
  # Record only the shared libraries something calls into: each one is a file to bundle and load.
  LINKER:--as-needed)
set(CMAKE_BUILD_RPATH "\$ORIGIN/lib")
