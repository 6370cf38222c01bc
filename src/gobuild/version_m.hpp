#pragma once
// `go version -m FILE` output, byte for byte as Go 1.19's cmd/go prints it, from decoded facts.
#include "gobuild/buildinfo.hpp"

#include <string>

namespace berth::gobuild {

// The module lines of runtime/debug.BuildInfo.String() without the "go" line: path, mod, dep,
// "=>" and build lines, each ending in a newline; build keys and values Go-quoted where needed.
std::string format_modinfo(const BuildInfo& info);

// "FILE: go1.19.8\n" followed by the module lines indented by a tab, as `go version -m` prints.
std::string format_version_m(const std::string& file_name, const BuildInfo& info);

} // namespace berth::gobuild
