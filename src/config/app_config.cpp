#include "config/app_config.hpp"

#include "config/yaml_file.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <filesystem>
#include <yaml-cpp/yaml.h>

namespace berth {

namespace {

constexpr std::size_t kMaxConfigBytes = 1u << 20;

// The key closest to a misspelt one (Levenshtein distance), when it is close enough to be meant.
std::string closest_key(const std::string& key) {
    std::string best;
    std::size_t best_distance = SIZE_MAX;
    for (const auto& k : config_keys()) {
        const std::string known = k.key;
        std::vector<std::size_t> row(known.size() + 1);
        for (std::size_t j = 0; j <= known.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= key.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= known.size(); ++j) {
                std::size_t up = row[j];
                row[j] = std::min(
                    {row[j] + 1, row[j - 1] + 1, diagonal + (key[i - 1] == known[j - 1] ? 0 : 1)});
                diagonal = up;
            }
        }
        if (row[known.size()] < best_distance) {
            best_distance = row[known.size()];
            best = known;
        }
    }
    return best_distance <= std::max<std::size_t>(2, key.size() / 3) ? best : "";
}

// A key's value with its location, and the conversions every key uses.
struct Value {
    const YAML::Node& node;
    std::string key;
    std::string where; // FILE:LINE:COLUMN

    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(where + ": '" + key + "' " + what);
    }
    std::string text() const {
        if (!node.IsScalar()) fail("must be a single value, not a list or a mapping");
        if (node.Scalar().find('\n') != std::string::npos) fail("must be one line");
        return node.Scalar();
    }
    std::uint64_t whole(std::uint64_t lo, std::uint64_t hi) const {
        std::string t = text();
        auto v = parse_uint(t);
        // Digits only: YAML's own integers would read "010" as 8 and "0x10" as 16.
        if (!v || t.find_first_not_of("0123456789") != std::string::npos || *v < lo || *v > hi)
            fail("must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 ", not '" + t + "'");
        return *v;
    }
    std::vector<std::string> list() const {
        if (!node.IsSequence()) fail("must be a list ([a, b] or one '- item' per line)");
        std::vector<std::string> out;
        for (const auto& item : node) {
            if (!item.IsScalar()) fail("must be a list of single values");
            out.push_back(item.Scalar());
        }
        return out;
    }
};

using Reader = void (*)(const Value&, AppConfig&);

struct KeyReader {
    const char* key;
    Reader read;
};

// How each key of config_keys() is read. A test checks that the two lists name the same keys.
const KeyReader kReaders[] = {
    {"name", [](const Value& v, AppConfig& c) { c.name = checked_name(v.text(), v.where); }},
    {"description", [](const Value& v, AppConfig& c) { c.description = v.text(); }},
    {"user", [](const Value& v, AppConfig& c) { c.user = checked_user(v.text(), v.where); }},
    {"install_dir",
     [](const Value& v, AppConfig& c) { c.install_dir = checked_path(v.text(), v.where); }},
    {"config_dir",
     [](const Value& v, AppConfig& c) { c.config_dir = checked_path(v.text(), v.where); }},
    {"log_dir", [](const Value& v, AppConfig& c) { c.log_dir = checked_path(v.text(), v.where); }},
    {"listen",
     [](const Value& v, AppConfig& c) {
         ListenAddress l = checked_listen(v.text(), v.where);
         c.listen_address = l.address;
         c.listen_port = l.port;
     }},
    {"port",
     [](const Value& v, AppConfig& c) { c.listen_port = static_cast<int>(v.whole(1, 65535)); }},
    {"nofile", [](const Value& v, AppConfig& c) { c.nofile = v.whole(1, 1u << 30); }},
    {"min_free_mb",
     [](const Value& v, AppConfig& c) { c.min_free_bytes = v.whole(0, 1ull << 30) << 20; }},
    {"min_somaxconn",
     [](const Value& v, AppConfig& c) {
         c.min_somaxconn = static_cast<std::int64_t>(v.whole(0, 1u << 30));
     }},
    {"exec", [](const Value& v, AppConfig& c) { c.exec = checked_path(v.text(), v.where); }},
    {"args", [](const Value& v, AppConfig& c) { c.args = v.list(); }},
    {"environment_file",
     [](const Value& v, AppConfig& c) {
         // systemd's "-" prefix: a missing file is not an error.
         std::string t = v.text();
         bool optional = t.starts_with("-");
         c.environment_file =
             (optional ? "-" : "") + checked_path(optional ? t.substr(1) : t, v.where);
     }},
    {"working_directory",
     [](const Value& v, AppConfig& c) { c.working_directory = checked_path(v.text(), v.where); }},
    {"shutdown_timeout",
     [](const Value& v, AppConfig& c) { c.shutdown_timeout = static_cast<int>(v.whole(1, 3600)); }},
    {"systemd_version",
     [](const Value& v, AppConfig& c) { c.systemd_version = static_cast<int>(v.whole(200, 999)); }},
};

bool valid_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

} // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
    text = trim(text);
    std::string_view host, port_text;
    if (text.starts_with("[")) {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::nullopt;
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return std::nullopt; // IPv6 needs []
    } else {
        port_text = text;
    }
    auto p = parse_int(port_text);
    if (!p || *p < 1 || *p > 65535) return std::nullopt;
    return ListenAddress{std::string(host), static_cast<int>(*p)};
}

