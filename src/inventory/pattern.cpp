// Ansible's host patterns (ansible/inventory/manager.py) as `--limit` reads them: the parts of a
// pattern (split at ',' or, failing that, at ':' outside [...]), regular parts first, then the
// '&' ones, then the '!' ones; a part names a host exactly, or matches group names (all their
// hosts) and host names by glob or ~regex; a [i] or [a:b] subscript picks from its matches.
#include "inventory/pattern.hpp"
#include "inventory/draft.hpp"
#include "inventory/host_range.hpp"
#include "inventory/inventory.hpp"
#include "util/error.hpp"

#include <optional>
#include <regex>
#include <set>

namespace berth::inventory {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string strip(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

} // namespace

std::vector<std::string> split_pattern(const std::string& pattern) {
    std::vector<std::string> parts;
    if (pattern.find(',') != std::string::npos) {
        for (std::size_t from = 0;;) {
            std::size_t comma = pattern.find(',', from);
            parts.push_back(pattern.substr(from, comma - from));
            if (comma == std::string::npos) break;
            from = comma + 1;
        }
    } else if (parse_address(pattern, true)) {
        parts.push_back(pattern); // "host:22", "[::1]:22", "web[1:3]" stay whole
    } else {
        // The words of (?:[^\s:\[\]]|\[[^\]]*\])+
        std::string word;
        for (std::size_t i = 0; i < pattern.size();) {
            char c = pattern[i];
            std::size_t close = c == '[' ? pattern.find(']', i + 1) : std::string::npos;
            if (close != std::string::npos) {
                word += pattern.substr(i, close + 1 - i);
                i = close + 1;
            } else if (is_space(c) || c == ':' || c == '[' || c == ']') {
                parts.push_back(word);
                word.clear();
                ++i;
            } else {
                word += c;
                ++i;
            }
        }
        parts.push_back(word);
    }
    std::vector<std::string> out;
    for (const auto& p : parts)
        if (std::string s = strip(p); !s.empty()) out.push_back(s);
    return out;
}

namespace {

// One character of a glob.
struct GlobToken {
    enum Kind { literal, any, star, set };
    Kind kind = literal;
    char c = 0;
    bool negate = false;
    std::vector<std::pair<char, char>> ranges;

    static GlobToken of(Kind k, char ch = 0) {
        GlobToken t;
        t.kind = k;
        t.c = ch;
        return t;
    }

    bool matches(char x) const {
        if (kind == literal) return x == c;
        if (kind == any) return true;
        bool in = false;
        for (const auto& [lo, hi] : ranges) in = in || (x >= lo && x <= hi);
        return in != negate;
    }
};

// fnmatch.translate's reading: * ? [seq] [!seq]; a '[' without its ']' is itself.
std::vector<GlobToken> compile_glob(std::string_view p) {
    std::vector<GlobToken> out;
    for (std::size_t i = 0; i < p.size();) {
        char c = p[i++];
        if (c == '*') {
            if (out.empty() || out.back().kind != GlobToken::star)
                out.push_back(GlobToken::of(GlobToken::star));
        } else if (c == '?') {
            out.push_back(GlobToken::of(GlobToken::any));
        } else if (c == '[') {
            std::size_t j = i;
            if (j < p.size() && p[j] == '!') ++j;
            if (j < p.size() && p[j] == ']') ++j;
            while (j < p.size() && p[j] != ']') ++j;
            if (j >= p.size()) {
                out.push_back(GlobToken::of(GlobToken::literal, '['));
                continue;
            }
            std::string_view body = p.substr(i, j - i);
            i = j + 1;
            GlobToken t = GlobToken::of(GlobToken::set);
            if (!body.empty() && body[0] == '!') {
                t.negate = true;
                body.remove_prefix(1);
            }
            for (std::size_t k = 0; k < body.size();) {
                if (k + 2 < body.size() && body[k + 1] == '-') {
                    t.ranges.emplace_back(body[k], body[k + 2]); // lo > hi: matches nothing
                    k += 3;
                } else {
                    t.ranges.emplace_back(body[k], body[k]);
                    ++k;
                }
            }
            out.push_back(t);
        } else {
            out.push_back(GlobToken::of(GlobToken::literal, c));
        }
    }
    return out;
}

bool glob_match(const std::vector<GlobToken>& t, std::string_view s) {
    std::size_t ti = 0, si = 0, star = std::string::npos, star_si = 0;
    while (si < s.size()) {
        if (ti < t.size() && t[ti].kind == GlobToken::star) {
            star = ti++;
            star_si = si;
        } else if (ti < t.size() && t[ti].matches(s[si])) {
            ++ti;
            ++si;
        } else if (star != std::string::npos) {
            ti = star + 1;
            si = ++star_si;
        } else {
            return false;
        }
    }
    while (ti < t.size() && t[ti].kind == GlobToken::star) ++ti;
    return ti == t.size();
}

struct Matcher {
    std::optional<std::regex> re; // ~regex, matched at the start of a name (Python's re.match)
    std::vector<GlobToken> glob;

