// Every berth.yaml key, once: its documentation (docs/config.md's table is rendered from it) and
// how it is read. The loader (app_config.cpp) knows no key of its own.
#include "config/config_keys.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace berth::config {

namespace {

using std::chrono::milliseconds;

// A path on the machine running berth: relative ones are relative to berth.yaml's directory.
std::string local_path(const YamlValue& v) {
    std::string t = v.text();
    if (t.empty()) v.fail("must be a path");
    std::filesystem::path p(t);
    if (p.is_relative()) p = std::filesystem::path(v.path).parent_path() / p;
    return p.lexically_normal().string();
}

// "2.3.1", "v1.4.0+incompatible", "3f2a9c1d0e8b-dirty": it names a release directory.
std::string checked_version(const YamlValue& v) {
    std::string t = v.text();
    bool ok = !t.empty() && t.size() <= 64 && t[0] != '.' && t[0] != '-' &&
              t.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._+-") == std::string::npos;
    if (!ok) v.fail("must be 1 to 64 letters, digits, '.', '_', '+' or '-', not '" + t + "'");
    return t;
}

unsigned file_mode(const YamlValue& v) {
    std::string t = v.text();
    bool ok =
        t.size() >= 3 && t.size() <= 4 && t.find_first_not_of("01234567") == std::string::npos;
    unsigned mode = ok ? static_cast<unsigned>(std::stoul(t, nullptr, 8)) : 0;
    if (!ok || mode > 0777) v.fail("must be an octal mode such as 0640, not '" + t + "'");
    return mode;
}

// The health check: "http: /healthz" (the listen port), "http: https://127.0.0.1:8443/healthz",
// "tcp: 8080" or "tcp: 127.0.0.1:8080".
void read_health(const YamlValue& v, AppConfig& c) {
    HealthSpec& h = c.health;
    v.fields({"http", "tcp", "expect", "interval", "timeout", "passes", "settle"},
             [&](const std::string& name, const YamlValue& f) {
                 if (name == "http") {
                     if (h.kind == HealthSpec::Kind::tcp) f.fail("and 'tcp' exclude each other");
                     h.kind = HealthSpec::Kind::http;
                     std::string t = f.text();
                     if (t.starts_with("/")) {
                         h.path = t;
                         return;
                     }
                     h.https = t.starts_with("https://");
                     if (!h.https && !t.starts_with("http://"))
                         f.fail("must be a path (/healthz) or an http:// or https:// URL, not '" +
                                t + "'");
                     std::string rest = t.substr(h.https ? 8 : 7);
                     std::size_t slash = rest.find('/');
                     h.path = slash == std::string::npos ? "/" : rest.substr(slash);
                     auto l = parse_listen_address(rest.substr(0, slash));
                     if (!l || l->address.empty())
                         f.fail(
                             "URL needs a host and a port, such as http://127.0.0.1:8080/healthz");
                     h.host = l->address;
                     h.port = l->port;
                 } else if (name == "tcp") {
                     if (h.kind == HealthSpec::Kind::http) f.fail("and 'http' exclude each other");
                     h.kind = HealthSpec::Kind::tcp;
                     ListenAddress l = checked_listen(f.text(), f.where());
                     if (!l.address.empty()) h.host = l.address;
                     h.port = l.port;
                 } else if (name == "expect") {
                     h.expect = static_cast<int>(f.whole(100, 599));
                 } else if (name == "interval") {
                     h.interval = f.duration(milliseconds(50), milliseconds(600000));
                 } else if (name == "timeout") {
                     h.timeout = f.duration(milliseconds(100), milliseconds(3600000));
                 } else if (name == "settle") {
                     h.settle = f.duration(milliseconds(0), milliseconds(3600000));
                 } else if (name == "passes") {
                     h.passes = static_cast<int>(f.whole(1, 100));
                 }
             });
    if (h.kind == HealthSpec::Kind::none) v.fail("needs 'http' or 'tcp'");
}

BatchSize batch_size(const YamlValue& v) {
    auto b = parse_batch_size(v.text());
    if (!b) v.fail("must be a number of hosts (2) or a percentage (25%), not '" + v.text() + "'");
    return *b;
}

void read_rollout(const YamlValue& v, AppConfig& c) {
    RolloutSpec& r = c.rollout;
    v.fields({"batch", "pause", "soak", "max_failures", "max_fail_percentage", "on_failure",
              "forks", "preflight"},
             [&](const std::string& name, const YamlValue& f) {
                 if (name == "batch") {
                     if (f.node.IsSequence())
                         f.each(
                             [&](const YamlValue& item) { r.batches.push_back(batch_size(item)); });
                     else
                         r.batches = {batch_size(f)};
                     if (r.batches.empty()) f.fail("must name at least one batch size");
                 } else if (name == "pause") {
                     r.pause = f.duration(milliseconds(0), milliseconds(86400000));
                 } else if (name == "soak") {
                     r.soak = f.duration(milliseconds(0), milliseconds(86400000));
                 } else if (name == "max_failures") {
                     r.max_failures = static_cast<int>(f.whole(0, 1000000));
                 } else if (name == "max_fail_percentage") {
                     r.max_fail_percentage = static_cast<int>(f.whole(0, 100));
                 } else if (name == "on_failure") {
                     std::string t = f.text();
                     if (t != "stop" && t != "rollback_all")
                         f.fail("must be stop or rollback_all, not '" + t + "'");
                     r.rollback_all = t == "rollback_all";
                 } else if (name == "forks") {
                     r.forks = static_cast<int>(f.whole(1, 500));
                 } else if (name == "preflight") {
                     std::string t = f.text();
                     if (t != "all" && t != "none") f.fail("must be all or none, not '" + t + "'");
                     r.preflight = t == "all";
                 }
             });
}

void read_config_files(const YamlValue& v, AppConfig& c) {
    v.each([&](const YamlValue& item) {
        ConfigFile f;
        item.fields({"src", "dest", "mode"}, [&](const std::string& name, const YamlValue& x) {
            if (name == "src") f.src = local_path(x);
            if (name == "dest") {
                f.dest = x.text();
                // Relative to the config directory (known once the name is); kept inside it.
                std::string d = f.dest.starts_with("/") ? f.dest : "/" + f.dest;
                checked_path(d, x.where());
            }
            if (name == "mode") f.mode = file_mode(x);
        });
        if (f.src.empty() || f.dest.empty()) item.fail("needs 'src' and 'dest'");
        c.config_files.push_back(f);
    });
}

void read_environment(const YamlValue& v, AppConfig& c) {
    if (!v.node.IsMap()) v.fail("must be a mapping of NAME: value");
    for (const auto& kv : v.node) {
        YamlValue name{kv.first, v.path, v.key};
        std::string n = name.text();
        bool ok = !n.empty() && !(n[0] >= '0' && n[0] <= '9') &&
                  n.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789_") == std::string::npos;
        if (!ok) name.fail("has '" + n + "', not a variable name (letters, digits, '_')");
        for (const auto& [seen, value] : c.environment)
            if (seen == n) name.fail("sets " + n + " twice");
        c.environment.emplace_back(n, YamlValue{kv.second, v.path, v.key + "." + n}.text());
    }
}

std::string destination(const YamlValue& item) {
    std::string t = item.text();
    if (t.empty() || t[0] == '-' || t.find_first_of(" \t'\"\\;$`") != std::string::npos)
        item.fail("is not a [user@]host[:port] destination: '" + t + "'");
    return t;
}

// A list of destinations, or a mapping of group names to lists of them.
void read_hosts(const YamlValue& v, AppConfig& c) {
    auto add = [&](const std::string& host) {
        if (std::find(c.hosts.begin(), c.hosts.end(), host) == c.hosts.end())
            c.hosts.push_back(host);
    };
    if (!v.node.IsMap()) {
        v.each([&](const YamlValue& item) {
            std::string host = destination(item);
            if (std::find(c.hosts.begin(), c.hosts.end(), host) != c.hosts.end())
                item.fail("names '" + host + "' twice");
            c.hosts.push_back(host);
        });
        return;
    }
    for (const auto& kv : v.node) {
        YamlValue name{kv.first, v.path, v.key};
        std::string n = name.text();
        bool ok = !n.empty() && (std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_') &&
                  n.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789_-") == std::string::npos;
        if (!ok)
            name.fail("has group '" + n +
                      "': a group name is letters, digits, '_' and '-', starting with a letter "
                      "or '_'");
        if (n == "all" || n == "ungrouped")
            name.fail("has group '" + n + "', a name every inventory has already: choose another");
        for (const auto& g : c.host_groups)
            if (g.name == n) name.fail("has group '" + n + "' twice");
        HostGroup group{n, {}};
        YamlValue{kv.second, v.path, v.key + "." + n}.each([&](const YamlValue& item) {
            std::string host = destination(item);
            if (std::find(group.hosts.begin(), group.hosts.end(), host) != group.hosts.end())
                item.fail("names '" + host + "' twice");
            group.hosts.push_back(host);
            add(host);
        });
        c.host_groups.push_back(std::move(group));
    }
}

struct KeyRow {
    ConfigKey doc;
    KeyReader read;
};

const std::vector<KeyRow>& rows() {
    static const std::vector<KeyRow> table = {
        {{"name", "app name", "the binary's file name", "check, facts, unit, deploy",
          "Names the unit (NAME.service) and the default user and directories. 1 to 64 letters, "
          "digits, `-`, `_`, `.`; not starting with `.` or `-`."},
         [](const YamlValue& v, AppConfig& c) { c.name = checked_name(v.text(), v.where()); }},
        {{"description", "text", "`NAME (Go service, unit generated by berth)`", "unit, deploy",
          "The unit's Description=."},
         [](const YamlValue& v, AppConfig& c) { c.description = v.text(); }},
        {{"user", "user name", "none: DynamicUser=yes", "check, facts, unit, deploy",
          "The service user. check and facts look it up in /etc/passwd; the unit runs as it; "
          "deploy creates it when missing (see `create_user`)."},
         [](const YamlValue& v, AppConfig& c) { c.user = checked_user(v.text(), v.where()); }},
        {{"install_dir", "absolute path", "`/opt/NAME`", "check, facts, unit, deploy",
          "Where releases live (INSTALL_DIR/releases/ID, INSTALL_DIR/current). check judges its "
          "mount (noexec, read-only) and free space."},
         [](const YamlValue& v, AppConfig& c) {
             c.install_dir = checked_path(v.text(), v.where());
         }},
        {{"config_dir", "absolute path", "`/etc/NAME`", "check, facts, deploy",
          "The app's configuration: deploy installs `environment` and `config_files` here."},
         [](const YamlValue& v, AppConfig& c) {
             c.config_dir = checked_path(v.text(), v.where());
         }},
        {{"log_dir", "absolute path", "`/var/log/NAME`", "check, facts, unit, deploy",
          "Where the app writes logs: check judges that the user can write there; the unit's "
          "LogsDirectory= (under /var/log) or ReadWritePaths= (elsewhere)."},
         [](const YamlValue& v, AppConfig& c) { c.log_dir = checked_path(v.text(), v.where()); }},
        {{"listen", "`PORT`, `:PORT`, `HOST:PORT`, `[IPV6]:PORT`", "none: does not listen",
          "check, facts, unit, deploy",
          "The address the app listens on: check looks for a socket already bound there and at "
          "net.core.somaxconn; a port below 1024 makes the unit grant CAP_NET_BIND_SERVICE; "
          "`health: {http: /path}` probes this port."},
         [](const YamlValue& v, AppConfig& c) {
             ListenAddress l = checked_listen(v.text(), v.where());
             c.listen_address = l.address;
             c.listen_port = l.port;
         }},
        {{"port", "1..65535", "none", "check, facts, unit, deploy",
          "The listen port alone (same as `listen: PORT`)."},
         [](const YamlValue& v, AppConfig& c) {
             c.listen_port = static_cast<int>(v.whole(1, 65535));
         }},
        {{"nofile", "1..2^30", "65536", "check, unit, deploy",
          "File descriptors the service needs: check compares with DefaultLimitNOFILE and "
          "fs.nr_open; the unit's LimitNOFILE=."},
         [](const YamlValue& v, AppConfig& c) { c.nofile = v.whole(1, 1u << 30); }},
        {{"min_free_mb", "MiB", "1024", "check, deploy",
          "Free space wanted in the install and log dirs."},
         [](const YamlValue& v, AppConfig& c) { c.min_free_bytes = v.whole(0, 1ull << 30) << 20; }},
        {{"min_somaxconn", "count", "4096", "check, deploy",
          "The listen backlog a busy server wants."},
         [](const YamlValue& v, AppConfig& c) {
             c.min_somaxconn = static_cast<std::int64_t>(v.whole(0, 1u << 30));
         }},
        {{"exec", "absolute path", "`INSTALL_DIR/current/bin/NAME`", "unit",
          "The program the unit starts (deploy always starts the current release)."},
         [](const YamlValue& v, AppConfig& c) { c.exec = checked_path(v.text(), v.where()); }},
        {{"args", "list of words", "none", "unit, deploy",
          "Arguments after the program in ExecStart=."},
         [](const YamlValue& v, AppConfig& c) { c.args = v.list(); }},
        {{"environment_file", "path on this machine", "none", "unit, deploy",
          "A file of `NAME=value` lines for the service. deploy uploads it, with `environment`, "
          "as CONFIG_DIR/env (0600, root); the unit reads it (EnvironmentFile=)."},
         [](const YamlValue& v, AppConfig& c) { c.environment_file = local_path(v); }},
        {{"environment", "mapping NAME: value", "none", "unit, deploy",
          "Variables for the service, installed with `environment_file` (these win) in "
          "CONFIG_DIR/env."},
         read_environment},
        {{"working_directory", "absolute path", "none", "unit, deploy",
          "The unit's WorkingDirectory=."},
         [](const YamlValue& v, AppConfig& c) {
             c.working_directory = checked_path(v.text(), v.where());
         }},
        {{"shutdown_timeout", "seconds, 1..3600", "25", "unit, deploy",
          "How long the app needs to drain on SIGTERM; TimeoutStopSec= is 5 s more. deploy "
          "warns when the old process had to be killed."},
         [](const YamlValue& v, AppConfig& c) {
             c.shutdown_timeout = static_cast<int>(v.whole(1, 3600));
         }},
        {{"systemd_version", "200..999", "252", "unit",
          "The target's systemd: directives it lacks are left out of a generated unit (deploy "
          "reads the host's version)."},
         [](const YamlValue& v, AppConfig& c) {
             c.systemd_version = static_cast<int>(v.whole(200, 999));
         }},
        {{"binary", "path on this machine", "the command's BINARY argument", "deploy",
          "The Go program to deploy."},
         [](const YamlValue& v, AppConfig& c) { c.binary = local_path(v); }},
        {{"version", "1..64 of letters, digits, `._+-`",
          "the main module's version, else vcs.revision (12) + `-dirty`, else the sha256's "
          "first 12 hex digits",
          "deploy", "The release's version; its ID is VERSION-SHA12."},
         [](const YamlValue& v, AppConfig& c) { c.version = checked_version(v); }},
        {{"config_files", "list of {src, dest, mode}", "none", "deploy",
          "Files installed atomically under CONFIG_DIR (`dest` relative to it), mode 0640 "
          "(group: the service user) or 0644 without a user."},
         read_config_files},
        {{"unit", "path on this machine", "a generated unit", "deploy",
          "Your own unit file instead of the generated one; it is linted, and U3xx errors stop "
          "the deploy."},
         [](const YamlValue& v, AppConfig& c) { c.unit_file = local_path(v); }},
        {{"health", "{http: PATH or URL | tcp: PORT, expect, interval, timeout, passes, settle}",
          "none (only the unit's state)", "deploy",
          "How a release proves healthy, probed on the host: `passes` (3) answers with status "
          "`expect` (200) in a row, every `interval` (1s), within `timeout` (30s); and no "
          "restart during `settle` (5s)."},
         read_health},
        {{"rollout",
          "{batch: N or P% or a list, pause, soak, max_failures, max_fail_percentage, "
          "on_failure: stop or rollback_all, forks, preflight: all or none}",
          "one batch of every host, forks 10, stop at the first failure", "deploy (several hosts)",
          "How a deploy to several hosts proceeds: batches in turn (the last size repeats; "
          "`[1, 25%]` makes a canary), `pause` or `soak` (wait, then every host of the batch "
          "must still be healthy) between them; the rollout stops when more than "
          "`max_failures` hosts in all, or more than `max_fail_percentage` of one batch, fail "
          "(neither set: the first failure); `rollback_all` then returns the hosts it updated "
          "to their previous release. `preflight: all` runs the gate on every host first."},
         read_rollout},
        {{"keep_releases", "2..100", "5", "deploy",
          "Releases kept on the host; older ones are removed (never the current or previous)."},
         [](const YamlValue& v, AppConfig& c) {
             c.keep_releases = static_cast<int>(v.whole(2, 100));
         }},
        {{"create_user", "true or false", "true", "deploy",
          "Create `user` on the host when it is missing (else the deploy stops at the gate)."},
         [](const YamlValue& v, AppConfig& c) { c.create_user = v.boolean(); }},
        {{"hosts", "list of `[user@]host[:port]`, or a mapping of group: list",
          "none: this machine", "deploy, hosts",
          "Where to deploy, over the system OpenSSH client (ssh_config applies). Groups "
          "(`hosts: {web: [web1, web2], db: [db1]}`) can be chosen with `--limit` as an Ansible "
          "inventory's (docs/inventory.md); a host may be in several."},
         read_hosts},
        {{"ssh", "list of `Key=Value`", "none", "deploy",
          "Extra OpenSSH options (`-o Key=Value`), e.g. `ProxyJump=bastion`."},
         [](const YamlValue& v, AppConfig& c) {
             v.each([&](const YamlValue& item) {
                 std::string t = item.text();
                 std::size_t eq = t.find('=');
                 if (eq == std::string::npos || eq == 0 ||
                     t.substr(0, eq).find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
                         std::string::npos)
                     item.fail("must be an OpenSSH option Key=Value, not '" + t + "'");
                 c.ssh_options.push_back(t);
             });
         }},
        {{"sudo", "true or false", "false", "deploy",
          "Run berth on the host through `sudo -n` (a login user that is not root, with "
          "passwordless sudo)."},
         [](const YamlValue& v, AppConfig& c) { c.sudo = v.boolean(); }},
    };
    return table;
}

} // namespace

KeyReader find_key_reader(const std::string& key) {
    for (const auto& r : rows())
        if (key == r.doc.key) return r.read;
    return nullptr;
}

std::vector<std::string> key_names() {
    std::vector<std::string> names;
    for (const auto& r : rows()) names.push_back(r.doc.key);
    return names;
}

const std::vector<ConfigKey>& config_keys() {
    static const std::vector<ConfigKey> keys = [] {
        std::vector<ConfigKey> out;
        for (const auto& r : rows()) out.push_back(r.doc);
        return out;
    }();
    return keys;
}

std::string config_keys_markdown() {
    std::string out = "| key | type | default | used by | meaning |\n|---|---|---|---|---|\n";
    for (const auto& k : config_keys())
        out += std::string("| `") + k.key + "` | " + k.type + " | " + k.default_value + " | " +
               k.used_by + " | " + k.meaning + " |\n";
    return out;
}

} // namespace berth::config
