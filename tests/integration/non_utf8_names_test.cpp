// File names that are not UTF-8 (any bytes but '/' and NUL are allowed on Linux): text output
// prints them as they are; JSON, whose strings are Unicode, writes the string with U+FFFD for the
// bad bytes and, beside it, KEY_bytes: the exact bytes in base64 (docs/inspect.md). Decoded
// with base64(1), the reference, they give back the name; real ldd prints the same bytes.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace berth::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kBad = "h\xff\xfex"; // not UTF-8

std::string base64_decode(const std::string& text) {
    auto r = run({"base64", "-d"}, text);
    EXPECT_EQ(r.status, 0) << r.err;
    return r.out;
}

// The exact name a JSON object holds under `key`: KEY_bytes when there.
void expect_lossless(const json& obj, const std::string& key, const std::string& want) {
    ASSERT_TRUE(obj.contains(key)) << obj.dump(2);
    ASSERT_TRUE(obj.contains(key + "_bytes")) << key << " in " << obj.dump(2);
    EXPECT_EQ(base64_decode(obj[key + "_bytes"].get<std::string>()), want);
    // The string itself is what a reader that ignores _bytes sees: U+FFFD for each bad byte.
    std::string shown = want;
    for (std::size_t p; (p = shown.find("\xff\xfe")) != std::string::npos;)
        shown.replace(p, 2, "\xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(obj[key].get<std::string>(), shown);
}

json parse(const CommandResult& r) {
    json j;
    EXPECT_NO_THROW(j = json::parse(r.out)) << r.out.substr(0, 500) << r.err;
    return j;
}

} // namespace

TEST(NonUtf8Names, Inspect) {
    TempDir dir;
    const std::string path = dir.path + "/" + kBad;
    fs::copy_file(fixture("go/cgo-off"), path);
    auto text = run({berth_exe(), "inspect", path});
    EXPECT_EQ(text.status, 0) << text.err;
    EXPECT_TRUE(text.out.starts_with(path + "\n")) << text.out.substr(0, 200);
    auto j = parse(run({berth_exe(), "inspect", "--json", path}));
    expect_lossless(j["files"][0], "path", path);
    // A file that cannot be read: the error entry, and the one line on stderr with the bytes.
    auto missing = run({berth_exe(), "inspect", "--json", path + ".gone"});
    EXPECT_EQ(missing.status, 2);
    expect_lossless(parse(missing)["files"][0], "path", path + ".gone");
    EXPECT_TRUE(missing.err.starts_with("berth: " + path + ".gone: ")) << missing.err;
    // A name that is UTF-8 has no _bytes.
    auto plain = parse(run({berth_exe(), "inspect", "--json", fixture("go/cgo-off")}));
    EXPECT_FALSE(plain["files"][0].contains("path_bytes"));
}

TEST(NonUtf8Names, LddAgreesWithLdd) {
    TempDir dir;
    // The $ORIGIN fixture in a directory whose name is not UTF-8: every path under it is not.
    const std::string top = dir.path + "/" + kBad;
    fs::copy(fixture("ldd/origin"), top, fs::copy_options::recursive);
    const std::string app = top + "/bin/app";
    auto ldd = run({"ldd", app});
    ASSERT_EQ(ldd.status, 0) << ldd.err;
    const std::string libone = top + "/bin/../origin-libs/libone.so";
    ASSERT_NE(ldd.out.find("libone.so => " + libone + " "), std::string::npos) << ldd.out;

    auto text = run({berth_exe(), "ldd", "--list", app});
    EXPECT_EQ(text.status, 0) << text.err;
    EXPECT_NE(text.out.find("libone.so => " + libone), std::string::npos) << text.out;

    auto j = parse(run({berth_exe(), "ldd", "--json", app}));
    const json& file = j["files"][0];
    expect_lossless(file, "file", app);
    bool seen = false;
    for (const auto& d : file["needed"])
        if (d["name"] == "libone.so") {
            expect_lossless(d, "path", libone);
            seen = true;
        }
    EXPECT_TRUE(seen) << file.dump(2);
    for (const auto& o : file["loaded"])
        if (o["name"] == "libone.so") expect_lossless(o, "path", libone);
}

TEST(NonUtf8Names, CheckAndUnitLintFindings) {
    TempDir dir;
    const std::string binary = dir.path + "/" + kBad;
    fs::copy_file(fixture("go/cgo-off"), binary);
    auto check = run({berth_exe(), "check", "--json", "--name", "app", binary});
    expect_lossless(parse(check)["results"][0], "subject", binary);

    const std::string unit = dir.path + "/" + kBad + ".service";
    write_file(unit, "[Service]\nExecStart=/bin/true\nBogus=1\n");
    auto lint = run({berth_exe(), "unit", "lint", "--json", unit});
    json result = parse(lint)["results"][0];
    expect_lossless(result, "subject", unit);
    bool located = false;
    for (const auto& f : result["findings"])
        if (f.contains("location")) {
            expect_lossless(f, "location", unit);
            located = true;
        }
    EXPECT_TRUE(located) << result.dump(2);
    auto text = run({berth_exe(), "unit", "lint", unit});
    EXPECT_TRUE(text.out.starts_with(unit + ": ")) << text.out;
}
