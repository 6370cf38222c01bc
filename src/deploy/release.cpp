#include "deploy/release.hpp"

#include "util/error.hpp"
#include "util/sha256.hpp"

#include <sys/stat.h>

namespace berth::deploy {

namespace {

bool id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '+' || c == '-';
}

std::string sanitized(std::string v) {
    for (char& c : v)
        if (!id_char(c)) c = '_';
    while (!v.empty() && (v[0] == '.' || v[0] == '-')) v.erase(0, 1);
    if (v.size() > 64) v.resize(64);
    return v;
}

} // namespace

std::string version_from_build_info(const facts::BinaryFacts& f) {
    if (!f.go) return "";
    const std::string& mod = f.go->main.version;
    if (!mod.empty() && mod != "(devel)") return sanitized(mod);
    std::string rev = f.go_setting("vcs.revision");
    if (rev.empty()) return "";
    rev = sanitized(rev.substr(0, 12));
    if (f.go_setting("vcs.modified") == "true") rev += "-dirty";
    return rev;
}

Release make_release(const config::AppConfig& config, const facts::BinaryFacts& facts) {
    Release r;
    r.binary = facts.path;
    r.name = config.name;
    r.sha256 = sha256_file(facts.path);
    struct stat st {};
    if (::stat(facts.path.c_str(), &st) != 0) throw InputError(facts.path + ": cannot stat");
    r.size = static_cast<std::uint64_t>(st.st_size);
    if (!config.version.empty()) {
        r.version = config.version;
        r.version_source = "berth.yaml";
    } else if (std::string v = version_from_build_info(facts); !v.empty()) {
        r.version = v;
        r.version_source = facts.go->main.version.empty() || facts.go->main.version == "(devel)"
                               ? "vcs"
                               : "module";
    } else {
        r.version = r.sha256.substr(0, 12);
        r.version_source = "sha256";
    }
    r.id =
        r.version == r.sha256.substr(0, 12) ? r.version : r.version + "-" + r.sha256.substr(0, 12);
    return r;
}

bool valid_release_id(const std::string& id) {
    if (id.empty() || id.size() > 80 || id[0] == '.' || id[0] == '-') return false;
    for (char c : id)
        if (!id_char(c)) return false;
    return true;
}

} // namespace berth::deploy
