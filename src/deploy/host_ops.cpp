#include "deploy/host_ops.hpp"

#include "config/app_config.hpp"
#include "deploy/health.hpp"
#include "deploy/history.hpp"
#include "deploy/layout.hpp"
#include "deploy/release.hpp"
#include "deploy/systemd_ctl.hpp"
#include "deploy/verify.hpp"
#include "facts/library_facts.hpp"
#include "host/host_facts.hpp"
#include "host/host_facts_json.hpp"
#include "host/host_io.hpp"
#include "host/users.hpp"
#include "remote/transport.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/utc_time.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace berth::deploy {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t kMaxSmallFile = 16u << 20; // env and config files, units
constexpr std::size_t kHistoryShown = 200;

// ---- Arguments: checked again on this side ----

std::string str(const json& args, const char* key) {
    auto it = args.find(key);
    if (it == args.end() || !it->is_string())
        throw InputError(std::string("request lacks \"") + key + "\"");
    return it->get<std::string>();
}

std::string path_arg(const json& args, const char* key) {
    return config::checked_path(str(args, key), key);
}

std::string sha_arg(const json& args, const char* key) {
    std::string s = str(args, key);
    if (s.size() != 64 || s.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw InputError(std::string("\"") + key + "\" is not a sha256");
    return s;
}

std::string id_arg(const json& args, const char* key) {
    std::string id = str(args, key);
    if (!valid_release_id(id)) throw InputError("not a release ID: '" + id + "'");
    return id;
}

std::string unit_arg(const json& args) {
    std::string u = str(args, "unit");
    if (!u.ends_with(".service")) throw InputError("not a service unit: '" + u + "'");
    config::checked_name(u.substr(0, u.size() - 8), "unit");
    return u;
}

Layout layout_arg(const json& args) {
    Layout l = args.at("layout").get<Layout>();
    config::checked_name(l.name, "layout.name");
    for (const auto* p : {&l.install_dir, &l.releases, &l.current, &l.state, &l.lock, &l.history,
                          &l.tmp, &l.config_dir, &l.env_file, &l.log_dir, &l.unit_path})
        config::checked_path(*p, "layout");
    if (l.unit_name != l.name + ".service")
        throw InputError("layout.unit_name is not NAME.service");
    return l;
}

std::string staging_path(const std::string& sha) {
    return std::string(kBerthHome) + "/staging/" + sha;
}

void require_lock(const AgentSession& s, const Layout& l) {
    if (s.lock_fd < 0 || s.locked_app != l.install_dir)
        throw InputError("this session does not hold the lock of " + l.install_dir);
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Reads the whole payload (a small file) and checks its hash.
std::string read_payload(OpIo& io, std::size_t limit, const std::string& sha) {
    if (io.payload > limit)
        throw InputError("file of " + std::to_string(io.payload) + " bytes is too large");
    std::string content(io.payload, '\0');
    std::size_t done = 0;
    while (done < content.size()) {
        std::size_t n = io.read(
            std::as_writable_bytes(std::span(content.data() + done, content.size() - done)));
        if (n == 0) throw InputError("the file's bytes ended early: the connection was cut?");
        done += n;
    }
    if (sha256_hex(std::as_bytes(std::span(content.data(), content.size()))) != sha)
        throw InputError("the file's bytes do not match their sha256");
    return content;
}

// ---- Users (read from /etc/passwd and /etc/group: no NSS in a static berth) ----

std::optional<host::PasswdEntry> passwd_entry(const std::string& user) {
    auto text = read_text("/etc/passwd");
    if (!text) return std::nullopt;
    for (const auto& e : host::parse_passwd(*text))
        if (e.name == user) return e;
    return std::nullopt;
}

std::optional<gid_t> group_id(const std::string& group) {
    auto text = read_text("/etc/group");
    if (!text) return std::nullopt;
    for (const auto& g : host::parse_group(*text))
        if (g.name == group) return g.gid;
    return std::nullopt;
}

// ---- Releases on the host ----

struct ReleaseInfo {
    std::string id, version, sha256, installed;
    std::uint64_t size = 0;
};

std::optional<ReleaseInfo> read_release(const Layout& l, const std::string& id) {
    auto text = read_text(l.release_dir(id) + "/release.json", 1u << 16);
    if (!text) return std::nullopt;
    try {
        json j = json::parse(*text);
        ReleaseInfo r;
        r.id = j.at("id").get<std::string>();
        r.version = j.value("version", "");
        r.sha256 = j.at("sha256").get<std::string>();
        r.size = j.value("size", std::uint64_t{0});
        r.installed = j.value("installed", "");
        if (r.id != id) return std::nullopt;
        return r;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::vector<ReleaseInfo> list_releases(const Layout& l) {
    std::vector<ReleaseInfo> out;
    for (const auto& name : host::list_dir(l.releases)) {
        if (name.starts_with(".") || !valid_release_id(name)) continue;
        if (auto r = read_release(l, name)) out.push_back(*r);
    }
    return out;
}

std::string current_release(const Layout& l) {
    auto target = host::read_link(l.current);
    if (!target || !target->starts_with("releases/")) return "";
    std::string id = target->substr(9);
    return valid_release_id(id) ? id : "";
}

History read_history(const Layout& l) {
    return parse_history(read_text(l.history, 64u << 20).value_or(""));
}

// The holder written into the lock file by the session that has it; nullopt when it is free.
std::optional<json> lock_holder(const Layout& l) {
    int fd = ::open(l.lock.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<json> holder;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        auto text = read_regular_fd(fd, 1u << 16);
        try {
            holder = json::parse(text.value_or("{}"));
        } catch (const json::exception&) {
            holder = json::object();
        }
    }
    ::close(fd);
    return holder;
}

int systemd_version() {
    try {
        auto r = remote::local_transport()->run({"systemctl", "--version"}, "", 10s);
        auto words = split_words(r.out.substr(0, r.out.find('\n')));
        if (words.size() >= 2 && words[0] == "systemd")
            return static_cast<int>(parse_int(words[1]).value_or(0));
    } catch (const remote::TransportError&) {
    }
    return 0;
}

json state_json(const ServiceState& s) {
    return {{"active_state", s.active_state},
            {"sub_state", s.sub_state},
            {"result", s.result},
            {"invocation_id", s.invocation_id},
            {"n_restarts", s.n_restarts},
            {"main_pid", s.main_pid},
            {"exec_main_status", s.exec_main_status},
            {"active_enter", s.active_enter},
            {"uptime_us", s.active_state == "active" && s.active_enter_monotonic_us
                              ? monotonic_now_us() - s.active_enter_monotonic_us
                              : 0},
            {"loaded", s.loaded}};
}

// ---- The ops ----

json op_facts(const json& args, OpIo&, AgentSession&) {
    const json& c = args.at("collect");
    host::CollectOptions o;
    o.install_dir = path_arg(c, "install_dir");
    o.config_dir = path_arg(c, "config_dir");
    o.log_dir = path_arg(c, "log_dir");
    if (c.contains("binary")) o.binary = path_arg(c, "binary");
    o.listen_address = c.value("listen_address", "");
    o.listen_port = c.value("listen_port", 0);
    if (!c.value("user", "").empty()) o.user = config::checked_user(c.value("user", ""), "user");
    json out = host::host_facts_to_json(host::collect_host_facts(o));
    // The binary's libraries as this host's loader finds them, from a copy of it here (before
    // it is installed at `binary`).
    if (args.contains("libraries_of"))
        out["libraries"] =
            facts::resolve_library_facts(path_arg(args, "libraries_of"), sysroot::Root{});
    return out;
}

json op_state(const json& args, OpIo&, AgentSession&) {
    Layout l = layout_arg(args);
    json out;
    out["current"] = current_release(l);
    json releases = json::array();
    for (const auto& r : list_releases(l))
        releases.push_back({{"id", r.id},
                            {"version", r.version},
                            {"sha256", r.sha256},
                            {"size", r.size},
                            {"installed", r.installed}});
    out["releases"] = releases;
    History h = read_history(l);
    std::size_t from = h.entries.size() > kHistoryShown ? h.entries.size() - kHistoryShown : 0;
    out["history"] =
        std::vector<HistoryEntry>(h.entries.begin() + static_cast<long>(from), h.entries.end());
    out["history_damaged_lines"] = h.damaged_lines;
    json files = json::object();
    for (const auto& p : args.value("files", std::vector<std::string>{})) {
        auto sha = file_sha256(config::checked_path(p, "files"));
        files[p] = sha ? json(*sha) : json(nullptr);
    }
    out["files"] = files;
    std::string user = args.value("user", "");
    out["user_exists"] =
        user.empty() || passwd_entry(config::checked_user(user, "user")).has_value();
    out["systemd_version"] = systemd_version();
    ServiceState s;
    try {
        s = show_service(l.unit_name);
    } catch (const InputError&) {
    }
    out["service"] = state_json(s);
    auto holder = lock_holder(l);
    out["lock"] = holder ? *holder : json(nullptr);
    return out;
}

json op_have(const json& args, OpIo&, AgentSession&) {
    std::string sha = sha_arg(args, "sha256");
    struct stat st {};
    if (::stat(staging_path(sha).c_str(), &st) == 0) return {{"path", staging_path(sha)}};
    if (args.contains("layout")) {
        Layout l = layout_arg(args);
        for (const auto& r : list_releases(l))
            if (r.sha256 == sha && ::stat(l.program(r.id).c_str(), &st) == 0)
                return {{"path", l.program(r.id)}};
    }
    return {{"path", nullptr}};
}

json op_receive(const json& args, OpIo& io, AgentSession&) {
    const std::string sha = sha_arg(args, "sha256");
    make_directories(std::string(kBerthHome) + "/staging", 0700);
    const std::string final_path = staging_path(sha);
    const std::string partial = final_path + ".partial-" + std::to_string(::getpid());
    int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0700);
    if (fd < 0) throw InputError(partial + ": cannot create: " + std::strerror(errno));
    Sha256 hash;
    std::vector<std::byte> buf(1u << 20);
    std::uint64_t got = 0;
    std::string write_error;
    std::uint64_t last_event = 0;
    while (got < io.payload) {
        std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), io.payload - got));
        std::size_t n = io.read(std::span(buf.data(), want));
        if (n == 0) break;
        got += n;
        hash.update(std::span(buf.data(), n));
        // Keep reading after a write error: the rest of the payload must still be consumed.
        for (std::size_t off = 0; write_error.empty() && off < n;) {
            ssize_t w = ::write(fd, buf.data() + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                write_error = std::strerror(errno);
                break;
            }
            off += static_cast<std::size_t>(w);
        }
        if (got - last_event >= (4u << 20)) {
            io.event({{"received", got}, {"size", io.payload}});
            last_event = got;
        }
    }
    if (write_error.empty() && ::fsync(fd) != 0) write_error = std::strerror(errno);
    ::close(fd);
    auto fail = [&](const std::string& why) {
        ::unlink(partial.c_str());
        throw InputError(why);
    };
    if (!write_error.empty())
        fail("cannot write the upload to " + std::string(kBerthHome) + "/staging: " + write_error);
    if (got != io.payload)
        fail("the upload ended after " + std::to_string(got) + " of " + std::to_string(io.payload) +
             " bytes: the connection was cut");
    if (std::string actual = hash.hex(); actual != sha)
        fail("the upload arrived damaged: sha256 " + actual + ", expected " + sha);
    if (::rename(partial.c_str(), final_path.c_str()) != 0)
        fail(final_path + ": cannot rename into place: " + std::strerror(errno));
    sync_directory(std::string(kBerthHome) + "/staging");
    return {{"path", final_path}};
}

