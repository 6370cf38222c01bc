#pragma once
// One health probe of a service, made from the host it runs on (so a firewall between the
// deploying machine and the port does not matter): an HTTP(S) GET whose status must be the one
// expected, or a TCP connect. Deploy's verification repeats it (passes in a row within a
// timeout); this file makes one attempt. HTTP goes through Boost.Beast, HTTPS through OpenSSL.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace berth::deploy {

struct HealthCheck {
    enum class Kind { none, http, tcp };
    Kind kind = Kind::none;
    bool https = false;             // http only
    std::string host = "127.0.0.1"; // an address (v4 or v6) or a name in /etc/hosts
    int port = 0;
    std::string path = "/"; // http: the request target, starting with '/'
    int expect = 200;       // http: the status wanted
    // How deploy repeats the probe (deploy/verify): every `interval`, until `passes` answers in
    // a row are healthy, giving up after `timeout`; and no restart during `settle` after start.
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds timeout{30000};
    int passes = 3;
    std::chrono::milliseconds settle{5000};
};

struct ProbeResult {
    bool healthy = false;
    int status = 0;     // http: the status received (0: none)
    std::string detail; // "200 OK", "connection refused", "no answer within 2000 ms", ...
    std::chrono::milliseconds took{0};
};

// One attempt, never longer than `limit`. TLS certificates are not verified (the probe talks to
// the service on this host, by address, like Kubernetes' HTTPS probes).
ProbeResult probe_once(const HealthCheck& check, std::chrono::milliseconds limit);

// "http://127.0.0.1:8080/healthz" / "tcp://127.0.0.1:8080", for messages.
std::string describe(const HealthCheck& check);

// The addresses an /etc/hosts text gives `name` (names compare without case), in file order,
// as written there. berth is static and never calls NSS: a probe's host is an address or a name
// found this way (probe_once reads /etc/hosts itself). Exposed for the tests.
std::vector<std::string> hosts_file_addresses(std::string_view hosts_text, std::string_view name);

} // namespace berth::deploy
