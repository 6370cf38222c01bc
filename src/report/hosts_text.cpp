#include "report/hosts_text.hpp"

#include "util/strings.hpp"

#include <algorithm>

namespace berth::report {

std::string hosts_text(const std::vector<inventory::Host>& hosts, std::size_t total) {
    std::vector<std::vector<std::string>> rows = {{"NAME", "ADDRESS", "USER", "PORT", "GROUPS"}};
    for (const auto& h : hosts) {
        std::vector<std::string> groups;
        for (const auto& g : h.groups)
            if (g != "all") groups.push_back(g);
        const remote::Destination& d = h.destination;
        rows.push_back({h.name, d.host, d.user.empty() ? "-" : d.user,
                        d.port == 0 ? "-" : std::to_string(d.port), join(groups, ",")});
    }
    std::vector<std::size_t> width(5, 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i)
            line += i + 1 == r.size() ? r[i] : r[i] + std::string(width[i] - r[i].size() + 2, ' ');
        out += line + "\n";
    }
    out += std::to_string(hosts.size()) + " of " + std::to_string(total) + " hosts\n";
    return out;
}

} // namespace berth::report
