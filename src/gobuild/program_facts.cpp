#include "gobuild/program_facts.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

namespace berth::gobuild {
namespace {

struct Matcher {
    enum Kind { exact, prefix } kind;
    std::string_view text;

    bool matches(std::string_view name) const {
        return kind == exact ? name == text : name.starts_with(text);
    }
};

Matcher is(std::string_view s) {
    return {Matcher::exact, s};
}
Matcher starts(std::string_view s) {
    return {Matcher::prefix, s};
}

// go-systemd's module path carries a major version (github.com/coreos/go-systemd/v22/daemon).
bool is_go_systemd_notify(std::string_view name) {
    constexpr std::string_view kModule = "github.com/coreos/go-systemd";
    if (!name.starts_with(kModule)) return false;
    auto dot = name.find("/daemon.SdNotify");
    return dot != std::string_view::npos && name.find('.', kModule.size()) > dot;
}

bool is_iguane_notify(std::string_view name) {
    constexpr std::string_view kModule = "github.com/iguanesolutions/go-systemd";
    return name.starts_with(kModule) && name.find("/notify.") != std::string_view::npos;
}

// One fact: the names that decide it, in order of preference as evidence, and names that only
// support it (listed as evidence after the decisive ones, never enough on their own).
struct Rule {
    Fact ProgramFacts::*fact;
    std::vector<Matcher> decisive;
    std::vector<Matcher> supporting;
    bool (*custom)(std::string_view) = nullptr; // an extra decisive test
};

const std::vector<Rule>& rules() {
    static const std::vector<Rule> kRules = {
        {&ProgramFacts::signal_handling,
         {is("os/signal.Notify"), is("os/signal.NotifyContext")},
         {}},
        {&ProgramFacts::http_shutdown, {is("net/http.(*Server).Shutdown")}, {}},
        {&ProgramFacts::http_server,
         {is("net/http.(*Server).Serve"), is("net/http.(*conn).serve")},
         {is("net/http.(*Server).ListenAndServe"), is("net/http.ListenAndServe"),
          is("net/http.(*Server).ServeTLS")}},
        {&ProgramFacts::tls_client,
         {is("crypto/tls.(*Conn).clientHandshake-fm")},
         {is("crypto/tls.Dial"), is("crypto/tls.DialWithDialer"), is("crypto/tls.dial"),
          is("crypto/tls.(*Dialer).DialContext"), is("net/http.(*persistConn).addTLS")}},
        {&ProgramFacts::tls_server,
         {is("crypto/tls.(*Conn).serverHandshake-fm")},
         {is("crypto/tls.Listen"), is("crypto/tls.NewListener"),
          is("crypto/tls.(*listener).Accept"), is("net/http.(*Server).ServeTLS"),
          is("net/http.(*Server).ListenAndServeTLS")}},
        {&ProgramFacts::pprof,
         {is("net/http/pprof.init.0"), is("net/http/pprof.Index"), starts("net/http/pprof.")},
         {}},
        {&ProgramFacts::expvar,
         {is("expvar.init.0"), is("expvar.expvarHandler"), is("expvar.Handler"), starts("expvar.")},
         {}},
        {&ProgramFacts::timezone_loading,
         {is("time.LoadLocation")},
         {is("time.loadLocation"), is("time.loadTzinfoFromDirOrZip")}},
        {&ProgramFacts::tzdata_embedded,
         {is("time/tzdata.init.0"), is("time/tzdata.loadFromEmbeddedTZData"),
          starts("time/tzdata.")},
         {}},
        {&ProgramFacts::cgo_resolver,
         {is("net._C2func_getaddrinfo"), is("net._Cfunc_getaddrinfo"), starts("net._C")},
         {is("net.cgoLookupHost"), is("net.cgoLookupIPCNAME"), is("net.cgoLookupIP")}},
        {&ProgramFacts::go_resolver,
         {is("net.(*Resolver).goLookupHostOrder"), is("net.(*Resolver).goLookupIPCNAMEOrder"),
          starts("net.(*Resolver).goLookup")},
         {is("net.(*Resolver).tryOneName")}},
        {&ProgramFacts::os_user_cgo, {starts("os/user._C")}, {}},
        {&ProgramFacts::prometheus,
         {starts("github.com/prometheus/client_golang/prometheus/promhttp."),
          starts("github.com/prometheus/client_golang/")},
         {}},
        {&ProgramFacts::sd_notify,
         {starts("github.com/okzk/sdnotify."), starts("github.com/mdlayher/sdnotify.")},
         {},
         [](std::string_view n) { return is_go_systemd_notify(n) || is_iguane_notify(n); }},
        {&ProgramFacts::race,
         {is("runtime.raceinit"), is("runtime.racefuncenter"), is("runtime.racefini")},
         {}},
    };
    return kRules;
}

// The matchers of all rules by the first byte they need: a name is tested only against the
// matchers that can match it (a few, instead of every one of every rule).
struct Probe {
    std::size_t rule;
    std::size_t rank;
    bool decisive;
    const Matcher* matcher; // null: the rule's custom test
    bool (*custom)(std::string_view) = nullptr;
};

const std::array<std::vector<Probe>, 256>& probes() {
    static const std::array<std::vector<Probe>, 256> kProbes = [] {
        std::array<std::vector<Probe>, 256> by_byte;
        const auto& all = rules();
        auto first = [](std::string_view text) { return static_cast<unsigned char>(text[0]); };
        for (std::size_t r = 0; r < all.size(); ++r) {
            const Rule& rule = all[r];
            std::size_t rank = 0;
            for (const Matcher& m : rule.decisive)
                by_byte[first(m.text)].push_back({r, rank++, true, &m});
            // Both custom tests (go-systemd, iguanesolutions) match names that start with 'g'.
            if (rule.custom) by_byte['g'].push_back({r, rank, true, nullptr, rule.custom});
            ++rank;
            for (const Matcher& m : rule.supporting)
                by_byte[first(m.text)].push_back({r, rank++, false, &m});
        }
        // Within a byte, by rule and rank: a rule's first match there is its best.
        for (auto& v : by_byte)
            std::stable_sort(v.begin(), v.end(), [](const Probe& a, const Probe& b) {
                return a.rule != b.rule ? a.rule < b.rule : a.rank < b.rank;
            });
        return by_byte;
    }();
    return kProbes;
}

void finish(Fact& fact, std::vector<NameHit>& hits) {
    std::sort(hits.begin(), hits.end(), [](const NameHit& a, const NameHit& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.name < b.name;
    });
    hits.erase(std::unique(hits.begin(), hits.end(),
                           [](const NameHit& a, const NameHit& b) { return a.name == b.name; }),
               hits.end());
    fact.present =
        std::any_of(hits.begin(), hits.end(), [](const NameHit& h) { return h.decisive; });
    for (const NameHit& h : hits) {
        if (fact.evidence.size() >= kMaxEvidence) break;
        fact.evidence.emplace_back(h.name);
    }
}

void add_evidence(Fact& to, const Fact& from) {
    for (const auto& n : from.evidence) {
        if (to.evidence.size() >= kMaxEvidence) return;
        to.evidence.push_back(n);
    }
}

} // namespace

void add_function_name(ProgramFactsScan& scan, std::string_view name) {
    if (name.empty()) return;
    if (scan.hits.empty()) scan.hits.resize(rules().size());
    std::size_t done = SIZE_MAX; // the rule whose best match this name already gave
    for (const Probe& p : probes()[static_cast<unsigned char>(name[0])]) {
        if (p.rule == done) continue;
        if (p.matcher ? p.matcher->matches(name) : p.custom(name)) {
            scan.hits[p.rule].push_back({p.rank, name, p.decisive});
            done = p.rule;
        }
    }
}

ProgramFacts finish_program_facts(ProgramFactsScan& scan) {
    const auto& all = rules();
    scan.hits.resize(all.size());
    ProgramFacts facts;
    for (std::size_t r = 0; r < all.size(); ++r) finish(facts.*(all[r].fact), scan.hits[r]);

    // Graceful shutdown needs the signal, and for a web server also the draining Shutdown.
    Fact& g = facts.graceful_shutdown;
    g.present = facts.signal_handling.present &&
                (!facts.http_server.present || facts.http_shutdown.present);
    add_evidence(g, facts.signal_handling);
    if (facts.http_server.present) add_evidence(g, facts.http_shutdown);
    return facts;
}

ProgramFacts derive_program_facts(const std::vector<std::string>& names) {
    ProgramFactsScan scan;
    for (const std::string& name : names) add_function_name(scan, name);
    return finish_program_facts(scan);
}

ProgramFacts derive_program_facts(const FuncTable& table) {
    return derive_program_facts(table.names);
}

std::string resolver_kind(const ProgramFacts& facts) {
    bool cgo = facts.cgo_resolver.present, go = facts.go_resolver.present;
    return cgo && go ? "both" : cgo ? "cgo" : go ? "go" : "none";
}

nlohmann::json to_json(const ProgramFacts& facts) {
    auto fact = [](const Fact& f) {
        return nlohmann::json{{"present", f.present}, {"evidence", f.evidence}};
    };
    return {
        {"graceful_shutdown", fact(facts.graceful_shutdown)},
        {"signal_handling", fact(facts.signal_handling)},
        {"http_shutdown", fact(facts.http_shutdown)},
        {"http_server", fact(facts.http_server)},
        {"tls_client", fact(facts.tls_client)},
        {"tls_server", fact(facts.tls_server)},
        {"pprof", fact(facts.pprof)},
        {"expvar", fact(facts.expvar)},
        {"timezone_loading", fact(facts.timezone_loading)},
        {"tzdata_embedded", fact(facts.tzdata_embedded)},
        {"cgo_resolver", fact(facts.cgo_resolver)},
        {"go_resolver", fact(facts.go_resolver)},
        {"resolver", resolver_kind(facts)},
        {"os_user_cgo", fact(facts.os_user_cgo)},
        {"prometheus", fact(facts.prometheus)},
        {"sd_notify", fact(facts.sd_notify)},
        {"race", fact(facts.race)},
    };
}

} // namespace berth::gobuild
