#pragma once
// The loop of the commands that take several files: each file on its own, a bad one reported on
// one line naming it while the others still run, and the worst status returned.
#include "util/error.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace berth::cli {

// Runs `body(path)` (which returns an exit status) for every file. An InputError becomes one
// line "berth: PATH: what" on stderr (after what stdout holds so far) and exit status 2;
// `on_error(path, message)` lets a JSON report record it too. Returns the highest status.
template <typename Body, typename OnError>
int for_each_file(const std::vector<std::string>& files, Body body, OnError on_error) {
    int status = kExitOk;
    for (const auto& path : files) {
        try {
            status = std::max(status, body(path));
        } catch (const InputError& e) {
            std::string what = e.what();
            if (!what.starts_with(path)) what = path + ": " + what;
            std::fflush(stdout);
            std::fprintf(stderr, "berth: %s\n", what.c_str());
            on_error(path, what);
            status = kExitInput;
        }
    }
    return status;
}

template <typename Body> int for_each_file(const std::vector<std::string>& files, Body body) {
    return for_each_file(files, body, [](const std::string&, const std::string&) {});
}

} // namespace berth::cli
