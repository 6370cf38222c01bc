// berth: make a Go service land safely on Linux servers. This file only wires the commands.
#include "cli/commands.hpp"
#include "cli/usage.hpp"
#include "util/error.hpp"

#include <cstdio>
#include <exception>
#include <string>

// The commit berth was built from ("unknown" without git), from cmake/build_info.cmake.
extern const char* const berth_build_commit;

int main(int argc, char** argv) {
    CLI::App app{
        "berth: make a Go service land safely on Linux servers.\n"
        "Inspect what a binary needs (never running it), check a host before deploying,\n"
        "generate hardened systemd units, and deploy releases that roll back by themselves.",
        "berth"};
    berth::cli::add_global_options(app, std::string("berth ") + BERTH_VERSION + " (commit " +
                                            berth_build_commit + ")");
    app.require_subcommand(1);
    app.footer("Exit status: 0 ok; 1 the answer is no (error findings, missing library, a deploy "
               "rolled back); 2 usage, input or I/O error; 3 a deploy that could not roll back.\n"
               "Run `berth COMMAND --help` for a command's options; --color and --version go with "
               "any command.");

    int exit_status = berth::kExitOk;
    berth::cli::add_inspect(app, exit_status);
    berth::cli::add_ldd(app, exit_status);
    berth::cli::add_check(app, exit_status);
    berth::cli::add_explain(app, exit_status);
    berth::cli::add_unit(app, exit_status);
    berth::cli::add_facts(app, exit_status);
    berth::cli::add_init(app, exit_status);
    berth::cli::add_deploy(app, exit_status);
    berth::cli::add_hosts(app, exit_status);
    berth::cli::add_agent(app, exit_status);
    berth::cli::add_docs(app, exit_status, std::string("berth ") + BERTH_VERSION);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e); // --help, --version
        std::fflush(stdout);
        std::fprintf(stderr, "%s\n", berth::cli::usage_error(app, e).c_str());
        return berth::kExitInput;
    } catch (const berth::InputError& e) {
        std::fprintf(stderr, "berth: %s\n", e.what());
        return berth::kExitInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "berth: internal error: %s\n", e.what());
        return berth::kExitInput;
    }
    return exit_status;
}
