// `go version -m` formatting and Go's string quoting, checked against outputs of Go 1.19.8.
#include "gobuild/go_quote.hpp"
#include "gobuild/version_m.hpp"

#include "util/error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace berth::gobuild {
namespace {

TEST(GoVersionM, ModulesReplacementsAndDevel) {
    BuildInfo bi;
    bi.go_version = "go1.19.8";
    bi.path = "example.com/app";
    bi.main = {"example.com/app", "(devel)", "", {}};
    bi.deps.push_back({"example.com/lib", "v1.0.0",
                       "h1:old=", ModuleRef{"example.com/lib", "v1.1.0", "h1:new="}});
    bi.deps.push_back({"example.com/local", "v0.0.0", "", ModuleRef{"../local", "(devel)", ""}});
    bi.deps.push_back({"example.com/plain", "v1.0.0", "h1:p=", {}});
    bi.settings = {{"-compiler", "gc"}, {"CGO_ENABLED", "0"}};
    // As Go prints it: the main module's empty sum leaves a trailing tab, every replacement is
    // followed by an empty (tab-only) line, and the replaced module's own sum is not shown.
    EXPECT_EQ(format_version_m("bin/app", bi), "bin/app: go1.19.8\n"
                                               "\tpath\texample.com/app\n"
                                               "\tmod\texample.com/app\t(devel)\t\n"
                                               "\tdep\texample.com/lib\tv1.0.0\n"
                                               "\t=>\texample.com/lib\tv1.1.0\th1:new=\n"
                                               "\t\n"
                                               "\tdep\texample.com/local\tv0.0.0\n"
                                               "\t=>\t../local\t(devel)\t\n"
                                               "\t\n"
                                               "\tdep\texample.com/plain\tv1.0.0\th1:p=\n"
                                               "\tbuild\t-compiler=gc\n"
                                               "\tbuild\tCGO_ENABLED=0\n");
}

TEST(GoVersionM, VersionOnlyWithoutModuleInfo) {
    BuildInfo bi;
    bi.go_version = "go1.12";
    EXPECT_EQ(format_version_m("/usr/bin/x", bi), "/usr/bin/x: go1.12\n");
    bi.main.replace = ModuleRef{"r", "v", ""}; // a replaced main module still counts
    EXPECT_EQ(format_version_m("x", bi), "x: go1.12\n\tmod\t\t\n\t=>\tr\tv\t\n\t\n");
}

TEST(GoVersionM, SettingsQuotedLikeGo) {
    BuildInfo bi;
    bi.go_version = "go1.19.8";
    bi.settings = {{"-ldflags", "-X main.version=1.2.3"},
                   {"-gcflags", "all=-N"},
                   {"k=v", "x"},
                   {"", "empty key"},
                   {"tab", "a\tb"},
                   {"nl", "a\nb"},
                   {"q", "say \"hi\""},
                   {"bq", "`x`"},
                   {"cr", "a\rb"},
                   {"bs", "a\\b c"},
                   {"ctl", "\x01 \x7f"},
                   {"utf8", "é ü"},
                   {"soft", "a\xc2\xad b"},
                   {"bad", "\xff x"},
                   {"astral", "\xf0\x9f\x98\x80 \xf3\xa0\x80\x81"}};
    EXPECT_EQ(format_modinfo(bi), "build\t-ldflags=\"-X main.version=1.2.3\"\n"
                                  "build\t-gcflags=all=-N\n"
                                  "build\t\"k=v\"=x\n"
                                  "build\t\"\"=\"empty key\"\n"
                                  "build\ttab=\"a\\tb\"\n"
                                  "build\tnl=\"a\\nb\"\n"
                                  "build\tq=\"say \\\"hi\\\"\"\n"
                                  "build\tbq=\"`x`\"\n"
                                  "build\tcr=\"a\\rb\"\n"
                                  "build\tbs=\"a\\\\b c\"\n"
                                  "build\tctl=\"\\x01 \\x7f\"\n"
                                  "build\tutf8=\"é ü\"\n"
                                  "build\tsoft=\"a\\u00ad b\"\n"
                                  "build\tbad=\"\\xff x\"\n"
                                  "build\tastral=\"\xf0\x9f\x98\x80 \\U000e0001\"\n");
    // What is written is read back unchanged.
    BuildInfo back;
    parse_modinfo(format_modinfo(bi), back);
    ASSERT_EQ(back.settings.size(), bi.settings.size());
    for (std::size_t i = 0; i < bi.settings.size(); ++i) {
        EXPECT_EQ(back.settings[i].key, bi.settings[i].key);
        EXPECT_EQ(back.settings[i].value, bi.settings[i].value);
    }
    // A raw invalid byte inside a quoted literal reads back as U+FFFD, as in Go.
    BuildInfo raw;
    parse_modinfo("build\tx=\"\xff x\"\n", raw);
    ASSERT_EQ(raw.settings.size(), 1u);
    EXPECT_EQ(raw.settings[0].value, "\xef\xbf\xbd x");
}

TEST(GoQuote, QuoteAndUnquote) {
    EXPECT_EQ(go_quote(""), "\"\"");
    EXPECT_EQ(go_quote("\a\b\f\v\x1b"), "\"\\a\\b\\f\\v\\x1b\"");
    EXPECT_EQ(go_quote("\xe2\x80\xa8"), "\"\\u2028\"");         // line separator: not printable
    EXPECT_EQ(go_quote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\""); // a surrogate is invalid UTF-8
    EXPECT_EQ(go_unquote("\"a\\x41\\101\\u00e9\\U0001F600\\\\\\\"\""),
              "aAA\xc3\xa9\xf0\x9f\x98\x80\\\"");
    EXPECT_EQ(go_unquote("`a\r\nb`"), "a\nb");
    EXPECT_EQ(go_unquote("\"abc\"x"), std::nullopt);
    EXPECT_EQ(go_unquote("\"\\'\""), std::nullopt);
    EXPECT_EQ(go_unquote("\"\\uD800\""), std::nullopt);
    EXPECT_EQ(go_unquote("\"\\400\""), std::nullopt);
    EXPECT_EQ(go_unquote("\"a\nb\""), std::nullopt);
    EXPECT_EQ(go_unquote("\"\\x4\""), std::nullopt);
    EXPECT_EQ(go_unquote("\""), std::nullopt);
    EXPECT_EQ(go_unquote("'a'"), std::nullopt);
    EXPECT_EQ(go_quoted_prefix("\"a\\\"b\"=c"), 6u);
    EXPECT_EQ(go_quoted_prefix("`a`=c"), 3u);
    EXPECT_EQ(go_quoted_prefix("\"abc"), std::nullopt);
}

TEST(GoQuote, PrintableRunes) {
    EXPECT_TRUE(go_is_print(' '));
    EXPECT_FALSE(go_is_print('\t'));
    EXPECT_FALSE(go_is_print(0x7f));
    EXPECT_FALSE(go_is_print(0xa0)); // no-break space is not printable for Go
    EXPECT_TRUE(go_is_print(0xe9));
    EXPECT_FALSE(go_is_print(0xad));
    EXPECT_TRUE(go_is_print(0x4e2d));  // 中
    EXPECT_FALSE(go_is_print(0x3000)); // ideographic space
    EXPECT_TRUE(go_is_print(0x1f600));
    EXPECT_FALSE(go_is_print(0x10ffff));
}

} // namespace
} // namespace berth::gobuild
