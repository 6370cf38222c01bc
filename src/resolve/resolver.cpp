#include "resolve/resolver.hpp"

#include "elf/elf_image.hpp"
#include "resolve/cpu_level.hpp"
#include "resolve/ld_cache.hpp"
#include "resolve/search_path.hpp"
#include "util/error.hpp"
#include "util/mapped_file.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace berth::resolve {

namespace {

constexpr std::int64_t kDtFlags1 = 0x6ffffffb;
constexpr std::uint64_t kDf1NoDefLib = 0x800;

// What opening a candidate file tells ld.so before it maps it: exists? an ELF of which kind?
struct Probe {
    enum Status { missing, not_elf, elf } status = missing;
    bool is64 = false;
    std::uint16_t machine = 0;
    dev_t dev = 0;
    ino_t ino = 0;
};

// The parts of a library the search needs, parsed once per file per run.
struct Facts {
    std::string error; // non-empty: the file could not be parsed
    bool dynamic = false;
    bool is64 = false;
    std::uint16_t machine = 0;
    std::uint32_t e_flags = 0;
    std::vector<std::string> needed;
    std::optional<std::string> soname, rpath, runpath, interpreter;
    bool nodeflib = false;
};

Facts read_facts(const std::string& path) {
    Facts f;
    MappedFile file(path);
    elf::ElfImage img;
    try {
        img = elf::parse_image(file.bytes(), /*only_dynamic=*/true);
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }
    f.dynamic = img.find_segment(PT_DYNAMIC) != nullptr;
    f.is64 = img.is64;
    f.machine = img.machine;
    f.e_flags = img.flags;
    f.needed = img.needed;
    f.soname = img.soname;
    f.rpath = img.rpath;
    f.runpath = img.runpath;
    f.interpreter = img.interpreter;
    for (const auto& d : img.dynamic)
        if (d.tag == kDtFlags1 && (d.value & kDf1NoDefLib)) f.nodeflib = true;
    return f;
}

std::string dirname_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string absolute(const std::string& path) {
    if (!path.empty() && path[0] == '/') return path;
    char buf[PATH_MAX];
    if (!::getcwd(buf, sizeof buf)) return path;
    return std::string(buf) + "/" + path;
}

std::string basename_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> read_small_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split_colons(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream ss(list);
    for (std::string item; std::getline(ss, item, ':');) out.push_back(item);
    return out;
}

// musl maps these names to itself (its libc.so, libm.so... are all one file).
bool musl_reserved(const std::string& name) {
    if (name.rfind("lib", 0) != 0) return false;
    for (const char* r : {"c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet."})
        if (name.compare(3, std::char_traits<char>::length(r), r) == 0) return true;
    return false;
}

} // namespace

struct Session::State {
    Options opt;
    CpuFeatures cpu;
    int level = 1;
    std::vector<std::string> hwcaps_names; // best first
    std::vector<std::string>
        x86_64_subdirs; // "glibc-hwcaps/x86-64-v4/", ..., "tls/x86_64/", ..., ""
    LegacyHwcaps legacy;

    bool cache_read = false;
    std::optional<LdCache> cache;
    std::string cache_warning;

    std::unordered_map<std::string, Probe> probes;
    std::unordered_map<std::string, bool> dirs;
    std::map<std::pair<dev_t, ino_t>, std::shared_ptr<const Facts>> facts;

