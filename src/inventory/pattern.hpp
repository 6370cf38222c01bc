#pragma once
// Inside inventory/: the parts of a host pattern, as Ansible's split_host_pattern makes them
// ("a,b" at commas; else "a:!b" at colons outside [...], unless the whole is one host[:port]).
#include <string>
#include <vector>

namespace berth::inventory {

std::vector<std::string> split_pattern(const std::string& pattern);

} // namespace berth::inventory
