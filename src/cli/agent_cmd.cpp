// `berth agent`: the host's side of a deploy, started by the deploying berth (over ssh or on
// this machine). Not for people: hidden from --help.
#include "cli/commands.hpp"
#include "deploy/agent.hpp"
#include "deploy/host_ops.hpp"
#include "util/error.hpp"

#include <memory>
#include <unistd.h>

namespace berth::cli {

void add_agent(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("agent", "The host side of berth deploy (started by berth)");
    cmd->group(""); // hidden
    cmd->require_subcommand(1);
    auto* session = cmd->add_subcommand("session", "Answer requests on stdin until it ends");
    session->callback(
        [&exit_status] { exit_status = deploy::run_agent_session(STDIN_FILENO, STDOUT_FILENO); });
    auto sha = std::make_shared<std::string>();
    auto* install =
        cmd->add_subcommand("install-self", "Take this berth's place in /var/lib/berth/bin");
    install->add_option("sha256", *sha, "The sha256 this berth must have")
        ->required()
        ->type_name("SHA256");
    install->callback([sha, &exit_status] {
        deploy::install_self(*sha);
        exit_status = kExitOk;
    });
}

} // namespace berth::cli