    const Probe& probe(const std::string& path) {
        auto it = probes.find(path);
        if (it != probes.end()) return it->second;
        Probe p;
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            struct stat st {};
            unsigned char h[20] = {};
            if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
                p.dev = st.st_dev;
                p.ino = st.st_ino;
                p.status = Probe::not_elf;
                if (::pread(fd, h, sizeof h, 0) == static_cast<ssize_t>(sizeof h) && h[0] == 0x7f &&
                    h[1] == 'E' && h[2] == 'L' && h[3] == 'F') {
                    p.status = Probe::elf;
                    p.is64 = h[EI_CLASS] == ELFCLASS64;
                    bool big = h[EI_DATA] == ELFDATA2MSB;
                    p.machine = big ? static_cast<std::uint16_t>(h[18] << 8 | h[19])
                                    : static_cast<std::uint16_t>(h[19] << 8 | h[18]);
                }
            }
            ::close(fd);
        }
        return probes.emplace(path, p).first->second;
    }

    bool dir_exists(const std::string& dir) {
        auto it = dirs.find(dir);
        if (it != dirs.end()) return it->second;
        struct stat st {};
        bool ok = ::stat(dir.empty() ? "." : dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
        dirs.emplace(dir, ok);
        return ok;
    }

    std::shared_ptr<const Facts> facts_of(const std::string& path, const Probe& p) {
        auto key = std::make_pair(p.dev, p.ino);
        auto it = facts.find(key);
        if (it != facts.end()) return it->second;
        auto f = std::make_shared<Facts>();
        try {
            *f = read_facts(path);
        } catch (const InputError& e) {
            f->error = e.what();
        }
        facts.emplace(key, f);
        return f;
    }

    const LdCache* ld_cache() {
        if (!cache_read) {
            cache_read = true;
            std::string path = opt.root + "/etc/ld.so.cache";
            try {
                MappedFile file(path);
                cache = parse_ld_cache(file.bytes(), path);
            } catch (const InputError& e) {
                // ld.so ignores a missing or damaged cache and goes on to the default dirs.
                cache_warning = e.what();
            }
        }
        return cache ? &*cache : nullptr;
    }
};

namespace {

struct Edge {
    std::string name;
    int target = -1;
    Via via = Via::not_found;
    bool first_load = false;
    std::string error;
    std::vector<std::string> skipped;
};

struct Object {
    std::string path;
    std::string load_name;
    std::vector<std::string> names; // names it is known by (ld.so's l_name and l_libname)
    std::shared_ptr<const Facts> facts;
    dev_t dev = 0;
    ino_t ino = 0;
    int loader = -1;
    std::string origin; // $ORIGIN, filled in when first needed
    Via via = Via::not_found;
    bool is_interpreter = false;
    std::vector<Edge> edges;
};

// One resolution: ld.so's list of loaded objects, built breadth first.
struct Run {
    Session::State& s;
    ResolveResult& result;
    LoaderKind kind = LoaderKind::glibc;
    bool is64 = false;
    std::uint16_t machine = 0;
    std::uint32_t e_flags = 0;
    std::string triplet;
    std::vector<std::string> subdirs{""};
    std::vector<Object> objects;
    int interpreter = -1;
    std::vector<std::string> musl_dirs;

    DstValues dst(int index) {
        DstValues v;
        Object& o = objects[index];
        if (o.origin.empty()) {
            // The program's $ORIGIN comes from /proc/self/exe when it runs: symlinks resolved.
            // Computed only when a token needs it (realpath costs a readlink per component).
            char real[PATH_MAX];
            if (index == 0 && ::realpath(o.path.c_str(), real))
                o.origin = dirname_of(real);
            else
                o.origin = dirname_of(absolute(o.path));
        }
        v.origin = o.origin;
        if (kind == LoaderKind::glibc) {
            v.lib = triplet.empty() ? "lib" : "lib/" + triplet;
            v.platform =
                machine == EM_X86_64 ? s.legacy.platform : triplet.substr(0, triplet.find('-'));
        }
        return v;
    }

    int find_loaded(const std::string& name) const {
        for (std::size_t i = 0; i < objects.size(); ++i) {
            const auto& o = objects[i];
            if (std::find(o.names.begin(), o.names.end(), name) != o.names.end())
                return static_cast<int>(i);
            if (kind == LoaderKind::glibc && o.facts && o.facts->soname == name)
                return static_cast<int>(i);
        }
        return -1;
    }

