#pragma once
// ld.so's answer without running ld.so: which file every needed library of an ELF object
// resolves to, searched in the order the target's dynamic loader uses (glibc 2.36 as on Debian
// 12, or musl when the interpreter is musl's), in breadth-first load order, with already loaded
// objects matched by name and soname and not searched again.
#include "sysroot/sysroot.hpp"

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::resolve {

struct Options {
    sysroot::Root root;                      // the examined system: this one, or an image
    std::optional<std::string> library_path; // LD_LIBRARY_PATH value, only when asked for
    int cpu_level = 0;                       // x86-64 psABI level 1..4; 0 = this CPU's
};

// How a needed library was found (or not).
enum class Via {
    path,            // the needed name contains a '/': used as is
    rpath,           // DT_RPATH of the loader or of an object up its loading chain
    ld_library_path, // Options::library_path
    runpath,         // DT_RUNPATH of the loader itself
    ld_so_cache,     // /etc/ld.so.cache
    default_dirs,    // the loader's built-in directories
    musl_path,       // musl: /etc/ld-musl-ARCH.path or its defaults
    interpreter,     // the dynamic loader itself (its soname, or musl's libc names)
    preload,         // /etc/ld.so.preload
    not_found,
};
const char* via_name(Via v);

// One DT_NEEDED entry of an object and what it resolved to. An object is expanded (its own
// needed entries listed) under the first entry that loaded it; later references to it are
// `already_loaded` leaves, so the tree is finite even when the needed graph has loops.
struct Dependency {
    std::string name; // as written in DT_NEEDED
    std::string path; // the file ld.so maps (as it builds the name, not realpath'd)
    Via via = Via::not_found;
    bool already_loaded = false;
    std::string error;                // why not found, or why the found file is unusable
    std::vector<std::string> skipped; // candidates passed over: wrong ELF class or machine
    std::vector<Dependency> needed;
};

// A symbol version an object needs that the library providing it does not define: ld.so
// refuses to start the program ("version `GLIBC_2.34' not found").
struct VersionError {
    std::string object;   // the object that needs it (the file itself for the program)
    std::string provider; // the library that lacks it, as mapped
    std::string version;  // e.g. "GLIBC_2.34"
};

// One mapped object in load order (what `ldd` lists).
struct LoadedObject {
    std::string name; // the needed name that loaded it (the file itself for the main object)
    std::string path;
    Via via = Via::not_found;
};

enum class LoaderKind { glibc, musl, none };

struct ResolveResult {
    std::string file;
    // The dynamic loader is involved: a PT_DYNAMIC segment and a PT_INTERP or a DT_NEEDED entry.
    // A static-pie program, or a library that needs nothing, is "statically linked" to ldd.
    bool dynamic = false;
    LoaderKind loader = LoaderKind::none;
    std::string interpreter;      // PT_INTERP (or the standard one for a shared library)
    std::string interpreter_path; // the interpreter file as mapped (shown as a path of this
                                  // machine: under --root, the image's directory + the path)
    bool interpreter_found = false;
    bool is64 = false;
    std::uint16_t machine = 0;
    int cpu_level = 0;              // the x86-64 level the hwcaps choice used
    std::vector<std::string> rpath; // the object's own, as written
    std::vector<std::string> runpath;
    std::vector<Dependency> needed;           // the tree
    std::vector<LoadedObject> loaded;         // every object mapped, in load order (main first)
    std::vector<std::string> missing;         // needed names not found (each once)
    std::vector<VersionError> version_errors; // in ld.so's order: objects in load order
    std::vector<std::string> warnings;        // e.g. an unreadable ld.so.cache

    bool ok() const {
        return missing.empty() && version_errors.empty() && (!dynamic || interpreter_found);
    }
};

nlohmann::json to_json(const ResolveResult& r);

// Caches shared by the files of one run: parsed libraries, the ld.so.cache, directory
// existence, and the cache and default-directory search of each name (which depends on
// nothing else). Resolving all of /usr/bin through one Session reads each library once.
class Session {
  public:
    explicit Session(Options options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Throws InputError when `path` cannot be read or is not an ELF file.
    ResolveResult resolve(const std::string& path);

    struct State;

  private:
    std::unique_ptr<State> state_;
};

// One file, fresh caches.
ResolveResult resolve(const std::string& path, const Options& options);

} // namespace berth::resolve
