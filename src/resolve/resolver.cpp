#include "resolve/resolver.hpp"

#include "elf/elf_image.hpp"
#include "resolve/cpu_level.hpp"
#include "resolve/ld_cache.hpp"
#include "resolve/search_path.hpp"
#include "util/error.hpp"
#include "util/file_ranges.hpp"
#include "util/json_text.hpp"
#include "util/mapped_file.hpp"
#include "util/read_text.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <elf.h>
#include <fcntl.h>
#include <map>
#include <new>
#include <span>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace berth::resolve {

namespace {

constexpr std::uint32_t kNoString = UINT32_MAX;

// Every name and path of a session, stored once and compared as numbers: the search asks "is this
// name loaded already?" and "was this path opened before?" tens of thousands of times over
// /usr/bin, and comparing and hashing strings each time was most of its cost.
class Strings {
  public:
    std::uint32_t intern(std::string_view s) {
        auto it = ids_.find(s);
        if (it != ids_.end()) return it->second;
        const std::string& stored = store_.emplace_back(s);
        auto id = static_cast<std::uint32_t>(store_.size() - 1);
        ids_.emplace(stored, id);
        return id;
    }
    const std::string& operator[](std::uint32_t id) const { return store_[id]; }
    std::size_t size() const { return store_.size(); }

  private:
    std::deque<std::string> store_; // stable addresses: the map's keys view them
    std::unordered_map<std::string_view, std::uint32_t> ids_;
};

// The parts of an ELF file the search needs, read once per file (device and inode) per session.
struct Facts {
    std::string error; // non-empty: why the file could not be parsed
    bool dynamic = false;
    bool is64 = false;
    std::uint16_t machine = 0;
    std::uint32_t e_flags = 0;
    std::vector<std::uint32_t> needed; // interned names
    std::uint32_t soname = kNoString;
    std::optional<std::string> rpath, runpath, interpreter;
    bool nodeflib = false;
    // Symbol versions: what this object needs from each library (by its needed name), and
    // what it defines itself.
    struct Need {
        std::uint32_t file;
        std::vector<std::string> versions;
        std::vector<std::string> weak;
    };
    std::vector<Need> version_needs;
    bool has_verdef = false;
    std::vector<std::string> version_defs;
};

Facts facts_from(const elf::ElfImage& img, Strings& strings) {
    Facts f;
    f.dynamic = img.find_segment(PT_DYNAMIC) != nullptr;
    f.is64 = img.is64;
    f.machine = img.machine;
    f.e_flags = img.flags;
    f.needed.reserve(img.needed.size());
    for (const auto& n : img.needed) f.needed.push_back(strings.intern(n));
    if (img.soname) f.soname = strings.intern(*img.soname);
    f.rpath = img.rpath;
    f.runpath = img.runpath;
    f.interpreter = img.interpreter;
    f.nodeflib = (img.dynamic_value(DT_FLAGS_1) & DF_1_NODEFLIB) != 0;
    for (const auto& n : img.version_needs)
        f.version_needs.push_back({strings.intern(n.file), n.versions, n.weak});
    f.has_verdef = img.dynamic_value(DT_VERDEF) != 0;
    f.version_defs = img.version_defs;
    return f;
}

// What opening a path tells ld.so before it maps it: exists? an ELF of which kind? For ELF
// files also what they need, read while the file is open.
struct Probe {
    enum Status : std::uint8_t { unknown, missing, not_elf, elf } status = unknown;
    dev_t dev = 0;
    ino_t ino = 0;
    const Facts* facts = nullptr; // set for ELF files
};

struct InodeHash {
    std::size_t operator()(const std::pair<dev_t, ino_t>& k) const {
        return std::hash<std::uint64_t>()(k.second * 31 + k.first);
    }
};

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

// Where a name was found by the part of the search that depends on nothing but the name and the
// object's kind (the cache and the default directories): the same for every object that has no
// RPATH or RUNPATH in the way, so it is searched once per run.
struct SearchKey {
    std::uint32_t name;
    std::uint16_t machine;
    bool is64;
    std::uint32_t e_flags;
    bool operator==(const SearchKey&) const = default;
};
struct SearchKeyHash {
    std::size_t operator()(const SearchKey& k) const {
        return std::hash<std::uint64_t>()((std::uint64_t{k.name} << 32) ^ (k.e_flags * 131) ^
                                          (k.machine * 2u + k.is64));
    }
};
struct SearchOutcome {
    std::uint32_t path = kNoString;
    Via via = Via::not_found;
    std::string error;
    std::vector<std::string> skipped;
};

} // namespace

