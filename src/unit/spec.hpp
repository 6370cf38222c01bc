#pragma once
// The app intent behind a generated unit: read from berth.yaml or given as flags. Kept small on
// purpose; the deploy stage may grow its own description later.
#include <string>
#include <vector>

namespace berth::unit {

struct UnitSpec {
    std::string name; // unit APP.service; binary /opt/APP/current/bin/APP
    std::string description;
    std::string user; // empty: DynamicUser=yes
    std::string exec; // empty: /opt/NAME/current/bin/NAME
    std::vector<std::string> args;
    std::string environment_file;
    std::string working_directory;
    int port = 0;             // 0: the app does not listen
    int shutdown_seconds = 0; // the app's graceful-shutdown window; 0: 25 s
    int systemd_version = 0;  // 0: 252
};

// Reads the top-level keys above from a YAML file; other top-level keys belong to other berth
// stages and are left alone. Throws InputError naming file:line:column for a wrong type.
UnitSpec load_spec(const std::string& path);
UnitSpec parse_spec(const std::string& yaml_text, const std::string& path);
// Fields set in flags override the ones in base.
void merge_flags(UnitSpec& base, const UnitSpec& flags);
// Fills defaults and rejects what cannot become a valid unit (InputError).
void validate_spec(UnitSpec& spec);

} // namespace berth::unit
