// The health probe beside the reference tools: HTTPS against `openssl s_server` with a
// self-signed certificate, the status of every scripted answer compared with what curl reports
// for the same URL, and no NSS resolver (getaddrinfo & co.) referenced by berth's own code.
#include "deploy/health.hpp"
#include "loopback_server.hpp"
#include "test_support.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

extern char** environ;

namespace berth::deploy {
namespace {

using berth::test::LoopbackServer;
using berth::test::RefusingPort;
using Mode = LoopbackServer::Mode;
using std::chrono::milliseconds;

// `openssl s_server -www` (a status page, 200) on a loopback port with a fresh self-signed
// certificate; extra arguments go after the defaults.
class TlsServer {
  public:
    explicit TlsServer(const std::string& address, std::vector<std::string> extra = {}) {
        std::string cert = dir_.path + "/cert.pem", key = dir_.path + "/key.pem";
        auto made = test::run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                               "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                               "/CN=berth-test", "-keyout", key, "-out", cert});
        if (made.status != 0) throw std::runtime_error("openssl req: " + made.err);
        std::string log = dir_.path + "/log";
        std::string accept =
            address.find(':') != std::string::npos ? "[" + address + "]:0" : address + ":0";
        std::vector<std::string> argv = {"openssl", "s_server", "-accept", accept, "-cert",
                                         cert,      "-key",     key,       "-www"};
        for (auto& e : extra) argv.push_back(e == "CERT" ? cert : e == "KEY" ? key : e);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT, 0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        int rc = posix_spawnp(&pid_, "openssl", &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot run openssl s_server");
        // It prints "ACCEPT 127.0.0.1:PORT" once it listens.
        for (int i = 0; i < 200 && port_ == 0; ++i) {
            std::this_thread::sleep_for(milliseconds(50));
            std::string text = test::read_file(log);
            auto at = text.find("ACCEPT ");
            auto end = text.find('\n', at);
            if (at != std::string::npos && end != std::string::npos)
                port_ = std::stoi(text.substr(text.rfind(':', end) + 1));
        }
        if (port_ == 0)
            throw std::runtime_error("s_server did not listen: " + test::read_file(log));
    }
    ~TlsServer() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;
    int port() const { return port_; }

  private:
    test::TempDir dir_;
    pid_t pid_ = 0;
    int port_ = 0;
};

HealthCheck check_for(const std::string& host, int port, bool https = false) {
    HealthCheck c;
    c.kind = HealthCheck::Kind::http;
    c.host = host;
    c.port = port;
    c.path = "/healthz";
    c.https = https;
    return c;
}

// curl's %{http_code} for the URL describe() writes ("000": no status).
std::string curl_status(const HealthCheck& c, milliseconds limit) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(limit.count()) / 1000);
    auto r = test::run({"curl", "-s", "-k", "-g", "--noproxy", "*", "-o", "/dev/null", "-w",
                        "%{http_code}", "--max-time", seconds, describe(c)});
    return r.out;
}

std::string three_digits(int status) {
    char text[16];
    std::snprintf(text, sizeof text, "%03d", status);
    return text;
}

TEST(HealthProbeTls, SelfSignedCertificateIsAccepted) {
    TlsServer server("127.0.0.1");
    auto c = check_for("127.0.0.1", server.port(), true);
    auto r = probe_once(c, milliseconds(5000));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.detail, "200 OK");
    EXPECT_EQ(curl_status(c, milliseconds(5000)), "200");
}

TEST(HealthProbeTls, Ipv6AndANameFromEtcHosts) {
    TlsServer v6("::1");
    auto c = check_for("::1", v6.port(), true);
    EXPECT_EQ(describe(c), "https://[::1]:" + std::to_string(v6.port()) + "/healthz");
    auto r = probe_once(c, milliseconds(5000));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(three_digits(r.status), curl_status(c, milliseconds(5000)));

    TlsServer v4("127.0.0.1");
    c = check_for("localhost", v4.port(), true);
    r = probe_once(c, milliseconds(5000));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(three_digits(r.status), curl_status(c, milliseconds(5000)));
}

TEST(HealthProbeTls, ServerNameIsSentForANameAndNotForAnAddress) {
    // The server refuses (a fatal alert) a client whose SNI is not "berth-other-name"; a client
    // without SNI passes.
    TlsServer server("127.0.0.1", {"-servername", "berth-other-name", "-servername_fatal", "-cert2",
                                   "CERT", "-key2", "KEY"});
    auto by_name = check_for("localhost", server.port(), true);
    auto r = probe_once(by_name, milliseconds(5000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.detail.rfind("TLS handshake failed: ", 0), 0u) << r.detail;
    EXPECT_NE(r.detail.find("unrecognized name"), std::string::npos) << r.detail;
    EXPECT_EQ(curl_status(by_name, milliseconds(5000)), "000");

    auto by_address = check_for("127.0.0.1", server.port(), true);
    r = probe_once(by_address, milliseconds(5000));
    EXPECT_TRUE(r.healthy) << r.detail;
    EXPECT_EQ(curl_status(by_address, milliseconds(5000)), "200");
}

TEST(HealthProbeTls, PlainHttpToATlsServerIsNotAnAnswer) {
    TlsServer server("127.0.0.1");
    auto c = check_for("127.0.0.1", server.port(), false);
    auto r = probe_once(c, milliseconds(3000));
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.status, 0) << r.detail;
    EXPECT_EQ(curl_status(c, milliseconds(3000)), "000");
}

