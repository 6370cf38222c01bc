# What `cmake --install` and the Debian package carry (docs/packaging.md): berth in bin, its man
# pages and shell completions (made by the built berth itself, cmake/make-docs.sh), the docs and
# the copyright. `cpack -G DEB` in the build directory writes berth_VERSION_ARCH.deb.
set(BERTH_SHARE_DIR ${CMAKE_BINARY_DIR}/share)
add_custom_command(OUTPUT ${BERTH_SHARE_DIR}/docs.stamp
  COMMAND ${CMAKE_SOURCE_DIR}/cmake/make-docs.sh
          "${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:berth>" ${BERTH_SHARE_DIR}
  COMMAND ${CMAKE_COMMAND} -E touch ${BERTH_SHARE_DIR}/docs.stamp
  DEPENDS berth ${CMAKE_SOURCE_DIR}/cmake/make-docs.sh
  COMMENT "Man pages and shell completions from berth itself"
  VERBATIM)
add_custom_target(berth_docs ALL DEPENDS ${BERTH_SHARE_DIR}/docs.stamp)

# Debian's changelog for a native package, from the one version in project().
string(TIMESTAMP BERTH_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(BERTH_MAINTAINER "Seed 10b8421f maintainers <maintainers@users.noreply.r-seed-10b8421f.example>")
file(WRITE ${BERTH_SHARE_DIR}/changelog
     "berth (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
     "  * berth ${PROJECT_VERSION}; see README.md for what it does.\n\n"
     " -- ${BERTH_MAINTAINER}  ${BERTH_CHANGELOG_DATE}\n")
add_custom_command(OUTPUT ${BERTH_SHARE_DIR}/changelog.gz
  COMMAND gzip -9nkf ${BERTH_SHARE_DIR}/changelog
  DEPENDS ${BERTH_SHARE_DIR}/changelog
  VERBATIM)
add_custom_target(berth_changelog ALL DEPENDS ${BERTH_SHARE_DIR}/changelog.gz)

set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(TARGETS berth RUNTIME DESTINATION bin)
install(DIRECTORY ${BERTH_SHARE_DIR}/man/ DESTINATION share/man)
install(FILES ${BERTH_SHARE_DIR}/completions/berth
        DESTINATION share/bash-completion/completions)
install(FILES ${BERTH_SHARE_DIR}/completions/_berth DESTINATION share/zsh/vendor-completions)
install(FILES ${BERTH_SHARE_DIR}/completions/berth.fish
        DESTINATION share/fish/vendor_completions.d)
file(GLOB BERTH_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${BERTH_DOCS} DESTINATION share/doc/berth)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright ${BERTH_SHARE_DIR}/changelog.gz
        DESTINATION share/doc/berth)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION share/lintian/overrides RENAME berth)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME berth)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT ${BERTH_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${BERTH_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "make a Go service land safely on Linux servers")
# CPack puts the summary above it as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "berth tells what a Go binary needs without running it (ELF, libc, shared
libraries, GLIBC versions, hardening, Go build info), checks a Linux host
before a deploy, generates and lints hardened systemd units, and deploys
releases that roll back by themselves. One statically linked program.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Static: no shared library to depend on.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # berth_VERSION_ARCH.deb
# A cross build packages for its target (dpkg --print-architecture would say this machine's).
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_STRIP_FILES OFF) # already stripped; berth.debug keeps the debug info
set(CPACK_THREADS 2)
include(CPack)
