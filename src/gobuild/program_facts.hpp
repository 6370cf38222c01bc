#pragma once
// What a Go program can do, read from the names in its function table (pclntab.hpp): the Go
// linker drops every function that is not reachable, so a name in the table means the code is
// in the program and reachable from main or an init. It does not mean it runs on every path:
// the facts say "can", each with the names that prove it.
//
// Definitions (exact names unless marked prefix):
//   signal_handling    os/signal.Notify or os/signal.NotifyContext
//   http_shutdown      net/http.(*Server).Shutdown
//   http_server        net/http.(*conn).serve or net/http.(*Server).Serve (every server path)
//   graceful_shutdown  signal_handling, and when http_server also http_shutdown: the program
//                      can catch SIGTERM, and a web server can then drain its connections
//                      instead of dropping them. The signals it subscribes to are arguments,
//                      which the table does not show.
//   tls_client         crypto/tls.(*Conn).clientHandshake-fm: the method value tls.Client
//                      creates (every TLS client path: tls.Dial, Dialer, net/http's Transport).
//                      The client handshake itself is linked whenever crypto/tls is, so it
//                      proves nothing.
//   tls_server         crypto/tls.(*Conn).serverHandshake-fm, made by tls.Server
//   pprof              prefix net/http/pprof. (its init registers /debug/pprof/ handlers on
//                      http.DefaultServeMux)
//   expvar             prefix expvar. (its init registers /debug/vars)
//   timezone_loading   time.LoadLocation (needs the zoneinfo database unless embedded)
//   tzdata_embedded    prefix time/tzdata. (import _ "time/tzdata" or -tags timetzdata)
//   cgo_resolver       prefix net._C (cgo stubs of getaddrinfo and friends)
//   go_resolver        prefix net.(*Resolver).goLookup (the pure Go DNS client)
//   os_user_cgo        prefix os/user._C (getpwnam_r and friends through libc/NSS)
//   prometheus         prefix github.com/prometheus/client_golang/
//   sd_notify          SdNotify in github.com/coreos/go-systemd[/vN]/daemon, or prefix
//                      github.com/okzk/sdnotify., github.com/mdlayher/sdnotify.,
//                      github.com/iguanesolutions/go-systemd/vN/notify.
//   race               runtime.raceinit or runtime.racefuncenter (built with -race)
#include "gobuild/pclntab.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace berth::gobuild {

constexpr std::size_t kMaxEvidence = 5;

struct Fact {
    bool present = false;
    std::vector<std::string> evidence; // at most kMaxEvidence names, the decisive ones first
};

struct ProgramFacts {
    Fact signal_handling;
    Fact http_shutdown;
    Fact graceful_shutdown;
    Fact http_server;
    Fact tls_client;
    Fact tls_server;
    Fact pprof;
    Fact expvar;
    Fact timezone_loading;
    Fact tzdata_embedded;
    Fact cgo_resolver;
    Fact go_resolver;
    Fact os_user_cgo;
    Fact prometheus;
    Fact sd_notify;
    Fact race;
};

// Pure function of the names; order of the table does not matter.
ProgramFacts derive_program_facts(const FuncTable& table);
ProgramFacts derive_program_facts(const std::vector<std::string>& names);

// The same, one name at a time (walk_functions hands them over without keeping them): add each
// name, then finish. The names must stay valid until finish_program_facts; the facts copy only
// their evidence.
struct NameHit {
    std::size_t rank; // decisive matchers first, in their order
    std::string_view name;
    bool decisive;
};
struct ProgramFactsScan {
    std::vector<std::vector<NameHit>> hits; // per rule
};
void add_function_name(ProgramFactsScan& scan, std::string_view name);
ProgramFacts finish_program_facts(ProgramFactsScan& scan);

// "none", "go", "cgo" or "both": which DNS resolver paths the program contains. With both, the
// net package chooses at run time (GODEBUG=netdns, /etc/nsswitch.conf).
std::string resolver_kind(const ProgramFacts& facts);

// {"graceful_shutdown": {"present": true, "evidence": [...]}, ..., "resolver": "both"}
nlohmann::json to_json(const ProgramFacts& facts);

} // namespace berth::gobuild
