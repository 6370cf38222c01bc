#include "cli/completion.hpp"

#include <fmt/format.h>
#include <set>
#include <vector>

namespace berth::cli {

namespace {

// A command with the options it takes: its own and, since options fall through to the command
// above, its parents' (the top command's --version and --color work after any command).
struct Scope {
    const CommandDoc* cmd;
    std::vector<const OptionDoc*> options;
};

void scopes(const CommandDoc& cmd, std::vector<const OptionDoc*> inherited,
            std::vector<Scope>& out) {
    std::set<std::string> names;
    std::vector<const OptionDoc*> mine;
    for (const auto& o : cmd.options) {
        mine.push_back(&o);
        names.insert(o.names.begin(), o.names.end());
    }
    for (const OptionDoc* o : inherited) {
        bool shadowed = false;
        for (const auto& n : o->names) shadowed = shadowed || names.count(n);
        if (!shadowed) mine.push_back(o);
    }
    out.push_back({&cmd, mine});
    for (const auto& sub : cmd.subcommands) scopes(sub, mine, out);
}

std::vector<Scope> all_scopes(const CommandDoc& root) {
    std::vector<Scope> out;
    scopes(root, {}, out);
    return out;
}

// 'text' for sh-like shells (bash, zsh).
std::string sh_quote(const std::string& text) {
    std::string out = "'";
    for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

// 'text' for fish: backslash and quote escaped.
std::string fish_quote(const std::string& text) {
    std::string out = "'";
    for (char ch : text) {
        if (ch == '\\' || ch == '\'') out += '\\';
        out += ch;
    }
    return out + "'";
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
    return out;
}

bool takes_files(const CommandDoc& cmd) {
    for (const auto& p : cmd.positionals)
        if (p.file_value || p.value.empty() || p.value == "FILE") return true;
    return false;
}

// Every command path below the top ("berth unit"), for the loop that finds the command being
// completed.
std::vector<std::string> command_paths(const std::vector<Scope>& all) {
    std::vector<std::string> out;
    for (const auto& s : all)
        if (s.cmd->path.size() > 1) out.push_back(command_name(*s.cmd));
    return out;
}

std::vector<std::string> sub_names(const CommandDoc& cmd) {
    std::vector<std::string> out;
    for (const auto& sub : cmd.subcommands) out.push_back(sub.path.back());
    return out;
}

std::vector<std::string> option_names(const Scope& s) {
    std::vector<std::string> out;
    for (const OptionDoc* o : s.options) out.insert(out.end(), o->names.begin(), o->names.end());
    return out;
}

std::string bash_script(const CommandDoc& root) {
    auto all = all_scopes(root);
    const std::string fn = "_" + root.path.front();
    std::string t = fmt::format(
        "# bash completion for {0}; made by `{0} completion bash` from the command definitions\n"
        "# that --help prints.\n"
        "{1}() {{\n"
        "    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}\n"
        "    local cmd={0} i\n"
        "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "        case \"$cmd ${{COMP_WORDS[i]}}\" in\n",
        root.path.front(), fn);
    std::vector<std::string> paths;
    for (const auto& p : command_paths(all)) paths.push_back(sh_quote(p));
    if (!paths.empty())
        t += "            " + join(paths, "|") + ") cmd=\"$cmd ${COMP_WORDS[i]}\" ;;\n";
    t += "        esac\n    done\n";
    // The value of an option: its choices, files, directories, or nothing to offer.
    t += "    case \"$cmd|$prev\" in\n";
    for (const auto& s : all) {
        for (const OptionDoc* o : s.options) {
            if (o->value.empty()) continue;
            std::vector<std::string> pats;
            for (const auto& n : o->names) pats.push_back(sh_quote(command_name(*s.cmd) + "|" + n));
            std::string action;
            if (!o->choices.empty())
                action = "COMPREPLY=($(compgen -W " + sh_quote(join(o->choices)) + " -- \"$cur\"))";
            else if (o->dir_value)
                action = "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))";
            else if (o->file_value)
                action = "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))";
            else
                action = "COMPREPLY=()";
            t += "        " + join(pats, "|") + ")\n            " + action +
                 "\n            return ;;\n";
        }
    }
    t += "    esac\n    local commands='' options='' files=''\n    case $cmd in\n";
    for (const auto& s : all) {
        t += "        " + sh_quote(command_name(*s.cmd)) + ")\n";
        t += "            options=" + sh_quote(join(option_names(s))) + "\n";
        if (!s.cmd->subcommands.empty())
            t += "            commands=" + sh_quote(join(sub_names(*s.cmd))) + "\n";
        if (takes_files(*s.cmd)) t += "            files=1\n";
        t += "            ;;\n";
    }
    t += "    esac\n"
         "    if [[ $cur == -* ]]; then\n"
         "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
         "    elif [[ -n $commands ]]; then\n"
         "        COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
         "    elif [[ -n $files ]]; then\n"
         "        compopt -o filenames 2>/dev/null\n"
         "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "    fi\n"
         "}\n";
    t += "complete -F " + fn + " " + root.path.front() + "\n";
    return t;
}

std::string zsh_script(const CommandDoc& root) {
    auto all = all_scopes(root);
    const std::string name = root.path.front();
    std::string t = fmt::format(
        "#compdef {0}\n"
        "# zsh completion for {0}; made by `{0} completion zsh` from the command definitions\n"
        "# that --help prints.\n"
        "_{0}() {{\n"
        "    local cmd={0} i\n"
        "    local -a commands options\n"
        "    local files=\n"
        "    for ((i = 2; i < CURRENT; i++)); do\n"
        "        case \"$cmd ${{words[i]}}\" in\n",
        name);
    std::vector<std::string> paths;
    for (const auto& p : command_paths(all)) paths.push_back(sh_quote(p));
    if (!paths.empty()) t += "            " + join(paths, "|") + ") cmd=\"$cmd ${words[i]}\" ;;\n";
    t += "        esac\n    done\n";
    t += "    case \"$cmd|${words[CURRENT-1]}\" in\n";
    for (const auto& s : all) {
        for (const OptionDoc* o : s.options) {
            if (o->value.empty()) continue;
            std::vector<std::string> pats;
            for (const auto& n : o->names) pats.push_back(sh_quote(command_name(*s.cmd) + "|" + n));
            std::string action;
            if (!o->choices.empty()) {
                std::vector<std::string> quoted;
                for (const auto& c : o->choices) quoted.push_back(sh_quote(c));
                action = "compadd -- " + join(quoted);
            } else if (o->dir_value) {
                action = "_files -/";
            } else if (o->file_value) {
                action = "_files";
            } else {
                action = "_message " + sh_quote(o->value);
            }
            t += "        " + join(pats, "|") + ")\n            " + action +
                 "\n            return ;;\n";
        }
    }
    t += "    esac\n    case $cmd in\n";
    for (const auto& s : all) {
        t += "        " + sh_quote(command_name(*s.cmd)) + ")\n";
        std::vector<std::string> opts;
        for (const OptionDoc* o : s.options)
            for (const auto& n : o->names)
                opts.push_back(sh_quote(n + ":" + first_line(o->description)));
        t += "            options=(" + join(opts) + ")\n";
        std::vector<std::string> cmds;
        for (const auto& sub : s.cmd->subcommands)
            cmds.push_back(sh_quote(sub.path.back() + ":" + first_line(sub.description)));
        if (!cmds.empty()) t += "            commands=(" + join(cmds) + ")\n";
        if (takes_files(*s.cmd)) t += "            files=1\n";
        t += "            ;;\n";
    }
    t += "    esac\n"
         "    if [[ $PREFIX == -* ]]; then\n"
         "        _describe -t options option options\n"
         "    elif (( ${#commands} )); then\n"
         "        _describe -t commands command commands\n"
         "    elif [[ -n $files ]]; then\n"
         "        _files\n"
         "    fi\n"
         "}\n";
    // Loaded by compinit from $fpath (the function is the file); sourced, it registers itself.
    t += fmt::format("if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
                     "    _{0} \"$@\"\n"
                     "else\n"
                     "    compdef _{0} {0}\n"
                     "fi\n",
                     name);
    return t;
}

std::string fish_script(const CommandDoc& root) {
    auto all = all_scopes(root);
    const std::string name = root.path.front();
    std::string t = fmt::format(
        "# fish completion for {0}; made by `{0} completion fish` from the command definitions\n"
        "# that --help prints.\n"
        "function __{0}_command\n"
        "    set -l cmd {0}\n"
        "    for w in (commandline -opc)[2..-1]\n"
        "        switch \"$cmd $w\"\n",
        name);
    std::vector<std::string> paths;
    for (const auto& p : command_paths(all)) paths.push_back(fish_quote(p));
    if (!paths.empty())
        t += "            case " + join(paths) + "\n                set cmd \"$cmd $w\"\n";
    t += "        end\n    end\n    echo $cmd\nend\n";
    t += fmt::format("function __{0}_is\n    test (__{0}_command) = \"$argv[1]\"\nend\n", name);
    t += "complete -c " + name + " -f\n";
    for (const auto& s : all) {
        const std::string cond =
            fish_quote("__" + name + "_is " + fish_quote(command_name(*s.cmd)));
        for (const auto& sub : s.cmd->subcommands)
            t += "complete -c " + name + " -n " + cond + " -a " + fish_quote(sub.path.back()) +
                 " -d " + fish_quote(first_line(sub.description)) + "\n";
        for (const OptionDoc* o : s.options) {
            std::string line = "complete -c " + name + " -n " + cond;
            for (const auto& n : o->names)
                line += n.starts_with("--") ? " -l " + fish_quote(n.substr(2))
                                            : " -s " + fish_quote(n.substr(1));
            if (!o->choices.empty())
                line += " -x -a " + fish_quote(join(o->choices));
            else if (o->file_value)
                line += " -r -F";
            else if (!o->value.empty())
                line += " -x";
            t += line + " -d " + fish_quote(first_line(o->description)) + "\n";
        }
        if (takes_files(*s.cmd)) t += "complete -c " + name + " -n " + cond + " -F\n";
    }
    return t;
}

} // namespace

std::optional<std::string> completion_script(const CommandDoc& root, const std::string& shell) {
    if (shell == "bash") return bash_script(root);
    if (shell == "zsh") return zsh_script(root);
    if (shell == "fish") return fish_script(root);
    return std::nullopt;
}

} // namespace berth::cli