json op_discard(const json& args, OpIo&, AgentSession&) {
    ::unlink(staging_path(sha_arg(args, "sha256")).c_str());
    return json::object();
}

json op_lock(const json& args, OpIo&, AgentSession& s) {
    Layout l = layout_arg(args);
    if (s.lock_fd >= 0) {
        if (s.locked_app == l.install_dir) return json::object();
        throw InputError("this session already holds the lock of " + s.locked_app);
    }
    make_directories(l.install_dir, 0755);
    make_directories(l.state, 0700);
    int fd = ::open(l.lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw InputError(l.lock + ": cannot open: " + std::strerror(errno));
    // A deploy whose connection was just cut lets go within a moment (its berth notices the end
    // of its input): wait that long before naming the holder.
    bool locked = false;
    int e = 0;
    for (int tries = 0; tries < 20; ++tries) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            locked = true;
            break;
        }
        e = errno;
        if (e != EWOULDBLOCK) break;
        ::usleep(100 * 1000);
    }
    if (!locked) {
        json holder = json::object();
        try {
            holder = json::parse(read_regular_fd(fd, 1u << 16).value_or("{}"));
        } catch (const json::exception&) {
        }
        ::close(fd);
        if (e != EWOULDBLOCK) throw InputError(l.lock + ": cannot lock: " + std::strerror(e));
        throw InputError(
            "another deploy of " + l.name + " holds the lock: " + holder.value("user", "?") + "@" +
            holder.value("machine", "?") + " (berth pid " + std::to_string(holder.value("pid", 0)) +
            " on this host) since " + holder.value("since", "?") +
            "; it ends when that deploy does (the lock dies with its process)");
    }
    json holder = args.value("holder", json::object());
    holder["pid"] = ::getpid();
    holder["since"] = utc_now();
    std::string text = holder.dump() + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0 ||
        ::fsync(fd) != 0)
        throw InputError(l.lock + ": cannot write: " + std::strerror(errno));
    s.lock_fd = fd;
    s.locked_app = l.install_dir;
    return {{"since", holder["since"]}};
}

