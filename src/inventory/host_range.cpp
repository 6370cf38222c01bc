// Transcribed from ansible/parsing/utils/addresses.py (parse_address) and
// ansible/plugins/inventory/__init__.py (expand_hostname_range), quirks included: the first '['
// and the first ']' delimit a range whatever their order, "[a:c]" counts in ascii_letters, a
// numeric range whose begin is past its end is empty.
#include "inventory/host_range.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <regex>

namespace berth::inventory {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

long long capped_number(std::string_view digits) {
    long long v = 0;
    for (char c : digits) v = std::min<long long>(v * 10 + (c - '0'), 1000000000);
    return v;
}

// Python's \w (non-ASCII bytes taken as the letters they most likely are part of).
bool is_word(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// "[x:y]" or "[x:y:step]" at `s`: with `letters`, x and y may also be one letter each. Returns
// its length, 0 when there is none.
std::size_t range_at(std::string_view s, bool letters) {
    if (s.empty() || s[0] != '[') return 0;
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return 0;
    std::string_view in = s.substr(1, close - 1);
    std::size_t c1 = in.find(':');
    if (c1 == std::string_view::npos) return 0;
    std::string_view a = in.substr(0, c1), rest = in.substr(c1 + 1);
    std::size_t c2 = rest.find(':');
    std::string_view b = rest.substr(0, c2);
    if (c2 != std::string_view::npos && !all_digits(rest.substr(c2 + 1))) return 0;
    auto letter = [](std::string_view x) {
        return x.size() == 1 && ((x[0] >= 'a' && x[0] <= 'z') || (x[0] >= 'A' && x[0] <= 'Z'));
    };
    bool ok = (all_digits(a) && all_digits(b)) || (letters && letter(a) && letter(b));
    return ok ? close + 1 : 0;
}

// One label of a host name: word characters, '-' and ranges, not starting with '-', not ending
// with '-' or '_'.
bool label_ok(std::string_view label) {
    if (label.empty()) return false;
    char last = 0;
    for (std::size_t i = 0; i < label.size();) {
        if (std::size_t n = range_at(label.substr(i), true); n > 0) {
            i += n;
            last = ']';
        } else if (is_word(label[i]) || (label[i] == '-' && i > 0)) {
            last = label[i++];
        } else {
            return false;
        }
    }
    return last != '-' && last != '_';
}

bool hostname_ok(std::string_view s) {
    // Ranges hold no '.', so the labels are what lies between dots.
    while (true) {
        std::size_t dot = s.find('.');
        if (!label_ok(s.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

bool ipv4_part_ok(std::string_view p) {
    if (range_at(p, false) == p.size() && !p.empty()) return true;
    if (!all_digits(p) || p.size() > 3) return false;
    // [01]?[0-9]{1,2} | 2[0-4][0-9] | 25[0-5]
    if (p.size() < 3 || p[0] == '0' || p[0] == '1') return true;
    return p[0] == '2' && (p[1] < '5' || (p[1] == '5' && p[2] <= '5'));
}

bool ipv4_ok(std::string_view s) {
    for (int i = 0; i < 4; ++i) {
        std::size_t dot = s.find('.');
        if ((i < 3) == (dot == std::string_view::npos)) return false;
        if (!ipv4_part_ok(s.substr(0, dot))) return false;
        s.remove_prefix(i < 3 ? dot + 1 : s.size());
    }
    return true;
}

bool ipv6_ok(const std::string& s) {
    if (s.size() > 200) return false;
    static const std::regex re = [] {
        const std::string c = R"((?:[0-9a-f]{1,4}|\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]))";
        const std::string p = "^(?:(?:" + c + ":){7}" + c + "|(?:" + c + ":){1,6}:|(?:" + c +
                              ":)(?::" + c + "){1,6}|(?:" + c + ":){2}(?::" + c + "){1,5}|(?:" + c +
                              ":){3}(?::" + c + "){1,4}|(?:" + c + ":){4}(?::" + c +
                              "){1,3}|(?:" + c + ":){5}(?::" + c + "){1,2}|(?:" + c +
                              ":){6}(?::" + c + ")|:(?::" + c + "){1,6}|" + c +
                              "?::|(?:0:){6}(?:" + c + "\\.){3}" + c + "|::(?:ffff:)?(?:" + c +
                              "\\.){3}" + c + "|(?:0:){5}ffff:(?:" + c + "\\.){3}" + c + ")$";
        return std::regex(p, std::regex::ECMAScript | std::regex::icase);
    }();
    return std::regex_match(s, re);
}

// ^\[(.+)\]:([0-9]+)$
bool bracketed_hostport(std::string& host, std::optional<long long>& port) {
    std::size_t close = host.rfind(']');
    if (host.size() < 5 || host[0] != '[' || close == std::string::npos || close < 2 ||
        close + 1 >= host.size() || host[close + 1] != ':' ||
        !all_digits(std::string_view(host).substr(close + 2)))
        return false;
    port = capped_number(std::string_view(host).substr(close + 2));
    host = host.substr(1, close - 1);
    return true;
}

// ^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$
bool hostport(std::string& host, std::optional<long long>& port) {
    std::size_t i = 0;
    while (i < host.size() && host[i] != ':' && host[i] != ']') {
        if (host[i] == '[') {
            std::size_t close = host.find(']', i);
            if (close == std::string::npos) return false;
            i = close + 1;
        } else {
            ++i;
        }
    }
    if (i >= host.size() || host[i] != ':' || !all_digits(std::string_view(host).substr(i + 1)))
        return false;
    port = capped_number(std::string_view(host).substr(i + 1));
    host = host.substr(0, i);
    return true;
}

// Python's int() of a range bound: spaces around, a sign, digits with single '_' between.
std::optional<long long> python_int(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    bool minus = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return std::nullopt;
    long long v = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && is_digit(s[i + 1]) && is_digit(s[i - 1])) continue;
        if (!is_digit(s[i]) || v > 100000000000LL) return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return minus ? -v : v;
}

// str.zfill: zeros after a sign, up to `width` characters.
std::string zfill(std::string s, std::size_t width) {
    if (s.size() >= width) return s;
    std::size_t at = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    s.insert(at, width - s.size(), '0');
    return s;
}

[[noreturn]] void range_error(const std::string& why) {
    throw InputError("host range " + why);
}

void expand(const std::string& line, std::vector<std::string>& out, std::size_t max_hosts) {
    std::size_t open = line.find('['), close = line.find(']');
    if (close == std::string::npos || line.find('|') != std::string::npos)
        range_error("'" + line + "' must be one [begin:end] or [begin:end:step] after another");
    std::size_t lo = std::min(open, close), hi = std::max(open, close);
    std::string head = line.substr(0, lo), tail = line.substr(hi + 1);
    std::string inner = line.substr(lo + 1, hi - lo - 1);
    std::vector<std::string> bounds;
    for (std::size_t from = 0;;) {
        std::size_t colon = inner.find(':', from);
        bounds.push_back(inner.substr(from, colon - from));
        if (colon == std::string::npos) break;
        from = colon + 1;
    }
    if (bounds.size() != 2 && bounds.size() != 3)
        range_error("must be begin:end or begin:end:step");
    std::string beg = bounds[0].empty() ? "0" : bounds[0], end = bounds[1];
    std::string step = bounds.size() == 3 ? bounds[2] : "1";
    if (end.empty()) range_error("must specify end value");
    std::size_t width = 0; // a leading zero asks for zero-padded numbers
    if (beg[0] == '0' && beg.size() > 1) {
        width = beg.size();
        if (width != end.size()) range_error("must specify equal-length begin and end formats");
    }
    std::vector<std::string> seq;
    static const std::string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::size_t a = letters.find(beg), b = letters.find(end);
    auto step_value = python_int(step);
    bool alpha = a != std::string::npos && b != std::string::npos && step_value && *step_value != 0;
    if (alpha) {
        if (a > b) range_error("must have begin <= end");
        // letters[a:b+1:step]; a negative step walks back from a and finds nothing before b.
        if (*step_value > 0)
            for (std::size_t i = a; i <= b; i += static_cast<std::size_t>(*step_value))
                seq.emplace_back(1, letters[i]);
    } else {
        auto x = python_int(beg), y = python_int(end);
        if (!x || !y || !step_value || *step_value == 0)
            range_error("'[" + inner + "]' needs whole numbers or single letters");
        long long s = *step_value;
        long long count = s > 0 ? (*y + 1 > *x ? (*y + 1 - *x + s - 1) / s : 0)
                                : (*y + 1 < *x ? (*x - *y - 1 + (-s) - 1) / (-s) : 0);
        if (count + static_cast<long long>(out.size()) > static_cast<long long>(max_hosts))
            throw InputError("'" + line + "' makes more than " + std::to_string(max_hosts) +
                             " hosts");
        for (long long i = 0; i < count; ++i) seq.push_back(std::to_string(*x + i * s));
    }
    for (const auto& item : seq) {
        std::string name = head + (width ? zfill(item, width) : item) + tail;
        if (name.find('[') != std::string::npos) {
            expand(name, out, max_hosts);
        } else {
            if (out.size() >= max_hosts)
                throw InputError("'" + line + "' makes more than " + std::to_string(max_hosts) +
                                 " hosts");
            out.push_back(name);
        }
    }
}

} // namespace

std::optional<Address> parse_address(std::string_view text, bool allow_ranges) {
    Address a{std::string(text), std::nullopt};
    // Both forms are tried in turn, as Ansible's loop does.
    bracketed_hostport(a.host, a.port);
    hostport(a.host, a.port);
    if (!ipv4_ok(a.host) && !ipv6_ok(a.host) && !hostname_ok(a.host)) return std::nullopt;
    if (!allow_ranges && a.host.find('[') != std::string::npos) return std::nullopt;
    return a;
}

HostEntry expand_host_entry(std::string_view entry, std::size_t max_hosts) {
    HostEntry e;
    std::string pattern(entry);
    if (auto a = parse_address(entry, true)) {
        pattern = a->host;
        e.port = a->port;
    }
    if (pattern.find('[') != std::string::npos)
        expand(pattern, e.names, max_hosts);
    else
        e.names.push_back(pattern);
    return e;
}

} // namespace berth::inventory
