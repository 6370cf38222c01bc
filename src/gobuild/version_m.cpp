#include "gobuild/version_m.hpp"

#include "gobuild/go_quote.hpp"

namespace berth::gobuild {

namespace {

void append_module(std::string& out, std::string_view word, const Module& m) {
    out.append(word).append("\t").append(m.path).append("\t").append(m.version);
    if (m.replace) {
        // The replacement goes on its own "=>" line, which ends in its own newline: Go prints an
        // empty line after every replacement. The replaced module's sum is not shown.
        const ModuleRef& r = *m.replace;
        out.append("\n=>\t").append(r.path).append("\t").append(r.version);
        out.append("\t").append(r.sum).append("\n");
    } else {
        out.append("\t").append(m.sum);
    }
    out += '\n';
}

bool is_empty(const Module& m) {
    return m.path.empty() && m.version.empty() && m.sum.empty() && !m.replace;
}

} // namespace

std::string format_modinfo(const BuildInfo& info) {
    std::string out;
    if (!info.path.empty()) out.append("path\t").append(info.path).append("\n");
    if (!is_empty(info.main)) append_module(out, "mod", info.main);
    for (const auto& dep : info.deps) append_module(out, "dep", dep);
    for (const auto& s : info.settings) {
        bool quote_key = build_key_needs_quotes(s.key);
        bool quote_value = build_value_needs_quotes(s.value);
        out.append("build\t");
        out.append(quote_key ? go_quote(s.key) : s.key);
        out += '=';
        out.append(quote_value ? go_quote(s.value) : s.value);
        out += '\n';
    }
    return out;
}

std::string format_version_m(const std::string& file_name, const BuildInfo& info) {
    std::string out = file_name + ": " + info.go_version + "\n";
    std::string mod = format_modinfo(info);
    if (mod.empty()) return out;
    mod.pop_back(); // every line ends in '\n'; the last one is written below
    out += '\t';
    for (char c : mod) {
        out += c;
        if (c == '\n') out += '\t';
    }
    out += '\n';
    return out;
}

} // namespace berth::gobuild