struct Session::State {
    Options opt;
    int level = 1;
    std::vector<std::string> hwcaps_names; // best first
    std::vector<std::string>
        x86_64_subdirs; // "glibc-hwcaps/x86-64-v4/", ..., "tls/x86_64/", ..., ""
    LegacyHwcaps legacy;

    bool cache_read = false;
    std::optional<LdCache> cache;
    std::string cache_warning;

    Strings strings;
    std::vector<Probe> probes; // by string id
    std::unordered_map<std::string, bool> dirs;
    std::unordered_map<std::pair<dev_t, ino_t>, std::unique_ptr<Facts>, InodeHash> facts;
    std::unordered_map<SearchKey, SearchOutcome, SearchKeyHash> searches;
    std::map<std::string, std::vector<std::string>> musl_dirs; // by musl arch
    // Which object of the current run is known by a name, by string id (see Run::find_loaded);
    // marks of earlier runs are stale by their run number, so nothing is cleared between files.
    struct LoadedMark {
        std::uint32_t run = 0;
        int object = -1;
    };
    std::vector<LoadedMark> loaded_as;
    std::uint32_t run_number = 0;

    // The reference is valid until the next probe of a path not seen before (the table grows).
    // Paths are the examined system's, opened through its root.
    const Probe& probe(std::uint32_t id) {
        if (probes.size() <= id) probes.resize(strings.size());
        Probe& p = probes[id];
        if (p.status != Probe::unknown) return p;
        // O_NONBLOCK: a FIFO on the search path must not block the open (it is no library).
        probe_fd(opt.root.open(strings[id], O_RDONLY | O_NONBLOCK), p);
        return p;
    }

    // Fills `p` from an open descriptor (-1: missing), which it closes.
    void probe_fd(int fd, Probe& p) {
        p.status = Probe::missing;
        struct Descriptor {
            int fd;
            ~Descriptor() {
                if (fd >= 0) ::close(fd);
            }
        } file{fd};
        if (file.fd < 0) return;
        struct stat st {};
        if (::fstat(file.fd, &st) == 0 && S_ISREG(st.st_mode)) {
            p.dev = st.st_dev;
            p.ino = st.st_ino;
            p.status = Probe::not_elf;
            p.facts = facts_of(file.fd, static_cast<std::uint64_t>(st.st_size), p);
            if (p.facts) p.status = Probe::elf;
        }
    }

    // The facts of an open file, read once per inode; nullptr when it is not an ELF file.
    const Facts* facts_of(int fd, std::uint64_t size, const Probe& p) {
        auto key = std::make_pair(p.dev, p.ino);
        auto it = facts.find(key);
        if (it != facts.end()) return it->second.get();
        FileRanges file = FileRanges::descriptor(fd, size);
        std::unique_ptr<Facts> f;
        try {
            // ld.so reads the ELF header first and rejects a file of the wrong class or
            // machine from it alone, whatever the rest holds.
            constexpr std::uint64_t kHeader = 20; // e_ident, e_type, e_machine
            auto head = size >= kHeader ? file.get(0, kHeader) : std::span<const std::byte>{};
            if (elf::is_elf(head)) {
                const auto data = std::to_integer<int>(head[EI_DATA]);
                f = std::make_unique<Facts>();
                f->is64 = std::to_integer<int>(head[EI_CLASS]) == ELFCLASS64;
                f->machine =
                    ByteReader{head, data == ELFDATA2MSB ? Endian::big : Endian::little}.u16(18);
                try {
                    *f = facts_from(elf::read_layout(file), strings);
                } catch (const InputError& e) {
                    f->error = e.what();
                } catch (const std::bad_alloc&) {
                    f->error = "too large to read: out of memory";
                }
            }
        } catch (const InputError&) {
            f.reset(); // the header itself unreadable: not an ELF file to ld.so either
        }
        return facts.emplace(key, std::move(f)).first->second.get();
    }

    bool dir_exists(const std::string& dir) {
        auto it = dirs.find(dir);
        if (it != dirs.end()) return it->second;
        bool ok = opt.root.is_dir(dir.empty() ? "." : dir);
        dirs.emplace(dir, ok);
        return ok;
    }

