#include "deploy/health.hpp"

#include "util/read_text.hpp"
#include "util/strings.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>

namespace berth::deploy {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

// A health answer is a status line and a few headers; the body only needs to end.
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kBodyLimit = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// "[::1]" -> "::1": the host as the address parser and /etc/hosts want it.
std::string bare_host(const std::string& host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        return host.substr(1, host.size() - 2);
    return host;
}

// The host as a URL or a Host header writes it: an IPv6 address in brackets.
std::string url_host(const std::string& host) {
    std::string h = bare_host(host);
    return h.find(':') != std::string::npos ? "[" + h + "]" : h;
}

std::optional<asio::ip::address> ip_literal(const std::string& text) {
    beast::error_code ec;
    auto address = asio::ip::make_address(text, ec);
    if (ec) return std::nullopt;
    return address;
}

// The endpoints to try in turn, or why there are none. Endpoints are built from addresses here:
// asio's resolver would call getaddrinfo, i.e. NSS, which a static binary cannot load.
struct Target {
    std::vector<tcp::endpoint> endpoints;
    std::string error;
};

Target resolve(const std::string& host, int port) {
    std::string name = bare_host(host);
    std::vector<std::string> addresses;
    if (ip_literal(name)) {
        addresses.push_back(name);
    } else {
        if (auto text = read_text("/etc/hosts", 4u << 20))
            addresses = hosts_file_addresses(*text, name);
        // RFC 6761: localhost is the loopback even where /etc/hosts forgets it (as systemd's
        // nss-myhostname answers).
        if (addresses.empty() && iequals(name, "localhost")) addresses = {"127.0.0.1", "::1"};
    }
    Target target;
    for (const auto& a : addresses)
        if (auto ip = ip_literal(a))
            target.endpoints.emplace_back(*ip, static_cast<unsigned short>(port));
    if (target.endpoints.empty())
        target.error =
            "cannot resolve " + name + ": berth resolves only addresses and /etc/hosts names";
    return target;
}

// The completion handler of every step. One type for all of them: each handler type
// instantiates Beast's and asio's composed operations anew (twice the code for two types).
struct Done {
    beast::error_code* result;
    void operator()(beast::error_code ec) const { *result = ec; }
    void operator()(beast::error_code ec, std::size_t) const { *result = ec; }
    void operator()(beast::error_code ec, const tcp::endpoint&) const { *result = ec; }
};

// Beast's deadline (the tcp_stream's expiry) covers asynchronous operations only: each step
// starts one and runs the io_context until it has completed, so the exchange reads in order.
template <class Start> beast::error_code step(asio::io_context& io, Start&& start) {
    beast::error_code result;
    start(Done{&result});
    io.restart();
    io.run();
    return result;
}

std::string no_answer(milliseconds limit) {
    return "no answer within " + std::to_string(limit.count()) + " ms";
}

// strerror's "Network is unreachable" as the rest of a detail writes it.
std::string lower_first(std::string text) {
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

bool peer_closed(const beast::error_code& ec) {
    return ec == asio::error::eof || ec == http::error::end_of_stream ||
           ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe;
}

std::string connect_failure(const beast::error_code& ec, milliseconds limit) {
    if (ec == beast::error::timeout) return no_answer(limit);
    if (ec == asio::error::connection_refused) return "connection refused";
    return "cannot connect: " + lower_first(ec.message());
}

std::string handshake_failure(const beast::error_code& ec, milliseconds limit) {
    if (ec == beast::error::timeout) return no_answer(limit);
    if (peer_closed(ec)) return "TLS handshake failed: connection closed";
    return "TLS handshake failed: " + lower_first(ec.message());
}

std::string exchange_failure(const beast::error_code& ec, milliseconds limit) {
    if (ec == beast::error::timeout) return no_answer(limit);
    if (peer_closed(ec)) return "connection closed before a response";
    if (ec == http::error::partial_message) return "connection closed in the middle of a response";
    if (ec == http::error::header_limit)
        return "malformed response: header larger than " + std::to_string(kHeaderLimit / 1024) +
               " KiB";
    if (ec.category() == http::make_error_code(http::error::bad_version).category())
        return "malformed response: " + ec.message();
    return lower_first(ec.message());
}

// "503 Service Unavailable"; the number alone for a status without a standard reason.
std::string status_text(int status) {
    std::string text = std::to_string(status);
    auto known = http::int_to_status(static_cast<unsigned>(status));
    if (known != http::status::unknown) text += " " + std::string(http::obsolete_reason(known));
    return text;
}

// The request target goes on the request line as it is: no room for spaces or line breaks.
bool valid_target(const std::string& path) {
    return !path.empty() && path[0] == '/' &&
           std::all_of(path.begin(), path.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

template <class Stream>
ProbeResult exchange(asio::io_context& io, Stream& stream, const HealthCheck& check,
                     milliseconds limit) {
    ProbeResult r;
    http::request<http::empty_body> request{http::verb::get, check.path, 11};
    std::string host = url_host(check.host);
    if (check.port != (check.https ? 443 : 80)) host += ":" + std::to_string(check.port);
    request.set(http::field::host, host);
    request.set(http::field::user_agent, "berth/" BERTH_VERSION);
    request.set(http::field::connection, "close");
    auto ec = step(io, [&](auto handler) { http::async_write(stream, request, handler); });
    if (ec) {
        r.detail = exchange_failure(ec, limit);
        return r;
    }
    beast::flat_buffer buffer(2 * kHeaderLimit);
    http::response_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    ec = step(io, [&](auto handler) { http::async_read_header(stream, buffer, parser, handler); });
    // A Content-Length above kBodyLimit stops the parser right after a complete head.
    bool long_body = ec == http::error::body_limit && parser.is_header_done();
    if (ec && !long_body) {
        r.detail = exchange_failure(ec, limit);
        return r;
    }
    r.status = parser.get().result_int();
    // The status decides. The body is read only to end the exchange cleanly: at most kBodyLimit
    // and within the same deadline, so a huge or endless body cannot hold the probe; whatever
    // ends the reading (the limit, the deadline, a cut) does not change the answer.
    if (!long_body && !parser.is_done())
        step(io, [&](auto handler) { http::async_read(stream, buffer, parser, handler); });
    r.healthy = r.status == check.expect;
    r.detail = status_text(r.status);
    if (!r.healthy) r.detail += " (expected " + std::to_string(check.expect) + ")";
    return r;
}

ProbeResult attempt(const HealthCheck& check, milliseconds limit) {
    using Kind = HealthCheck::Kind;
    ProbeResult r;
    if (check.kind == Kind::none) {
        r.detail = "no health check";
        return r;
    }
    if (check.port < 1 || check.port > 65535) {
        r.detail = "invalid port " + std::to_string(check.port);
        return r;
    }
    if (check.kind == Kind::http && !valid_target(check.path)) {
        r.detail = "invalid path (it starts with '/' and has no spaces or control characters)";
        return r;
    }
    Target target = resolve(check.host, check.port);
    if (!target.error.empty()) {
        r.detail = target.error;
        return r;
    }
    // One deadline for the whole attempt: connecting (to each address in turn), the TLS
    // handshake, writing and reading all end by it.
    auto deadline = std::chrono::steady_clock::now() + limit;
    asio::io_context io;
    auto connect = [&](beast::tcp_stream& lowest) {
        lowest.expires_at(deadline);
        return step(io, [&](auto handler) { lowest.async_connect(target.endpoints, handler); });
    };

    if (check.kind == Kind::tcp || !check.https) {
        beast::tcp_stream stream(io);
        if (auto ec = connect(stream)) {
            r.detail = connect_failure(ec, limit);
            return r;
        }
        if (check.kind == Kind::http) return exchange(io, stream, check, limit);
        r.healthy = true;
        r.detail = "connected";
        return r;
    }

    // Certificates are not verified, on purpose: the probe talks to the service on its own host,
    // usually by address, where a certificate for the public name would not match and a private
    // CA would not be trusted (Kubernetes' HTTPS probes do the same). It proves the service
    // answers TLS and HTTP, not who it is.
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    if (auto ec = connect(beast::get_lowest_layer(stream))) {
        r.detail = connect_failure(ec, limit);
        return r;
    }
    std::string name = bare_host(check.host);
    if (!ip_literal(name)) SSL_set_tlsext_host_name(stream.native_handle(), name.c_str());
    auto ec = step(
        io, [&](auto handler) { stream.async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec) {
        r.detail = handshake_failure(ec, limit);
        return r;
    }
    return exchange(io, stream, check, limit);
}

} // namespace

ProbeResult probe_once(const HealthCheck& check, std::chrono::milliseconds limit) {
    auto start = std::chrono::steady_clock::now();
    ProbeResult r;
    try {
        r = attempt(check, limit);
    } catch (const std::exception& e) {
        // Creating the TLS context or a buffer can throw; a probe answers "unhealthy" instead.
        r = {};
        r.detail = std::string("probe failed: ") + e.what();
    }
    r.took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    return r;
}

std::string describe(const HealthCheck& check) {
    using Kind = HealthCheck::Kind;
    if (check.kind == Kind::none) return "none";
    std::string where = url_host(check.host) + ":" + std::to_string(check.port);
    if (check.kind == Kind::tcp) return "tcp://" + where;
    return (check.https ? "https://" : "http://") + where + check.path;
}

std::vector<std::string> hosts_file_addresses(std::string_view hosts_text, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& line : split_lines(hosts_text)) {
        auto words = split_words(std::string_view(line).substr(0, line.find('#')));
        if (words.size() < 2) continue;
        bool named = std::any_of(words.begin() + 1, words.end(),
                                 [&](const std::string& w) { return iequals(w, name); });
        if (named && std::find(out.begin(), out.end(), words[0]) == out.end())
            out.push_back(words[0]);
    }
    return out;
}

} // namespace berth::deploy
