#include "facts/library_facts.hpp"

#include "resolve/resolver.hpp"

namespace berth::facts {

LibraryFacts resolve_library_facts(const std::string& binary, const sysroot::Root& root) {
    resolve::Options options;
    options.root = root;
    auto result = resolve::resolve(binary, options);
    LibraryFacts libs;
    libs.resolved = true;
    libs.interpreter = result.interpreter;
    libs.interpreter_found =
        !result.dynamic || result.interpreter.empty() || result.interpreter_found;
    libs.missing = result.missing;
    for (const auto& v : result.version_errors)
        libs.missing_versions.push_back({v.version, v.provider, v.object});
    return libs;
}

void to_json(nlohmann::json& j, const LibraryFacts& l) {
    j = {{"resolved", l.resolved},
         {"interpreter", l.interpreter},
         {"interpreter_found", l.interpreter_found},
         {"missing", l.missing}};
    nlohmann::json versions = nlohmann::json::array();
    for (const auto& v : l.missing_versions)
        versions.push_back(
            {{"version", v.version}, {"provider", v.provider}, {"object", v.object}});
    j["missing_versions"] = versions;
}

void from_json(const nlohmann::json& j, LibraryFacts& l) {
    l.resolved = j.value("resolved", false);
    l.interpreter = j.value("interpreter", "");
    l.interpreter_found = j.value("interpreter_found", true);
    l.missing = j.value("missing", std::vector<std::string>{});
    l.missing_versions.clear();
    if (j.contains("missing_versions"))
        for (const auto& v : j.at("missing_versions"))
            l.missing_versions.push_back({v.at("version").get<std::string>(),
                                          v.at("provider").get<std::string>(),
                                          v.at("object").get<std::string>()});
}

} // namespace berth::facts