    const LdCache* ld_cache() {
        if (!cache_read) {
            cache_read = true;
            try {
                MappedFile file = opt.root.map("/etc/ld.so.cache");
                cache = parse_ld_cache(file.bytes(), file.path());
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
    std::uint32_t name = kNoString;
    int target = -1;
    Via via = Via::not_found;
    bool first_load = false;
    std::string error;
    std::vector<std::string> skipped;
};

struct Object {
    std::uint32_t path = kNoString;
    std::uint32_t load_name = kNoString;
    const Facts* facts = nullptr;
    dev_t dev = 0;
    ino_t ino = 0;
    int loader = -1;
    std::string origin; // $ORIGIN, filled in when first needed
    std::optional<std::vector<std::string>> rpath_dirs, runpath_dirs; // see Run::dirs_of
    Via via = Via::not_found;
    bool is_interpreter = false;
    std::vector<Edge> edges;
};

// One resolution: ld.so's list of loaded objects, built breadth first.
struct Run {
    explicit Run(Session::State& state) : s(state) {}
    Session::State& s;
    LoaderKind kind = LoaderKind::glibc;
    bool is64 = false;
    std::uint16_t machine = 0;
    std::uint32_t e_flags = 0;
    std::string triplet;
    std::vector<std::string> subdirs{""};
    std::vector<Object> objects;
    int interpreter = -1;
    const std::vector<std::string>* musl_dirs = nullptr;
    std::string candidate; // reused buffer for the paths tried
    std::optional<std::vector<std::string>> library_path_dirs;

    const std::string& str(std::uint32_t id) const { return s.strings[id]; }
    // A path of the examined system as printed: a name of this machine.
    std::string shown(std::uint32_t id) const { return s.opt.root.shown(str(id)); }
    // Where an object is, as printed; the program keeps the name it was given.
    std::string path_of(int index) const {
        return index == 0 ? str(objects[0].path) : shown(objects[index].path);
    }

    DstValues dst(int index) {
        DstValues v;
        Object& o = objects[index];
        if (o.origin.empty()) {
            // The program's $ORIGIN comes from /proc/self/exe when it runs: symlinks resolved.
            // Computed only when a token needs it (realpath costs a readlink per component).
            // A program inside the image has its path there; one outside it (bound for the
            // image) keeps its directory here, as if installed at the same place.
            char real[PATH_MAX];
            if (index == 0 && ::realpath(str(o.path).c_str(), real))
                o.origin = dirname_of(s.opt.root.inside(real).value_or(real));
            else
                o.origin = dirname_of(absolute(str(o.path)));
        }
        v.origin = o.origin;
        if (kind == LoaderKind::glibc) {
            v.lib = triplet.empty() ? "lib" : "lib/" + triplet;
            v.platform =
                machine == EM_X86_64 ? s.legacy.platform : triplet.substr(0, triplet.find('-'));
        }
        return v;
    }

    // An object's DT_RPATH or DT_RUNPATH as directories, split and expanded once per run.
    enum class Which { rpath, runpath };
    const std::vector<std::string>& dirs_of(int index, Which which) {
        auto& cached =
            which == Which::runpath ? objects[index].runpath_dirs : objects[index].rpath_dirs;
        if (!cached) {
            const Facts& f = *objects[index].facts;
            const std::string& list = which == Which::runpath ? *f.runpath : *f.rpath;
            cached = split_search_path(list, ":", dst_for(index, list));
        }
        return *cached;
    }

    // LD_LIBRARY_PATH as directories ($ORIGIN is the program's), once per run.
    const std::vector<std::string>& library_dirs(std::string_view separators) {
        if (!library_path_dirs)
            library_path_dirs =
                split_search_path(*s.opt.library_path, separators, dst_for(0, *s.opt.library_path));
        return *library_path_dirs;
    }

    // The token values, computed only when `text` has a token: $ORIGIN of the program costs
    // a realpath.
    DstValues dst_for(int index, std::string_view text) {
        return text.find('$') == std::string_view::npos ? DstValues{} : dst(index);
    }

    // ld.so's check before any search: an object already loaded under this name (its path,
    // the names that loaded it, or for glibc its soname).
    int find_loaded(std::uint32_t name) const {
        if (name < s.loaded_as.size() && s.loaded_as[name].run == s.run_number)
            return s.loaded_as[name].object;
        return -1;
    }

    // Records a name of objects[index]; the first object known by a name keeps it.
    void known_as(std::uint32_t name, int index) {
        if (name == kNoString) return;
        if (s.loaded_as.size() <= name) s.loaded_as.resize(s.strings.size());
        auto& mark = s.loaded_as[name];
        if (mark.run == s.run_number) return;
        mark = {s.run_number, index};
    }

    int add(Object o, std::initializer_list<std::uint32_t> names) {
        int index = static_cast<int>(objects.size());
        for (std::uint32_t n : names) known_as(n, index);
        if (kind == LoaderKind::glibc) known_as(o.facts->soname, index);
        objects.push_back(std::move(o));
        return index;
    }

    // Opens a candidate the way ld.so does: missing -> keep searching; wrong class or machine
    // -> note it and keep searching (glibc) ; usable -> done.
    enum class Try { absent, skipped, usable };
    Try try_file(std::uint32_t path, std::vector<std::string>& skipped) {
        const Probe& p = s.probe(path);
        if (p.status == Probe::missing) return Try::absent;
        if (p.status == Probe::elf && p.facts->is64 == is64 && p.facts->machine == machine)
            return Try::usable;
        skipped.push_back(shown(path) + (p.status == Probe::not_elf
                                             ? " (not an ELF file)"
                                             : " (wrong ELF class or machine)"));
        return Try::skipped;
    }

    std::uint32_t search_dirs(const std::vector<std::string>& dirs, const std::string& name,
                              SearchOutcome& out) {
        for (const auto& dir : dirs) {
            for (const auto& sub : subdirs) {
                candidate.assign(dir);
                candidate += sub;
                if (!sub.empty() && !s.dir_exists(candidate)) continue;
                candidate += name;
                std::uint32_t id = s.strings.intern(candidate);
                Try t = try_file(id, out.skipped);
                if (t == Try::usable) return id;
                if (t == Try::skipped && kind == LoaderKind::musl) {
                    out.error = "musl opens " + shown(id) +
                                " and fails: it does not skip files of another architecture";
                    return kNoString;
                }
            }
        }
        return kNoString;
    }

    bool attempt(const std::vector<std::string>& dirs, const std::string& name, Via via,
                 SearchOutcome& out) {
        out.path = search_dirs(dirs, name, out);
        if (out.path != kNoString) out.via = via;
        return out.path != kNoString;
    }

    // The ld.so.cache, then the default directories.
    void search_system(const std::string& name, SearchOutcome& out) {
        if (const LdCache* cache = s.ld_cache()) {
            auto flags = cache_flags_for(machine, is64, e_flags);
            std::span<const std::string> hw;
            if (machine == EM_X86_64 && is64) hw = s.hwcaps_names;
            if (const LdCacheEntry* e = lookup(*cache, name, flags, hw)) {
                std::uint32_t id = s.strings.intern(e->path);
                if (try_file(id, out.skipped) == Try::usable) {
                    out.path = id;
                    out.via = Via::ld_so_cache;
                    return;
                }
            }
        }
        attempt(glibc_default_dirs(triplet), name, Via::default_dirs, out);
    }

    // Searches that depend on the name alone are done once per run (see SearchOutcome).
    const SearchOutcome& search_system_once(std::uint32_t name) {
        SearchKey key{name, machine, is64, e_flags};
        auto it = s.searches.find(key);
        if (it != s.searches.end()) return it->second;
        SearchOutcome out;
        search_system(str(name), out);
        return s.searches.emplace(key, std::move(out)).first->second;
    }

    void search_glibc(std::uint32_t name_id, int loader, SearchOutcome& out) {
        const std::string& name = str(name_id);
        const Facts& lf = *objects[loader].facts;
        if (!lf.runpath) {
            // DT_RPATH of the loader, then of the object that loaded it, up to the main program
            // (whose RPATH is ignored when it has a RUNPATH).
            for (int l = loader; l >= 0; l = objects[l].loader) {
                const Facts& f = *objects[l].facts;
                if (!f.rpath || (l == 0 && f.runpath)) continue;
                if (attempt(dirs_of(l, Which::rpath), name, Via::rpath, out)) return;
            }
        }
        if (s.opt.library_path && attempt(library_dirs(":;"), name, Via::ld_library_path, out))
            return;
        if (lf.runpath && attempt(dirs_of(loader, Which::runpath), name, Via::runpath, out)) return;
        if (lf.nodeflib) return; // DF_1_NODEFLIB: no cache, no default dirs
        const SearchOutcome& system = search_system_once(name_id);
        out.path = system.path;
        out.via = system.via;
        out.skipped.insert(out.skipped.end(), system.skipped.begin(), system.skipped.end());
    }

    void search_musl(std::uint32_t name_id, int loader, SearchOutcome& out) {
        const std::string& name = str(name_id);
        if (s.opt.library_path) {
            if (attempt(library_dirs(":\n"), name, Via::ld_library_path, out) || !out.error.empty())
                return;
        }
        // musl uses DT_RUNPATH if present, else DT_RPATH, of the loader and of every object up
        // its loading chain.
        for (int l = loader; l >= 0; l = objects[l].loader) {
            const Facts& f = *objects[l].facts;
            if (!f.runpath && !f.rpath) continue;
            Which which = f.runpath ? Which::runpath : Which::rpath;
            if (attempt(dirs_of(l, which), name,
                        which == Which::runpath ? Via::runpath : Via::rpath, out) ||
                !out.error.empty())
                return;
        }
        attempt(*musl_dirs, name, Via::musl_path, out);
    }

    int add_object(std::uint32_t path, std::uint32_t name, int loader, Via via, const Probe& p) {
        Object o;
        o.path = path;
        o.load_name = name;
        o.dev = p.dev;
        o.ino = p.ino;
        o.loader = loader;
        o.via = via;
        o.facts = p.facts;
        return add(std::move(o), {path, name});
    }

    Edge resolve_needed(std::uint32_t needed_id, int loader) {
        Edge edge;
        edge.name = needed_id;
        const std::string& needed = str(needed_id);
        if (kind == LoaderKind::musl && needed.find('/') == std::string::npos &&
            musl_reserved(needed)) {
            // musl is its own libc: these names are the loader, whether or not it is there.
            if (interpreter >= 0) {
                edge.target = interpreter;
                edge.via = Via::interpreter;
            } else {
                edge.error = "it is the musl loader, which is missing";
            }
            return edge;
        }
        if (int i = find_loaded(needed_id); i >= 0) {
            edge.target = i;
            edge.via = objects[i].is_interpreter ? Via::interpreter : objects[i].via;
            return edge;
        }
        std::uint32_t name_id = needed_id;
        if (kind == LoaderKind::glibc && needed.find('$') != std::string::npos) {
            auto expanded = expand_dst(needed, dst(loader));
            if (!expanded) {
                edge.error = "a token in the name cannot be expanded";
                return edge;
            }
            name_id = s.strings.intern(*expanded);
        }
        SearchOutcome out;
        const std::string& name = str(name_id);
        if (name.find('/') != std::string::npos) {
            const std::uint32_t p = name_id;
            Try t = try_file(p, out.skipped);
            if (t == Try::usable) {
                out.path = p;
                out.via = Via::path;
            } else if (t == Try::absent) {
                out.error = shown(p) + ": no such file";
            }
        } else if (kind == LoaderKind::musl) {
            search_musl(name_id, loader, out);
        } else {
            search_glibc(name_id, loader, out);
        }
        edge.error = std::move(out.error);
        edge.skipped = std::move(out.skipped);
        if (out.path == kNoString) return edge;
        // The same file under another name is mapped once (ld.so compares device and inode).
        const Probe p = s.probe(out.path); // a copy: later probes may grow the table
        for (std::size_t i = 0; i < objects.size(); ++i) {
            if (objects[i].dev == p.dev && objects[i].ino == p.ino) {
                known_as(needed_id, static_cast<int>(i));
                edge.target = static_cast<int>(i);
                edge.via = objects[i].is_interpreter ? Via::interpreter : objects[i].via;
                return edge;
            }
        }
        if (!p.facts->error.empty()) {
            edge.error = shown(out.path) + ": " + p.facts->error;
            return edge;
        }
        edge.via = out.via;
        edge.target = add_object(out.path, needed_id, loader, out.via, p);
        edge.first_load = true;
        return edge;
    }

    // ld.so's version check (_dl_check_map_versions) before the program runs: every version an
    // object needs from a library must be defined by the object loaded under that name. A
    // library that was not found is reported as missing, not here; one without version
    // definitions satisfies anything (ldd -v alone mentions it); a weak version may be absent.
    std::vector<VersionError> check_versions() const {
        std::vector<VersionError> errors;
        for (std::size_t i = 0; i < objects.size(); ++i) {
            if (static_cast<int>(i) == interpreter) continue;
            for (const auto& need : objects[i].facts->version_needs) {
                const int provider = find_loaded(need.file);
                if (provider < 0 || !objects[provider].facts->has_verdef) continue;
                const auto& defs = objects[provider].facts->version_defs;
                for (const auto& v : need.versions) {
                    if (std::find(defs.begin(), defs.end(), v) != defs.end() ||
                        std::find(need.weak.begin(), need.weak.end(), v) != need.weak.end())
                        continue;
                    errors.push_back({path_of(static_cast<int>(i)), path_of(provider), v});
                }
            }
        }
        return errors;
    }

    // The tree under an edge. Edges are consumed: their messages move into the result.
    Dependency build(Edge& e) {
        Dependency d;
        d.name = str(e.name);
        d.via = e.via;
        d.error = std::move(e.error);
        d.skipped = std::move(e.skipped);
        if (e.target < 0) return d;
        d.path = path_of(e.target);
        d.already_loaded = !e.first_load && e.via != Via::interpreter;
        if (e.first_load) {
            auto& children = objects[e.target].edges;
            d.needed.reserve(children.size());
            for (auto& child : children) d.needed.push_back(build(child));
        }
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
    const CpuFeatures cpu = detect_cpu_features();
    s.level = s.opt.cpu_level > 0 ? s.opt.cpu_level : x86_64_level(cpu);
    s.hwcaps_names = glibc_hwcaps_names(s.level);
    s.legacy = legacy_hwcaps(cpu);
    for (const auto& n : s.hwcaps_names) s.x86_64_subdirs.push_back("glibc-hwcaps/" + n + "/");
    for (const auto& l : legacy_hwcaps_subdirs(s.legacy)) s.x86_64_subdirs.push_back(l + "/");
    s.x86_64_subdirs.push_back("");
}

Session::~Session() = default;

ResolveResult Session::resolve(const std::string& path) {
    State& s = *state_;
    ResolveResult result;
    result.file = path;
    // The input must exist and be an ELF file: those are input errors, not missing libraries.
    // It is a file of this machine (under --root, usually one inside the image), named as given.
    const std::uint32_t path_id = s.strings.intern(path);
    Probe p0;
    s.probe_fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC), p0);
    if (p0.status == Probe::missing) {
        MappedFile probe_again(path); // throws with the reason (no such file, directory, ...)
    }
    if (p0.status != Probe::elf) throw InputError(path + ": not an ELF file");
    // Parsed through the shared cache: /usr/bin holds many names for one file.
    const Facts* facts = p0.facts;
    if (!facts->error.empty()) throw InputError(path + ": " + facts->error);
    result.dynamic = facts->dynamic;
    result.is64 = facts->is64;
    result.machine = facts->machine;
    if (facts->rpath) result.rpath = split_colons(*facts->rpath);
    if (facts->runpath) result.runpath = split_colons(*facts->runpath);
    // Nothing for a loader to do: a static-pie program, or a library that needs nothing (ldd
    // says "statically linked" to both).
    if (!facts->interpreter && facts->needed.empty()) result.dynamic = false;
    if (!result.dynamic) return result;

    ++s.run_number;
    Run run(s);
    run.is64 = facts->is64;
    run.machine = facts->machine;
    run.e_flags = facts->e_flags;
    run.triplet = multiarch_triplet(run.machine, run.is64, run.e_flags);
    result.interpreter =
        facts->interpreter ? *facts->interpreter : glibc_interpreter(run.machine, run.is64);
    if (auto arch = musl_arch(result.interpreter)) {
        run.kind = LoaderKind::musl;
        auto dirs = s.musl_dirs.find(*arch);
        if (dirs == s.musl_dirs.end())
            dirs = s.musl_dirs
                       .emplace(*arch, musl_default_dirs(
                                           s.opt.root.read_text("/etc/ld-musl-" + *arch + ".path")))
                       .first;
        run.musl_dirs = &dirs->second;
    } else if (run.machine == EM_X86_64 && run.is64) {
        run.subdirs = s.x86_64_subdirs;
        result.cpu_level = s.level;
    }
    result.loader = run.kind;
    run.objects.reserve(16);

    Object main;
    main.path = path_id;
    main.load_name = path_id;
    main.facts = facts;
    main.dev = p0.dev;
    main.ino = p0.ino;
    run.add(std::move(main), {path_id});

    if (!result.interpreter.empty()) {
        const std::uint32_t ipath_id = s.strings.intern(result.interpreter);
        result.interpreter_path = run.shown(ipath_id);
        const Probe& ip = s.probe(ipath_id);
        result.interpreter_found = ip.status == Probe::elf && ip.facts->error.empty();
        // A missing loader is no object: nothing is mapped, and names it would answer stay
        // unresolved.
        if (result.interpreter_found) {
            Object interp;
            interp.path = ipath_id;
            interp.load_name = ipath_id;
            interp.is_interpreter = true;
            interp.via = Via::interpreter;
            interp.origin = dirname_of(result.interpreter);
            interp.dev = ip.dev;
            interp.ino = ip.ino;
            interp.facts = ip.facts;
            run.interpreter = run.add(
                std::move(interp), {ipath_id, s.strings.intern(basename_of(result.interpreter))});
        }
    }

    // Breadth first, like _dl_map_object_deps: each object's needed list in order, objects in
    // the order they were loaded. The interpreter's own needs are ld.so's business.
    for (std::size_t i = 0; i < run.objects.size(); ++i) {
        if (static_cast<int>(i) == run.interpreter) continue;
        const Facts* f = run.objects[i].facts;
        std::vector<Edge> edges;
        edges.reserve(f->needed.size());
        for (std::uint32_t name : f->needed)
            edges.push_back(run.resolve_needed(name, static_cast<int>(i)));
        run.objects[i].edges = std::move(edges);
    }

    // Missing names first: building the tree moves the edges' messages out.
    for (const auto& o : run.objects)
        for (const auto& e : o.edges)
            if (e.target < 0 && std::find(result.missing.begin(), result.missing.end(),
                                          run.str(e.name)) == result.missing.end())
                result.missing.push_back(run.str(e.name));
    result.version_errors = run.check_versions();
    Object& m = run.objects[0];
    result.needed.reserve(m.edges.size());
    for (auto& e : m.edges) result.needed.push_back(run.build(e));
    // Load order; ld.so itself (mapped first) is listed last, as its position in ldd's list
    // carries no meaning.
    result.loaded.reserve(run.objects.size());
    result.loaded.push_back({path, path, Via::path});
    for (std::size_t i = 1; i < run.objects.size(); ++i) {
        const auto& o = run.objects[i];
        if (static_cast<int>(i) != run.interpreter)
            result.loaded.push_back({run.str(o.load_name), run.shown(o.path), o.via});
    }
    if (run.interpreter >= 0)
        result.loaded.push_back({result.interpreter, result.interpreter_path, Via::interpreter});
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
    if (!d.path.empty()) set_path(j, "path", d.path);
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
    nlohmann::json j = {{"dynamic", r.dynamic}, {"loader", loader_name(r.loader)}};
    set_path(j, "file", r.file);
    if (!r.dynamic) return j;
    j["interpreter"] = r.interpreter;
    set_path(j, "interpreter_path", r.interpreter_path);
    j["interpreter_found"] = r.interpreter_found;
    if (r.cpu_level > 0) j["x86_64_level"] = r.cpu_level;
    j["rpath"] = r.rpath;
    j["runpath"] = r.runpath;
    nlohmann::json needed = nlohmann::json::array();
    for (const auto& d : r.needed) needed.push_back(dependency_json(d));
    j["needed"] = needed;
    nlohmann::json loaded = nlohmann::json::array();
    for (const auto& o : r.loaded) {
        nlohmann::json entry = {{"name", o.name}, {"via", via_name(o.via)}};
        set_path(entry, "path", o.path);
        loaded.push_back(std::move(entry));
    }
    j["loaded"] = loaded;
    j["missing"] = r.missing;
    nlohmann::json versions = nlohmann::json::array();
    for (const auto& v : r.version_errors)
        versions.push_back(
            {{"object", v.object}, {"provider", v.provider}, {"version", v.version}});
    j["version_errors"] = versions;
    j["ok"] = r.ok();
    if (!r.warnings.empty()) j["warnings"] = r.warnings;
    return j;
}

} // namespace berth::resolve
