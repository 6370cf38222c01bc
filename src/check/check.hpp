#pragma once
// The check pipeline as a library: collect the facts (on this machine, in a system image, or
// read from a facts document collected on another host), judge them with the rules, and shape
// the findings report the renderers print. `berth check` calls it for one host; deploy and fleet
// call it for each host with the facts collected there, so a check gives the same findings
// whichever way the facts travelled.
#include "config/app_config.hpp"
#include "finding/finding.hpp"
#include "host/host_facts.hpp"
#include "rules/check_input.hpp"
#include "sysroot/sysroot.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace berth::check {

// What to collect on a host for this app: its paths, user and listen address, and the binary
// at `binary_on_target` (as on that host; "" = not examined).
host::CollectOptions collect_options(const config::AppConfig& app, const sysroot::Root& root,
                                     const std::string& binary_on_target);

// Where a binary of this machine is on the examined system: inside an image, its path there;
// otherwise its absolute path (as if installed at the same place).
std::string path_on_target(const std::string& binary, const sysroot::Root& root);

// Every fact about `binary` (a file here) and the system at `root`: this machine, or an image.
rules::CheckInput collect_here(const std::string& binary, const config::AppConfig& app,
                               const sysroot::Root& root);

// The binary's facts here, the host's from a document `berth facts --json` wrote on that host
// (with `--binary B --libraries`, the library resolution too). Throws InputError naming
// `source` when the document is not host facts.
rules::CheckInput with_host_facts(const std::string& binary, const config::AppConfig& app,
                                  const nlohmann::json& facts, const std::string& source);

// A facts document read from a file (a regular file, bounded). Throws InputError.
nlohmann::json read_facts_file(const std::string& path);

// The findings report of a judged input.
FindingsReport report(const std::string& subject, const rules::CheckInput& in,
                      const rules::Judgement& j);

} // namespace berth::check
