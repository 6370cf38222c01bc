// The function names read from .gopclntab equal what `go tool nm` lists as text symbols, on
// every Go fixture: stripped ones (where nm has nothing to read) are compared with the
// unstripped build of the same program.
//
// The exact equivalence, found on Go 1.19 binaries:
//  - nm lists ELF symbols, so it also has markers that are not functions (runtime.text,
//    runtime.etext) and host-object section symbols ("net(.text)"): dropped.
//  - nm shows the ABI suffix of assembly functions ("crypto/aes.encryptBlockAsm.abi0"); the
//    table stores the plain name: the suffix is dropped.
//  - The table abbreviates generic instantiations: everything from the first '[' to the last ']'
//    becomes "[...]" (cmd/link/internal/ld/pcln.go), so several nm names map to one table name.
//  - The table writes the compiler's middle dot ("type..eq.net.dialResult·1") where the ELF
//    symbol has '.'.
//  - C functions (cgo, the race runtime) are in nm; they are in the table only with internal
//    linking: names that are C identifiers (optionally with gcc's .cold/.part.N/.localalias
//    suffixes), unnamed symbols and mapping symbols ($x, $d) are compared on neither side.
#include "pclntab_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace berth::test {
namespace {

bool is_c_symbol(const std::string& name) {
    // Unnamed symbols and the ARM/AArch64/RISC-V mapping symbols ($x, $d) are not functions.
    if (name.empty() || name[0] == '$') return true;
    std::size_t dot = name.find('.');
    std::string head = name.substr(0, dot);
    if (head.empty()) return false;
    for (char c : head)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    while (dot != std::string::npos) {
        std::size_t next = name.find('.', dot + 1);
        std::string part = name.substr(dot + 1, next == std::string::npos ? next : next - dot - 1);
        bool digits = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
        if (!digits && part != "cold" && part != "part" && part != "isra" && part != "constprop" &&
            part != "lto_priv" && part != "localalias")
            return false;
        dot = next;
    }
    return true;
}

std::string normalize_nm(std::string name) {
    if (name.ends_with(".abi0")) name.resize(name.size() - 5);
    std::size_t open = name.find('['), close = name.rfind(']');
    if (open != std::string::npos && close != std::string::npos && close > open)
        name = name.substr(0, open) + "[...]" + name.substr(close + 1);
    return name;
}

std::string normalize_table(std::string name) {
    const std::string dot = "\xc2\xb7"; // U+00B7 MIDDLE DOT
    for (std::size_t at; (at = name.find(dot)) != std::string::npos;) name.replace(at, 2, ".");
    return name;
}

// Text symbols (T/t) of `go tool nm`, normalized; empty when nm fails (stripped binary).
std::set<std::string> nm_functions(const std::string& path, int* status) {
    auto r = run({"go", "tool", "nm", path});
    *status = r.status;
    std::set<std::string> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        // "  4013e0 T name with spaces"
        std::size_t start = line.find_first_not_of(' ');
        std::size_t sp = line.find(' ', start);
        if (sp == std::string::npos || sp + 3 > line.size()) continue;
        char code = line[sp + 1];
        if ((code != 'T' && code != 't') || line[sp + 2] != ' ') continue;
        std::string name = line.substr(sp + 3);
        if (name == "runtime.text" || name == "runtime.etext" ||
            name.find("(.text") != std::string::npos || is_c_symbol(name))
            continue;
        out.insert(normalize_nm(name));
    }
    return out;
}

std::set<std::string> table_functions(const std::string& path) {
    std::set<std::string> out;
    for (const auto& n : read_table(path).names)
        if (!is_c_symbol(n)) out.insert(normalize_table(n));
    return out;
}

std::string difference(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::string out;
    int shown = 0;
    for (const auto& n : a)
        if (!b.count(n) && shown++ < 10) out += "  " + n + "\n";
    return out;
}

void expect_same_functions(const std::string& binary, const std::string& reference) {
    SCOPED_TRACE(binary + " against nm of " + reference);
    int status = 0;
    auto expected = nm_functions(reference, &status);
    ASSERT_EQ(status, 0) << "go tool nm failed on " << reference;
    ASSERT_GT(expected.size(), 1000u);
    std::set<std::string> actual;
    ASSERT_NO_THROW(actual = table_functions(binary));
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_TRUE(actual == expected) << "only in nm:\n"
                                    << difference(expected, actual) << "only in the table:\n"
                                    << difference(actual, expected);
}

// graceful-amd64-stripped, graceful-amd64-noshdr -> graceful-amd64; x-pie-stripped -> x-pie.
std::string unstripped_of(std::string name) {
    for (std::string suffix : {"-stripped", "-noshdr"})
        if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
    return name;
}

