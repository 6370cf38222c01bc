#include "facts/library_facts.hpp"

#include "resolve/resolver.hpp"

namespace berth {

LibraryFacts resolve_library_facts(const std::string& binary, const std::string& root) {
    resolve::Options options;
    options.root = root; // the Session treats "/" as no root
    auto result = resolve::resolve(binary, options);
    LibraryFacts libs;
    libs.resolved = true;
    libs.interpreter = result.interpreter;
    libs.interpreter_found =
        !result.dynamic || result.interpreter.empty() || result.interpreter_found;
    libs.missing = result.missing;
    return libs;
}

void to_json(nlohmann::json& j, const LibraryFacts& l) {
    j = {{"resolved", l.resolved},
         {"interpreter", l.interpreter},
         {"interpreter_found", l.interpreter_found},
         {"missing", l.missing}};
}

void from_json(const nlohmann::json& j, LibraryFacts& l) {
    l.resolved = j.value("resolved", false);
    l.interpreter = j.value("interpreter", "");
    l.interpreter_found = j.value("interpreter_found", true);
    l.missing = j.value("missing", std::vector<std::string>{});
}

} // namespace berth
