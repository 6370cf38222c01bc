#include "host/files.hpp"

#include <sys/stat.h>

namespace berth::host {

namespace {

// crypto/x509's lists (root_linux.go, Go 1.19 .. 1.23).
const std::vector<std::string> kGoCertFiles = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
};
const std::vector<std::string> kGoCertDirs = {"/etc/ssl/certs", "/etc/pki/tls/certs",
                                              "/system/etc/security/cacerts"};
// time's platformZoneSources (zoneinfo_unix.go).
const std::vector<std::string> kGoZoneDirs = {"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo",
                                              "/usr/lib/locale/TZ"};

std::vector<std::string> split_colons(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = s.find(':', i);
        if (j == std::string::npos) j = s.size();
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

} // namespace

int count_pem_certificates(std::string_view text) {
    int n = 0;
    for (std::size_t at = text.find("-----BEGIN CERTIFICATE-----"); at != std::string_view::npos;
         at = text.find("-----BEGIN CERTIFICATE-----", at + 1))
        ++n;
    return n;
}

std::string parse_nsswitch_hosts(std::string_view text) {
    std::string hosts;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = raw;
        line = trim(line.substr(0, line.find('#')));
        if (!line.starts_with("hosts:")) continue;
        std::string joined;
        for (const auto& w : split_words(line.substr(6))) joined += (joined.empty() ? "" : " ") + w;
        hosts = joined;
    }
    return hosts;
}

ResolvConf parse_resolv_conf(std::string_view text) {
    ResolvConf r;
    for (const auto& raw : split_lines(text)) {
        std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        auto w = split_words(line);
        if (w.size() < 2) continue;
        if (w[0] == "nameserver") {
            r.nameservers.push_back(w[1]);
        } else if (w[0] == "search" || w[0] == "domain") {
            r.search.assign(w.begin() + 1, w.end()); // the last search/domain line wins
        } else if (w[0] == "options") {
            r.options.insert(r.options.end(), w.begin() + 1, w.end());
        }
    }
    return r;
}

bool hosts_has_localhost(std::string_view text) {
    for (const auto& raw : split_lines(text)) {
        std::string_view line = raw;
        auto w = split_words(line.substr(0, line.find('#')));
        for (std::size_t i = 1; i < w.size(); ++i)
            if (w[i] == "localhost") return true;
    }
    return false;
}

FileFacts file_facts(const Root& root, const std::string& path) {
    FileFacts f;
    f.path = path;
    if (auto link = root.readlink(path)) f.link_target = *link;
    struct stat st {};
    if (!root.stat(path, st)) return f;
    f.exists = true;
    if (S_ISDIR(st.st_mode)) {
        f.type = "directory";
        f.entries = static_cast<int>(root.list_dir(path).size());
    } else if (S_ISREG(st.st_mode)) {
        f.type = "file";
        f.size = static_cast<std::uint64_t>(st.st_size);
    } else {
        f.type = "other";
    }
    return f;
}

FilesFacts collect_files(const Root& root, const std::optional<std::string>& ssl_cert_file,
                         const std::optional<std::string>& ssl_cert_dir) {
    FilesFacts out;
    CaFacts& ca = out.ca;
    ca.ssl_cert_file = ssl_cert_file;
    ca.ssl_cert_dir = ssl_cert_dir;
    // Like crypto/x509: the env variables replace the built-in lists; the first bundle file that
    // reads is used, then every directory is read as well.
    std::vector<std::string> files = kGoCertFiles, dirs = kGoCertDirs;
    if (ssl_cert_file && !ssl_cert_file->empty()) files = {*ssl_cert_file};
    if (ssl_cert_dir && !ssl_cert_dir->empty()) dirs = split_colons(*ssl_cert_dir);
    for (const auto& path : files) {
        FileFacts f = file_facts(root, path);
        if (f.type == "file") {
            if (auto text = root.read_text(path)) {
                f.certificates = count_pem_certificates(*text);
                if (ca.go_bundle.empty()) {
                    ca.go_bundle = path;
                    if (f.certificates > 0) ca.go_finds_roots = true;
                }
            }
        }
        ca.files.push_back(std::move(f));
    }
    for (const auto& path : dirs) {
        FileFacts d = file_facts(root, path);
        if (d.type == "directory" && d.entries > 0) ca.go_finds_roots = true;
        ca.dirs.push_back(std::move(d));
    }

    for (const auto& dir : kGoZoneDirs) out.zoneinfo_dirs.push_back(file_facts(root, dir));
    out.localtime = file_facts(root, "/etc/localtime");
    if (out.localtime.type == "file")
        if (auto head = root.read_text("/etc/localtime", 4))
            out.localtime_is_tzif = *head == "TZif";

    out.nsswitch = file_facts(root, "/etc/nsswitch.conf");
    if (auto text = root.read_text("/etc/nsswitch.conf"))
        out.nsswitch_hosts = parse_nsswitch_hosts(*text);
    out.resolv_conf = file_facts(root, "/etc/resolv.conf");
    if (auto text = root.read_text("/etc/resolv.conf")) {
        auto r = parse_resolv_conf(*text);
        out.nameservers = r.nameservers;
        out.resolv_search = r.search;
        out.resolv_options = r.options;
    }
    out.hosts = file_facts(root, "/etc/hosts");
    if (auto text = root.read_text("/etc/hosts"))
        out.hosts_has_localhost = hosts_has_localhost(*text);
    return out;
}

} // namespace berth::host
