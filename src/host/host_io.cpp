#include "host/host_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::host {

namespace {

std::deque<std::string> components(std::string_view path) {
    std::deque<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        if (j > i) out.emplace_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string join(const std::string& dir, const std::vector<std::string>& parts) {
    std::string out = dir;
    for (const auto& p : parts) {
        out += '/';
        out += p;
    }
    return out.empty() ? "/" : out;
}

} // namespace

std::string SystemRoot::real(const std::string& path) const {
    if (is_host()) return path;
    std::deque<std::string> todo = components(path);
    std::vector<std::string> done;
    int hops = 0;
    while (!todo.empty()) {
        std::string part = std::move(todo.front());
        todo.pop_front();
        if (part == ".") continue;
        if (part == "..") {
            if (!done.empty()) done.pop_back(); // ".." at the image's root stays at the root
            continue;
        }
        done.push_back(part);
        std::string here = join(dir, done);
        struct stat st {};
        if (::lstat(here.c_str(), &st) != 0) {
            // Missing: the rest cannot contain symlinks that exist either.
            for (auto& rest : todo) done.push_back(std::move(rest));
            return join(dir, done);
        }
        if (!S_ISLNK(st.st_mode)) continue;
        if (++hops > 40) return here; // a loop: let the caller's open fail with ELOOP-like result
        auto target = read_link(here);
        done.pop_back();
        if (!target) continue;
        if (!target->empty() && (*target)[0] == '/') done.clear();
        auto more = components(*target);
        todo.insert(todo.begin(), more.begin(), more.end());
    }
    return join(dir, done);
}

std::string SystemRoot::real_nofollow(const std::string& path) const {
    if (is_host()) return path;
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return real(path);
    std::string parent = real(slash == 0 ? "/" : path.substr(0, slash));
    if (parent.size() > 1 && parent.back() == '/') parent.pop_back();
    return parent + path.substr(slash);
}

std::optional<std::string> read_line(const std::string& real_path) {
    auto text = read_text(real_path, 1u << 16);
    if (!text) return std::nullopt;
    std::string_view v = *text;
    v = v.substr(0, v.find('\n'));
    return std::string(trim(v));
}

std::vector<std::string> list_dir(const std::string& real_path) {
    std::vector<std::string> names;
    DIR* d = ::opendir(real_path.c_str());
    if (!d) return names;
    while (const dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<std::string> read_link(const std::string& real_path) {
    std::string buf(4096, '\0');
    ssize_t n = ::readlink(real_path.c_str(), buf.data(), buf.size());
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find('\n', i);
        if (j == std::string_view::npos) j = text.size();
        std::string_view line = text.substr(i, j - i);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.emplace_back(line);
        i = j + 1;
    }
    return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    s = trim(s);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

} // namespace berth::host
