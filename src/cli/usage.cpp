#include "cli/usage.hpp"

#include "report/terminal.hpp"

#include <vector>

namespace berth::cli {

void add_global_options(CLI::App& app, const std::string& version) {
    app.set_version_flag("--version", version);
    app.add_option_function<std::string>(
           "--color",
           [](const std::string& when) { report::set_color_when(report::parse_color_when(when)); },
           "Colour the text output: auto (on a terminal that is not TERM=dumb, unless NO_COLOR "
           "is set), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->type_name("WHEN");
    // Options a subcommand does not know go to its parent: --version and --color work after
    // any command. Inherited by the subcommands added after this.
    app.fallthrough();
}

CLI::Validator in_range(int lo, int hi) {
    return CLI::Range(lo, hi).description("");
}

namespace {

// The commands a user may give after `cmd` (hidden ones only when all of them are).
std::string command_list(const CLI::App& cmd) {
    auto all = cmd.get_subcommands([](const CLI::App*) { return true; });
    std::string list;
    for (bool hidden_too : {false, true}) {
        for (const CLI::App* sub : all) {
            if (sub->get_group().empty() && !hidden_too) continue;
            list += (list.empty() ? "" : ", ") + sub->get_name();
        }
        if (!list.empty()) break;
    }
    return list;
}

} // namespace

std::string usage_error(const CLI::App& app, const CLI::ParseError& e) {
    // The command chosen ("berth unit lint") and the deepest one parsed.
    const CLI::App* cmd = &app;
    std::string path = app.get_name();
    while (!cmd->get_subcommands().empty()) {
        cmd = cmd->get_subcommands().front();
        path += " " + cmd->get_name();
    }
    const std::string see = " (see `" + path + " --help`)";
    const bool missing =
        dynamic_cast<const CLI::RequiredError*>(&e) || dynamic_cast<const CLI::ExtrasError*>(&e);
    if (missing && cmd->get_require_subcommand_min() > 0) {
        // What was left unparsed: options the parents did not know either fall through to the
        // top command, with the word that names no command.
        std::vector<std::string> left = app.remaining(true);
        for (const auto& word : left) {
            if (word.empty() || word[0] == '-') continue;
            std::string named =
                path == app.get_name() ? word : path.substr(path.find(' ') + 1) + " " + word;
            return app.get_name() + ": unknown command '" + named +
                   "'; the commands are: " + command_list(*cmd) + see;
        }
        std::string after = cmd == &app ? "" : " after '" + path.substr(path.find(' ') + 1) + "'";
        std::string unexpected = left.empty() ? "" : " ('" + left.front() + "' is no command)";
        return app.get_name() + ": a command is required" + after + unexpected + ": " +
               command_list(*cmd) + see;
    }
    return app.get_name() + ": " + e.what() + see;
}

} // namespace berth::cli
