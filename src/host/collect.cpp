// collect_host_facts: runs each sub-collector in turn. Nothing here judges: rules/ does.
#include "host/cpu.hpp"
#include "host/files.hpp"
#include "host/host_facts.hpp"
#include "host/libc.hpp"
#include "host/limits.hpp"
#include "host/paths.hpp"
#include "host/security.hpp"
#include "host/sockets.hpp"
#include "host/systemd.hpp"
#include "host/time.hpp"
#include "host/users.hpp"
#include "util/error.hpp"
#include "util/utc_time.hpp"

#include <cstdlib>
#include <ctime>
#include <sys/stat.h>

namespace berth::host {

namespace {

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
}

} // namespace

HostFacts collect_host_facts(const CollectOptions& o) {
    HostFacts f;
    const Root& root = o.root;
    f.berth_version = BERTH_VERSION;
    f.root = root.dir();
    f.hostname = read_line("/proc/sys/kernel/hostname").value_or("");
    f.collected_at = utc_now();
    auto& notes = f.notes;

    f.cpu = collect_cpu(notes);
    f.libc = collect_libc(root, f.cpu.arch, notes);

    std::vector<MountEntry> mounts;
    if (root.is_host()) {
        if (auto text = read_text("/proc/self/mountinfo"))
            mounts = parse_mountinfo(*text);
        else
            notes.push_back("cannot read /proc/self/mountinfo: mount options unknown");
    }
    const std::vector<MountEntry>* m = root.is_host() ? &mounts : nullptr;
    f.paths.push_back(collect_path(root, "install", o.install_dir, m));
    f.paths.push_back(collect_path(root, "config", o.config_dir, m));
    f.paths.push_back(collect_path(root, "log", o.log_dir, m));
    if (!o.binary.empty()) f.paths.push_back(collect_path(root, "binary", o.binary, m));

    f.security = collect_security(root, notes);
    auto processes = list_processes();
    f.time = collect_time(root, processes, notes);
    f.limits = collect_limits(root, notes);
    f.listen = collect_listen(o.listen_address, o.listen_port, processes, notes);
    f.users = collect_users(root, o.user, notes);
    f.systemd = collect_systemd(root, f.cpu.arch);
    f.files = collect_files(root, env("SSL_CERT_FILE"), env("SSL_CERT_DIR"));
    return f;
}

} // namespace berth::host
