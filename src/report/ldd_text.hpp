#pragma once
// The text forms of `berth ldd`: the dependency tree (the default) and ldd's flat list.
#include "resolve/resolver.hpp"

#include <string>

namespace berth::report {

// The tree of one file, appended to `out`: its loader, each needed library with where it was
// found, the versions the loader would refuse, and warnings.
void append_ldd_tree(std::string& out, const resolve::ResolveResult& r);

// ldd's flat form: the versions the loader would refuse (in ldd's words), then every mapped
// object once, in load order, then what was not found. `with_header` names the file first.
void append_ldd_list(std::string& out, const resolve::ResolveResult& r, bool with_header);

} // namespace berth::report
