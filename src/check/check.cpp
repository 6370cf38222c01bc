#include "check/check.hpp"

#include "facts/library_facts.hpp"
#include "host/host_facts_json.hpp"
#include "util/error.hpp"
#include "util/read_text.hpp"

#include <filesystem>

namespace berth::check {

namespace {

constexpr std::size_t kMaxFactsBytes = 16u << 20;

} // namespace

host::CollectOptions collect_options(const config::AppConfig& app, const sysroot::Root& root,
                                     const std::string& binary_on_target) {
    host::CollectOptions c;
    c.root = root;
    c.install_dir = app.install_dir;
    c.config_dir = app.config_dir;
    c.log_dir = app.log_dir;
    c.binary = binary_on_target;
    c.listen_address = app.listen_address;
    c.listen_port = app.listen_port;
    c.user = app.user;
    return c;
}

std::string path_on_target(const std::string& binary, const sysroot::Root& root) {
    return root.inside(binary).value_or(
        std::filesystem::absolute(binary).lexically_normal().string());
}

rules::CheckInput collect_here(const std::string& binary, const config::AppConfig& app,
                               const sysroot::Root& root) {
    rules::CheckInput in;
    in.intent = app;
    in.binary = facts::collect_binary_facts(binary, facts::InspectOptions{});
    in.host = host::collect_host_facts(collect_options(app, root, path_on_target(binary, root)));
    in.libraries = facts::resolve_library_facts(binary, root);
    return in;
}

rules::CheckInput with_host_facts(const std::string& binary, const config::AppConfig& app,
                                  const nlohmann::json& facts, const std::string& source) {
    rules::CheckInput in;
    in.intent = app;
    in.binary = facts::collect_binary_facts(binary, facts::InspectOptions{});
    try {
        in.host = host::host_facts_from_json(facts);
        // Present when collected with --binary --libraries; otherwise the library rules say
        // they were not judged.
        if (facts.contains("libraries"))
            in.libraries = facts.at("libraries").get<facts::LibraryFacts>();
    } catch (const InputError& e) {
        throw InputError(source + ": " + e.what());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source + ": not valid host facts: " + e.what());
    }
    return in;
}

nlohmann::json read_facts_file(const std::string& path) {
    std::string text = read_input_file(path, kMaxFactsBytes, "a facts file");
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path + ": not JSON: " + e.what());
    }
}

FindingsReport report(const std::string& subject, const rules::CheckInput& in,
                      const rules::Judgement& j) {
    FindingsReport r;
    r.command = "check";
    r.subject = subject;
    r.findings = j.findings;
    r.not_judged = j.not_judged;
    r.extra["host"] = in.host.hostname;
    r.extra["root"] = in.host.root;
    r.extra["intent"] = in.intent;
    return r;
}

} // namespace berth::check