// Copies a file (a release from staging on another file system, or another release's program).
void copy_file(const std::string& from, const std::string& to) {
    auto content = read_text(from, 4ull << 30);
    if (!content) throw InputError(from + ": cannot read");
    write_file_atomically(to, *content, 0755);
}

json op_install(const json& args, OpIo&, AgentSession& s) {
    Layout l = layout_arg(args);
    require_lock(s, l);
    const json& r = args.at("release");
    const std::string id = id_arg(r, "id");
    const std::string sha = sha_arg(r, "sha256");
    if (auto existing = read_release(l, id)) {
        if (existing->sha256 != sha)
            throw InputError(l.release_dir(id) + " holds another binary (sha256 " +
                             existing->sha256 + "): remove it by hand");
        return {{"created", false}};
    }
    const std::string source = path_arg(args, "source");
    make_directories(l.releases, 0755);
    make_directories(l.tmp, 0700);
    const std::string tmp = l.tmp + "/" + id + "." + std::to_string(::getpid());
    remove_tree(tmp);
    make_directories(tmp + "/bin", 0755);
    const std::string program = tmp + "/bin/" + l.name;
    // From staging the file moves: it is named by its sha256, checked when it arrived, in a
    // directory only root can write. Another release's program is copied (releases are
    // immutable) and checked again.
    const bool moved =
        source == staging_path(sha) && ::rename(source.c_str(), program.c_str()) == 0;
    if (!moved) copy_file(source, program);
    if (::chown(program.c_str(), 0, 0) != 0 || ::chmod(program.c_str(), 0755) != 0)
        throw InputError(program + ": cannot set owner and mode: " + std::strerror(errno));
    if (!moved && sha256_file(program) != sha)
        throw InputError(program + ": sha256 differs from the release's");
    json info = {{"id", id},
                 {"version", r.value("version", "")},
                 {"sha256", sha},
                 {"size", r.value("size", std::uint64_t{0})},
                 {"installed", utc_now()}};
    write_file_atomically(tmp + "/release.json", info.dump(2) + "\n", 0644);
    sync_directory(tmp + "/bin");
    sync_directory(tmp);
    if (::rename(tmp.c_str(), l.release_dir(id).c_str()) != 0)
        throw InputError(l.release_dir(id) + ": cannot rename into place: " + std::strerror(errno));
    sync_directory(l.releases);
    return {{"created", true}};
}