std::string checked_name(const std::string& value, const std::string& where) {
    // It names the unit, the user by default and directories under /opt, /etc and /var/log:
    // nothing that could leave them ("../..") or mean something to a shell or systemd.
    if (value.empty() || value.size() > 64 || value[0] == '.' || value[0] == '-' ||
        !std::all_of(value.begin(), value.end(), valid_name_char))
        throw InputError(where + ": app name '" + value +
                         "' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with "
                         "'.' or '-'");
    return value;
}

std::string checked_user(const std::string& value, const std::string& where) {
    // useradd's rule (NAME_REGEX): lower case, digits, '_' and '-', not starting with '-'.
    bool ok = !value.empty() && value.size() <= 32 && value[0] != '-' &&
              !(value[0] >= '0' && value[0] <= '9') &&
              std::all_of(value.begin(), value.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
              });
    if (!ok)
        throw InputError(where + ": user '" + value +
                         "' is not a valid system user name (1 to 32 of a-z, 0-9, '_', '-', "
                         "starting with a letter or '_')");
    return value;
}

std::string checked_path(const std::string& value, const std::string& where) {
    if (value.empty() || value[0] != '/')
        throw InputError(where + ": '" + value + "' must be an absolute path");
    for (const auto& part : split_nonempty(value, '/'))
        if (part == "." || part == "..")
            throw InputError(where + ": '" + value + "' must not contain '.' or '..' components");
    if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos)
        throw InputError(where + ": path must be one line");
    std::string p = value;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

ListenAddress checked_listen(const std::string& value, const std::string& where) {
    auto l = parse_listen_address(value);
    if (!l)
        throw InputError(where + ": listen address '" + value +
                         "': expected PORT, :PORT, HOST:PORT or [IPV6]:PORT with a port 1..65535");
    return *l;
}

AppConfig parse_app_config(const std::string& yaml_text, const std::string& path) {
    AppConfig c;
    c.source = path;
    YAML::Node root = parse_yaml_mapping(yaml_text, path);
    if (!root || root.IsNull()) return c;
    std::vector<std::string> seen;
    for (const auto& kv : root) {
        const std::string where = yaml_location(path, kv.first);
        if (!kv.first.IsScalar()) throw InputError(where + ": a key must be a plain word");
        const std::string key = kv.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            throw InputError(where + ": '" + key + "' is given twice");
        seen.push_back(key);
        auto reader = std::find_if(std::begin(kReaders), std::end(kReaders),
                                   [&](const KeyReader& r) { return key == r.key; });
        if (reader == std::end(kReaders)) {
            std::string close = closest_key(key);
            throw InputError(where + ": unknown key '" + key + "'" +
                             (close.empty() ? "" : " (did you mean '" + close + "'?)") +
                             "; docs/config.md lists every key");
        }
        const YAML::Node& value = kv.second;
        reader->read(Value{value, key, yaml_location(path, value)}, c);
    }
    return c;
}

AppConfig load_app_config(const std::string& path) {
    return parse_app_config(read_input_file(path, kMaxConfigBytes, "a berth.yaml"), path);
}

void complete_app_config(AppConfig& c, const std::string& binary_path) {
    if (c.name.empty())
        c.name = checked_name(std::filesystem::path(binary_path).filename().string(),
                              "the name taken from the binary's file name (set name: in "
                              "berth.yaml or --name)");
    if (c.install_dir.empty()) c.install_dir = "/opt/" + c.name;
    if (c.config_dir.empty()) c.config_dir = "/etc/" + c.name;
    if (c.log_dir.empty()) c.log_dir = "/var/log/" + c.name;
    if (c.exec.empty()) c.exec = c.install_dir + "/current/bin/" + c.name;
}

void to_json(nlohmann::json& j, const AppConfig& c) {
    j = {{"source", c.source},
         {"name", c.name},
         {"description", c.description},
         {"user", c.user},
         {"install_dir", c.install_dir},
         {"config_dir", c.config_dir},
         {"log_dir", c.log_dir},
         {"listen_address", c.listen_address},
         {"listen_port", c.listen_port},
         {"nofile", c.nofile},
         {"min_free_bytes", c.min_free_bytes},
         {"min_somaxconn", c.min_somaxconn},
         {"exec", c.exec},
         {"args", c.args},
         {"environment_file", c.environment_file},
         {"working_directory", c.working_directory},
         {"shutdown_timeout", c.shutdown_timeout},
         {"systemd_version", c.systemd_version}};
}

void from_json(const nlohmann::json& j, AppConfig& c) {
    const AppConfig d;
    c.source = j.value("source", d.source);
    c.name = j.value("name", d.name);
    c.description = j.value("description", d.description);
    c.user = j.value("user", d.user);
    c.install_dir = j.value("install_dir", d.install_dir);
    c.config_dir = j.value("config_dir", d.config_dir);
    c.log_dir = j.value("log_dir", d.log_dir);
    c.listen_address = j.value("listen_address", d.listen_address);
    c.listen_port = j.value("listen_port", d.listen_port);
    c.nofile = j.value("nofile", d.nofile);
    c.min_free_bytes = j.value("min_free_bytes", d.min_free_bytes);
    c.min_somaxconn = j.value("min_somaxconn", d.min_somaxconn);
    c.exec = j.value("exec", d.exec);
    c.args = j.value("args", d.args);
    c.environment_file = j.value("environment_file", d.environment_file);
    c.working_directory = j.value("working_directory", d.working_directory);
    c.shutdown_timeout = j.value("shutdown_timeout", d.shutdown_timeout);
    c.systemd_version = j.value("systemd_version", d.systemd_version);
}

} // namespace berth
