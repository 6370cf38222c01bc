#include "config/app_config.hpp"

#include "config/config_keys.hpp"
#include "config/yaml_file.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <filesystem>
#include <yaml-cpp/yaml.h>

namespace berth::config {

namespace {

constexpr std::size_t kMaxConfigBytes = 1u << 20;

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
        KeyReader read = find_key_reader(key);
        if (!read) {
            std::string close = closest(key, key_names());
            throw InputError(where + ": unknown key '" + key + "'" +
                             (close.empty() ? "" : " (did you mean '" + close + "'?)") +
                             "; docs/config.md lists every key");
        }
        read(YamlValue{kv.second, path, key}, c);
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
    for (auto& f : c.config_files) {
        if (!f.dest.starts_with("/")) f.dest = c.config_dir + "/" + f.dest;
        if (!f.dest.starts_with(c.config_dir + "/"))
            throw InputError("config_files: '" + f.dest + "' is not under the config directory " +
                             c.config_dir);
        if (f.mode == 0) f.mode = c.user.empty() ? 0644 : 0640;
    }
}

std::optional<BatchSize> parse_batch_size(const std::string& text) {
    bool percent = !text.empty() && text.back() == '%';
    std::string digits = percent ? text.substr(0, text.size() - 1) : text;
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    int n = std::stoi(digits);
    if (n < 1 || (percent && n > 100)) return std::nullopt;
    BatchSize b;
    (percent ? b.percent : b.count) = n;
    return b;
}

bool has_environment(const AppConfig& c) {
    return !c.environment_file.empty() || !c.environment.empty();
}

std::string environment_path(const AppConfig& c) {
    return c.config_dir + "/env";
}

namespace {

nlohmann::json host_groups_json(const AppConfig& c) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& g : c.host_groups) out.push_back({{"name", g.name}, {"hosts", g.hosts}});
    return out;
}

} // namespace

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
         {"systemd_version", c.systemd_version},
         {"binary", c.binary},
         {"version", c.version},
         {"keep_releases", c.keep_releases},
         {"create_user", c.create_user},
         {"hosts", c.hosts},
         {"host_groups", host_groups_json(c)},
         {"sudo", c.sudo}};
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

} // namespace berth::config
