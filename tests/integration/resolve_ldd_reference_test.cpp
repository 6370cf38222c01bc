// berth ldd against the real loader: for every dynamically linked x86-64 glibc program and
// library in /usr/bin, /usr/sbin and the test fixtures, the set of files berth resolves (and the
// set of names it cannot find) equals what `ldd` (ld.so --list) prints.
//
// Paths are compared as printed: ld.so prints the path it built (search directory + name, no
// symlinks resolved), and so does berth. ldd is given the symlink-resolved file: ld.so --list
// takes $ORIGIN from the path it is given, while a program that is executed gets $ORIGIN from
// /proc/self/exe (symlinks resolved), and berth answers for the executed program. The two only
// differ for symlinked programs with $ORIGIN in their search paths (java, llvm tools).
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace berth::test {
namespace {

namespace fs = std::filesystem;

struct Answer {
    std::set<std::string> paths;   // every mapped file but the program itself
    std::set<std::string> missing; // needed names not found
    bool no_needed = false;
};

// ldd's lines: "name => path (addr)", "name => not found", "/path (addr)", "linux-vdso.so.1
// (addr)".
Answer parse_ldd(const std::string& text) {
    Answer a;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string first, arrow, target;
        words >> first >> arrow >> target;
        if (arrow == "=>") {
            if (target == "not")
                a.missing.insert(first);
            else if (!target.empty() && target[0] == '/')
                a.paths.insert(target);
        } else if (!first.empty() && first[0] == '/') {
            a.paths.insert(first);
        }
    }
    return a;
}

std::vector<std::string> candidate_files() {
    std::vector<std::string> files;
    auto add_dir = [&](const fs::path& dir, bool recursive) {
        std::error_code ec;
        auto consider = [&](const fs::directory_entry& e) {
            std::error_code ec2;
            if (!e.is_regular_file(ec2)) return; // follows symlinks
            std::string magic = read_file(e.path().string()).substr(0, 4);
            if (magic == "\x7f"
                         "ELF")
                files.push_back(e.path().string());
        };
        if (recursive) {
            for (const auto& e : fs::recursive_directory_iterator(dir, ec)) consider(e);
        } else {
            for (const auto& e : fs::directory_iterator(dir, ec)) consider(e);
        }
    };
    add_dir("/usr/bin", false);
    add_dir("/usr/sbin", false);
    add_dir(fixture_dir(), true);
    return files;
}

TEST(ResolveLddReference, SameFilesAsLdd) {
    std::vector<std::string> files = candidate_files();
    ASSERT_GT(files.size(), 100u);
    TempDir tmp;
    std::string list = tmp.path + "/files";
    {
        std::string text;
        for (const auto& f : files) text += f + "\n";
        write_file(list, text);
    }
    // One berth run for all files (the batch mode under test), JSON out.
    auto berth = sh("xargs -d '\\n' " + berth_exe() + " ldd --json < " + list + " 2>/dev/null");
    nlohmann::json doc = nlohmann::json::parse(berth.out);
    ASSERT_EQ(doc["schema"], "berth.ldd/1");
    std::map<std::string, Answer> ours;
    for (const auto& f : doc["files"]) {
        if (!f["dynamic"].get<bool>() || f["loader"] != "glibc") continue;
        if (f["interpreter"] != "/lib64/ld-linux-x86-64.so.2") continue; // x86-64 glibc only
        Answer a;
        // ld.so --list says only "statically linked" for an object without DT_NEEDED.
        a.no_needed = f["needed"].empty();
        for (const auto& o : f["loaded"]) a.paths.insert(o["path"].get<std::string>());
        a.paths.erase(f["file"].get<std::string>());
        for (const auto& m : f["missing"]) a.missing.insert(m.get<std::string>());
        ours[f["file"].get<std::string>()] = a;
    }
    ASSERT_GT(ours.size(), 100u);

    // The reference: ldd over the same files, one shell loop.
    std::string script = tmp.path + "/run-ldd.sh";
    write_file(script, "unset LD_LIBRARY_PATH LD_PRELOAD\n"
                       "while IFS= read -r f; do printf '@@@ %s\\n' \"$f\"; "
                       "ldd \"$(readlink -f \"$f\")\" 2>&1; done\n");
    std::string wanted;
    for (const auto& [file, a] : ours) wanted += file + "\n";
    write_file(list, wanted);
    auto ldd = sh("sh " + script + " < " + list);
    std::map<std::string, std::string> ldd_out;
    std::string current;
    std::istringstream in(ldd.out);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("@@@ ", 0) == 0) {
            current = line.substr(4);
            ldd_out[current];
        } else {
            ldd_out[current] += line + "\n";
        }
    }
    int compared = 0, hwcaps_seen = 0;
    for (const auto& [file, a] : ours) {
        SCOPED_TRACE(file);
        ASSERT_TRUE(ldd_out.count(file));
        Answer ref = parse_ldd(ldd_out[file]);
        if (a.no_needed) {
            EXPECT_NE(ldd_out[file].find("statically linked"), std::string::npos) << ldd_out[file];
            ++compared;
            continue;
        }
        EXPECT_FALSE(ref.paths.empty()) << "ldd printed nothing usable:\n" << ldd_out[file];
        EXPECT_EQ(a.paths, ref.paths) << "ldd said:\n" << ldd_out[file];
        EXPECT_EQ(a.missing, ref.missing) << "ldd said:\n" << ldd_out[file];
        for (const auto& p : ref.paths)
            hwcaps_seen += p.find("/glibc-hwcaps/") != std::string::npos;
        ++compared;
    }
    EXPECT_GT(compared, 500);
    EXPECT_GE(hwcaps_seen, 1) << "the hwcaps fixture should have been compared";
}

} // namespace
} // namespace berth::test
