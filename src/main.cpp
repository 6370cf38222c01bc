// berth: make a Go service land safely on Linux servers. This file only wires the commands.
#include "cli/commands.hpp"
#include "util/error.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    CLI::App app{"berth: make a Go service land safely on Linux servers.\n"
                 "Inspect what a binary needs (never running it), check a host before deploying,\n"
                 "and generate hardened systemd units.",
                 "berth"};
    app.set_version_flag("--version", std::string("berth ") + BERTH_VERSION);
    app.require_subcommand(1);
    app.footer("Exit status: 0 ok; 1 the answer is no (error findings, missing library); "
               "2 usage, input or I/O error.\nRun `berth COMMAND --help` for a command's options.");

    int exit_status = berth::kExitOk;
    berth::cli::add_inspect(app, exit_status);
    berth::cli::add_ldd(app, exit_status);
    berth::cli::add_check(app, exit_status);
    berth::cli::add_explain(app, exit_status);
    berth::cli::add_unit(app, exit_status);
    berth::cli::add_facts(app, exit_status);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : berth::kExitInput;
    } catch (const berth::InputError& e) {
        std::fprintf(stderr, "berth: %s\n", e.what());
        return berth::kExitInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "berth: internal error: %s\n", e.what());
        return berth::kExitInput;
    }
    return exit_status;
}