    // Opens a candidate the way ld.so does: missing -> keep searching; wrong class or machine
    // -> note it and keep searching (glibc) ; usable -> done.
    enum class Try { absent, skipped, usable };
    Try try_file(const std::string& path, Edge& edge) {
        const Probe& p = s.probe(path);
        if (p.status == Probe::missing) return Try::absent;
        if (p.status == Probe::elf && p.is64 == is64 && p.machine == machine) return Try::usable;
        edge.skipped.push_back(path + (p.status == Probe::not_elf
                                           ? " (not an ELF file)"
                                           : " (wrong ELF class or machine)"));
        return Try::skipped;
    }

    std::optional<std::string> search_dirs(const std::vector<std::string>& dirs,
                                           const std::string& name, Edge& edge) {
        for (const auto& dir : dirs) {
            for (const auto& sub : subdirs) {
                std::string d = dir + sub;
                if (!sub.empty() && !s.dir_exists(d)) continue;
                std::string candidate = d + name;
                Try t = try_file(candidate, edge);
                if (t == Try::usable) return candidate;
                if (t == Try::skipped && kind == LoaderKind::musl) {
                    edge.error = "musl opens " + candidate +
                                 " and fails: it does not skip files of another architecture";
                    return std::nullopt;
                }
            }
        }
        return std::nullopt;
    }

    std::optional<std::string> search_glibc(const std::string& name, int loader, Edge& edge) {
        const Facts& lf = *objects[loader].facts;
        auto attempt = [&](const std::vector<std::string>& dirs, Via via) {
            auto found = search_dirs(dirs, name, edge);
            if (found) edge.via = via;
            return found;
        };
        if (!lf.runpath) {
            // DT_RPATH of the loader, then of the object that loaded it, up to the main program
            // (whose RPATH is ignored when it has a RUNPATH).
            for (int l = loader; l >= 0; l = objects[l].loader) {
                const Facts& f = *objects[l].facts;
                if (!f.rpath || (l == 0 && f.runpath)) continue;
                if (auto p =
                        attempt(split_search_path(*f.rpath, ":", dst(l), s.opt.root), Via::rpath))
                    return p;
            }
        }
        if (s.opt.library_path) {
            if (auto p = attempt(split_search_path(*s.opt.library_path, ":;", dst(0), s.opt.root),
                                 Via::ld_library_path))
                return p;
        }
        if (lf.runpath) {
            if (auto p = attempt(split_search_path(*lf.runpath, ":", dst(loader), s.opt.root),
                                 Via::runpath))
                return p;
        }
        if (lf.nodeflib) return std::nullopt; // DF_1_NODEFLIB: no cache, no default dirs
        if (const LdCache* cache = s.ld_cache()) {
            auto flags = cache_flags_for(machine, is64, e_flags);
            std::vector<std::string> hw =
                machine == EM_X86_64 && is64 ? s.hwcaps_names : std::vector<std::string>{};
            if (const LdCacheEntry* e = lookup(*cache, name, flags, hw)) {
                std::string path = s.opt.root + e->path;
                if (try_file(path, edge) == Try::usable) {
                    edge.via = Via::ld_so_cache;
                    return path;
                }
            }
        }
        return attempt(glibc_default_dirs(triplet, s.opt.root), Via::default_dirs);
    }

    std::optional<std::string> search_musl(const std::string& name, int loader, Edge& edge) {
        auto attempt = [&](const std::vector<std::string>& dirs, Via via) {
            auto found = search_dirs(dirs, name, edge);
            if (found) edge.via = via;
            return found;
        };
        if (s.opt.library_path) {
            if (auto p = attempt(split_search_path(*s.opt.library_path, ":\n", dst(0), s.opt.root),
                                 Via::ld_library_path))
                return p;
            if (!edge.error.empty()) return std::nullopt;
        }
        // musl uses DT_RUNPATH if present, else DT_RPATH, of the loader and of every object up
        // its loading chain.
        for (int l = loader; l >= 0; l = objects[l].loader) {
            const Facts& f = *objects[l].facts;
            const auto& list = f.runpath ? f.runpath : f.rpath;
            if (!list) continue;
            if (auto p = attempt(split_search_path(*list, ":", dst(l), s.opt.root),
                                 f.runpath ? Via::runpath : Via::rpath))
                return p;
            if (!edge.error.empty()) return std::nullopt;
        }
        return attempt(musl_dirs, Via::musl_path);
    }

