// Each derived program fact, asserted both ways on name lists shaped like real Go 1.19 tables
// (the names were taken from the go-features fixtures; tests/integration/pclntab_facts_test.cpp
// asserts the same facts on the real binaries).
#include "gobuild/program_facts.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::gobuild {
namespace {

using Names = std::vector<std::string>;

// Names every Go program has: none of them proves a fact.
const Names kBase = {
    "runtime.main",
    "main.main",
    "runtime.goexit",
    "fmt.Println",
    "os.Exit",
    "crypto/tls.(*Conn).clientHandshake", // linked with crypto/tls at all: proves no client
    "crypto/tls.(*Conn).serverHandshake",
    "time.Now",
    "time.loadLocation",
    "net.cgoLookupHost",                 // netgo builds keep stubs of this name
    "runtime.racefree_stub_is_not_race", // unrelated runtime name
    "os/user.lookupUser",                // the pure Go /etc/passwd reader
    "github.com/coreos/go-systemd/v22/dbus.New",
    "github.com/prometheus/common/expfmt.Negotiate", // not client_golang
};

Names with(Names extra) {
    Names n = kBase;
    n.insert(n.end(), extra.begin(), extra.end());
    return n;
}

TEST(ProgramFacts, NothingInABareProgram) {
    ProgramFacts f = derive_program_facts(kBase);
    for (const Fact* fact :
         {&f.signal_handling, &f.http_shutdown, &f.graceful_shutdown, &f.http_server, &f.tls_client,
          &f.tls_server, &f.pprof, &f.expvar, &f.timezone_loading, &f.tzdata_embedded,
          &f.cgo_resolver, &f.go_resolver, &f.os_user_cgo, &f.prometheus, &f.sd_notify, &f.race}) {
        EXPECT_FALSE(fact->present);
        EXPECT_TRUE(fact->evidence.empty() || !fact->present);
    }
    EXPECT_EQ(resolver_kind(f), "none");
}

struct Case {
    const char* fact;
    Fact ProgramFacts::*member;
    Names names;
    std::string first_evidence;
};

class OneFact : public testing::TestWithParam<Case> {};

std::string case_name(const testing::TestParamInfo<Case>& p) {
    return p.param.fact;
}

TEST_P(OneFact, PresentWithItsNamesAbsentWithout) {
    const Case& c = GetParam();
    ProgramFacts yes = derive_program_facts(with(c.names));
    EXPECT_TRUE((yes.*c.member).present) << c.fact;
    ASSERT_FALSE((yes.*c.member).evidence.empty());
    EXPECT_EQ((yes.*c.member).evidence.front(), c.first_evidence);
    EXPECT_LE((yes.*c.member).evidence.size(), kMaxEvidence);
    ProgramFacts no = derive_program_facts(kBase);
    EXPECT_FALSE((no.*c.member).present) << c.fact;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, OneFact,
    testing::Values(
        Case{"signal_handling",
             &ProgramFacts::signal_handling,
             {"os/signal.Notify", "os/signal.Notify.func1"},
             "os/signal.Notify"},
        Case{"signal_handling_ctx",
             &ProgramFacts::signal_handling,
             {"os/signal.NotifyContext", "os/signal.Notify"},
             "os/signal.Notify"},
        Case{"http_shutdown",
             &ProgramFacts::http_shutdown,
             {"net/http.(*Server).Shutdown"},
             "net/http.(*Server).Shutdown"},
        Case{"http_server",
             &ProgramFacts::http_server,
             {"net/http.(*conn).serve", "net/http.(*Server).Serve", "net/http.ListenAndServe"},
             "net/http.(*Server).Serve"},
        Case{"tls_client",
             &ProgramFacts::tls_client,
             {"crypto/tls.Dial", "crypto/tls.(*Conn).clientHandshake-fm"},
             "crypto/tls.(*Conn).clientHandshake-fm"},
        Case{"tls_server",
             &ProgramFacts::tls_server,
             {"crypto/tls.Listen", "crypto/tls.(*Conn).serverHandshake-fm"},
             "crypto/tls.(*Conn).serverHandshake-fm"},
        Case{"pprof",
             &ProgramFacts::pprof,
             {"net/http/pprof.Index", "net/http/pprof.init.0", "net/http/pprof.Profile"},
             "net/http/pprof.init.0"},
        Case{"expvar",
             &ProgramFacts::expvar,
             {"expvar.(*Int).Add", "expvar.init.0"},
             "expvar.init.0"},
        Case{"timezone_loading",
             &ProgramFacts::timezone_loading,
             {"time.LoadLocation"},
             "time.LoadLocation"},
        Case{"tzdata_embedded",
             &ProgramFacts::tzdata_embedded,
             {"time/tzdata.init.0", "time/tzdata.loadFromEmbeddedTZData"},
             "time/tzdata.init.0"},
        Case{"cgo_resolver",
             &ProgramFacts::cgo_resolver,
             {"net._C2func_getaddrinfo", "net._Cfunc_freeaddrinfo"},
             "net._C2func_getaddrinfo"},
        Case{"go_resolver",
             &ProgramFacts::go_resolver,
             {"net.(*Resolver).goLookupIPCNAMEOrder", "net.(*Resolver).goLookupHostOrder"},
             "net.(*Resolver).goLookupHostOrder"},
        Case{"os_user_cgo",
             &ProgramFacts::os_user_cgo,
             {"os/user._Cfunc_mygetpwnam_r"},
             "os/user._Cfunc_mygetpwnam_r"},
        Case{"prometheus",
             &ProgramFacts::prometheus,
             {"github.com/prometheus/client_golang/prometheus.NewRegistry",
              "github.com/prometheus/client_golang/prometheus/promhttp.Handler"},
             "github.com/prometheus/client_golang/prometheus/promhttp.Handler"},
        Case{"sd_notify_coreos_v22",
             &ProgramFacts::sd_notify,
             {"github.com/coreos/go-systemd/v22/daemon.SdNotify"},
             "github.com/coreos/go-systemd/v22/daemon.SdNotify"},
        Case{"sd_notify_coreos",
             &ProgramFacts::sd_notify,
             {"github.com/coreos/go-systemd/daemon.SdNotify"},
             "github.com/coreos/go-systemd/daemon.SdNotify"},
        Case{"sd_notify_okzk",
             &ProgramFacts::sd_notify,
             {"github.com/okzk/sdnotify.Ready"},
             "github.com/okzk/sdnotify.Ready"},
        Case{"sd_notify_iguane",
             &ProgramFacts::sd_notify,
             {"github.com/iguanesolutions/go-systemd/v5/notify.Ready"},
             "github.com/iguanesolutions/go-systemd/v5/notify.Ready"},
        Case{"race",
             &ProgramFacts::race,
             {"runtime.raceinit", "runtime.racefuncenter"},
             "runtime.raceinit"}),
    case_name);

TEST(ProgramFacts, SupportingNamesAloneProveNothing) {
    ProgramFacts f = derive_program_facts(
        with({"crypto/tls.Dial", "crypto/tls.Listen", "net/http.ListenAndServe",
              "net/http.(*Server).ServeTLS", "net.cgoLookupIPCNAME"}));
    EXPECT_FALSE(f.tls_client.present);
    EXPECT_FALSE(f.tls_server.present);
    EXPECT_FALSE(f.http_server.present);
    EXPECT_FALSE(f.cgo_resolver.present);
    // ...but are listed as evidence.
    EXPECT_EQ(f.tls_client.evidence, Names{"crypto/tls.Dial"});
}

TEST(ProgramFacts, GracefulShutdownDefinition) {
    const Names server = {"net/http.(*Server).Serve"};
    const Names signal = {"os/signal.Notify"};
    const Names shutdown = {"net/http.(*Server).Shutdown"};
    auto graceful = [&](std::vector<Names> parts) {
        Names n = kBase;
        for (auto& p : parts) n.insert(n.end(), p.begin(), p.end());
        return derive_program_facts(n).graceful_shutdown;
    };
    // A worker that catches the signal.
    EXPECT_TRUE(graceful({signal}).present);
    EXPECT_EQ(graceful({signal}).evidence, signal);
    // A web server must also be able to drain.
    EXPECT_TRUE(graceful({server, signal, shutdown}).present);
    EXPECT_EQ(graceful({server, signal, shutdown}).evidence,
              (Names{"os/signal.Notify", "net/http.(*Server).Shutdown"}));
    EXPECT_FALSE(graceful({server, signal}).present);
    EXPECT_FALSE(graceful({server, shutdown}).present);
    EXPECT_FALSE(graceful({shutdown}).present);
}

TEST(ProgramFacts, ResolverKinds) {
    Names cgo = {"net._C2func_getaddrinfo"}, go = {"net.(*Resolver).goLookupHostOrder"};
    EXPECT_EQ(resolver_kind(derive_program_facts(with(cgo))), "cgo");
    EXPECT_EQ(resolver_kind(derive_program_facts(with(go))), "go");
    Names both = cgo;
    both.insert(both.end(), go.begin(), go.end());
    EXPECT_EQ(resolver_kind(derive_program_facts(with(both))), "both");
}

TEST(ProgramFacts, EvidenceIsCappedAndDeduplicated) {
    Names many;
    for (int i = 0; i < 50; ++i) many.push_back("expvar.f" + std::to_string(i));
    many.push_back("expvar.f1");
    ProgramFacts f = derive_program_facts(with(many));
    EXPECT_EQ(f.expvar.evidence.size(), kMaxEvidence);
    EXPECT_EQ(f.expvar.evidence[0], "expvar.f0");
    EXPECT_EQ(f.expvar.evidence[1], "expvar.f1");
    EXPECT_EQ(f.expvar.evidence[2], "expvar.f10");
}

TEST(ProgramFacts, FromATableAndToJson) {
    FuncTable t;
    t.names = with({"os/signal.NotifyContext", "time.LoadLocation", "net._C2func_getaddrinfo",
                    "net.(*Resolver).goLookupHostOrder"});
    auto j = to_json(derive_program_facts(t));
    EXPECT_EQ(j["graceful_shutdown"]["present"], true);
    EXPECT_EQ(j["graceful_shutdown"]["evidence"][0], "os/signal.NotifyContext");
    EXPECT_EQ(j["timezone_loading"]["present"], true);
    EXPECT_EQ(j["tzdata_embedded"]["present"], false);
    EXPECT_EQ(j["resolver"], "both");
    for (const char* key :
         {"graceful_shutdown", "signal_handling", "http_shutdown", "http_server", "tls_client",
          "tls_server", "pprof", "expvar", "timezone_loading", "tzdata_embedded", "cgo_resolver",
          "go_resolver", "os_user_cgo", "prometheus", "sd_notify", "race"}) {
        ASSERT_TRUE(j.contains(key)) << key;
        EXPECT_TRUE(j[key]["evidence"].is_array()) << key;
    }
}

} // namespace
} // namespace berth::gobuild
