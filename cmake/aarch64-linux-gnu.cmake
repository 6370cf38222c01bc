# Cross-compiles berth for 64-bit Arm Linux (aarch64) with Debian's g++-aarch64-linux-gnu; used by
# scripts/build-arm64 (docs/arm64.md). The C and C++ runtimes (libc.a, libstdc++.a) come with the
# cross compiler (/usr/aarch64-linux-gnu); the libraries berth links (libelf, zlib, yaml-cpp,
# OpenSSL, GoogleTest) are Debian's arm64 -dev packages, unpacked by scripts/build-arm64 into
# BERTH_ARM64_SYSROOT rather than installed through multiarch: libyaml-cpp-dev:arm64 would remove
# the amd64 one, and the others would drag the host's amd64 libraries to their version.
# Header-only libraries (CLI11, nlohmann-json, fmt, Boost) are the host's: the cross compiler
# searches /usr/include after the sysroot's headers.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT BERTH_ARM64_SYSROOT)
  set(BERTH_ARM64_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build-arm64/sysroot")
endif()
get_filename_component(BERTH_ARM64_SYSROOT "${BERTH_ARM64_SYSROOT}" ABSOLUTE)
# try_compile projects read this file again: they need the same sysroot.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BERTH_ARM64_SYSROOT)

set(CMAKE_C_FLAGS_INIT "-isystem ${BERTH_ARM64_SYSROOT}/usr/include/aarch64-linux-gnu -isystem ${BERTH_ARM64_SYSROOT}/usr/include")
set(CMAKE_CXX_FLAGS_INIT "${CMAKE_C_FLAGS_INIT}")
# Every executable static, the unit tests too: they run under qemu-user without an arm64 root.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -L${BERTH_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu")

# find_package (GoogleTest's config) looks in the sysroot only; programs are the host's.
set(CMAKE_FIND_ROOT_PATH "${BERTH_ARM64_SYSROOT}" /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The test binaries run under qemu-user (gtest_discover_tests lists them that way, ctest runs them).
find_program(BERTH_QEMU_AARCH64 qemu-aarch64-static qemu-aarch64)
if(BERTH_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${BERTH_QEMU_AARCH64}")
endif()
