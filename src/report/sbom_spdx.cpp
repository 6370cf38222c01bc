// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/) from the shared component list.
#include "report/sbom.hpp"

#include "util/json_text.hpp"

namespace berth::report {

namespace {

using nlohmann::json;

const char* purpose(SbomKind k) {
    switch (k) {
    case SbomKind::root:
        return "APPLICATION";
    case SbomKind::go_stdlib:
        return "FRAMEWORK";
    case SbomKind::go_module:
    case SbomKind::library:
        return "LIBRARY";
    }
    return "LIBRARY";
}

// SPDX ids allow letters, digits, '.' and '-': the position keeps two names that differ only
// in other characters apart.
std::string spdx_id(std::size_t index, const SbomComponent& c) {
    std::string id = "SPDXRef-Package-" + std::to_string(index) + "-";
    for (char ch : c.name) {
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
        id += ok ? ch : '-';
    }
    return id;
}

json package(std::size_t index, const SbomComponent& c, const SbomInput& in,
             const std::string& tool) {
    json p = {{"SPDXID", spdx_id(index, c)},       {"name", c.name},
              {"downloadLocation", "NOASSERTION"}, {"filesAnalyzed", false},
              {"licenseConcluded", "NOASSERTION"}, {"licenseDeclared", "NOASSERTION"},
              {"copyrightText", "NOASSERTION"},    {"primaryPackagePurpose", purpose(c.kind)}};
    if (!c.version.empty()) p["versionInfo"] = c.version;
    if (c.kind == SbomKind::root) p["packageFileName"] = in.file_name;
    if (!c.sha256.empty())
        p["checksums"] = json::array({{{"algorithm", "SHA256"}, {"checksumValue", c.sha256}}});
    json refs = json::array();
    if (!c.purl.empty())
        refs.push_back({{"referenceCategory", "PACKAGE-MANAGER"},
                        {"referenceType", "purl"},
                        {"referenceLocator", c.purl}});
    if (!c.cpe.empty())
        refs.push_back({{"referenceCategory", "SECURITY"},
                        {"referenceType", "cpe23Type"},
                        {"referenceLocator", c.cpe}});
    if (!refs.empty()) p["externalRefs"] = refs;
    // SPDX 2.3 has no name/value properties: each CycloneDX property is an annotation
    // "NAME=VALUE" by the tool, so that both documents carry the same facts.
    json notes = json::array();
    for (const auto& [name, value] : c.properties)
        notes.push_back({{"annotationDate", in.timestamp},
                         {"annotationType", "OTHER"},
                         {"annotator", tool},
                         {"comment", name + "=" + value}});
    if (!notes.empty()) p["annotations"] = notes;
    return p;
}

} // namespace

std::string render_spdx(const SbomInput& in) {
    const std::string tool = std::string("Tool: berth-") + BERTH_VERSION;
    auto components = sbom_components(in);
    json packages = json::array();
    json relationships = json::array();
    std::string root_id = spdx_id(0, components[0]);
    relationships.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                             {"relationshipType", "DESCRIBES"},
                             {"relatedSpdxElement", root_id}});
    for (std::size_t i = 0; i < components.size(); ++i) {
        const auto& c = components[i];
        packages.push_back(package(i, c, in, tool));
        if (i == 0) continue;
        // Go code is linked into the binary; a needed library is mapped when it starts.
        relationships.push_back(
            {{"spdxElementId", root_id},
             {"relationshipType", c.kind == SbomKind::library ? "DYNAMIC_LINK" : "STATIC_LINK"},
             {"relatedSpdxElement", spdx_id(i, c)}});
    }
    json doc = {
        {"spdxVersion", "SPDX-2.3"},
        {"dataLicense", "CC0-1.0"},
        {"SPDXID", "SPDXRef-DOCUMENT"},
        {"name", in.file_name},
        {"documentNamespace", "urn:uuid:" + name_uuid("berth:spdx:sha256:" + in.sha256)},
        {"creationInfo", {{"created", in.timestamp}, {"creators", json::array({tool})}}},
        {"packages", packages},
        {"relationships", relationships},
    };
    return json_text(doc) + "\n";
}

} // namespace berth::report
