// Program facts on the real go-features fixtures: each fixture's program uses a known set of
// features, and every other fact must be absent, so each fact is asserted both ways (and the
// stripped, PIE, header-less, arm64, s390x, 386 and arm builds give the same answers).
// Also: damaged function tables in real binaries give InputError, never a crash.
#include "gobuild/program_facts.hpp"
#include "pclntab_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace berth::test {
namespace {

using gobuild::ProgramFacts;
using FactSet = std::set<std::string>;

const std::map<std::string, gobuild::Fact ProgramFacts::*>& all_facts() {
    static const std::map<std::string, gobuild::Fact ProgramFacts::*> kFacts = {
        {"signal_handling", &ProgramFacts::signal_handling},
        {"http_shutdown", &ProgramFacts::http_shutdown},
        {"graceful_shutdown", &ProgramFacts::graceful_shutdown},
        {"http_server", &ProgramFacts::http_server},
        {"tls_client", &ProgramFacts::tls_client},
        {"tls_server", &ProgramFacts::tls_server},
        {"pprof", &ProgramFacts::pprof},
        {"expvar", &ProgramFacts::expvar},
        {"timezone_loading", &ProgramFacts::timezone_loading},
        {"tzdata_embedded", &ProgramFacts::tzdata_embedded},
        {"cgo_resolver", &ProgramFacts::cgo_resolver},
        {"go_resolver", &ProgramFacts::go_resolver},
        {"os_user_cgo", &ProgramFacts::os_user_cgo},
        {"prometheus", &ProgramFacts::prometheus},
        {"sd_notify", &ProgramFacts::sd_notify},
        {"race", &ProgramFacts::race},
    };
    return kFacts;
}

// What each program in build-go-features.sh does. Programs that use the network get the pure Go
// resolver always and the cgo one when built with cgo (amd64 without netgo / CGO_ENABLED=0).
struct Program {
    FactSet facts;
    bool uses_net;
};

const std::map<std::string, Program>& programs() {
    static const std::map<std::string, Program> kPrograms = {
        {"plain", {{}, false}},
        {"httpserver", {{"http_server"}, true}},
        {"graceful",
         {{"http_server", "signal_handling", "http_shutdown", "graceful_shutdown"}, true}},
        {"notifyctx", {{"signal_handling", "graceful_shutdown"}, false}},
        {"pprof", {{"http_server", "pprof"}, true}},
        {"expvar", {{"http_server", "expvar"}, true}},
        {"tlsclient", {{"tls_client"}, true}},
        {"tlsserver", {{"tls_server"}, true}},
        {"tz", {{"timezone_loading"}, false}},
        {"tzdata", {{"timezone_loading", "tzdata_embedded"}, false}},
        {"resolver", {{}, true}},
        {"osuser", {{"os_user_cgo"}, false}},
        {"prometheus", {{"http_server", "prometheus"}, true}},
        {"sdnotify", {{"sd_notify"}, true}},
        {"race", {{"race"}, false}},
    };
    return kPrograms;
}

FactSet expected_facts(const std::string& fixture) {
    // <program>-<arch>[-variant...]
    std::string program = fixture.substr(0, fixture.find('-'));
    std::string rest = fixture.substr(program.size());
    auto it = programs().find(program);
    if (it == programs().end()) {
        ADD_FAILURE() << "unknown fixture program " << fixture;
        return {};
    }
    FactSet facts = it->second.facts;
    bool cgo = rest.starts_with("-amd64") && rest.find("-nocgo") == std::string::npos &&
               rest.find("-netgo") == std::string::npos;
    if (it->second.uses_net) {
        facts.insert("go_resolver");
        if (cgo) facts.insert("cgo_resolver");
    }
    if (program == "osuser" && !cgo) facts.erase("os_user_cgo");
    return facts;
}

TEST(PclntabFacts, EveryFixtureHasExactlyItsProgramsFacts) {
    auto fixtures = go_feature_fixtures();
    ASSERT_GE(fixtures.size(), 50u);
    std::map<std::string, int> seen_present, seen_absent;
    for (const auto& name : fixtures) {
        SCOPED_TRACE(name);
        ProgramFacts facts;
        ASSERT_NO_THROW(
            facts = gobuild::derive_program_facts(read_table(fixture("go-features/" + name))));
        FactSet want = expected_facts(name);
        for (const auto& [fact, member] : all_facts()) {
            const gobuild::Fact& f = facts.*member;
            EXPECT_EQ(f.present, want.count(fact) == 1) << fact;
            if (f.present) {
                EXPECT_FALSE(f.evidence.empty()) << fact;
                ++seen_present[fact];
            } else {
                ++seen_absent[fact];
            }
            EXPECT_LE(f.evidence.size(), gobuild::kMaxEvidence) << fact;
        }
    }
    // Both ways, on real binaries, for every fact.
    for (const auto& [fact, member] : all_facts()) {
        EXPECT_GE(seen_present[fact], 2) << fact << " never present (stripped and unstripped)";
        EXPECT_GE(seen_absent[fact], 2) << fact << " never absent";
    }
}

TEST(PclntabFacts, EvidenceNamesTheDecisiveFunctions) {
    auto facts =
        gobuild::derive_program_facts(read_table(fixture("go-features/graceful-amd64-stripped")));
    EXPECT_EQ(facts.graceful_shutdown.evidence,
              (std::vector<std::string>{"os/signal.Notify", "net/http.(*Server).Shutdown"}));
    auto tls = gobuild::derive_program_facts(read_table(fixture("go-features/tlsclient-arm64")));
    ASSERT_FALSE(tls.tls_client.evidence.empty());
    EXPECT_EQ(tls.tls_client.evidence[0], "crypto/tls.(*Conn).clientHandshake-fm");
    EXPECT_EQ(gobuild::resolver_kind(tls), "go");
    auto json = gobuild::to_json(
        gobuild::derive_program_facts(read_table(fixture("go-features/resolver-amd64"))));
    EXPECT_EQ(json["resolver"], "both");
}

TEST(PclntabFacts, LayoutsAcrossArchitectures) {
    struct Want {
        const char* fixture;
        Endian endian;
        unsigned ptr;
        unsigned quantum;
        const char* located_by;
    };
    for (const Want& w : {
             Want{"graceful-amd64", Endian::little, 8, 1, "section"},
             Want{"graceful-amd64-pie", Endian::little, 8, 1, "section .data.rel.ro.gopclntab"},
             Want{"graceful-amd64-extpie-stripped", Endian::little, 8, 1,
                  "moduledata in section .noptrdata"}, // unnamed inside .data.rel.ro
             Want{"graceful-amd64-noshdr", Endian::little, 8, 1, "scan"},
             Want{"graceful-arm64-stripped", Endian::little, 8, 4, "section"},
             Want{"graceful-s390x", Endian::big, 8, 2, "section"},
             Want{"graceful-s390x-noshdr", Endian::big, 8, 2, "scan"},
             Want{"graceful-386-noshdr", Endian::little, 4, 1, "scan"},
             Want{"tzdata-arm", Endian::little, 4, 4, "section"},
         }) {
        SCOPED_TRACE(w.fixture);
        auto t = read_table(fixture(std::string("go-features/") + w.fixture));
        EXPECT_EQ(t.version, gobuild::PclntabVersion::go118);
        EXPECT_EQ(t.endian, w.endian);
        EXPECT_EQ(t.ptr_size, w.ptr);
        EXPECT_EQ(t.quantum, w.quantum);
        EXPECT_TRUE(t.located_by.starts_with(w.located_by)) << t.located_by;
    }
}

// A copy of a fixture with `len` bytes at `offset` overwritten by `fill`, or cut at `offset`.
std::string damaged_copy(const TempDir& dir, const std::string& from, std::uint64_t offset,
                         std::uint64_t len, char fill, bool truncate) {
    std::string data = read_file(from);
    if (truncate) {
        data.resize(offset);
    } else {
        for (std::uint64_t i = offset; i < offset + len && i < data.size(); ++i) data[i] = fill;
    }
    std::string path = dir.path + "/damaged";
    write_file(path, data);
    return path;
}

TEST(PclntabFacts, DamagedTablesInRealBinariesAreInputErrors) {
    TempDir dir;
    for (const char* name : {"graceful-amd64", "graceful-s390x", "graceful-amd64-noshdr"}) {
        SCOPED_TRACE(name);
        std::string from = fixture(std::string("go-features/") + name);
        auto t = read_table(from);
        std::uint64_t at = t.file_offset;
        // Go 1.18 header: word 7 is the offset of the function index (pointer-size words).
        std::string bytes = read_file(from);
        ByteReader r{std::as_bytes(std::span(bytes.data(), bytes.size())), t.endian};
        std::uint64_t functab = at + r.uint(at + 8 + 7 * t.ptr_size, t.ptr_size);
        // Header zeroed, function count overwritten, function index overwritten, file cut.
        struct Damage {
            std::uint64_t offset, len;
            char fill;
            bool truncate;
        };
        for (const Damage& d :
             {Damage{at, 8, 0, false}, Damage{at + 8, 8, '\x7f', false},
              Damage{functab + 16, 4096, '\x55', false}, Damage{at + 4096, 0, 0, true}}) {
            std::string path = damaged_copy(dir, from, d.offset, d.len, d.fill, d.truncate);
            try {
                MappedFile file(path);
                auto image = elf::parse_image(file.bytes());
                gobuild::read_functions(image);
                ADD_FAILURE() << "no error for damage at " << d.offset;
            } catch (const InputError&) {
                // expected: from the ELF layout or from the function table
            }
        }
    }
}

} // namespace
} // namespace berth::test