json op_write(const json& args, OpIo& io, AgentSession&) {
    const std::string path = path_arg(args, "path");
    const std::string sha = sha_arg(args, "sha256");
    const auto mode = static_cast<mode_t>(args.at("mode").get<unsigned>() & 0777);
    FileOwner owner;
    if (std::string group = args.value("group", ""); !group.empty()) {
        auto gid = group_id(group);
        if (!gid) throw InputError("group " + group + " does not exist on this host");
        owner.gid = *gid;
    }
    std::string content = read_payload(io, kMaxSmallFile, sha);
    json out;
    auto old = read_text(path, kMaxSmallFile);
    out["previous"] = old ? json(base64(*old)) : json(nullptr);
    struct stat st {};
    bool same = old && sha256_hex(std::as_bytes(std::span(old->data(), old->size()))) == sha &&
                ::stat(path.c_str(), &st) == 0 && (st.st_mode & 0777) == mode &&
                st.st_gid == owner.gid && st.st_uid == owner.uid;
    out["changed"] = !same;
    if (same) return out;
    std::string dir = path.substr(0, path.rfind('/'));
    make_directories(dir.empty() ? "/" : dir, 0755);
    write_file_atomically(path, content, mode, owner);
    return out;
}

json op_remove(const json& args, OpIo&, AgentSession&) {
    const std::string path = path_arg(args, "path");
    bool removed = ::unlink(path.c_str()) == 0;
    if (removed) sync_directory(path.substr(0, std::max<std::size_t>(1, path.rfind('/'))));
    return {{"removed", removed}};
}

