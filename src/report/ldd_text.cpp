#include "report/ldd_text.hpp"

namespace berth::report {

namespace {

// Text is built in one buffer per file: over /usr/bin that is tens of thousands of lines, and
// formatting each through printf was half of the run's time.
void append_line(std::string& out, const resolve::Dependency& d) {
    out += d.name;
    out += " => ";
    if (d.path.empty()) {
        out += "not found";
        if (!d.error.empty()) {
            out += " (";
            out += d.error;
            out += ')';
        }
        return;
    }
    out += d.path;
    if (d.via == resolve::Via::interpreter) {
        out += " (interpreter)";
    } else if (d.already_loaded) {
        out += " (already loaded)";
    } else {
        out += " [";
        out += resolve::via_name(d.via);
        out += ']';
    }
}

// `indent` grows by one level per call and is restored before returning.
void append_tree(std::string& out, const std::vector<resolve::Dependency>& deps,
                 std::string& indent) {
    for (std::size_t i = 0; i < deps.size(); ++i) {
        bool last = i + 1 == deps.size();
        const auto& d = deps[i];
        out += indent;
        out += last ? "└── " : "├── ";
        append_line(out, d);
        out += '\n';
        const std::size_t depth = indent.size();
        indent += last ? "    " : "│   ";
        for (const auto& s : d.skipped) {
            out += indent;
            out += "  skipped ";
            out += s;
            out += '\n';
        }
        append_tree(out, d.needed, indent);
        indent.resize(depth);
    }
}

// ld.so's message for a version it refuses, word for word ("PROGRAM: LIBRARY: version `V' not
// found (required by OBJECT)"), so that it can be searched for.
void append_version_errors(std::string& out, const resolve::ResolveResult& r) {
    for (const auto& v : r.version_errors) {
        out += r.file;
        out += ": ";
        out += v.provider;
        out += ": version `";
        out += v.version;
        out += "' not found (required by ";
        out += v.object;
        out += ")\n";
    }
}

} // namespace

void append_ldd_tree(std::string& out, const resolve::ResolveResult& r) {
    out += r.file;
    if (!r.dynamic) {
        out += ": statically linked (no dynamic loader involved)\n";
        return;
    }
    out += r.loader == resolve::LoaderKind::musl ? " [musl loader " : " [glibc loader ";
    out += r.interpreter;
    if (!r.interpreter_found) out += " (NOT FOUND)";
    if (r.cpu_level > 0) {
        out += ", x86-64-v";
        out += std::to_string(r.cpu_level);
    }
    out += "]\n";
    std::string indent;
    append_tree(out, r.needed, indent);
    append_version_errors(out, r);
    for (const auto& w : r.warnings) {
        out += "warning: ";
        out += w;
        out += '\n';
    }
}

void append_ldd_list(std::string& out, const resolve::ResolveResult& r, bool with_header) {
    if (with_header) {
        out += r.file;
        out += ":\n";
    }
    if (!r.dynamic) {
        out += "\tstatically linked\n";
        return;
    }
    append_version_errors(out, r);
    for (std::size_t i = 1; i < r.loaded.size(); ++i) {
        const auto& o = r.loaded[i];
        out += '\t';
        if (o.via != resolve::Via::interpreter && o.name.find('/') == std::string::npos) {
            out += o.name;
            out += " => ";
        }
        out += o.path;
        out += '\n';
    }
    for (const auto& m : r.missing) {
        out += '\t';
        out += m;
        out += " => not found\n";
    }
}

} // namespace berth::report
