#include "unit/spec.hpp"

#include "util/error.hpp"

#include <fstream>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace berth::unit {

namespace {

std::string at(const std::string& path, const YAML::Node& n) {
    const auto& m = n.Mark();
    return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::string scalar(const std::string& path, const YAML::Node& n, const char* key) {
    if (!n.IsScalar()) throw InputError(at(path, n) + ": '" + key + "' must be a string");
    return n.Scalar();
}

int integer(const std::string& path, const YAML::Node& n, const char* key, int lo, int hi) {
    if (!n.IsScalar()) throw InputError(at(path, n) + ": '" + key + "' must be a number");
    try {
        std::size_t used = 0;
        int v = std::stoi(n.Scalar(), &used);
        if (used != n.Scalar().size() || v < lo || v > hi) throw std::out_of_range("range");
        return v;
    } catch (const std::exception&) {
        throw InputError(at(path, n) + ": '" + key + "' must be a whole number from " +
                         std::to_string(lo) + " to " + std::to_string(hi) + ", not '" + n.Scalar() +
                         "'");
    }
}

} // namespace

UnitSpec parse_spec(const std::string& yaml_text, const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    UnitSpec s;
    if (!root || root.IsNull()) return s;
    if (!root.IsMap()) throw InputError(at(path, root) + ": expected a mapping of keys");
    for (const auto& kv : root) {
        std::string key = kv.first.Scalar();
        const YAML::Node& v = kv.second;
        if (key == "name")
            s.name = scalar(path, v, "name");
        else if (key == "description")
            s.description = scalar(path, v, "description");
        else if (key == "user")
            s.user = scalar(path, v, "user");
        else if (key == "exec")
            s.exec = scalar(path, v, "exec");
        else if (key == "environment_file")
            s.environment_file = scalar(path, v, "environment_file");
        else if (key == "working_directory")
            s.working_directory = scalar(path, v, "working_directory");
        else if (key == "port")
            s.port = integer(path, v, "port", 1, 65535);
        else if (key == "shutdown_timeout")
            s.shutdown_seconds = integer(path, v, "shutdown_timeout", 1, 3600);
        else if (key == "systemd_version")
            s.systemd_version = integer(path, v, "systemd_version", 200, 999);
        else if (key == "args") {
            if (!v.IsSequence()) throw InputError(at(path, v) + ": 'args' must be a list");
            for (const auto& a : v) s.args.push_back(scalar(path, a, "args"));
        }
    }
    return s;
}

UnitSpec load_spec(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_spec(ss.str(), path);
}

void merge_flags(UnitSpec& base, const UnitSpec& f) {
    auto take = [](std::string& to, const std::string& from) {
        if (!from.empty()) to = from;
    };
    take(base.name, f.name);
    take(base.description, f.description);
    take(base.user, f.user);
    take(base.exec, f.exec);
    take(base.environment_file, f.environment_file);
    take(base.working_directory, f.working_directory);
    if (!f.args.empty()) base.args = f.args;
    if (f.port) base.port = f.port;
    if (f.shutdown_seconds) base.shutdown_seconds = f.shutdown_seconds;
    if (f.systemd_version) base.systemd_version = f.systemd_version;
}

void validate_spec(UnitSpec& s) {
    if (s.name.empty()) throw InputError("no app name: give --name or 'name:' in berth.yaml");
    for (char c : s.name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            throw InputError("app name '" + s.name +
                             "' may only contain letters, digits, '-', '_' and '.'");
    for (char c : s.user)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
            throw InputError("user '" + s.user + "' is not a valid system user name");
    if (s.exec.empty()) s.exec = "/opt/" + s.name + "/current/bin/" + s.name;
    if (s.exec[0] != '/') throw InputError("exec '" + s.exec + "' must be an absolute path");
    for (const auto* p : {&s.environment_file, &s.working_directory}) {
        std::string v = *p;
        if (!v.empty() && v[0] == '-') v.erase(0, 1);
        if (!p->empty() && (v.empty() || v[0] != '/'))
            throw InputError("'" + *p + "' must be an absolute path");
    }
    for (const auto& a : s.args)
        if (a.find('\n') != std::string::npos)
            throw InputError("argument contains a newline: " + a);
    if (s.shutdown_seconds == 0) s.shutdown_seconds = 25;
    if (s.systemd_version == 0) s.systemd_version = 252;
    if (s.description.empty()) s.description = s.name + " (Go service, unit generated by berth)";
}

} // namespace berth::unit
