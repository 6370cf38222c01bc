// The field lists below are the schema: each struct's fields are listed once, in one fields()
// function used both to write and to read, so the two directions cannot drift apart.
#include "host/host_facts_json.hpp"

#include "host/host_io.hpp"
#include "util/error.hpp"

#include <concepts>
#include <optional>
#include <type_traits>
#include <utility>

namespace berth::host {

namespace {

using nlohmann::json;

// clang-format off
template <class V> void fields(V& v, CpuFacts& c) {
    v("arch", c.arch); v("kernel_release", c.kernel_release); v("vendor", c.vendor);
    v("model_name", c.model_name); v("logical_cpus", c.logical_cpus); v("flags", c.flags);
    v("x86_64_level", c.x86_64_level);
    v("x86_64_next_level_missing", c.x86_64_next_level_missing);
    v("arm64_features", c.arm64_features); v("ia32_emulation", c.ia32_emulation);
    v("ia32_emulation_evidence", c.ia32_emulation_evidence);
}
template <class V> void fields(V& v, GlibcFacts& g) {
    v("path", g.path); v("release", g.release); v("release_source", g.release_source);
    v("defines_up_to", g.defines_up_to); v("version_defs", g.version_defs);
}
template <class V> void fields(V& v, LibcFacts& l) {
    v("glibc", l.glibc); v("glibc_error", l.glibc_error); v("glibc_loaders", l.glibc_loaders);
    v("musl_loaders", l.musl_loaders); v("ld_so_cache_present", l.ld_so_cache_present);
    v("ld_so_cache_format", l.ld_so_cache_format);
    v("ld_so_cache_entries", l.ld_so_cache_entries); v("ld_so_conf_dirs", l.ld_so_conf_dirs);
    v("default_lib_dirs", l.default_lib_dirs);
}
template <class V> void fields(V& v, MountFacts& m) {
    v("mount_point", m.mount_point); v("fs_type", m.fs_type); v("source", m.source);
    v("options", m.options); v("super_options", m.super_options); v("read_only", m.read_only);
    v("noexec", m.noexec); v("nosuid", m.nosuid); v("nodev", m.nodev);
}
template <class V> void fields(V& v, SpaceFacts& s) {
    v("block_size", s.block_size); v("bytes_total", s.bytes_total);
    v("bytes_free", s.bytes_free); v("bytes_available", s.bytes_available);
    v("inodes_total", s.inodes_total); v("inodes_free", s.inodes_free);
    v("inodes_available", s.inodes_available);
}
template <class V> void fields(V& v, PathFacts& p) {
    v("role", p.role); v("path", p.path); v("exists", p.exists); v("examined", p.examined);
    v("type", p.type); v("mode", p.mode); v("uid", p.uid); v("gid", p.gid); v("mount", p.mount);
    v("space", p.space); v("selinux_context", p.selinux_context);
}
template <class V> void fields(V& v, SelinuxFacts& s) {
    v("present", s.present); v("mode", s.mode); v("config_mode", s.config_mode);
    v("config_type", s.config_type);
}
template <class V> void fields(V& v, AppArmorProfile& p) { v("name", p.name); v("mode", p.mode); }
template <class V> void fields(V& v, AppArmorFacts& a) {
    v("enabled", a.enabled); v("profiles_readable", a.profiles_readable);
    v("profiles", a.profiles);
}
template <class V> void fields(V& v, SecurityFacts& s) {
    v("selinux", s.selinux); v("apparmor", s.apparmor);
}
template <class V> void fields(V& v, ClockFacts& c) {
    v("read", c.read); v("state", c.state); v("state_name", c.state_name);
    v("synchronized", c.synchronized); v("status", c.status); v("esterror_us", c.esterror_us);
    v("maxerror_us", c.maxerror_us); v("offset", c.offset);
}
template <class V> void fields(V& v, ProcessRef& p) { v("name", p.name); v("pid", p.pid); }
template <class V> void fields(V& v, TimeFacts& t) {
    v("clock", t.clock); v("daemons", t.daemons); v("zone", t.zone);
    v("localtime_target", t.localtime_target); v("etc_timezone", t.etc_timezone);
}
template <class V> void fields(V& v, NofileLimit& n) {
    v("set", n.set); v("raw", n.raw); v("source", n.source); v("soft", n.soft);
    v("hard", n.hard);
}
template <class V> void fields(V& v, LimitsFacts& l) {
    v("systemd_default_nofile", l.systemd_default_nofile); v("fs_file_max", l.fs_file_max);
    v("fs_nr_open", l.fs_nr_open); v("somaxconn", l.somaxconn);
    v("local_port_low", l.local_port_low); v("local_port_high", l.local_port_high);
    v("tcp_max_syn_backlog", l.tcp_max_syn_backlog);
    v("overcommit_memory", l.overcommit_memory); v("swappiness", l.swappiness);
}
template <class V> void fields(V& v, Listener& l) {
    v("family", l.family); v("address", l.address); v("port", l.port); v("uid", l.uid);
    v("inode", l.inode); v("pid", l.pid); v("process", l.process); v("unit", l.unit); v("conflicts", l.conflicts);
}
template <class V> void fields(V& v, ListenFacts& l) {
    v("address", l.address); v("port", l.port); v("port_in_use", l.port_in_use);
    v("listeners", l.listeners);
}
template <class V> void fields(V& v, GroupRef& g) { v("name", g.name); v("gid", g.gid); }
template <class V> void fields(V& v, UsersFacts& u) {
    v("user", u.user); v("passwd_readable", u.passwd_readable);
    v("group_readable", u.group_readable); v("passwd_entries", u.passwd_entries);
    v("group_entries", u.group_entries); v("exists", u.exists); v("uid", u.uid); v("gid", u.gid);
    v("home", u.home); v("shell", u.shell); v("primary_group", u.primary_group);
    v("group_exists", u.group_exists); v("groups", u.groups);
}
template <class V> void fields(V& v, SystemdFacts& s) {
    v("pid1_is_systemd", s.pid1_is_systemd); v("pid1_comm", s.pid1_comm); v("booted", s.booted);
    v("version", s.version); v("version_full", s.version_full);
    v("version_source", s.version_source);
}
template <class V> void fields(V& v, FileFacts& f) {
    v("path", f.path); v("exists", f.exists); v("type", f.type);
    v("link_target", f.link_target); v("size", f.size); v("entries", f.entries);
    v("certificates", f.certificates);
}
template <class V> void fields(V& v, CaFacts& c) {
    v("ssl_cert_file", c.ssl_cert_file); v("ssl_cert_dir", c.ssl_cert_dir); v("files", c.files);
    v("dirs", c.dirs); v("go_bundle", c.go_bundle); v("go_finds_roots", c.go_finds_roots);
}
template <class V> void fields(V& v, FilesFacts& f) {
    v("ca", f.ca); v("zoneinfo_dirs", f.zoneinfo_dirs); v("localtime", f.localtime);
    v("localtime_is_tzif", f.localtime_is_tzif); v("nsswitch", f.nsswitch);
    v("nsswitch_hosts", f.nsswitch_hosts); v("resolv_conf", f.resolv_conf);
    v("nameservers", f.nameservers); v("resolv_search", f.resolv_search);
    v("resolv_options", f.resolv_options); v("hosts", f.hosts);
    v("hosts_has_localhost", f.hosts_has_localhost);
}
template <class V> void fields(V& v, HostFacts& h) {
    v("schema", h.schema); v("berth_version", h.berth_version); v("root", h.root);
    v("hostname", h.hostname); v("collected_at", h.collected_at); v("cpu", h.cpu);
    v("libc", h.libc); v("paths", h.paths); v("security", h.security); v("time", h.time);
    v("limits", h.limits); v("listen", h.listen); v("users", h.users); v("systemd", h.systemd);
    v("files", h.files); v("notes", h.notes);
}
// clang-format on

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};

template <class T> json write(const T& value);

struct Writer {
    json& out;
    template <class T> void operator()(const char* key, const T& value) { out[key] = write(value); }
};

template <class T> json write(const T& value) {
    if constexpr (is_optional<T>::value) {
        return value ? write(*value) : json(nullptr);
    } else if constexpr (is_vector<T>::value) {
        json a = json::array();
        for (const auto& e : value) a.push_back(write(e));
        return a;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
        return value;
    } else {
        json o = json::object();
        Writer w{o};
        fields(w, const_cast<T&>(value)); // Writer only reads the fields
        return o;
    }
}

[[noreturn]] void fail(const std::string& where, const char* expected) {
    throw InputError(where + ": expected " + expected);
}

template <class T> void read(const json& j, T& out, const std::string& where);

struct Reader {
    const json& in;
    std::string where;
    template <class T> void operator()(const char* key, T& value) {
        auto it = in.find(key);
        if (it == in.end()) throw InputError(where + ": missing field \"" + key + "\"");
        read(*it, value, where + "." + key);
    }
};

template <class T> void read(const json& j, T& out, const std::string& where) {
    if constexpr (is_optional<T>::value) {
        if (j.is_null()) {
            out.reset();
        } else {
            typename T::value_type v{};
            read(j, v, where);
            out = std::move(v);
        }
    } else if constexpr (is_vector<T>::value) {
        if (!j.is_array()) fail(where, "an array");
        out.clear();
        for (std::size_t i = 0; i < j.size(); ++i) {
            typename T::value_type v{};
            read(j[i], v, where + "[" + std::to_string(i) + "]");
            out.push_back(std::move(v));
        }
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!j.is_boolean()) fail(where, "true or false");
        out = j.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        if (!j.is_number_integer()) fail(where, "an integer");
        bool fits = j.is_number_unsigned() ? std::in_range<T>(j.get<std::uint64_t>())
                                           : std::in_range<T>(j.get<std::int64_t>());
        if (!fits) fail(where, "an integer in range");
        out = j.is_number_unsigned() ? static_cast<T>(j.get<std::uint64_t>())
                                     : static_cast<T>(j.get<std::int64_t>());
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!j.is_string()) fail(where, "a string");
        out = j.get<std::string>();
    } else {
        if (!j.is_object()) fail(where, "an object");
        Reader r{j, where};
        fields(r, out);
    }
}

} // namespace

nlohmann::json host_facts_to_json(const HostFacts& facts) {
    return write(facts);
}

HostFacts host_facts_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw InputError("facts: expected a JSON object");
    auto schema = j.find("schema");
    if (schema == j.end() || !schema->is_string() || *schema != kHostFactsSchema)
        throw InputError(
            std::string("facts: not a berth host facts document (\"schema\" must be \"") +
            kHostFactsSchema + "\")");
    HostFacts f;
    read(j, f, "facts");
    return f;
}

void to_json(nlohmann::json& j, const HostFacts& facts) {
    j = host_facts_to_json(facts);
}
void from_json(const nlohmann::json& j, HostFacts& facts) {
    facts = host_facts_from_json(j);
}

} // namespace berth::host
