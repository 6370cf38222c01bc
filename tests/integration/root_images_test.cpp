// --root on real Debian 11 and 12 images (the images.build fixture): berth ldd --root against
// `chroot IMG ldd`, check --root against running the binary in the chroot, facts --root against
// the image's own glibc, and the same findings whichever way the facts travelled.
#include "test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A directory inside an image for this test's binaries, removed afterwards: the images are
// shared by the tests, so nothing else in them changes.
struct InImage {
    std::string root, dir, in_root; // in_root: the directory as seen inside the image
    explicit InImage(const std::string& image) : root(image) {
        in_root = "/tmp/berth-test-" + std::to_string(::getpid()) + "-" +
                  std::to_string(reinterpret_cast<std::uintptr_t>(this) & 0xffff);
        dir = root + in_root;
        fs::create_directories(dir);
    }
    ~InImage() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    // Copies a file of this machine in; returns its path in the image.
    std::string put(const std::string& from, const std::string& name) {
        fs::copy_file(fs::canonical(from), dir + "/" + name, fs::copy_options::overwrite_existing);
        return in_root + "/" + name;
    }
};

bool is_elf(const std::string& path) {
    std::string head = read_file(path).substr(0, 4);
    return head == "\x7f"
                   "ELF";
}

// ldd's lines without load addresses and the vdso, sorted: what berth ldd --list prints.
std::vector<std::string> normalised_ldd(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.find("linux-vdso.so") != std::string::npos) continue;
        if (auto paren = line.rfind(" (0x"); paren != std::string::npos) line.resize(paren);
        // berth prints the image's files as this machine's names: IMG/lib/... -> /lib/...
        for (std::size_t at;
             !prefix.empty() && (at = line.find(prefix + "/")) != std::string::npos;)
            line.erase(at, prefix.size());
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
}

class RootImage : public ::testing::TestWithParam<const char*> {};

TEST_P(RootImage, LddRootEqualsLddInTheChrootForEveryProgram) {
    const std::string root = image(GetParam());
    int compared = 0;
    for (const auto& dir : {"/usr/bin", "/usr/sbin"}) {
        for (const auto& entry : fs::directory_iterator(root + dir)) {
            if (!entry.is_regular_file() || entry.is_symlink() || !is_elf(entry.path())) continue;
            const std::string inside = dir + std::string("/") + entry.path().filename().string();
            auto ours = run({berth_exe(), "ldd", "--list", "--root", root, entry.path().string()});
            auto theirs = run({"chroot", root, "/usr/bin/ldd", inside});
            SCOPED_TRACE(inside + "\nberth:\n" + ours.out + ours.err + "ldd:\n" + theirs.out +
                         theirs.err);
            if (ours.out.find("statically linked") != std::string::npos) {
                EXPECT_TRUE(theirs.out.find("statically linked") != std::string::npos ||
                            theirs.err.find("not a dynamic executable") != std::string::npos);
                continue;
            }
            EXPECT_EQ(normalised_ldd(ours.out, root), normalised_ldd(theirs.out, ""));
            ++compared;
        }
    }
    EXPECT_GT(compared, 50);
}

INSTANTIATE_TEST_SUITE_P(Debian, RootImage, ::testing::Values("bullseye", "bookworm"));

// A program built on Debian 12 in Debian 11: the loader is an absolute symlink there, the image's
// glibc 2.31 defines up to GLIBC_2.30, and ldd names each version it lacks.
TEST(RootImages, Debian12ProgramsInDebian11AsLddSaysThem) {
    InImage img(image("bullseye"));
    for (const auto& [from, name] : {std::pair{fixture("go/cgo-glibc"), "cgo-glibc"},
                                     std::pair{std::string("/usr/bin/ssh"), "ssh"}}) {
        const std::string inside = img.put(from, name);
        auto ours = run({berth_exe(), "ldd", "--list", "--root", img.root, img.root + inside});
        auto theirs = run({"chroot", img.root, "/usr/bin/ldd", inside});
        SCOPED_TRACE(ours.out + ours.err + "\n--- ldd:\n" + theirs.out + theirs.err);
        EXPECT_EQ(ours.status, 1); // ldd itself says 0: berth says the program would not run
        EXPECT_NE(theirs.out.find("version `GLIBC_2.34' not found"), std::string::npos);
        EXPECT_EQ(normalised_ldd(ours.out, img.root), normalised_ldd(theirs.out, ""));
        auto j =
            json::parse(run({berth_exe(), "ldd", "--json", "--root", img.root, img.root + inside})
                            .out)["files"][0];
        EXPECT_TRUE(j["interpreter_found"].get<bool>());
        EXPECT_FALSE(j["version_errors"].empty());
        EXPECT_EQ(j["version_errors"][0]["provider"], img.root + "/lib/x86_64-linux-gnu/libc.so.6");
    }
}

