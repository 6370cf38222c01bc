// Destinations as a person writes them, and words quoted for the remote shell.
#include "remote/transport.hpp"
#include "util/error.hpp"

#include <arpa/inet.h>
#include <cctype>
#include <netinet/in.h>

namespace berth::remote {

namespace {

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Letters, digits, '.', '_', '-'; also '$' (Samba machine accounts) and '@' (user@REALM:
// ssh splits the destination at its last '@').
bool user_char(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '$' || c == '@';
}

// Host names and ssh_config aliases: letters, digits, '.', '-', '_'.
bool host_char(char c) {
    return is_alnum(c) || c == '.' || c == '-' || c == '_';
}

bool ipv6_text(std::string_view s) {
    // An address inet_pton reads, then an optional %zone ("fe80::1%eth0").
    std::size_t zone = s.find('%');
    std::string addr(s.substr(0, zone));
    for (char c : addr) // also no NUL, where inet_pton would stop reading
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    in6_addr bytes{};
    if (::inet_pton(AF_INET6, addr.c_str(), &bytes) != 1) return false;
    if (zone != std::string_view::npos) {
        std::string_view name = s.substr(zone + 1);
        if (name.empty()) return false;
        for (char c : name)
            if (!host_char(c)) return false;
    }
    return true;
}

[[noreturn]] void bad(const std::string& text, const std::string& why) {
    throw InputError("destination '" + text + "': " + why);
}

} // namespace

std::string Destination::ssh_target() const {
    return user.empty() ? host : user + "@" + host;
}

std::string Destination::text() const {
    std::string out = user.empty() ? "" : user + "@";
    // An IPv6 address always in brackets: "fe:1" alone would read as host "fe", port 1.
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == 0 ? out : out + ":" + std::to_string(port);
}

Destination parse_destination(const std::string& text) {
    if (text.empty()) bad(text, "empty");
    if (text.size() > 512) bad(text.substr(0, 40) + "...", "longer than 512 characters");
    if (text.front() == '-') bad(text, "starts with '-', which ssh would read as an option");
    Destination d;
    std::string_view rest = text;
    if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
        d.user = std::string(rest.substr(0, at));
        rest.remove_prefix(at + 1);
        if (d.user.empty()) bad(text, "empty user name before '@'");
        if (d.user.front() == '-') bad(text, "the user name starts with '-'");
        for (char c : d.user)
            if (!user_char(c))
                bad(text,
                    "the user name may hold letters, digits, '.', '_', '-', '$' and '@' only");
    }
    std::string_view port;
    bool has_port = false;
    if (!rest.empty() && rest.front() == '[') {
        std::size_t close = rest.find(']');
        if (close == std::string_view::npos) bad(text, "'[' without ']'");
        std::string_view inside = rest.substr(1, close - 1);
        std::string_view after = rest.substr(close + 1);
        if (!ipv6_text(inside)) bad(text, "'[...]' must hold an IPv6 address");
        d.host = std::string(inside);
        if (!after.empty()) {
            if (after.front() != ':') bad(text, "only ':PORT' may follow ']'");
            port = after.substr(1);
            has_port = true;
        }
    } else {
        std::size_t colons = 0;
        for (char c : rest) colons += c == ':';
        if (colons >= 2) {
            // A bare IPv6 address: no port (write [addr]:port for one).
            if (!ipv6_text(rest)) bad(text, "not an IPv6 address; write [ADDRESS]:PORT");
            d.host = std::string(rest);
        } else {
            std::size_t colon = rest.find(':');
            d.host = std::string(rest.substr(0, colon));
            if (colon != std::string_view::npos) {
                port = rest.substr(colon + 1);
                has_port = true;
            }
            if (d.host.empty()) bad(text, "no host name");
            if (d.host.front() == '-') bad(text, "the host name starts with '-'");
            if (d.host.front() == '.') bad(text, "the host name starts with '.'");
            for (char c : d.host)
                if (!host_char(c))
                    bad(text, "the host name may hold letters, digits, '.', '-' and '_' only");
        }
    }
    if (d.host.empty()) bad(text, "no host name");
    if (d.host.size() > 253) bad(text, "the host name is longer than 253 characters");
    if (has_port) {
        if (port.empty() || port.size() > 5) bad(text, "the port must be a number from 1 to 65535");
        int value = 0;
        for (char c : port) {
            if (c < '0' || c > '9') bad(text, "the port must be a number from 1 to 65535");
            value = value * 10 + (c - '0');
        }
        if (value < 1 || value > 65535) bad(text, "the port must be a number from 1 to 65535");
        d.port = value;
    }
    return d;
}

std::string shell_quote(std::string_view word) {
    std::string out;
    out.reserve(word.size() + 2);
    out += '\'';
    for (char c : word) {
        if (c == '\0') throw InputError("a command word holds a NUL byte, which no shell can pass");
        if (c == '\'')
            out += "'\\''"; // close the quote, an escaped quote, open again
        else
            out += c;
    }
    out += '\'';
    return out;
}

} // namespace berth::remote
