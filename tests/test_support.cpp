#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace berth::test {

namespace {

// The environment wins; otherwise the path CMake compiled in; otherwise the test fails.
std::string env_path(const char* name, const char* built_in) {
    const char* v = std::getenv(name);
    if (v && *v) return v;
    if (built_in && *built_in) return built_in;
    ADD_FAILURE() << name << " is not set and no default was compiled in";
    return {};
}

#ifndef BERTH_EXE_PATH
#define BERTH_EXE_PATH ""
#endif
#ifndef BERTH_FIXTURE_DIR_PATH
#define BERTH_FIXTURE_DIR_PATH ""
#endif
#ifndef BERTH_IMAGE_DIR_PATH
#define BERTH_IMAGE_DIR_PATH ""
#endif
#ifndef BERTH_SOURCE_DIR_PATH
#define BERTH_SOURCE_DIR_PATH ""
#endif

} // namespace

CommandResult run(const std::vector<std::string>& argv, const std::string& stdin_text) {
    // stdout and stderr go to temporary files: no pipe deadlock on large outputs.
    TempDir tmp;
    std::string out_path = tmp.path + "/out", err_path = tmp.path + "/err",
                in_path = tmp.path + "/in";
    write_file(in_path, stdin_text);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    CommandResult result;
    int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        result.err = "cannot run " + argv[0];
        return result;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

CommandResult sh(const std::string& command_line) {
    return run({"/bin/sh", "-c", command_line});
}

std::string berth_exe() {
    return env_path("BERTH_EXE", BERTH_EXE_PATH);
}
std::string fixture_dir() {
    return env_path("BERTH_FIXTURE_DIR", BERTH_FIXTURE_DIR_PATH);
}
std::string source_dir() {
    return env_path("BERTH_SOURCE_DIR", BERTH_SOURCE_DIR_PATH);
}

std::string fixture(const std::string& name) {
    std::string p = fixture_dir() + "/" + name;
    if (!std::filesystem::exists(p)) ADD_FAILURE() << "fixture missing: " << p;
    return p;
}

std::string image_dir() {
    return env_path("BERTH_IMAGE_DIR", BERTH_IMAGE_DIR_PATH);
}

std::string image(const std::string& suite) {
    std::string p = image_dir() + "/" + suite;
    if (!std::filesystem::exists(p + "/.berth-image")) ADD_FAILURE() << "image missing: " << p;
    return p;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::vector<std::string> help_entries(const std::string& help, const std::string& section) {
    std::vector<std::string> out;
    std::string in; // the section the line is in
    for (const auto& l : lines(help)) {
        if (!l.empty() && l[0] != ' ') {
            in = l.ends_with(":") ? l : "";
            continue;
        }
        // An entry starts two spaces in; a wrapped description further in.
        if (in.empty() || l.size() < 3 || l[2] == ' ') continue;
        const bool option = l[2] == '-';
        const bool wanted = section == "Options:"
                                ? option && in != "Positionals:" && in != "Subcommands:"
                                : in == section;
        if (!wanted) continue;
        std::istringstream w(l);
        std::string name;
        w >> name;
        out.push_back(name);
    }
    return out;
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "berth-test-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (!p) ADD_FAILURE() << "mkdtemp failed";
    path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

} // namespace berth::test