    int add_object(const std::string& path, const std::string& name, int loader, Via via) {
        Object o;
        const Probe& p = s.probe(path);
        o.path = path;
        o.load_name = name;
        o.names = {path, name};
        o.dev = p.dev;
        o.ino = p.ino;
        o.loader = loader;
        o.via = via;
        o.facts = s.facts_of(path, p);
        objects.push_back(std::move(o));
        return static_cast<int>(objects.size()) - 1;
    }

    Edge resolve_needed(const std::string& needed, int loader) {
        Edge edge;
        edge.name = needed;
        if (kind == LoaderKind::musl && needed.find('/') == std::string::npos &&
            musl_reserved(needed) && interpreter >= 0) {
            edge.target = interpreter;
            edge.via = Via::interpreter;
            return edge;
        }
        if (int i = find_loaded(needed); i >= 0) {
            edge.target = i;
            edge.via = objects[i].is_interpreter ? Via::interpreter : objects[i].via;
            return edge;
        }
        std::string name = needed;
        if (kind == LoaderKind::glibc && name.find('$') != std::string::npos) {
            auto expanded = expand_dst(name, dst(loader));
            if (!expanded) {
                edge.error = "a token in the name cannot be expanded";
                return edge;
            }
            name = *expanded;
        }
        std::optional<std::string> path;
        if (name.find('/') != std::string::npos) {
            std::string p = (!s.opt.root.empty() && name[0] == '/') ? s.opt.root + name : name;
            Try t = try_file(p, edge);
            if (t == Try::usable) {
                path = p;
                edge.via = Via::path;
            } else if (t == Try::absent) {
                edge.error = p + ": no such file";
            }
        } else {
            path = kind == LoaderKind::musl ? search_musl(name, loader, edge)
                                            : search_glibc(name, loader, edge);
        }
        if (!path) {
            edge.via = Via::not_found;
            return edge;
        }
        // The same file under another name is mapped once (ld.so compares device and inode).
        const Probe& p = s.probe(*path);
        for (std::size_t i = 0; i < objects.size(); ++i) {
            if (objects[i].dev == p.dev && objects[i].ino == p.ino) {
                objects[i].names.push_back(needed);
                edge.target = static_cast<int>(i);
                edge.via = objects[i].is_interpreter ? Via::interpreter : objects[i].via;
                return edge;
            }
        }
        int index = add_object(*path, needed, loader, edge.via);
        if (!objects[index].facts->error.empty()) {
            edge.error = objects[index].facts->error;
            objects.pop_back();
            edge.via = Via::not_found;
            return edge;
        }
        edge.target = index;
        edge.first_load = true;
        return edge;
    }

    Dependency build(const Edge& e) const {
        Dependency d;
        d.name = e.name;
        d.via = e.via;
        d.error = e.error;
        d.skipped = e.skipped;
        if (e.target < 0) return d;
        d.path = objects[e.target].path;
        d.already_loaded = !e.first_load && e.via != Via::interpreter;
        if (e.first_load)
            for (const auto& child : objects[e.target].edges) d.needed.push_back(build(child));
        return d;
    }
};

} // namespace

const char* via_name(Via v) {
    switch (v) {
    case Via::path:
        return "path";
    case Via::rpath:
        return "rpath";
    case Via::ld_library_path:
        return "ld_library_path";
    case Via::runpath:
        return "runpath";
    case Via::ld_so_cache:
        return "ld.so.cache";
    case Via::default_dirs:
        return "default_dirs";
    case Via::musl_path:
        return "musl_path";
    case Via::interpreter:
        return "interpreter";
    case Via::preload:
        return "preload";
    case Via::not_found:
        return "not_found";
    }
    return "?";
}

