// Rules about the binary on this host (B1xx): will it load and run here, and is it fit for
// production. Each rule is a pure function of CheckInput; its code and explanation sit beside it.
#include "elf/elf_facts.hpp"
#include "host/libc.hpp"
#include "rules/check_input.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace berth::rules {

namespace {

using Out = std::vector<Finding>;

// The host runs binaries of its own machine, and 32-bit ones of the same family.
bool host_runs(const std::string& host_arch, const std::string& binary_machine) {
    if (host_arch == binary_machine) return true;
    if (host_arch == "x86_64" && binary_machine == "i386") return true;
    if ((host_arch == "i686" || host_arch == "i586") && binary_machine == "i386") return true;
    if (host_arch == "aarch64" && binary_machine == "arm") return true;
    if (host_arch.starts_with("arm") && binary_machine == "arm") return true;
    return false;
}

std::string goarch_for_host(const std::string& host_arch) {
    if (host_arch == "x86_64") return "amd64";
    if (host_arch == "aarch64") return "arm64";
    if (host_arch == "i686" || host_arch == "i386") return "386";
    if (host_arch.starts_with("arm")) return "arm";
    if (host_arch == "loongarch64") return "loong64";
    return host_arch; // riscv64, ppc64le, s390x share their names
}

void arch_mismatch(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& id = in.binary.elf.identity;
    const std::string& host = in.host.cpu.arch;
    // An x86_64 kernel runs i386 programs only with IA32 emulation on; "unknown" is no finding.
    if (host == "x86_64" && id.machine == "i386" && in.host.cpu.ia32_emulation == "disabled") {
        out.push_back(finding(
            code, "built for i386 (32-bit x86), and this x86_64 kernel runs no 32-bit programs",
            fmt::format("binary: {} {} (GOARCH {}); host: x86_64, IA32 emulation disabled: {}",
                        id.elf_class, id.machine, id.goarch.empty() ? "-" : id.goarch,
                        in.host.cpu.ia32_emulation_evidence),
            "rebuild for the host: GOOS=linux GOARCH=amd64 go build (or boot the kernel with "
            "ia32_emulation=1, where it has IA32 emulation built in)"));
        return;
    }
    if (host.empty() || host_runs(host, id.machine)) return;
    out.push_back(finding(
        code, fmt::format("built for {}, the host is {}", id.machine, host),
        fmt::format("binary: {} {} (GOARCH {}); host: {}", id.elf_class, id.machine,
                    id.goarch.empty() ? "-" : id.goarch, host),
        fmt::format("rebuild for the host: GOOS=linux GOARCH={} go build", goarch_for_host(host))));
}

int goamd64_level(const std::string& value) { // "v3" -> 3
    if (value.size() == 2 && value[0] == 'v' && value[1] >= '1' && value[1] <= '4')
        return value[1] - '0';
    return 0;
}

// GOARM=6/7 on a 32-bit ARM host: the kernel's machine name says the architecture version
// ("armv6l", "armv7l"). 64-bit ARM hosts run every GOARM level.
void arm_level(const CheckInput& in, const CodeInfo& code, Out& out) {
    const std::string goarm = in.binary.go_setting("GOARM");
    const std::string& host = in.host.cpu.arch;
    if (goarm.empty() || in.binary.elf.identity.machine != "arm" || !host.starts_with("armv") ||
        host.size() < 5 || host[4] < '0' || host[4] > '9')
        return;
    const int needed = goarm[0] - '0';
    const int have = host[4] - '0';
    if (needed <= have) return;
    out.push_back(finding(
        code,
        fmt::format("built for ARMv{} (GOARM={}), the host CPU is ARMv{}", needed, goarm, have),
        fmt::format("GOARM={}; host machine {}", goarm, host),
        fmt::format("rebuild with GOARM={}", have)));
}

void cpu_level(const CheckInput& in, const CodeInfo& code, Out& out) {
    arm_level(in, code, out);
    int needed = goamd64_level(in.binary.go_setting("GOAMD64"));
    int host = in.host.cpu.x86_64_level;
    if (needed <= 1 || host == 0 || in.binary.elf.identity.machine != "x86_64") return;
    if (needed <= host) return;
    std::string missing = in.host.cpu.x86_64_next_level_missing.empty()
                              ? ""
                              : " (lacking " + join(in.host.cpu.x86_64_next_level_missing, ", ") +
                                    " for v" + std::to_string(host + 1) + ")";
    out.push_back(finding(
        code, fmt::format("built for x86-64-v{}, the host CPU supports only v{}", needed, host),
        fmt::format("GOAMD64=v{}; host CPU level v{}{}", needed, host, missing),
        fmt::format("rebuild with GOAMD64=v{} (or lower); the Go runtime refuses to start on a "
                    "CPU below the level it was built for",
                    host)));
}

// Without a library resolution from the host, its facts still list the standard loaders present:
// musl's (/lib/ld-musl-ARCH.so.1) and the architecture's glibc ones.
bool loader_listed_missing(const host::HostFacts& h, const std::string& interpreter) {
    auto listed = [&](const std::vector<std::string>& v) {
        return std::find(v.begin(), v.end(), interpreter) != v.end();
    };
    if (interpreter.starts_with("/lib/ld-musl-")) return !listed(h.libc.musl_loaders);
    auto standard = host::glibc_loader_names(h.cpu.arch);
    return std::find(standard.begin(), standard.end(), interpreter) != standard.end() &&
           !listed(h.libc.glibc_loaders);
}

void interpreter_missing(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& ln = in.binary.elf.linkage;
    if (!ln.interpreter) return;
    if (in.libraries.resolved ? in.libraries.interpreter_found
                              : !loader_listed_missing(in.host, *ln.interpreter))
        return;
    const bool musl_binary = ln.libc == "musl";
    const bool host_glibc = in.host.libc.glibc.has_value();
    std::string title =
        musl_binary && host_glibc
            ? "a musl binary on a glibc host: its loader " + *ln.interpreter + " is missing"
        : !musl_binary && !in.host.libc.musl_loaders.empty() && !host_glibc
            ? "a glibc binary on a musl host: its loader " + *ln.interpreter + " is missing"
            : "the program interpreter " + *ln.interpreter + " is missing";
    out.push_back(finding(
        code, title,
        fmt::format("PT_INTERP {}; host loaders: {}{}", *ln.interpreter,
                    join(in.host.libc.glibc_loaders, " "),
                    in.host.libc.musl_loaders.empty() ? ""
                                                      : " " + join(in.host.libc.musl_loaders, " ")),
        musl_binary ? "build without cgo (CGO_ENABLED=0), or link statically "
                      "(-ldflags '-linkmode external -extldflags -static'), or install musl "
                      "(apt install musl)"
                    : "build without cgo (CGO_ENABLED=0) or statically, or build against the "
                      "host's libc"));
}

struct PackageHint {
    const char* prefix; // soname up to ".so"
    const char* debian;
    const char* rhel;
};

// Debian and RHEL packages for the sonames cgo programs commonly need.
constexpr PackageHint kPackages[] = {
    {"libssl.so.3", "libssl3", "openssl-libs"},
    {"libcrypto.so.3", "libssl3", "openssl-libs"},
    {"libssl.so.1.1", "libssl1.1", "compat-openssl11"},
    {"libcrypto.so.1.1", "libssl1.1", "compat-openssl11"},
    {"libpq.so.5", "libpq5", "libpq"},
    {"libmysqlclient.so", "libmysqlclient21", "mysql-libs"},
    {"libmariadb.so.3", "libmariadb3", "mariadb-connector-c"},
    {"libsqlite3.so.0", "libsqlite3-0", "sqlite-libs"},
    {"libz.so.1", "zlib1g", "zlib"},
    {"libstdc++.so.6", "libstdc++6", "libstdc++"},
    {"libgcc_s.so.1", "libgcc-s1", "libgcc"},
    {"libresolv.so.2", "libc6", "glibc"},
    {"libpthread.so.0", "libc6", "glibc"},
    {"libdl.so.2", "libc6", "glibc"},
    {"libm.so.6", "libc6", "glibc"},
    {"libc.so.6", "libc6", "glibc"},
};

void library_missing(const CheckInput& in, const CodeInfo& code, Out& out) {
    if (!in.libraries.resolved) return;
    for (const auto& name : in.libraries.missing) {
        std::string fix = "install the library that provides " + name;
        for (const auto& p : kPackages)
            if (name.starts_with(p.prefix))
                fix = fmt::format("Debian/Ubuntu: apt install {}; RHEL/Fedora: dnf install {}",
                                  p.debian, p.rhel);
        fix += "; or build without cgo (CGO_ENABLED=0) so nothing is needed";
        out.push_back(finding(code, name + " is not found on the host",
                              "needed " + name +
                                  ": not in the loader's search path, the "
                                  "ld.so cache or the default directories",
                              fix));
    }
}

void glibc_too_old(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& need = in.binary.elf.versions.max_glibc;
    const auto& host = in.host.libc.glibc;
    if (!need || !host || host->defines_up_to.empty()) return;
    if (elf::compare_versions(*need, host->defines_up_to) <= 0) return;
    // The release is what users know their distribution by; the versions it defines are what
    // the loader compares.
    const std::string release =
        host->release.empty() ? "glibc (release unknown)" : "glibc " + host->release;
    // With the libraries resolved there, the exact versions its loader would refuse.
    std::vector<std::string> refused;
    for (const auto& v : in.libraries.missing_versions)
        if (v.version.starts_with("GLIBC_") &&
            std::find(refused.begin(), refused.end(), v.version) == refused.end())
            refused.push_back(v.version);
    std::string loader_says;
    if (!refused.empty())
        loader_says = "; the loader refuses " + join(refused, ", ") + " from " +
                      in.libraries.missing_versions.front().provider;
    out.push_back(finding(
        code,
        fmt::format("needs GLIBC_{}, the host's {} defines up to GLIBC_{}", *need, release,
                    host->defines_up_to),
        fmt::format("highest symbol version needed GLIBC_{}; {} ({}) defines up to GLIBC_{}{}",
                    *need, host->path, release, host->defines_up_to, loader_says),
        fmt::format("build on a system with glibc {} or older (e.g. in a container of the "
                    "target's distribution), or build without cgo (CGO_ENABLED=0), or link "
                    "statically",
                    host->release.empty() ? host->defines_up_to : host->release)));
}

// Versions the host's loader would refuse, from libraries other than glibc's (GLIBCXX from
// libstdc++, OPENSSL_3.0.0 from libcrypto, ...): glibc's own are B105's.
void version_missing(const CheckInput& in, const CodeInfo& code, Out& out) {
    for (const auto& v : in.libraries.missing_versions) {
        if (v.version.starts_with("GLIBC_")) continue;
        out.push_back(finding(
            code,
            fmt::format("needs {} from {}, which the host's copy does not define", v.version,
                        v.provider),
            fmt::format("{}: version `{}' not found (required by {})", v.provider, v.version,
                        v.object),
            "build against the library version the host has (in a container of the target's "
            "distribution), install a newer one on the host, or link it statically"));
    }
}

void truncated(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& t = in.binary.elf.truncation;
    if (t.cut_loaded.empty()) return;
    out.push_back(finding(code, "the binary is cut short: it cannot run",
                          fmt::format("{} runs past the end of the file ({} of {} bytes)",
                                      join(t.cut_loaded, ", "), t.file_size, t.expected_size),
                          "copy the binary again and compare its sha256 with the build's; an "
                          "interrupted upload leaves such a file"));
}

void damaged(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& t = in.binary.elf.truncation;
    if (!t.cut_loaded.empty() || t.cut_other.empty()) return;
    out.push_back(finding(code, "the binary is cut short after its loaded part: a damaged copy",
                          fmt::format("{} runs past the end of the file ({} of {} bytes)",
                                      join(t.cut_other, ", "), t.file_size, t.expected_size),
                          "copy the binary again and compare its sha256 with the build's"));
}

bool only_libc_family(const std::vector<std::string>& needed) {
    static const char* kLibc[] = {"libc.so.6",          "libpthread.so.0",      "libdl.so.2",
                                  "libm.so.6",          "libresolv.so.2",       "librt.so.1",
                                  "libc.so" /* musl */, "libc.musl-x86_64.so.1" /* Alpine */};
    return std::all_of(needed.begin(), needed.end(), [](const std::string& n) {
        return std::any_of(std::begin(kLibc), std::end(kLibc),
                           [&](const char* l) { return n == l; });
    });
}

void cgo_dynamic(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& b = in.binary;
    if (!b.go || b.go_setting("CGO_ENABLED") != "1" || b.elf.linkage.kind != "dynamic") return;
    if (!only_libc_family(b.elf.linkage.needed)) return;
    out.push_back(
        finding(code, "cgo build linked dynamically against libc only: a static build would serve",
                "CGO_ENABLED=1; needed: " + join(b.elf.linkage.needed, " "),
                "CGO_ENABLED=0 go build (or -tags netgo,osusergo when cgo is only there for the "
                "resolver and os/user); the binary then runs on any Linux, whatever its libc"));
}

// Parses "go1.21.3" / "6.1.0-18-amd64" style versions into numbers for comparison.
std::string numeric_prefix(const std::string& s, std::size_t from) {
    std::size_t end = from;
    while (end < s.size() && ((s[end] >= '0' && s[end] <= '9') || s[end] == '.')) ++end;
    return s.substr(from, end - from);
}

void go_needs_newer_kernel(const CheckInput& in, const CodeInfo& code, Out& out) {
    if (!in.binary.go || in.host.cpu.kernel_release.empty()) return;
    std::string go = in.binary.go->go_version;
    if (!go.starts_with("go")) return;
    std::string go_ver = numeric_prefix(go, 2);
    // Go's minimum Linux kernel: 2.6.32 up to Go 1.23, 3.2 from Go 1.24 (release notes).
    std::string min_kernel = elf::compare_versions(go_ver, "1.24") >= 0 ? "3.2" : "2.6.32";
    std::string kernel = numeric_prefix(in.host.cpu.kernel_release, 0);
    if (kernel.empty() || elf::compare_versions(kernel, min_kernel) >= 0) return;
    out.push_back(finding(
        code, fmt::format("{} needs Linux {} or newer, the host runs {}", go, min_kernel, kernel),
        fmt::format("Go {}; kernel {}", go, in.host.cpu.kernel_release),
        "build with an older Go toolchain, or upgrade the host's kernel"));
}

void not_stripped(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& d = in.binary.elf.debug;
    if (d.stripped && !d.dwarf) return;
    std::string fix = in.binary.is_go() ? "go build -ldflags='-s -w' (keep an unstripped copy "
                                          "for debugging)"
                                        : "strip --strip-unneeded (keep an unstripped copy)";
    out.push_back(finding(
        code,
        fmt::format("not stripped: about {} of symbols and debug info",
                    d.strippable_bytes < 1024 ? std::to_string(d.strippable_bytes) + " B"
                                              : std::to_string(d.strippable_bytes >> 10) + " KiB"),
        fmt::format(
            "{}{}; {} bytes in .symtab/.strtab/.debug_*", d.stripped ? "" : ".symtab present",
            d.dwarf ? (d.stripped ? "DWARF present" : ", DWARF present") : "", d.strippable_bytes),
        fix));
}

// -X as a flag of its own ("-X main.version=1.2.3" or "-X=main.version=1.2.3"), not inside
// another word such as -extldflags=-Xlinker.
bool ldflags_sets_version(const std::string& ldflags) {
    std::size_t start = 0;
    while (start < ldflags.size()) {
        std::size_t end = ldflags.find(' ', start);
        if (end == std::string::npos) end = ldflags.size();
        std::string_view word(ldflags.data() + start, end - start);
        if (word == "-X" || word.starts_with("-X=") || word == "--X") return true;
        start = end + 1;
    }
    return false;
}

void no_version(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& b = in.binary;
    if (!b.go) return; // needs the build info: without it, nothing to judge the version by
    const std::string& mod_version = b.go->main.version;
    bool module_version = !mod_version.empty() && mod_version != "(devel)";
    bool revision = !b.go_setting("vcs.revision").empty();
    bool x_flag = ldflags_sets_version(b.go_setting("-ldflags"));
    if (module_version || revision || x_flag) return;
    out.push_back(finding(code, "no version: nothing tells which source this binary was built from",
                          fmt::format("main module version {}; no vcs.revision; no -X in -ldflags",
                                      mod_version.empty() ? "absent" : mod_version),
                          "build inside the git repository (Go stamps vcs.revision), or "
                          "-ldflags='-X main.version=$(git describe --always --dirty)'"));
}

void dirty_tree(const CheckInput& in, const CodeInfo& code, Out& out) {
    if (in.binary.go_setting("vcs.modified") != "true") return;
    out.push_back(finding(code, "built from a working tree with uncommitted changes",
                          "vcs.modified=true; vcs.revision=" + in.binary.go_setting("vcs.revision"),
                          "commit (or stash) the changes and rebuild, so the revision "
                          "identifies the code"));
}

void race_build(const CheckInput& in, const CodeInfo& code, Out& out) {
    if (in.binary.go_setting("-race") != "true") return;
    out.push_back(finding(code, "built with the race detector",
                          "-race=true: 2-20x slower, 5-10x more memory",
                          "rebuild without -race for production"));
}

// Facts from the Go function table (gobuild/program_facts.hpp).
void no_sigterm(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (!p || p->signal_handling.present) return;
    out.push_back(finding(
        code, "does not handle SIGTERM: in-flight requests are cut on every stop and deploy",
        p->http_server.present
            ? "no os/signal.Notify or signal.NotifyContext; serves HTTP (" +
                  (p->http_server.evidence.empty() ? std::string("net/http")
                                                   : p->http_server.evidence.front()) +
                  ")"
            : "no os/signal.Notify or signal.NotifyContext in the function "
              "table",
        "ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt); <-ctx.Done(); "
        "then srv.Shutdown(timeoutCtx) — see `berth explain B112`"));
}

void pprof_exposed(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (!p || !p->pprof.present) return;
    out.push_back(finding(code, "serves net/http/pprof debug handlers",
                          "function table: " + join(p->pprof.evidence, ", "),
                          "serve pprof only on a separate localhost listener, or remove the "
                          "net/http/pprof import from production builds"));
}

void tls_without_ca(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (!p || !p->tls_client.present || in.host.files.ca.go_finds_roots) return;
    out.push_back(finding(code,
                          "makes TLS connections, and the host has no CA bundle Go would load",
                          "TLS client: " + join(p->tls_client.evidence, ", ") +
                              "; no certificates in Go's bundle files or directories",
                          "apt install ca-certificates (RHEL: dnf install ca-certificates), or set "
                          "SSL_CERT_FILE for the service"));
}

void timezones_without_tzdata(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (!p || !p->timezone_loading.present || p->tzdata_embedded.present ||
        host_has_zoneinfo(in.host))
        return;
    out.push_back(finding(
        code, "loads time zones, and neither the host nor the binary has tzdata",
        "time zone loading: " + join(p->timezone_loading.evidence, ", ") +
            "; no zoneinfo directory on the host; time/tzdata not embedded",
        "apt install tzdata (RHEL: dnf install tzdata), or import _ \"time/tzdata\" (or build "
        "with -tags timetzdata) to embed it"));
}

void sd_notify(const CheckInput& in, const CodeInfo& code, Out& out) {
    const auto& p = in.binary.program;
    if (!p || !p->sd_notify.present) return;
    out.push_back(
        finding(code, "supports sd_notify: the unit can use Type=notify",
                "function table: " + join(p->sd_notify.evidence, ", "),
                "set Type=notify in the unit's [Service] section (berth unit generate writes "
                "Type=exec); systemd then waits for READY=1"));
}

} // namespace

