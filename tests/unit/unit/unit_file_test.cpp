#include "unit/unit_file.hpp"
#include "unit/unit_model.hpp"
#include "util/error.hpp"

#include "test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>

using namespace berth::unit;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_unit("x.service", text);
    } catch (const berth::InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(UnitFile, SectionsCommentsAndRepeatedKeys) {
    std::string text = "# top comment\n[Unit]\nDescription = Shop  \n; other comment\n"
                       "[Service]\nEnvironment=A=1\nEnvironment=B=2\nExecStart=/bin/x %n \"a b\"\n";
    UnitFile f = parse_unit("x.service", text);
    ASSERT_EQ(f.sections.size(), 2u);
    EXPECT_EQ(f.sections[1].name, "Service");
    EXPECT_EQ(f.sections[1].line, 5);
    ASSERT_EQ(f.assignments.size(), 4u);
    EXPECT_EQ(f.assignments[0].key, "Description");
    EXPECT_EQ(f.assignments[0].value, "Shop");
    EXPECT_EQ(f.assignments[2].value, "B=2");
    EXPECT_EQ(f.assignments[3].value, "/bin/x %n \"a b\""); // specifiers and quotes verbatim
    EXPECT_EQ(f.assignments[3].line, 8);
    EXPECT_EQ(write_unit(f), text);
}

TEST(UnitFile, ContinuationSkipsCommentLines) {
    std::string text =
        "[Service]\nExecStart=/bin/x \\\n# comment inside\n  --flag \\\n  arg\nUser=a\n";
    UnitFile f = parse_unit("x.service", text);
    ASSERT_EQ(f.assignments.size(), 2u);
    EXPECT_EQ(f.assignments[0].value, "/bin/x    --flag    arg");
    EXPECT_EQ(f.assignments[0].line, 2);
    EXPECT_EQ(f.assignments[1].line, 6);
    EXPECT_EQ(write_unit(f), text);
}

TEST(UnitFile, RoundTripOddBytes) {
    for (std::string text :
         {std::string("\xEF\xBB\xBF[Unit]\r\nDescription=x\r\n"),
          std::string("[Unit]\nDescription=no final newline"), std::string(""),
          std::string("\n\n\t \n"), std::string("[Unit]\rDescription=old mac\r")}) {
        UnitFile f = parse_unit("x.service", text);
        EXPECT_EQ(write_unit(f), text);
    }
    UnitFile bom = parse_unit("x.service", "\xEF\xBB\xBF[Unit]\r\nDescription=x\r\n");
    ASSERT_EQ(bom.assignments.size(), 1u);
    EXPECT_EQ(bom.assignments[0].value, "x");
}

TEST(UnitFile, IgnoredLinesBecomeNotes) {
    UnitFile f = parse_unit("x.service", "Orphan=1\n[Service]\nNoEquals\nExecStart=/bin/x\n");
    ASSERT_EQ(f.notes.size(), 2u);
    EXPECT_EQ(f.notes[0].line, 1);
    EXPECT_EQ(f.notes[1].line, 3);
    EXPECT_EQ(f.assignments.size(), 1u);
}

TEST(UnitFile, ErrorsNameFileAndLine) {
    EXPECT_EQ(error_of("[Unit]\n[Service\n").rfind("x.service:2: invalid section header", 0), 0u);
    EXPECT_EQ(error_of("[Unit]\nDescription=\xff\xfe\n").rfind("x.service:2: invalid UTF-8", 0),
              0u);
    EXPECT_EQ(error_of("[Unit]\nDescription=\xc0\x80\n").rfind("x.service:2:", 0), 0u); // overlong
    EXPECT_EQ(error_of(std::string("[Unit]\nA=\0b\n", 11)).rfind("x.service:2: NUL byte", 0), 0u);
    EXPECT_EQ(error_of("[Service]\nExecStart=/bin/x \\\n")
                  .rfind("x.service:2: line ends with a "
                         "backslash",
                         0),
              0u);
    std::string huge = "[Unit]\nDescription=" + std::string(100 * 1024 * 1024, 'a') + "\n";
    EXPECT_EQ(error_of(huge).rfind("x.service:2: line is", 0), 0u);
    std::string grows = "[Unit]\nDescription=";
    for (int i = 0; i < 3; ++i) grows += std::string(600 * 1024, 'a') + "\\\n";
    grows += "end\n";
    EXPECT_EQ(error_of(grows).rfind("x.service:2: continued line grows", 0), 0u);
}

TEST(UnitModel, ListResetAndLast) {
    Unit u =
        make_unit("a.service", {parse_unit("a.service", "[Service]\nEnvironment=A=1\nEnvironment=\n"
                                                        "Environment=B=2\nUser=x\nUser=y\n")});
    auto env = u.list("Service", "Environment");
    ASSERT_EQ(env.size(), 1u);
    EXPECT_EQ(env[0].value, "B=2");
    EXPECT_EQ(u.last("Service", "User")->value, "y");
    EXPECT_FALSE(u.last("Service", "Group"));
}

TEST(UnitModel, DropinsInSystemdOrder) {
    berth::test::TempDir dir;
    namespace fs = std::filesystem;
    std::string base = dir.path + "/foo-bar@x.service";
    berth::test::write_file(base, "[Service]\nExecStart=/bin/a\nUser=main\n");
    fs::create_directories(dir.path + "/foo-bar@x.service.d");
    fs::create_directories(dir.path + "/foo-bar@.service.d");
    fs::create_directories(dir.path + "/foo-.service.d");
    fs::create_directories(dir.path + "/service.d");
    berth::test::write_file(dir.path + "/service.d/10-all.conf", "[Service]\nUser=type\n");
    berth::test::write_file(dir.path + "/foo-.service.d/20-prefix.conf",
                            "[Service]\nUser=prefix\n");
    berth::test::write_file(dir.path + "/foo-bar@.service.d/30-t.conf",
                            "[Service]\nUser=template\n");
    // Same name in a more specific directory replaces the template's file.
    berth::test::write_file(dir.path + "/foo-bar@x.service.d/30-t.conf", "[Service]\nUser=inst\n");
    berth::test::write_file(dir.path + "/foo-bar@x.service.d/05-early.conf", "[Service]\nNice=1\n");
    berth::test::write_file(dir.path + "/foo-bar@x.service.d/notconf.txt", "[Service]\nUser=no\n");
    auto dropins = find_dropins(base);
    ASSERT_EQ(dropins.size(), 4u);
    EXPECT_NE(dropins[0].find("05-early.conf"), std::string::npos);
    EXPECT_NE(dropins[3].find("foo-bar@x.service.d/30-t.conf"), std::string::npos);
    Unit u = load_unit(base);
    EXPECT_EQ(u.last("Service", "User")->value, "inst");
    EXPECT_EQ(u.files.size(), 5u);
}