json op_ensure_user(const json& args, OpIo&, AgentSession&) {
    const std::string user = config::checked_user(str(args, "user"), "user");
    if (passwd_entry(user)) return {{"created", false}};
    auto r = remote::local_transport()->run({"useradd", "--system", "--user-group",
                                             "--no-create-home", "--home-dir", "/nonexistent",
                                             "--shell", "/usr/sbin/nologin", user},
                                            "", 30s);
    if (r.status != 0) throw InputError("useradd " + user + ": " + std::string(trim(r.err)));
    return {{"created", true}};
}

json op_daemon_reload(const json&, OpIo&, AgentSession&) {
    systemctl({"daemon-reload"}, 120s);
    return json::object();
}

json op_switch(const json& args, OpIo&, AgentSession& s) {
    Layout l = layout_arg(args);
    require_lock(s, l);
    const std::string id = id_arg(args, "id");
    if (!read_release(l, id)) throw InputError(l.release_dir(id) + " is not an installed release");
    std::string previous = current_release(l);
    replace_symlink("releases/" + id, l.current);
    return {{"previous", previous}};
}

json op_restart(const json& args, OpIo&, AgentSession&) {
    const std::string unit = unit_arg(args);
    json out;
    out["cursor"] = journal_cursor(unit);
    out["before"] = state_json(show_service(unit));
    // reset-failed also zeroes the start rate counter: without it a unit that was restarted a
    // few times in StartLimitIntervalSec (a rollback right after a deploy, a crash loop) refuses
    // to start with Result=start-limit-hit, even when it is not in the failed state now.
    try {
        systemctl({"reset-failed", unit}, 30s);
    } catch (const InputError&) {
    }
    if (args.value("enable", false)) systemctl({"enable", unit}, 60s);
    auto t0 = std::chrono::steady_clock::now();
    std::string error;
    try {
        systemctl({"restart", unit}, std::chrono::seconds(args.value("timeout_s", 900)));
    } catch (const InputError& e) {
        error = e.what(); // Type=notify/exec refusals: verify reports the state and the journal
    }
    out["took_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    out["error"] = error;
    // The old process did not end on SIGTERM and was killed after TimeoutStopSec.
    bool killed = false;
    for (const auto& line : journal_since(unit, out["cursor"].get<std::string>(), 200))
        if (line.find("State 'stop-sigterm' timed out. Killing.") != std::string::npos ||
            line.find("State 'stop-final-sigterm' timed out") != std::string::npos)
            killed = true;
    out["stop_killed"] = killed;
    return out;
}

json op_stop(const json& args, OpIo&, AgentSession&) {
    systemctl({"stop", unit_arg(args)}, std::chrono::seconds(args.value("timeout_s", 900)));
    return json::object();
}

HealthCheck health_arg(const json& h) {
    HealthCheck c;
    std::string kind = h.value("kind", "none");
    c.kind = kind == "http"  ? HealthCheck::Kind::http
             : kind == "tcp" ? HealthCheck::Kind::tcp
                             : HealthCheck::Kind::none;
    c.https = h.value("https", false);
    c.host = h.value("host", "127.0.0.1");
    c.port = h.value("port", 0);
    c.path = h.value("path", "/");
    c.expect = h.value("expect", 200);
    c.interval = std::chrono::milliseconds(h.value("interval_ms", 1000));
    c.timeout = std::chrono::milliseconds(h.value("timeout_ms", 30000));
    c.passes = h.value("passes", 3);
    c.settle = std::chrono::milliseconds(h.value("settle_ms", 5000));
    if (c.path.empty() || c.path[0] != '/' || c.path.find_first_of("\r\n ") != std::string::npos)
        throw InputError("health path must start with '/' and hold no spaces");
    if (c.kind != HealthCheck::Kind::none && (c.port < 1 || c.port > 65535))
        throw InputError("health check without a port 1..65535");
    return c;
}

json probe_json(const ProbeResult& p) {
    return {
        {"healthy", p.healthy}, {"status", p.status}, {"detail", p.detail}, {"ms", p.took.count()}};
}

json op_verify(const json& args, OpIo& io, AgentSession&) {
    VerifyRequest v;
    v.unit = unit_arg(args);
    v.health = health_arg(args.at("health"));
    VerifyOutcome o = verify_service(
        v,
        [&](const ProbeResult& p, int in_a_row) {
            json e = probe_json(p);
            e["in_a_row"] = in_a_row;
            io.event({{"probe", e}});
        },
        io.abandoned, io.pause);
    return {{"healthy", o.healthy},        {"reason", o.reason},     {"failure", o.failure},
            {"probes", o.probes},          {"in_a_row", o.in_a_row}, {"took_ms", o.took.count()},
            {"state", state_json(o.state)}};
}

json op_probe(const json& args, OpIo&, AgentSession&) {
    HealthCheck c = health_arg(args.at("health"));
    if (c.kind == HealthCheck::Kind::none)
        return {{"healthy", true}, {"detail", "no health check"}};
    return probe_json(probe_once(c, c.interval < 2000ms ? 2000ms : c.interval));
}

json op_journal(const json& args, OpIo&, AgentSession&) {
    return {{"lines", journal_since(unit_arg(args), args.value("cursor", ""),
                                    std::clamp(args.value("max", 50), 1, 1000))}};
}

json op_record(const json& args, OpIo&, AgentSession& s) {
    Layout l = layout_arg(args);
    require_lock(s, l);
    HistoryEntry e = args.at("entry").get<HistoryEntry>();
    History h = read_history(l);
    e.seq = h.entries.empty() ? 1 : h.entries.back().seq + 1;
    e.time = utc_now();
    std::string line = json(e).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    int fd =
        ::open(l.history.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw InputError(l.history + ": cannot open: " + std::strerror(errno));
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              ::fsync(fd) == 0;
    int e2 = errno;
    ::close(fd);
    if (!ok) throw InputError(l.history + ": cannot append: " + std::strerror(e2));
    sync_directory(l.state);
    return {{"seq", e.seq}};
}

json op_prune(const json& args, OpIo&, AgentSession& s) {
    Layout l = layout_arg(args);
    require_lock(s, l);
    const int keep = std::clamp(args.at("keep").get<int>(), 2, 100);
    auto protect = args.value("protect", std::vector<std::string>{});
    protect.push_back(current_release(l));
    std::vector<std::string> ids;
    for (const auto& r : list_releases(l)) ids.push_back(r.id);
    json removed = json::array();
    for (const auto& id : releases_to_prune(read_history(l), ids, protect, keep)) {
        remove_tree(l.release_dir(id));
        removed.push_back(id);
    }
    if (!removed.empty()) sync_directory(l.releases);
    return {{"removed", removed}};
}

struct NamedOp {
    const char* name;
    HostOp op;
};

const NamedOp kOps[] = {
    {"facts", op_facts},
    {"state", op_state},
    {"have", op_have},
    {"receive", op_receive},
    {"discard", op_discard},
    {"lock", op_lock},
    {"install", op_install},
    {"write", op_write},
    {"remove", op_remove},
    {"ensure_user", op_ensure_user},
    {"daemon_reload", op_daemon_reload},
    {"switch", op_switch},
    {"restart", op_restart},
    {"stop", op_stop},
    {"verify", op_verify},
    {"probe", op_probe},
    {"journal", op_journal},
    {"record", op_record},
    {"prune", op_prune},
};

} // namespace

HostOp find_host_op(const std::string& name) {
    for (const auto& o : kOps)
        if (name == o.name) return o.op;
    return nullptr;
}

void tidy_berth_home() {
    const std::time_t now = std::time(nullptr);
    auto older_than = [&](const std::string& path, std::time_t age) {
        struct stat st {};
        return ::lstat(path.c_str(), &st) == 0 && now - st.st_mtime > age;
    };
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string me = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : "";
    // This build's file time says when it was last used.
    if (!me.empty()) ::utimensat(AT_FDCWD, me.c_str(), nullptr, 0);
    const std::string bin = std::string(kBerthHome) + "/bin";
    for (const auto& name : host::list_dir(bin))
        if (name.starts_with("berth-") && bin + "/" + name != me &&
            older_than(bin + "/" + name, 7 * 86400))
            ::unlink((bin + "/" + name).c_str());
    const std::string staging = std::string(kBerthHome) + "/staging";
    for (const auto& name : host::list_dir(staging))
        if (older_than(staging + "/" + name, 86400)) ::unlink((staging + "/" + name).c_str());
}

void install_self(const std::string& expected_sha256) {
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) throw InputError("cannot find this berth's own file (/proc/self/exe)");
    self[n] = '\0';
    std::string actual = sha256_file(self);
    if (actual != expected_sha256) {
        ::unlink(self);
        throw InputError("berth arrived damaged on this host: sha256 " + actual + ", expected " +
                         expected_sha256 + "; it was removed, run the deploy again");
    }
    const std::string dir = std::string(kBerthHome) + "/bin";
    make_directories(dir, 0700);
    const std::string final_path = dir + "/berth-" + expected_sha256;
    if (::chmod(self, 0700) != 0 || ::rename(self, final_path.c_str()) != 0)
        throw InputError(final_path + ": cannot install: " + std::strerror(errno));
    sync_directory(dir);
}

} // namespace berth::deploy