Session::Session(Options options) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.opt = std::move(options);
    while (s.opt.root.size() > 1 && s.opt.root.back() == '/') s.opt.root.pop_back();
    if (s.opt.root == "/") s.opt.root.clear();
    s.cpu = detect_cpu_features();
    s.level = s.opt.cpu_level > 0 ? s.opt.cpu_level : x86_64_level(s.cpu);
    s.hwcaps_names = glibc_hwcaps_names(s.level);
    s.legacy = legacy_hwcaps(s.cpu);
    for (const auto& n : s.hwcaps_names) s.x86_64_subdirs.push_back("glibc-hwcaps/" + n + "/");
    for (const auto& l : legacy_hwcaps_subdirs(s.legacy)) s.x86_64_subdirs.push_back(l + "/");
    s.x86_64_subdirs.push_back("");
}

Session::~Session() = default;

const Options& Session::options() const {
    return state_->opt;
}

ResolveResult Session::resolve(const std::string& path) {
    State& s = *state_;
    ResolveResult result;
    result.file = path;
    // The input must exist and be an ELF file: those are input errors, not missing libraries.
    const Probe& p0 = s.probe(path);
    if (p0.status == Probe::missing) {
        MappedFile probe_again(path); // throws with the reason (no such file, directory, ...)
    }
    if (p0.status != Probe::elf) throw InputError(path + ": not an ELF file");
    // Parsed through the shared cache: /usr/bin holds many names for one file.
    std::shared_ptr<const Facts> facts = s.facts_of(path, p0);
    if (!facts->error.empty()) read_facts(path); // throws, naming this path
    result.dynamic = facts->dynamic;
    result.is64 = facts->is64;
    result.machine = facts->machine;
    if (facts->rpath) result.rpath = split_colons(*facts->rpath);
    if (facts->runpath) result.runpath = split_colons(*facts->runpath);
    if (!result.dynamic) return result;

    Run run{s, result, LoaderKind::glibc, false, 0, 0, {}, {""}, {}, -1, {}};
    run.is64 = facts->is64;
    run.machine = facts->machine;
    run.e_flags = facts->e_flags;
    run.triplet = multiarch_triplet(run.machine, run.is64, run.e_flags);
    result.interpreter =
        facts->interpreter ? *facts->interpreter : glibc_interpreter(run.machine, run.is64);
    if (auto arch = musl_arch(result.interpreter)) {
        run.kind = LoaderKind::musl;
        run.musl_dirs = musl_default_dirs(
            read_small_file(s.opt.root + "/etc/ld-musl-" + *arch + ".path"), s.opt.root);
    } else if (run.machine == EM_X86_64 && run.is64) {
        run.subdirs = s.x86_64_subdirs;
        result.cpu_level = s.level;
    }
    result.loader = run.kind;

    Object main;
    main.path = path;
    main.load_name = path;
    main.names = {path};
    main.facts = facts;
    main.dev = p0.dev;
    main.ino = p0.ino;
    run.objects.push_back(std::move(main));

    if (!result.interpreter.empty()) {
        std::string ipath = s.opt.root + result.interpreter;
        result.interpreter_path = ipath;
        Object interp;
        interp.path = ipath;
        interp.load_name = result.interpreter;
        interp.names = {ipath, result.interpreter, basename_of(result.interpreter)};
        interp.is_interpreter = true;
        interp.via = Via::interpreter;
        interp.origin = dirname_of(ipath);
        const Probe& ip = s.probe(ipath);
        result.interpreter_found = ip.status == Probe::elf;
        interp.dev = ip.dev;
        interp.ino = ip.ino;
        interp.facts = result.interpreter_found ? s.facts_of(ipath, ip) : std::make_shared<Facts>();
        if (!interp.facts->error.empty()) result.interpreter_found = false;
        run.objects.push_back(std::move(interp));
        run.interpreter = 1;
    }

    // Breadth first, like _dl_map_object_deps: each object's needed list in order, objects in
    // the order they were loaded. The interpreter's own needs are ld.so's business.
    for (std::size_t i = 0; i < run.objects.size(); ++i) {
        if (static_cast<int>(i) == run.interpreter) continue;
        auto needed = run.objects[i].facts->needed;
        for (const auto& name : needed) {
            Edge e = run.resolve_needed(name, static_cast<int>(i));
            run.objects[i].edges.push_back(std::move(e));
        }
    }

    const Object& m = run.objects[0];
    for (const auto& e : m.edges) result.needed.push_back(run.build(e));
    // Load order; ld.so itself (mapped first) is listed last, as its position in ldd's list
    // carries no meaning.
    result.loaded.push_back({path, path, Via::path});
    for (std::size_t i = 2; i < run.objects.size(); ++i) {
        const auto& o = run.objects[i];
        result.loaded.push_back({o.load_name, o.path, o.via});
    }
    if (run.interpreter >= 0)
        result.loaded.push_back({result.interpreter, run.objects[1].path, Via::interpreter});
    for (const auto& o : run.objects)
        for (const auto& e : o.edges)
            if (e.target < 0 && std::find(result.missing.begin(), result.missing.end(), e.name) ==
                                    result.missing.end())
                result.missing.push_back(e.name);
    if (!s.cache_warning.empty() && run.kind == LoaderKind::glibc)
        result.warnings.push_back("ld.so.cache not used: " + s.cache_warning);
    if (!result.interpreter_found)
        result.warnings.push_back("interpreter " + result.interpreter_path + " not found");
    return result;
}

