#pragma once
// Ansible's host entries: "host", "host:port", "[v6addr]:port", and ranges that make many hosts
// from one: web[01:20].example.com, db-[a:f], node[1:10:2] (a step), several in one name.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::inventory {

struct Address {
    std::string host;
    std::optional<long long> port; // as written (range checked later); capped at 10^9
};

// Ansible's parse_address: a host name, IPv4 or IPv6 address (with ranges when `allow_ranges`)
// and an optional port; nullopt when it is none of these.
std::optional<Address> parse_address(std::string_view text, bool allow_ranges);

// A host entry of an inventory: the host names it stands for and the port written with it.
// Like Ansible, an entry that is no address is taken as a name as it is (ranges still expanded).
// Throws InputError for a bad range, or when it would make more than `max_hosts` names.
struct HostEntry {
    std::vector<std::string> names;
    std::optional<long long> port;
};
HostEntry expand_host_entry(std::string_view entry, std::size_t max_hosts);

} // namespace berth::inventory
