#include "host/sockets.hpp"

#include "host/host_io.hpp"

#include <arpa/inet.h>
#include <bit>
#include <charconv>
#include <map>
#include <netinet/in.h>

namespace berth::host {

namespace {

// The kernel prints each 32-bit word of the address as a native-endian number in hex.
bool hex_words_to_bytes(std::string_view hex, unsigned char* out, std::size_t words) {
    if (hex.size() != words * 8) return false;
    for (std::size_t w = 0; w < words; ++w) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            char c = hex[w * 8 + i];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                           : -1;
            if (d < 0) return false;
            v = v << 4 | static_cast<std::uint32_t>(d);
        }
        for (int b = 0; b < 4; ++b) {
            int shift = std::endian::native == std::endian::little ? 8 * b : 8 * (3 - b);
            out[w * 4 + static_cast<std::size_t>(b)] = static_cast<unsigned char>(v >> shift);
        }
    }
    return true;
}

bool is_wildcard(const std::string& address) {
    return address.empty() || address == "0.0.0.0" || address == "::";
}

// "::ffff:1.2.3.4" and "1.2.3.4" name the same IPv4 address.
std::string unmapped(const std::string& address) {
    if (address.starts_with("::ffff:") && address.find('.') != std::string::npos)
        return address.substr(7);
    return address;
}

} // namespace

std::vector<Listener> parse_proc_net_tcp(std::string_view text, bool ipv6) {
    std::vector<Listener> out;
    for (const auto& line : split_lines(text)) {
        auto f = split_words(line);
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        if (f.size() < 10 || f[3] != "0A") continue;
        auto colon = f[1].find(':');
        if (colon == std::string::npos) continue;
        unsigned char bytes[16] = {};
        if (!hex_words_to_bytes(std::string_view(f[1]).substr(0, colon), bytes, ipv6 ? 4 : 1))
            continue;
        char buf[INET6_ADDRSTRLEN] = {};
        ::inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf);
        std::string_view port_hex = std::string_view(f[1]).substr(colon + 1);
        unsigned port = 0;
        auto [end, ec] = std::from_chars(port_hex.begin(), port_hex.end(), port, 16);
        if (ec != std::errc{} || end != port_hex.end() || port > 65535) continue;
        Listener l;
        l.family = ipv6 ? "ipv6" : "ipv4";
        l.address = buf;
        l.port = static_cast<int>(port);
        l.uid = static_cast<std::uint32_t>(parse_uint(f[7]).value_or(0));
        l.inode = parse_uint(f[9]).value_or(0);
        out.push_back(std::move(l));
    }
    return out;
}

std::string unit_from_cgroup(std::string_view text) {
    // "0::/system.slice/shop.service" (cgroup v2), "1:name=systemd:/system.slice/..." (v1).
    std::string unit;
    for (const auto& line : split_lines(text)) {
        auto colon = line.find(':', line.find(':') + 1);
        if (colon == std::string::npos) continue;
        for (const auto& part : split_nonempty(std::string_view(line).substr(colon + 1), '/'))
            for (const char* suffix : {".service", ".scope", ".socket"})
                if (part.ends_with(suffix)) unit = part;
        if (!unit.empty()) return unit;
    }
    return unit;
}

bool listener_conflicts(const Listener& l, const std::string& address, int port) {
    if (port == 0 || l.port != port) return false;
    if (is_wildcard(address) || is_wildcard(l.address)) return true;
    return unmapped(address) == unmapped(l.address);
}

ListenFacts collect_listen(const std::string& address, int port,
                           const std::vector<ProcessRef>& processes,
                           std::vector<std::string>& notes) {
    ListenFacts f;
    f.address = address;
    f.port = port;
    for (bool v6 : {false, true}) {
        const char* path = v6 ? "/proc/net/tcp6" : "/proc/net/tcp";
        auto text = read_text(path);
        if (!text) {
            notes.push_back(std::string("cannot read ") + path);
            continue;
        }
        for (auto& l : parse_proc_net_tcp(*text, v6)) f.listeners.push_back(std::move(l));
    }
    std::map<std::uint64_t, Listener*> by_inode;
    for (auto& l : f.listeners)
        if (l.inode != 0) by_inode[l.inode] = &l;
    for (const auto& p : processes) {
        if (by_inode.empty()) break;
        std::string dir = "/proc/" + std::to_string(p.pid) + "/fd";
        for (const auto& fd : list_dir(dir)) {
            auto target = read_link(dir + "/" + fd);
            if (!target || !target->starts_with("socket:[")) continue;
            auto inode = parse_uint(std::string_view(*target).substr(8, target->size() - 9));
            if (!inode) continue;
            auto it = by_inode.find(*inode);
            if (it == by_inode.end() || it->second->pid != 0) continue;
            it->second->pid = p.pid;
            it->second->process = p.name;
            // The service's own socket is no obstacle to restarting that service.
            if (auto cg = read_text("/proc/" + std::to_string(p.pid) + "/cgroup", 1u << 16))
                it->second->unit = unit_from_cgroup(*cg);
        }
    }
    for (auto& l : f.listeners) {
        l.conflicts = listener_conflicts(l, address, port);
        if (l.conflicts) f.port_in_use = true;
    }
    return f;
}

} // namespace berth::host