std::string answer(const std::string& status_line, const std::string& extra_headers = "") {
    return "HTTP/1.1 " + status_line + "\r\n" + extra_headers + "Content-Length: 3\r\n\r\nok\n";
}

TEST(HealthProbeReference, StatusIsWhatCurlReports) {
    struct Case {
        const char* name;
        Mode mode;
        std::string answer;
        const char* address = "127.0.0.1";
    };
    const std::vector<Case> cases = {
        {"200", Mode::respond, answer("200 OK")},
        {"503", Mode::respond, answer("503 Service Unavailable")},
        {"204", Mode::respond, "HTTP/1.1 204 No Content\r\n\r\n"},
        {"302", Mode::respond, answer("302 Found", "Location: http://127.0.0.1:1/\r\n")},
        {"404 over HTTP/1.0", Mode::respond, "HTTP/1.0 404 Not Found\r\n\r\nno\n"},
        {"299 unusual", Mode::respond, answer("299 Fine Thanks")},
        {"200 over IPv6", Mode::respond, answer("200 OK"), "::1"},
        {"garbage", Mode::respond, "hello, this is not HTTP\r\n\r\n"},
        {"closed at once", Mode::close_at_once, ""},
        {"silent", Mode::silent, ""},
        {"endless body", Mode::endless_body, "HTTP/1.1 200 OK\r\n\r\n"},
        {"long body, stalled", Mode::hold,
         "HTTP/1.1 500 Internal Server Error\r\n"
         "Content-Length: 1000000\r\n\r\npartial"},
    };
    // Not compared: a head cut after its status line. curl reports that status (200), berth
    // none: like Go's net/http (Kubernetes' probes), it takes an incomplete head for no answer.
    const milliseconds limit(1000);
    for (const auto& k : cases) {
        SCOPED_TRACE(k.name);
        LoopbackServer server(k.mode, k.answer, k.address);
        auto c = check_for(k.address, server.port());
        auto r = probe_once(c, limit);
        EXPECT_EQ(three_digits(r.status), curl_status(c, limit)) << r.detail;
        EXPECT_LE(r.took, limit + limit / 20 + milliseconds(50));
    }
    RefusingPort refused;
    auto c = check_for("127.0.0.1", refused.port);
    EXPECT_EQ(three_digits(probe_once(c, limit).status), curl_status(c, limit));
}

// berth is static: a getaddrinfo or gethostbyname call would need NSS modules it cannot load.
// libcrypto brings those functions into the executable (BIO_lookup), but no berth object may
// call them: names come from /etc/hosts only.
TEST(HealthProbeReference, NoNssResolverCallInBerthsOwnCode) {
    std::string exe = test::berth_exe();
    ASSERT_FALSE(exe.empty());
    std::string archive = std::filesystem::path(exe).parent_path() / "libberthcore.a";
    ASSERT_TRUE(std::filesystem::exists(archive)) << archive;
    auto nm = test::run({"nm", "-A", "-u", archive});
    ASSERT_EQ(nm.status, 0) << nm.err;
    ASSERT_NE(nm.out.find("health.cpp.o:"), std::string::npos) << "the probe is in the archive";
    for (const char* symbol : {"getaddrinfo", "gethostbyname", "gethostbyname2", "gethostbyname_r",
                               "getnameinfo", "gethostbyaddr", "res_query", "res_search"}) {
        std::string needle = std::string(" U ") + symbol + "\n";
        EXPECT_EQ(nm.out.find(needle), std::string::npos) << symbol << " referenced";
    }
}

// And the executable holds none of glibc's NSS machinery at all: libcrypto's resolver calls are
// wrapped at link time (src/static_link_guard.cpp), so nothing can reach an NSS module.
TEST(HealthProbeReference, TheStaticBerthHoldsNoNssCode) {
    std::string exe = test::berth_exe();
    ASSERT_FALSE(exe.empty());
    std::string debug = exe + ".debug"; // the stripped berth's symbols
    ASSERT_TRUE(std::filesystem::exists(debug)) << debug;
    auto nm = test::run({"nm", "--defined-only", debug});
    ASSERT_EQ(nm.status, 0) << nm.err;
    ASSERT_NE(nm.out.find(" __wrap_getaddrinfo\n"), std::string::npos) << "the guard is linked";
    for (const auto& line : split_lines(nm.out)) {
        auto words = split_words(line);
        if (words.size() != 3) continue;
        const std::string& name = words[2];
        EXPECT_FALSE(name.starts_with("__nss_") || name.starts_with("_nss_")) << line;
        for (const char* symbol : {"getaddrinfo", "gethostbyname", "gethostbyname2_r",
                                   "getnameinfo", "getpwnam", "getpwuid", "getgrnam", "getgrgid"})
            EXPECT_NE(name, symbol) << line;
    }
}

} // namespace
} // namespace berth::deploy
