#pragma once
// Shared helpers for the tests: run a command and capture its output, find fixtures and tools.
#include <string>
#include <vector>

namespace berth::test {

struct CommandResult {
    int status = -1; // exit status, or 128+signal
    std::string out; // stdout
    std::string err; // stderr
};

// Runs argv[0] (searched in PATH) with the arguments, without a shell.
CommandResult run(const std::vector<std::string>& argv, const std::string& stdin_text = "");
// Runs a shell command line with /bin/sh -c.
CommandResult sh(const std::string& command_line);

// Paths given by CTest in the environment; a missing variable fails the calling test (ADD_FAILURE)
// and returns an empty string: tests never skip themselves.
std::string berth_exe();                      // BERTH_EXE
std::string fixture_dir();                    // BERTH_FIXTURE_DIR
std::string source_dir();                     // BERTH_SOURCE_DIR
std::string fixture(const std::string& name); // fixture_dir()/name, failing when it does not exist
std::string image_dir();                      // BERTH_IMAGE_DIR (CTest fixture images.build)
// image_dir()/suite: a debootstrap --variant=minbase root of "bullseye" (Debian 11) or "bookworm"
// (Debian 12), failing when it is not there.
std::string image(const std::string& suite);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
std::vector<std::string> lines(const std::string& text);
// The first word of each entry in the sections of a --help: "Subcommands:", "Positionals:", or
// "Options:" for the options of every group ("Options:", "Rollout (several hosts):").
std::vector<std::string> help_entries(const std::string& help, const std::string& section);
// A fresh directory under /tmp removed by the caller's TempDir destructor.
struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string path;
};

} // namespace berth::test