ResolveResult resolve(const std::string& path, const Options& options) {
    Session session(options);
    return session.resolve(path);
}

namespace {

nlohmann::json dependency_json(const Dependency& d) {
    nlohmann::json j = {{"name", d.name}, {"found", !d.path.empty()}, {"via", via_name(d.via)}};
    if (!d.path.empty()) j["path"] = d.path;
    if (d.already_loaded) j["already_loaded"] = true;
    if (!d.error.empty()) j["error"] = d.error;
    if (!d.skipped.empty()) j["skipped"] = d.skipped;
    if (!d.needed.empty()) {
        nlohmann::json children = nlohmann::json::array();
        for (const auto& c : d.needed) children.push_back(dependency_json(c));
        j["needed"] = children;
    }
    return j;
}

const char* loader_name(LoaderKind k) {
    switch (k) {
    case LoaderKind::glibc:
        return "glibc";
    case LoaderKind::musl:
        return "musl";
    case LoaderKind::none:
        return "none";
    }
    return "?";
}

} // namespace

nlohmann::json to_json(const ResolveResult& r) {
    nlohmann::json j = {
        {"file", r.file}, {"dynamic", r.dynamic}, {"loader", loader_name(r.loader)}};
    if (!r.dynamic) return j;
    j["interpreter"] = r.interpreter;
    j["interpreter_path"] = r.interpreter_path;
    j["interpreter_found"] = r.interpreter_found;
    if (r.cpu_level > 0) j["x86_64_level"] = r.cpu_level;
    j["rpath"] = r.rpath;
    j["runpath"] = r.runpath;
    nlohmann::json needed = nlohmann::json::array();
    for (const auto& d : r.needed) needed.push_back(dependency_json(d));
    j["needed"] = needed;
    nlohmann::json loaded = nlohmann::json::array();
    for (const auto& o : r.loaded)
        loaded.push_back({{"name", o.name}, {"path", o.path}, {"via", via_name(o.via)}});
    j["loaded"] = loaded;
    j["missing"] = r.missing;
    j["ok"] = r.ok();
    if (!r.warnings.empty()) j["warnings"] = r.warnings;
    return j;
}

} // namespace berth::resolve