const std::vector<Rule>& binary_rules() {
    static const std::vector<Rule> rules = {
        {{"B101", Severity::error, "Binary built for another CPU architecture",
          "The ELF machine of the binary is not one the host's CPU runs. The kernel refuses it "
          "with `exec format error` and systemd reports status=203/EXEC. Build for the target: "
          "`GOOS=linux GOARCH=amd64 go build` (or arm64, ...). A 32-bit ARM binary on a 64-bit "
          "ARM host is accepted; a 32-bit x86 binary (GOARCH=386) on an x86_64 host too, unless "
          "the kernel has IA32 emulation off: not built in (CONFIG_IA32_EMULATION), disabled by "
          "default from Linux 6.7 (CONFIG_IA32_EMULATION_DEFAULT_DISABLED) or at boot "
          "(ia32_emulation=0); `berth facts` shows cpu.ia32_emulation and why."},
         kRunningSystem,
         arch_mismatch},
        {{"B102", Severity::error, "GOAMD64 or GOARM level above what the host CPU supports",
          "GOAMD64=v2/v3/v4 lets the Go compiler use newer instructions (POPCNT, AVX2, AVX-512). "
          "The Go runtime checks the CPU at start and exits with `This program can only be run "
          "on AMD64 processors with v3 microarchitecture support.` on an older CPU. Build with "
          "the level of the oldest host in the fleet (GOAMD64=v1 runs everywhere). Likewise "
          "GOARM=7 "
          "needs an ARMv7 CPU: an ARMv6 board (armv6l) needs GOARM=6."},
         kRunningSystem,
         cpu_level},
        {{"B103", Severity::error, "Program interpreter (dynamic loader) missing on the host",
          "A dynamically linked binary names its loader in PT_INTERP: /lib64/ld-linux-x86-64.so.2 "
          "for glibc, /lib/ld-musl-x86_64.so.1 for musl. A musl binary (built on Alpine) on a "
          "glibc host, or the reverse, fails with the confusing `No such file or directory` for a "
          "file that exists. Build with CGO_ENABLED=0, link statically, or install the other "
          "libc's loader."},
         kSystemFiles,
         interpreter_missing},
        {{"B104", Severity::error, "A needed shared library is not found on the host",
          "The host's dynamic loader searches DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH, "
          "/etc/ld.so.cache and the default directories; berth searches the same way (berth "
          "ldd). A library not found makes the start fail with `error while loading shared "
          "libraries: libX.so.N: cannot open shared object file`. Install the package that "
          "provides it (berth names the Debian and RHEL package for common ones), or remove the "
          "dependency: CGO_ENABLED=0 or a static link."},
         kLibraries,
         library_missing},
        {{"B105", Severity::error, "Needs a newer glibc than the host has",
          "A binary linked against glibc records the newest symbol version it uses (e.g. "
          "GLIBC_2.34, which Debian 12 and RHEL 9 have and Debian 11 and RHEL 8 do not). On an "
          "older host it fails with `version 'GLIBC_2.34' not found`. Build on the oldest "
          "distribution you deploy to (or in its container), build with CGO_ENABLED=0, or link "
          "statically."},
         kSystemFiles,
         glibc_too_old},
        {{"B106", Severity::info, "cgo build linked dynamically where a static build would serve",
          "The binary was built with cgo and needs only libc. Often cgo is only enabled for the "
          "system resolver and os/user lookups: `CGO_ENABLED=0` or `-tags netgo,osusergo` gives "
          "a static binary that runs on any Linux, whatever its libc version or flavour."},
         kBinaryOnly,
         cgo_dynamic},
        {{"B107", Severity::error, "The Go version needs a newer Linux kernel than the host's",
          "Each Go release has a minimum Linux kernel: 2.6.32 up to Go 1.23, 3.2 from Go 1.24. "
          "Below it the runtime uses system calls the kernel lacks. Upgrade the kernel or build "
          "with an older Go toolchain."},
         kRunningSystem,
         go_needs_newer_kernel},
        {{"B108", Severity::info, "Binary not stripped",
          "Symbol tables and DWARF debug info are not needed to run the program; they make the "
          "upload and every release on disk larger. Build with `-ldflags='-s -w'` (Go) or strip "
          "it, and keep an unstripped copy (or the build) for debugging. Go keeps its own "
          "function table, so stack traces still show function names."},
         kBinaryOnly,
         not_stripped},
        {{"B109", Severity::warning, "No version in the binary",
          "Neither a module version, nor vcs.revision (stamped when building inside a git "
          "repository), nor an -X flag in -ldflags: nobody can tell which code runs in "
          "production. Build inside the repository, or pass "
          "`-ldflags='-X main.version=$(git describe --always --dirty)'`."},
         kBinaryOnly,
         no_version},
        {{"B110", Severity::warning, "Built from a working tree with uncommitted changes",
          "vcs.modified=true: the binary contains code that is in no commit, so vcs.revision "
          "does not identify it. Commit and rebuild from a clean checkout (CI does)."},
         kBinaryOnly,
         dirty_tree},
        {{"B111", Severity::warning, "Race detector build",
          "A binary built with -race is 2-20 times slower and uses 5-10 times more memory; it "
          "is a test tool. Rebuild without -race for production."},
         kBinaryOnly,
         race_build},
        {{"B112", Severity::warning, "No SIGTERM handling: stops cut in-flight requests",
          "systemctl stop (and every deploy) sends SIGTERM. A Go program that does not call "
          "os/signal.Notify or signal.NotifyContext dies at once, cutting requests in flight. "
          "Catch SIGTERM and drain: `ctx, stop := signal.NotifyContext(context.Background(), "
          "syscall.SIGTERM, os.Interrupt); defer stop(); <-ctx.Done(); srv.Shutdown(ctx2)` with "
          "a timeout below the unit's TimeoutStopSec. berth reads this from the Go function "
          "table, so stripped binaries are judged too."},
         kBinaryOnly,
         no_sigterm},
        {{"B113", Severity::warning, "net/http/pprof handlers in a production binary",
          "Importing net/http/pprof registers /debug/pprof/ on http.DefaultServeMux: anyone "
          "who reaches that listener can read heap profiles (with secrets in them) and start "
          "CPU profiles. Serve pprof on a separate localhost-only listener, or leave the import "
          "out of production builds (a build tag)."},
         kBinaryOnly,
         pprof_exposed},
        {{"B114", Severity::error, "TLS client on a host without a CA bundle",
          "The program makes TLS connections (crypto/tls client code is in its function table) "
          "and Go's crypto/x509 finds no root certificates on the host, so every HTTPS call "
          "fails with `x509: certificate signed by unknown authority`. Install ca-certificates "
          "or point SSL_CERT_FILE at a bundle."},
         kSystemFiles,
         tls_without_ca},
        {{"B115", Severity::error, "Time zones loaded with no tzdata on the host or in the binary",
          "time.LoadLocation reads /usr/share/zoneinfo (or $ZONEINFO); without it, it returns "
          "`unknown time zone Europe/Paris`. Install tzdata on the host, or embed the database "
          "with `import _ \"time/tzdata\"` (about 450 KB)."},
         kSystemFiles,
         timezones_without_tzdata},
        {{"B116", Severity::info, "sd_notify supported: the unit can use Type=notify",
          "The program contains a systemd notify client. With Type=notify systemd considers the "
          "service started only when it sends READY=1, so a deploy's health gate is exact."},
         kBinaryOnly,
         sd_notify},
        {{"B117", Severity::error, "Binary cut short: a loadable segment is missing",
          "The file is shorter than its program headers say: part of a segment the kernel maps "
          "is not there, as an interrupted copy or upload leaves it. The kernel refuses it or "
          "the program crashes at once. Copy it again and compare its sha256 with the build's; "
          "berth deploy verifies the checksum before it switches."},
         kBinaryOnly,
         truncated},
        {{"B118", Severity::warning, "Binary cut short after its loaded part",
          "The file ends inside sections that are not loaded (debug info, the symbol table or "
          "the section header table): it may run, but it is not the file that was built. Copy "
          "it again and compare its sha256 with the build's."},
         kBinaryOnly,
         damaged},
        {{"B119", Severity::error, "A needed symbol version is missing from a host library",
          "The binary (or one of its libraries) needs a symbol version the host's copy of a "
          "library does not define, e.g. GLIBCXX_3.4.30 from an older libstdc++ or "
          "OPENSSL_3.0.0 from libcrypto 1.1. The loader refuses to start it: `version "
          "'GLIBCXX_3.4.30' not found`. Build against the host's version (in a container of "
          "the target's distribution), or link the library statically."},
         kLibraries,
         version_missing},
    };
    return rules;
}

} // namespace berth::rules