TEST(RootImages, FactsReportTheImagesGlibcRelease) {
    for (const auto& [suite, release, defines] :
         {std::tuple{"bullseye", "2.31", "2.30"}, std::tuple{"bookworm", "2.36", "2.36"}}) {
        SCOPED_TRACE(suite);
        const std::string root = image(suite);
        auto r = run({berth_exe(), "facts", "--json", "--root", root});
        ASSERT_EQ(r.status, 0) << r.err;
        auto g = json::parse(r.out)["libc"]["glibc"];
        EXPECT_EQ(g["release"], release);
        EXPECT_EQ(g["release_source"], "banner");
        EXPECT_EQ(g["defines_up_to"], defines);
        // The image's own glibc agrees on the release.
        EXPECT_EQ(run({"chroot", root, "getconf", "GNU_LIBC_VERSION"}).out,
                  std::string("glibc ") + release + "\n");
        auto loaders = json::parse(r.out)["libc"]["glibc_loaders"];
        EXPECT_EQ(loaders, json::array({"/lib64/ld-linux-x86-64.so.2"})); // found inside the image
    }
}

// Findings that say a program will not start are exactly those the chroot confirms.
TEST(RootImages, CheckRootRaisesWhatRunningInTheChrootConfirms) {
    const std::set<std::string> blocking = {"B101", "B103", "B104", "B105", "B117", "B119"};
    for (const char* suite : {"bullseye", "bookworm"}) {
        InImage img(image(suite));
        for (const auto& [from, name] : {std::pair{fixture("go/cgo-glibc"), "cgo-glibc"},
                                         std::pair{fixture("go/cgo-off"), "cgo-off"},
                                         std::pair{fixture("go/cgo-musl"), "cgo-musl"},
                                         std::pair{fixture("ldd/static-pie/app"), "static-pie"},
                                         std::pair{std::string("/usr/bin/ssh"), "ssh"}}) {
            const std::string inside = img.put(from, name);
            auto ran = run({"chroot", img.root, inside, "-V"});
            const bool starts =
                ran.status != 127 && ran.status != 126 &&
                ran.err.find("while loading shared libraries") == std::string::npos &&
                ran.err.find("not found") == std::string::npos &&
                ran.err.find("No such file or directory") == std::string::npos;
            auto check =
                run({berth_exe(), "check", "--json", "--root", img.root, img.root + inside});
            ASSERT_NE(check.status, 2) << check.err;
            const json doc = json::parse(check.out);
            std::set<std::string> codes;
            for (const auto& f : doc["results"][0]["findings"])
                if (blocking.count(f["code"].get<std::string>()) && f["severity"] == "error")
                    codes.insert(f["code"].get<std::string>());
            SCOPED_TRACE(std::string(suite) + " " + name + ": chroot run exit " +
                         std::to_string(ran.status) + " " + ran.err + "\nberth: " + check.out);
            EXPECT_EQ(codes.empty(), starts);
        }
    }
}

// The words: needs GLIBC_2.34, the image's glibc 2.31 defines up to GLIBC_2.30.
TEST(RootImages, CheckRootSaysWhatDebian11Lacks) {
    InImage img(image("bullseye"));
    const std::string inside = img.put(fixture("go/cgo-glibc"), "cgo-glibc");
    auto r = run({berth_exe(), "check", "--json", "--root", img.root, img.root + inside});
    auto result = json::parse(r.out)["results"][0];
    std::vector<std::string> titles;
    for (const auto& f : result["findings"])
        if (f["severity"] == "error")
            titles.push_back(f["code"].get<std::string>() + " " + f["title"].get<std::string>());
    EXPECT_EQ(titles, (std::vector<std::string>{
                          "B105 needs GLIBC_2.34, the host's glibc 2.31 defines up to GLIBC_2.30",
                          "H217 systemd is not installed in the image"}))
        << r.out;
    // What only a running host shows is not judged against the machine running berth.
    std::set<std::string> unjudged;
    for (const auto& n : result["not_judged"]) unjudged.insert(n["code"]);
    for (const char* code : {"B101", "H204", "H209", "H210", "H213"})
        EXPECT_TRUE(unjudged.count(code)) << code;
}

