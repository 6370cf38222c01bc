#pragma once
// Each command registers its subcommand and, when chosen, runs and stores its exit status.
// main.cpp only wires these together.
#include <CLI/CLI.hpp>
#include <string>

namespace berth::cli {

void add_inspect(CLI::App& app, int& exit_status);
void add_ldd(CLI::App& app, int& exit_status);
void add_check(CLI::App& app, int& exit_status);
void add_explain(CLI::App& app, int& exit_status);
void add_unit(CLI::App& app, int& exit_status);
void add_facts(CLI::App& app, int& exit_status);
void add_deploy(CLI::App& app, int& exit_status); // deploy, rollback, releases, status
void add_init(CLI::App& app, int& exit_status);
void add_agent(CLI::App& app, int& exit_status);
void add_hosts(CLI::App& app, int& exit_status);
// `completion` and the hidden `man`: they read every command, so they are added last.
void add_docs(CLI::App& app, int& exit_status, const std::string& version);

} // namespace berth::cli
