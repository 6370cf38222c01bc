// The health probe against real peers on loopback (tests/loopback_server.hpp): each kind of
// answer a service can give, and the deadline held whatever the peer does.
#include "deploy/health.hpp"
#include "loopback_server.hpp"

#include <gtest/gtest.h>

namespace berth::deploy {
namespace {

using berth::test::LoopbackServer;
using berth::test::RefusingPort;
using Mode = LoopbackServer::Mode;
using std::chrono::milliseconds;

HealthCheck http_check(int port, const std::string& path = "/healthz",
                       const std::string& host = "127.0.0.1") {
    HealthCheck c;
    c.kind = HealthCheck::Kind::http;
    c.host = host;
    c.port = port;
    c.path = path;
    return c;
}

HealthCheck tcp_check(int port, const std::string& host = "127.0.0.1") {
    HealthCheck c;
    c.kind = HealthCheck::Kind::tcp;
    c.host = host;
    c.port = port;
    return c;
}

std::string answer(const std::string& status_line, const std::string& body = "",
                   const std::string& headers = "") {
    return "HTTP/1.1 " + status_line + "\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The deadline is kept when the probe ends after it by less than 5% plus 50 ms (timer and
// scheduling slack on a loaded machine, sanitizers included).
void expect_within_deadline(const ProbeResult& r, milliseconds limit) {
    EXPECT_GE(r.took, limit - milliseconds(1));
    EXPECT_LE(r.took, limit + limit / 20 + milliseconds(50));
}

TEST(HealthProbe, StatusWantedIsHealthyAndTheRequestIsPlainGet) {
    LoopbackServer server(Mode::respond, answer("200 OK", "ok\n"));
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_TRUE(r.healthy);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.detail, "200 OK");
    EXPECT_LT(r.took, milliseconds(1000));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const std::string& head = requests[0];
    EXPECT_EQ(head.rfind("GET /healthz HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos)
        << head;
    EXPECT_NE(head.find("\r\nUser-Agent: berth/" BERTH_VERSION "\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.size() - head.find("\r\n\r\n"), 4u) << "a GET carries no body";
}

TEST(HealthProbe, OtherStatusIsUnhealthyAndSaysWhatWasExpected) {
    LoopbackServer server(Mode::respond, answer("503 Service Unavailable", "down\n"));
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.detail, "503 Service Unavailable (expected 200)");
}

TEST(HealthProbe, ExpectedStatusIsTheOneConfigured) {
    LoopbackServer no_content(Mode::respond, "HTTP/1.1 204 No Content\r\n\r\n");
    auto c = http_check(no_content.port());
    c.expect = 204;
    auto r = probe_once(c, milliseconds(2000));
    EXPECT_TRUE(r.healthy);
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.detail, "204 No Content");

    LoopbackServer ok(Mode::respond, answer("200 OK"));
    c.port = ok.port();
    r = probe_once(c, milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "200 OK (expected 204)");
}

TEST(HealthProbe, StatusWithoutAStandardReasonIsTheNumber) {
    LoopbackServer server(Mode::respond, answer("299 Fine Thanks"));
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_EQ(r.status, 299);
    EXPECT_EQ(r.detail, "299 (expected 200)");
}

TEST(HealthProbe, RedirectIsNotFollowed) {
    LoopbackServer target(Mode::respond, answer("200 OK"));
    std::string location = "http://127.0.0.1:" + std::to_string(target.port()) + "/healthz";
    LoopbackServer server(Mode::respond, answer("302 Found", "", "Location: " + location + "\r\n"));
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.detail, "302 Found (expected 200)");
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(target.connections(), 0);
}

TEST(HealthProbe, SilentServerEndsAtTheDeadline) {
    LoopbackServer server(Mode::silent);
    auto r = probe_once(http_check(server.port()), milliseconds(1000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.detail, "no answer within 1000 ms");
    expect_within_deadline(r, milliseconds(1000));
    EXPECT_EQ(server.requests().size(), 1u) << "the request was sent before the wait";
}

TEST(HealthProbe, HeadThatNeverEndsEndsAtTheDeadline) {
    // A byte every 50 ms: the connection is never idle, the head never complete.
    LoopbackServer server(Mode::trickle, "HTTP/1.1 200 OK\r\nX-Slow: ");
    auto r = probe_once(http_check(server.port()), milliseconds(800));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "no answer within 800 ms");
    expect_within_deadline(r, milliseconds(800));
}

TEST(HealthProbe, OneDeadlineForTheWholeAttemptNotOnePerStep) {
    // The head after 500 ms, then a body that stalls: 800 ms in all, not 800 more for the body.
    LoopbackServer server(Mode::hold, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nxx",
                          "127.0.0.1", milliseconds(500));
    auto r = probe_once(http_check(server.port()), milliseconds(800));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(r.status, 200);
    expect_within_deadline(r, milliseconds(800));
}

TEST(HealthProbe, RefusedConnectionAnswersAtOnce) {
    RefusingPort closed;
    auto r = probe_once(http_check(closed.port), milliseconds(5000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "connection refused");
    EXPECT_LT(r.took, milliseconds(500));
}

TEST(HealthProbe, ServerThatClosesAtOnce) {
    LoopbackServer server(Mode::close_at_once);
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.detail, "connection closed before a response");
    EXPECT_LT(r.took, milliseconds(1000));
}

TEST(HealthProbe, ConnectionCutInsideTheHead) {
    LoopbackServer server(Mode::respond, "HTTP/1.1 200 OK\r\nContent-");
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "connection closed in the middle of a response");
}

TEST(HealthProbe, GarbageIsAMalformedResponse) {
    LoopbackServer server(Mode::respond, "hello, this is not HTTP\r\n\r\n");
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.detail.rfind("malformed response: ", 0), 0u) << r.detail;
}

TEST(HealthProbe, HugeHeadIsMalformedNotBuffered) {
    std::string big = "X-Big: " + std::string(20000, 'b') + "\r\n";
    LoopbackServer server(Mode::respond, answer("200 OK", "", big));
    auto r = probe_once(http_check(server.port()), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "malformed response: header larger than 16 KiB");
}

TEST(HealthProbe, EndlessBodyStopsEarlyWithTheStatus) {
    LoopbackServer server(Mode::endless_body,
                          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
    auto r = probe_once(http_check(server.port()), milliseconds(4000));
    EXPECT_TRUE(r.healthy);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.detail, "200 OK");
    EXPECT_LT(r.took, milliseconds(2000)) << "the body is read up to 64 KiB, not to its end";
}

TEST(HealthProbe, LongBodyIsNotReadWithTheStatus) {
    // A declared length above the 64 KiB read: the head is enough.
    LoopbackServer server(Mode::hold, "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\nxx");
    auto r = probe_once(http_check(server.port()), milliseconds(4000));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(r.status, 200);
    EXPECT_LT(r.took, milliseconds(2000));
}

TEST(HealthProbe, BodyThatStallsEndsAtTheDeadlineWithTheStatus) {
    // The head complete, then part of the body and silence.
    LoopbackServer server(Mode::hold,
                          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 1000\r\n\r\nxx");
    auto r = probe_once(http_check(server.port()), milliseconds(1500));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.detail, "503 Service Unavailable (expected 200)");
    expect_within_deadline(r, milliseconds(1500));
}

TEST(HealthProbe, HttpsToAPlainServerFailsTheHandshake) {
    LoopbackServer server(Mode::respond_at_once, answer("200 OK"));
    auto c = http_check(server.port());
    c.https = true;
    auto r = probe_once(c, milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.detail.rfind("TLS handshake failed: ", 0), 0u) << r.detail;
}

TEST(HealthProbe, Ipv6Loopback) {
    LoopbackServer server(Mode::respond, answer("200 OK"), "::1");
    auto c = http_check(server.port(), "/", "::1");
    auto r = probe_once(c, milliseconds(2000));
    EXPECT_TRUE(r.healthy) << r.detail;
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_NE(
        server.requests()[0].find("\r\nHost: [::1]:" + std::to_string(server.port()) + "\r\n"),
        std::string::npos)
        << server.requests()[0];
    c.host = "[::1]"; // as a URL writes it
    EXPECT_TRUE(probe_once(c, milliseconds(2000)).healthy);
}

TEST(HealthProbe, TcpConnectOnly) {
    LoopbackServer server(Mode::silent);
    auto r = probe_once(tcp_check(server.port()), milliseconds(2000));
    EXPECT_TRUE(r.healthy);
    EXPECT_EQ(r.detail, "connected");
    EXPECT_EQ(r.status, 0);
    EXPECT_LT(r.took, milliseconds(1000));

    RefusingPort closed;
    r = probe_once(tcp_check(closed.port), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "connection refused");

    LoopbackServer v6(Mode::silent, "", "::1");
    EXPECT_TRUE(probe_once(tcp_check(v6.port(), "::1"), milliseconds(2000)).healthy);
}

TEST(HealthProbe, LocalhostFromEtcHosts) {
    LoopbackServer server(Mode::respond, answer("200 OK"));
    auto r = probe_once(http_check(server.port(), "/", "localhost"), milliseconds(2000));
    EXPECT_TRUE(r.healthy) << r.detail;
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_NE(server.requests()[0].find("\r\nHost: localhost:" + std::to_string(server.port())),
              std::string::npos)
        << server.requests()[0];
    EXPECT_TRUE(probe_once(tcp_check(server.port(), "LocalHost"), milliseconds(2000)).healthy);
}

TEST(HealthProbe, NameOutsideEtcHostsIsNotLookedUp) {
    auto r = probe_once(http_check(80, "/", "berth-no-such-host.invalid"), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "cannot resolve berth-no-such-host.invalid: berth resolves only "
                        "addresses and /etc/hosts names");
    EXPECT_LT(r.took, milliseconds(100));
}

TEST(HealthProbe, BadChecksAreRefusedWithoutConnecting) {
    LoopbackServer server(Mode::respond, answer("200 OK"));
    auto r = probe_once(http_check(server.port(), "/a b\r\nX: y"), milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail.rfind("invalid path", 0), 0u) << r.detail;
    r = probe_once(http_check(server.port(), "healthz"), milliseconds(2000));
    EXPECT_EQ(r.detail.rfind("invalid path", 0), 0u) << r.detail;
    r = probe_once(http_check(70000), milliseconds(2000));
    EXPECT_EQ(r.detail, "invalid port 70000");
    r = probe_once(HealthCheck{}, milliseconds(2000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail, "no health check");
    EXPECT_EQ(server.connections(), 0);
}

TEST(HealthDescribe, UrlsAsAPersonWritesThem) {
    EXPECT_EQ(describe(http_check(8080)), "http://127.0.0.1:8080/healthz");
    auto c = http_check(8443, "/healthz", "::1");
    c.https = true;
    EXPECT_EQ(describe(c), "https://[::1]:8443/healthz");
    c.host = "[::1]";
    EXPECT_EQ(describe(c), "https://[::1]:8443/healthz");
    EXPECT_EQ(describe(tcp_check(8080)), "tcp://127.0.0.1:8080");
    EXPECT_EQ(describe(tcp_check(5432, "localhost")), "tcp://localhost:5432");
    EXPECT_EQ(describe(HealthCheck{}), "none");
}

TEST(HostsFile, AddressesOfANameInFileOrder) {
    const char* text = "127.0.0.1\tlocalhost\n"
                       "::1     localhost ip6-localhost ip6-loopback\n"
                       "# 10.0.0.9 db\n"
                       "10.0.0.5 app.example.org app # the service\n"
                       "10.0.0.6 other#app\n"
                       "10.0.0.7\n"
                       "fe00::0 ip6-localnet\r\n"
                       "10.0.0.5 App\n"
                       "  192.168.1.2   DB  \n";
    EXPECT_EQ(hosts_file_addresses(text, "localhost"),
              (std::vector<std::string>{"127.0.0.1", "::1"}));
    EXPECT_EQ(hosts_file_addresses(text, "LOCALHOST"),
              (std::vector<std::string>{"127.0.0.1", "::1"}));
    EXPECT_EQ(hosts_file_addresses(text, "app"), (std::vector<std::string>{"10.0.0.5"}));
    EXPECT_EQ(hosts_file_addresses(text, "db"), (std::vector<std::string>{"192.168.1.2"}));
    EXPECT_EQ(hosts_file_addresses(text, "ip6-localnet"), (std::vector<std::string>{"fe00::0"}));
    EXPECT_EQ(hosts_file_addresses(text, "other"), (std::vector<std::string>{"10.0.0.6"}));
    EXPECT_TRUE(hosts_file_addresses(text, "10.0.0.7").empty());
    EXPECT_TRUE(hosts_file_addresses(text, "").empty());
    EXPECT_TRUE(hosts_file_addresses("", "localhost").empty());
}

} // namespace
} // namespace berth::deploy