TEST(PclntabNm, CNamesAreToldApartFromGoNames) {
    EXPECT_TRUE(is_c_symbol("x_cgo_init"));
    EXPECT_TRUE(is_c_symbol("x_cgo_munmap.cold"));
    EXPECT_TRUE(is_c_symbol("foo.part.0"));
    EXPECT_TRUE(is_c_symbol("frexpl.localalias"));
    EXPECT_TRUE(is_c_symbol("$x"));
    EXPECT_FALSE(is_c_symbol("main.main"));
    EXPECT_FALSE(is_c_symbol("net._C2func_getaddrinfo"));
    EXPECT_FALSE(is_c_symbol("type..eq.[2]interface {}"));
    EXPECT_EQ(normalize_nm("crypto/aes.encryptBlockAsm.abi0"), "crypto/aes.encryptBlockAsm");
    EXPECT_EQ(normalize_nm("type..eq.struct { a [4]uint8; b [9]unsafe.Pointer }"),
              "type..eq.struct { a [...]unsafe.Pointer }");
}

TEST(PclntabNm, EveryGoFeatureFixtureMatchesGoToolNm) {
    auto fixtures = go_feature_fixtures();
    ASSERT_GE(fixtures.size(), 50u) << "go-features fixtures missing";
    std::set<std::string> all(fixtures.begin(), fixtures.end());
    for (const auto& name : fixtures) {
        std::string ref = unstripped_of(name);
        ASSERT_TRUE(all.count(ref)) << name << " has no unstripped build " << ref;
        expect_same_functions(fixture("go-features/" + name), fixture("go-features/" + ref));
    }
}

TEST(PclntabNm, StrippedFixturesHaveNoSymbolsForNm) {
    // The reason the table matters: after -s -w, nm has nothing, the table has everything.
    int status = 0;
    auto syms = nm_functions(fixture("go-features/graceful-amd64-stripped"), &status);
    EXPECT_TRUE(status != 0 || syms.empty());
    EXPECT_GT(read_table(fixture("go-features/graceful-amd64-stripped")).names.size(), 1000u);
}

// `--symbols` prints the table's spelling, and --help says how it differs from nm's: each
// difference it names is checked on a real binary against nm's own output.
TEST(PclntabNm, SymbolsSpellNamesAsTheTableAndHelpSaysSo) {
    auto help = run({berth_exe(), "inspect", "--help"});
    EXPECT_EQ(help.status, 0);
    for (const char* said : {"go tool nm", "[...]", "\xc2\xb7", ".abi0", "docs/inspect.md"})
        EXPECT_NE(help.out.find(said), std::string::npos) << said << " not in:\n" << help.out;

    std::string path = fixture("go-features/graceful-amd64");
    auto symbols = run({berth_exe(), "inspect", "--symbols", path});
    ASSERT_EQ(symbols.status, 0) << symbols.err;
    auto nm = run({"go", "tool", "nm", path});
    ASSERT_EQ(nm.status, 0) << nm.err;
    auto has_line = [](const std::string& text, const std::string& line) {
        return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
    };
    auto nm_has = [&](const std::string& name) {
        return nm.out.find(" " + name + "\n") != std::string::npos;
    };
    // Generic instantiations: [...] in the table, the type arguments in nm.
    EXPECT_TRUE(has_line(symbols.out, "crypto/elliptic.(*nistCurve[...]).Add"));
    EXPECT_TRUE(nm_has("crypto/elliptic.(*nistCurve[*crypto/internal/nistec.P224Point]).Add"));
    EXPECT_FALSE(nm_has("crypto/elliptic.(*nistCurve[...]).Add"));
    // The middle dot in the table, '.' in nm.
    EXPECT_TRUE(has_line(symbols.out, "type..eq.net.dialResult\xc2\xb7"
                                      "1"));
    EXPECT_TRUE(nm_has("type..eq.net.dialResult.1"));
    // nm's ABI suffix on assembly functions, none in the table.
    EXPECT_TRUE(has_line(symbols.out, "crypto/aes.encryptBlockAsm"));
    EXPECT_TRUE(nm_has("crypto/aes.encryptBlockAsm.abi0"));
    EXPECT_EQ(symbols.out.find(".abi0\n"), std::string::npos);
}

TEST(PclntabNm, BuildInfoFixturesMatchGoToolNmWhenPresent) {
    // OUT/go/ belongs to the build-info fixtures (tests/fixtures/build-go.sh); compare every
    // Go binary there that nm can read.
    std::filesystem::path dir = fixture_dir() + "/go";
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
        if (!e.is_regular_file()) continue;
        std::string path = e.path().string();
        auto head = read_file(path).substr(0, 4);
        if (head != "\x7f"
                    "ELF")
            continue;
        int status = 0;
        auto expected = nm_functions(path, &status);
        if (status != 0 || expected.size() < 100) continue; // stripped or not Go
        SCOPED_TRACE(path);
        std::set<std::string> actual;
        ASSERT_NO_THROW(actual = table_functions(path));
        EXPECT_TRUE(actual == expected) << "only in nm:\n"
                                        << difference(expected, actual) << "only in the table:\n"
                                        << difference(actual, expected);
    }
}

} // namespace
} // namespace berth::test
