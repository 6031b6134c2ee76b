# Cross-compiling for arm64 (the `lambda-arm64` preset) with Debian's aarch64 toolchain
# (g++-aarch64-linux-gnu, whose C library is in /usr/aarch64-linux-gnu).
#
# The arm64 libraries are not installed as multiarch :arm64 packages: libpqxx-dev and
# libyaml-cpp-dev cannot be co-installed with their amd64 selves, and apt would remove the amd64
# ones every other build needs. Instead scripts/package-lambda unpacks the arm64 .debs into a
# folder of their own, PRACTICA_ARM64_LIBRARIES (no C library there: the toolchain has it), which
# this file puts on the compiler's, the linker's, CMake's and pkg-config's search paths.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT PRACTICA_ARM64_LIBRARIES)
  message(FATAL_ERROR "PRACTICA_ARM64_LIBRARIES: the folder the arm64 .debs are unpacked in "
                      "(scripts/package-lambda makes it)")
endif()
set(libraries ${PRACTICA_ARM64_LIBRARIES})
# try_compile() projects get the variable too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PRACTICA_ARM64_LIBRARIES)

set(CMAKE_FIND_ROOT_PATH ${libraries} /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # node, python: the build machine's
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The multiarch include folder (OpenSSL's configuration.h, ...) is not on the cross compiler's
# own path; the libraries' folders are needed at link time for libpq's dependencies.
set(arch_include ${libraries}/usr/include/aarch64-linux-gnu)
set(arch_lib ${libraries}/usr/lib/aarch64-linux-gnu)
# Some packages (libcom-err2, libkeyutils1) still put their libraries in /lib.
set(arch_root_lib ${libraries}/lib/aarch64-linux-gnu)
set(CMAKE_C_FLAGS_INIT "-isystem ${arch_include}")
set(CMAKE_CXX_FLAGS_INIT "-isystem ${arch_include}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${arch_lib} -Wl,-rpath-link,${arch_lib}:${arch_root_lib}")

set(ENV{PKG_CONFIG_LIBDIR} "${arch_lib}/pkgconfig:${libraries}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${libraries})
set(ENV{PKG_CONFIG_PATH} "")
