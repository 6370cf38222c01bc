// CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/) from the shared component list.
#include "report/sbom.hpp"

#include "util/json_text.hpp"

namespace berth::report {

namespace {

using nlohmann::json;

const char* component_type(SbomKind k) {
    switch (k) {
    case SbomKind::root:
        return "application";
    case SbomKind::go_stdlib:
        return "framework"; // the runtime and standard library every Go program is built on
    case SbomKind::go_module:
    case SbomKind::library:
        return "library";
    }
    return "library";
}

json properties(const SbomComponent& c) {
    json out = json::array();
    for (const auto& [name, value] : c.properties)
        out.push_back({{"name", name}, {"value", value}});
    return out;
}

json component(const SbomComponent& c) {
    json j = {{"type", component_type(c.kind)}, {"bom-ref", c.ref}, {"name", c.name}};
    if (!c.version.empty()) j["version"] = c.version;
    // The h1: digest of a module is a SHA-256 (of Go's file-hash summary of the module, see
    // docs/inspect.md): carried as one, as cyclonedx-gomod does, and verbatim in berth:go:h1.
    if (!c.sha256.empty()) j["hashes"] = json::array({{{"alg", "SHA-256"}, {"content", c.sha256}}});
    if (!c.cpe.empty()) j["cpe"] = c.cpe;
    if (!c.purl.empty()) j["purl"] = c.purl;
    if (c.replaces) {
        json ancestor = {{"type", "library"}, {"name", c.replaces->name}};
        if (!c.replaces->version.empty()) ancestor["version"] = c.replaces->version;
        ancestor["purl"] = c.replaces->purl;
        j["pedigree"] = {{"ancestors", json::array({ancestor})},
                         {"notes", "Go module replace directive: this module is built in place "
                                   "of the ancestor"}};
    }
    if (!c.properties.empty()) j["properties"] = properties(c);
    return j;
}

} // namespace

std::string render_cyclonedx(const SbomInput& in) {
    auto components = sbom_components(in);
    json list = json::array();
    json depends = json::array();
    for (std::size_t i = 1; i < components.size(); ++i) {
        list.push_back(component(components[i]));
        depends.push_back(components[i].ref);
    }
    json doc = {
        {"$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json"},
        {"bomFormat", "CycloneDX"},
        {"specVersion", "1.5"},
        {"serialNumber", "urn:uuid:" + name_uuid("berth:cyclonedx:sha256:" + in.sha256)},
        {"version", 1},
        {"metadata",
         {{"timestamp", in.timestamp},
          {"tools",
           {{"components",
             json::array(
                 {{{"type", "application"}, {"name", "berth"}, {"version", BERTH_VERSION}}})}}},
          {"component", component(components[0])}}},
        {"components", list},
        // The build info lists the modules linked in, not which needs which: the root depends
        // on all of them, and nothing is said of theirs.
        {"dependencies", json::array({{{"ref", components[0].ref}, {"dependsOn", depends}}})},
    };
    return json_text(doc) + "\n";
}

} // namespace berth::report
