#include "config/app_intent.hpp"

#include "config/yaml_file.hpp"
#include "host/sockets.hpp"
#include "util/error.hpp"

#include <filesystem>
#include <yaml-cpp/yaml.h>

namespace berth {

namespace {

std::string where(const std::string& path, const YAML::Node& node) {
    return yaml_location(path, node);
}

template <typename T>
T scalar(const YAML::Node& node, const std::string& path, const char* key, const char* expected) {
    if (!node.IsScalar())
        throw InputError(where(path, node) + ": '" + key + "' must be " + expected);
    try {
        return node.as<T>();
    } catch (const YAML::Exception&) {
        throw InputError(where(path, node) + ": '" + key + "' must be " + expected + ", not '" +
                         node.Scalar() + "'");
    }
}

} // namespace

void parse_listen(const std::string& text, std::string& address, int& port) {
    if (!host::parse_listen_address(text, address, port))
        throw InputError("listen address '" + text +
                         "': expected PORT, :PORT, HOST:PORT or [IPV6]:PORT with a port 1..65535");
}

AppIntent parse_app_intent(const std::string& yaml_text, const std::string& path) {
    YAML::Node root = parse_yaml_mapping(yaml_text, path);
    AppIntent a;
    if (!root || root.IsNull()) return a;
    auto text = [&](const char* key, std::string& out) {
        if (auto n = root[key]) out = scalar<std::string>(n, path, key, "a string");
    };
    text("name", a.name);
    text("user", a.user);
    text("install_dir", a.install_dir);
    text("config_dir", a.config_dir);
    text("log_dir", a.log_dir);
    if (auto n = root["listen"]) {
        std::string listen = scalar<std::string>(n, path, "listen", "HOST:PORT or a port");
        try {
            parse_listen(listen, a.listen_address, a.listen_port);
        } catch (const InputError& e) {
            throw InputError(where(path, n) + ": " + e.what());
        }
    }
    if (auto n = root["port"]) {
        a.listen_port = scalar<int>(n, path, "port", "a port number");
        if (a.listen_port < 1 || a.listen_port > 65535)
            throw InputError(where(path, n) + ": 'port' must be 1..65535");
    }
    if (auto n = root["nofile"]) a.nofile = scalar<std::uint64_t>(n, path, "nofile", "a number");
    if (auto n = root["min_free_mb"])
        a.min_free_bytes = scalar<std::uint64_t>(n, path, "min_free_mb", "a number") << 20;
    if (auto n = root["min_somaxconn"])
        a.min_somaxconn = scalar<std::int64_t>(n, path, "min_somaxconn", "a number");
    return a;
}

AppIntent load_app_intent(const std::string& path) {
    return parse_app_intent(read_config_file(path), path);
}

void complete_app_intent(AppIntent& a, const std::string& binary_path) {
    if (a.name.empty()) a.name = std::filesystem::path(binary_path).filename().string();
    if (a.install_dir.empty()) a.install_dir = "/opt/" + a.name;
    if (a.config_dir.empty()) a.config_dir = "/etc/" + a.name;
    if (a.log_dir.empty()) a.log_dir = "/var/log/" + a.name;
}

void to_json(nlohmann::json& j, const AppIntent& a) {
    j = {{"name", a.name},
         {"user", a.user},
         {"install_dir", a.install_dir},
         {"config_dir", a.config_dir},
         {"log_dir", a.log_dir},
         {"listen_address", a.listen_address},
         {"listen_port", a.listen_port},
         {"nofile", a.nofile},
         {"min_free_bytes", a.min_free_bytes},
         {"min_somaxconn", a.min_somaxconn}};
}

void from_json(const nlohmann::json& j, AppIntent& a) {
    const AppIntent d;
    a.name = j.value("name", d.name);
    a.user = j.value("user", d.user);
    a.install_dir = j.value("install_dir", d.install_dir);
    a.config_dir = j.value("config_dir", d.config_dir);
    a.log_dir = j.value("log_dir", d.log_dir);
    a.listen_address = j.value("listen_address", d.listen_address);
    a.listen_port = j.value("listen_port", d.listen_port);
    a.nofile = j.value("nofile", d.nofile);
    a.min_free_bytes = j.value("min_free_bytes", d.min_free_bytes);
    a.min_somaxconn = j.value("min_somaxconn", d.min_somaxconn);
}

} // namespace berth