// The same binary and image give the same findings from facts collected there (a remote host)
// as from --root; without --libraries the report says what it could not judge.
TEST(RootImages, FactsFileGivesTheSameFindingsAsRoot) {
    InImage img(image("bullseye"));
    for (const auto& [from, name] : {std::pair{fixture("go/cgo-musl"), "cgo-musl"},
                                     std::pair{std::string("/usr/bin/ssh"), "ssh"},
                                     std::pair{fixture("go/cgo-glibc"), "cgo-glibc"}}) {
        const std::string inside = img.put(from, name);
        SCOPED_TRACE(name);
        auto findings = [](const std::string& out) {
            std::set<std::string> s;
            for (const auto& f : json::parse(out)["results"][0]["findings"])
                s.insert(f["code"].get<std::string>() + " " + f["title"].get<std::string>());
            return s;
        };
        auto direct = run({berth_exe(), "check", "--json", "--root", img.root, img.root + inside});
        TempDir tmp;
        const std::string facts_file = tmp.path + "/facts.json";
        auto f = run({berth_exe(), "facts", "--json", "--root", img.root, "--binary", inside,
                      "--libraries", "--name", name});
        ASSERT_EQ(f.status, 0) << f.err;
        write_file(facts_file, f.out);
        auto remote =
            run({berth_exe(), "check", "--json", "--facts", facts_file, from, "--name", name});
        EXPECT_EQ(findings(remote.out), findings(direct.out)) << remote.out << direct.out;
        // Without the library resolution: the loader is still judged from the host's list of
        // loaders; what needs the resolution is said not judged.
        auto bare = run({berth_exe(), "facts", "--json", "--root", img.root, "--name", name});
        write_file(facts_file, bare.out);
        auto partial =
            run({berth_exe(), "check", "--json", "--facts", facts_file, from, "--name", name});
        auto result = json::parse(partial.out)["results"][0];
        std::set<std::string> unjudged;
        for (const auto& n : result["not_judged"]) unjudged.insert(n["code"]);
        EXPECT_TRUE(unjudged.count("B104"));
        if (std::string(name) == "cgo-musl") {
            bool b103 = false;
            for (const auto& x : result["findings"]) b103 = b103 || x["code"] == "B103";
            EXPECT_TRUE(b103) << partial.out;
        }
    }
}

TEST(RootImages, LinksToFilesOnlyThisMachineHasAreNotFound) {
    TempDir tmp;
    const std::string root = tmp.path;
    fs::create_directories(root + "/lib64");
    fs::create_directories(root + "/lib/x86_64-linux-gnu");
    fs::create_directories(root + "/bin");
    fs::copy_file(fs::canonical("/lib64/ld-linux-x86-64.so.2"),
                  root + "/lib64/ld-linux-x86-64.so.2");
    fs::copy_file("/usr/bin/true", root + "/bin/true");
    // An absolute link to this machine's libc: the kernel would follow it out of the image.
    fs::create_symlink(fs::canonical("/lib/x86_64-linux-gnu/libc.so.6"),
                       root + "/lib/x86_64-linux-gnu/libc.so.6");
    ASSERT_FALSE(fs::exists(root + fs::canonical("/lib/x86_64-linux-gnu/libc.so.6").string()));
    auto ours = run({berth_exe(), "ldd", "--list", "--root", root, root + "/bin/true"});
    auto theirs = run({"chroot", root, "/lib64/ld-linux-x86-64.so.2", "--list", "/bin/true"});
    EXPECT_EQ(ours.status, 1) << ours.out;
    EXPECT_NE(ours.out.find("libc.so.6 => not found"), std::string::npos) << ours.out;
    // The real loader in that chroot: "libc.so.6: cannot open shared object file".
    EXPECT_NE((theirs.out + theirs.err).find("libc.so.6"), std::string::npos)
        << theirs.out << theirs.err;
    EXPECT_NE(theirs.status, 0);
}

