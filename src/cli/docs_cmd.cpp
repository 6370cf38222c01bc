// `berth completion SHELL` and the hidden `berth man [COMMAND...]`: the shell completions and
// the man pages, made from the same command definitions as --help (command_doc.hpp).
#include "catalogue/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/manpage.hpp"
#include "util/error.hpp"
#include "util/output_file.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace berth::cli {

namespace {

struct ManOptions {
    std::vector<std::string> command; // "unit lint", or "findings"
    std::string dir;
};

int run_man(const CLI::App& app, const ManOptions& opt, const std::string& version) {
    const CommandDoc root = command_doc(app);
    auto pages = all_pages(root, catalogue::catalogue(), version);
    if (!opt.dir.empty()) {
        for (const auto& page : pages) write_output_file(opt.dir + "/" + page.file, page.text);
        return kExitOk;
    }
    std::string wanted = root.path.front();
    for (const auto& word : opt.command) wanted += "-" + word;
    for (const auto& page : pages) {
        if (page.file.substr(0, page.file.rfind('.')) != wanted) continue;
        std::fputs(page.text.c_str(), stdout);
        return kExitOk;
    }
    std::string list;
    for (const auto& page : pages) list += (list.empty() ? "" : ", ") + page.file;
    throw InputError("no man page " + wanted + " (the pages are: " + list + ")");
}

} // namespace

void add_docs(CLI::App& app, int& exit_status, const std::string& version) {
    auto shell = std::make_shared<std::string>();
    auto* completion =
        app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
    completion->add_option("shell", *shell, "The shell")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}))
        ->type_name("SHELL");
    completion->footer(
        "Examples:\n"
        "  source <(berth completion bash)                      this bash session\n"
        "  berth completion bash > ~/.local/share/bash-completion/completions/berth\n"
        "  berth completion zsh > ~/.zfunc/_berth               with fpath+=(~/.zfunc)\n"
        "  berth completion fish > ~/.config/fish/completions/berth.fish\n"
        "The Debian package installs all three.");
    completion->callback([&app, shell, &exit_status] {
        std::fputs(completion_script(command_doc(app), *shell).value_or("").c_str(), stdout);
        exit_status = kExitOk;
    });

    auto opt = std::make_shared<ManOptions>();
    auto* man = app.add_subcommand("man", "Print a man page in roff (what the package installs)");
    man->group(""); // hidden: for the build, which writes the pages with --dir
    man->add_option("command", opt->command,
                    "The command whose page to print, e.g. unit lint; findings for "
                    "berth-findings(7); none for berth(1)")
        ->type_name("WORD");
    man->add_option("--dir", opt->dir, "Write every page into DIR instead (berth.1, ...)")
        ->type_name("DIR");
    man->callback(
        [&app, opt, version, &exit_status] { exit_status = run_man(app, *opt, version); });
}

} // namespace berth::cli