    explicit Matcher(const std::string& pattern) {
        if (pattern[0] != '~') {
            glob = compile_glob(pattern);
            return;
        }
        if (pattern.size() > 1000)
            throw InputError("pattern '" + pattern.substr(0, 40) + "...' is too long");
        try {
            re.emplace(pattern.substr(1), std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            throw InputError("pattern '" + pattern + "': not a regular expression berth reads (" +
                             e.what() + ")");
        }
    }
    bool operator()(const std::string& name) const {
        if (re) return std::regex_search(name, *re, std::regex_constants::match_continuous);
        return glob_match(glob, name);
    }
};

// The matches of a part without its '&' or '!': groups (each with all its hosts) and hosts.
std::vector<std::string> enumerate(const Inventory& inv, const std::string& pattern,
                                   bool& any_group) {
    Matcher m(pattern);
    std::vector<std::string> out;
    any_group = false;
    for (const auto& g : inv.group_order) {
        if (!m(g)) continue;
        any_group = true;
        for (auto& h : ordered_hosts(inv.groups, g)) out.push_back(std::move(h));
    }
    if (!any_group || pattern[0] == '~' || pattern.find_first_of(".?*[") != std::string::npos)
        for (const auto& h : inv.host_order)
            if (m(h)) out.push_back(h);
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

long long number(std::string_view s) {
    long long v = 0;
    for (char c : s) v = std::min<long long>(v * 10 + (c - '0'), 1000000000);
    return v;
}

// A part's matches: `expr[i]`, `expr[a:b]`, `expr[a:]` pick from them (Python's indexing).
std::vector<std::string> match_part(const Inventory& inv, const std::string& part) {
    std::string pattern = part[0] == '&' || part[0] == '!' ? part.substr(1) : part;
    if (pattern.empty())
        throw InputError("pattern '" + part + "' names nothing after '" + part[0] + "'");
    std::optional<long long> index, start, end;
    if (pattern[0] != '~' && pattern.back() == ']') {
        std::size_t open = pattern.rfind('[');
        std::string_view in = std::string_view(pattern).substr(open + 1);
        in.remove_suffix(1);
        std::size_t sep = in.find_first_of(":-", in.size() > 0 && in[0] == '-' ? 1 : 0);
        if (open != std::string::npos && open > 0) {
            if (all_digits(in) || (in.size() > 1 && in[0] == '-' && all_digits(in.substr(1)))) {
                index = in[0] == '-' ? -number(in.substr(1)) : number(in);
            } else if (sep != std::string_view::npos && all_digits(in.substr(0, sep)) &&
                       (sep + 1 == in.size() || all_digits(in.substr(sep + 1)))) {
                start = number(in.substr(0, sep));
                end = sep + 1 == in.size() ? -1 : number(in.substr(sep + 1));
            }
            if (index || start) pattern = pattern.substr(0, open);
        }
    }
    bool any_group = false;
    std::vector<std::string> hosts = enumerate(inv, pattern, any_group);
    if (hosts.empty() && !any_group && pattern != "all")
        throw InputError("pattern '" + pattern + "' matches no host and no group");
    if (hosts.empty() || (!index && !start)) return hosts;
    auto n = static_cast<long long>(hosts.size());
    auto pick = [&](long long i) {
        if (i < -n || i >= n)
            throw InputError("pattern '" + part + "': no host at that index (it matches " +
                             std::to_string(n) + ")");
        return hosts[static_cast<std::size_t>(i < 0 ? i + n : i)];
    };
    if (index) return {pick(*index)};
    if (*end == 0) return {pick(*start)}; // Ansible's `if end:` reads [a:0] as [a]
    long long last = *end == -1 ? n - 1 : *end;
    std::vector<std::string> out;
    for (long long i = *start; i <= last && i < n; ++i)
        out.push_back(hosts[static_cast<std::size_t>(i)]);
    return out;
}

} // namespace

std::vector<Host> select_hosts(const Inventory& inv, const std::string& pattern) {
    std::vector<std::string> regular, intersect, exclude;
    for (auto& p : split_pattern(pattern))
        (p[0] == '&' ? intersect : p[0] == '!' ? exclude : regular).push_back(p);
    if (regular.empty() && intersect.empty() && exclude.empty())
        throw InputError("an empty host pattern");
    if (regular.empty()) regular.push_back("all");
    std::vector<std::string> chosen;
    std::set<std::string> names;
    for (const auto* list : {&regular, &intersect, &exclude}) {
        for (const auto& p : *list) {
            if (list == &regular && std::find(inv.host_order.begin(), inv.host_order.end(), p) !=
                                        inv.host_order.end()) {
                if (names.insert(p).second) chosen.push_back(p); // a host's own name
                continue;
            }
            std::vector<std::string> those = match_part(inv, p);
            std::set<std::string> that(those.begin(), those.end());
            if (list == &regular) {
                for (const auto& h : those)
                    if (names.insert(h).second) chosen.push_back(h);
            } else {
                std::erase_if(chosen, [&](const std::string& h) {
                    return (list == &exclude) == (that.count(h) != 0);
                });
                names = std::set<std::string>(chosen.begin(), chosen.end());
            }
        }
    }
    std::vector<Host> out;
    for (const auto& h : inv.hosts)
        if (names.count(h.name)) out.push_back(h);
    if (out.empty()) throw InputError("pattern '" + pattern + "' selects no host");
    return out;
}

} // namespace berth::inventory