TEST(RootImages, StaticPieAndLibrariesThatNeedNothing) {
    TempDir empty;
    auto r = run({berth_exe(), "ldd", "--root", empty.path, fixture("ldd/static-pie/app")});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("statically linked"), std::string::npos);
    EXPECT_NE(run({"ldd", fixture("ldd/static-pie/app")}).out.find("statically linked"),
              std::string::npos);
    auto j = json::parse(run({berth_exe(), "ldd", "--json", "/usr/sbin/ldconfig"}).out)["files"][0];
    EXPECT_FALSE(j["dynamic"].get<bool>());
    EXPECT_FALSE(j.contains("interpreter"));
    auto lib = run({berth_exe(), "ldd", "--list", fixture("ldd/static-pie/libnothing.so")});
    EXPECT_EQ(lib.out, "\tstatically linked\n");
    EXPECT_EQ(run({"ldd", fixture("ldd/static-pie/libnothing.so")}).out, "\tstatically linked\n");
}

TEST(RootImages, MuslProgramInAnImageWithoutMusl) {
    const std::string root = image("bullseye");
    auto r = run({berth_exe(), "ldd", "--json", "--root", root, fixture("go/cgo-musl")});
    EXPECT_EQ(r.status, 1);
    auto j = json::parse(r.out)["files"][0];
    EXPECT_FALSE(j["interpreter_found"].get<bool>());
    EXPECT_EQ(j["loaded"].size(), 1u) << j["loaded"]; // only the program: no loader was mapped
    EXPECT_NE(std::find(j["missing"].begin(), j["missing"].end(), "libc.so"), j["missing"].end());
    auto text = run({berth_exe(), "ldd", "--root", root, fixture("go/cgo-musl")}).out;
    EXPECT_NE(text.find("libc.so => not found"), std::string::npos) << text;
}

TEST(RootImages, ARootThatIsNoDirectoryIsAnInputError) {
    for (const auto& cmd : std::vector<std::vector<std::string>>{
             {"ldd", "--root", "/nonexistent/img", "/usr/bin/true"},
             {"check", "--root", "/nonexistent/img", "/usr/bin/true"},
             {"facts", "--root", "/nonexistent/img"}}) {
        std::vector<std::string> argv = {berth_exe()};
        argv.insert(argv.end(), cmd.begin(), cmd.end());
        auto r = run(argv);
        EXPECT_EQ(r.status, 2) << cmd[0] << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("--root /nonexistent/img: No such file or directory"),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST(RootImages, ATruncatedCopyIsSaidSo) {
    TempDir tmp;
    const std::string whole = read_file(fixture("go/cgo-off"));
    write_file(tmp.path + "/half", whole.substr(0, whole.size() / 2));
    auto inspect = run({berth_exe(), "inspect", tmp.path + "/half"});
    EXPECT_EQ(inspect.status, 2) << inspect.out;
    EXPECT_NE(inspect.err.find("cut short: PT_LOAD segment"), std::string::npos) << inspect.err;
    auto check = run({berth_exe(), "check", "--json", tmp.path + "/half"});
    EXPECT_NE(check.out.find("\"B117\""), std::string::npos) << check.out << check.err;
    // Cut right after the loaded part of a C program (its symbol table, section names and
    // section header table lost): a warning, exit 0. (Go puts its section headers first.)
    const std::string c_program = read_file(fixture("ldd/static-pie/app"));
    std::size_t cut = 0;
    std::istringstream headers(run({"readelf", "-lW", fixture("ldd/static-pie/app")}).out);
    for (std::string line; std::getline(headers, line);) {
        std::istringstream words(line);
        std::string type, offset, vaddr, paddr, filesz;
        words >> type >> offset >> vaddr >> paddr >> filesz;
        if (type == "LOAD")
            cut = std::max<std::size_t>(cut, std::stoull(offset, nullptr, 16) +
                                                 std::stoull(filesz, nullptr, 16));
    }
    ASSERT_LT(cut, c_program.size());
    write_file(tmp.path + "/no-sections", c_program.substr(0, cut));
    auto damaged = run({berth_exe(), "inspect", tmp.path + "/no-sections"});
    EXPECT_EQ(damaged.status, 0) << damaged.err;
    EXPECT_NE(damaged.out.find("section header table"), std::string::npos) << damaged.out;
    auto check2 = run({berth_exe(), "check", "--json", tmp.path + "/no-sections"});
    EXPECT_NE(check2.out.find("\"B118\""), std::string::npos) << check2.out;
}

} // namespace
} // namespace berth::test
