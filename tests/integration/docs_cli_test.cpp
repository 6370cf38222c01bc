// Man pages and shell completions come from the definitions --help prints: every command --help
// lists has a page, every option its --help lists is in the page and in the bash, zsh and fish
// scripts; the pages render in man and groff without a warning; bash and fish really complete
// with the scripts; berth-findings(7) has every code `berth explain` knows.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace berth::test;

namespace {

// The option names of a --help entry "-o,--output": {"-o", "--output"}.
std::vector<std::string> option_names(const std::string& entry) {
    std::vector<std::string> out;
    std::stringstream in(entry);
    for (std::string n; std::getline(in, n, ',');) out.push_back(n);
    return out;
}

struct Command {
    std::vector<std::string> words; // {"unit", "lint"}
    std::string help;
    std::string joined(const std::string& sep) const {
        std::string s = "berth";
        for (const auto& w : words) s += sep + w;
        return s;
    }
};

// Every command --help lists, the top one first, with its --help.
std::vector<Command> commands() {
    std::vector<Command> out;
    std::vector<std::vector<std::string>> todo = {{}};
    while (!todo.empty()) {
        auto words = todo.front();
        todo.erase(todo.begin());
        std::vector<std::string> argv = {berth_exe()};
        argv.insert(argv.end(), words.begin(), words.end());
        argv.push_back("--help");
        auto r = run(argv);
        EXPECT_EQ(r.status, 0);
        out.push_back({words, r.out});
        for (const auto& sub : help_entries(r.out, "Subcommands:")) {
            auto next = words;
            next.push_back(sub);
            todo.push_back(next);
        }
    }
    return out;
}

std::string roff(const std::string& text) {
    return std::regex_replace(text, std::regex("-"), "\\-");
}

// What the bash completion offers for the words typed (the last one being completed).
std::vector<std::string> bash_complete(const std::string& script, const std::string& typed) {
    TempDir dir;
    write_file(dir.path + "/berth.bash", script);
    std::string code =
        "source " + dir.path + "/berth.bash; COMP_WORDS=(" + typed +
        "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
        "[[ \"" +
        typed +
        "\" == *' ' ]] && { COMP_WORDS+=(''); COMP_CWORD=$((COMP_CWORD+1)); }; "
        "complete -p berth >/dev/null && _berth && printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto r = run({"bash", "--norc", "-c", code});
    EXPECT_EQ(r.status, 0) << typed << ": " << r.err;
    EXPECT_EQ(r.err, "") << typed;
    return lines(r.out);
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

} // namespace

TEST(DocsCli, EveryCommandHasAPageWithEveryOptionOfItsHelp) {
    TempDir dir;
    auto r = run({berth_exe(), "man", "--dir", dir.path});
    ASSERT_EQ(r.status, 0) << r.err;
    auto all = commands();
    ASSERT_GE(all.size(), 12u); // berth and its commands, unit's two
    std::set<std::string> expected = {"berth-findings.7"};
    for (const auto& c : all) {
        const std::string file = c.joined("-") + ".1";
        expected.insert(file);
        std::string page = read_file(dir.path + "/" + file);
        ASSERT_FALSE(page.empty()) << file;
        // The page printed alone is the same page.
        std::vector<std::string> argv = {berth_exe(), "man"};
        argv.insert(argv.end(), c.words.begin(), c.words.end());
        EXPECT_EQ(run(argv).out, page) << file;
        for (const auto& entry : help_entries(c.help, "Options:"))
            for (const auto& name : option_names(entry))
                EXPECT_NE(page.find("\\fB" + roff(name) + "\\fR"), std::string::npos)
                    << file << " lacks " << name;
        for (const auto& pos : help_entries(c.help, "Positionals:"))
            EXPECT_NE(page.find("\\fI" + roff(pos) + "\\fR"), std::string::npos) << file << pos;
        for (const auto& sub : help_entries(c.help, "Subcommands:"))
            EXPECT_NE(page.find(".BR " + roff(c.joined("-") + "-" + sub) + " (1)"),
                      std::string::npos)
                << file << " lacks " << sub;
    }
    std::set<std::string> written;
    for (const auto& e : std::filesystem::directory_iterator(dir.path))
        written.insert(e.path().filename().string());
    EXPECT_EQ(written, expected);
    // No page for the hidden agent and man commands.
    EXPECT_EQ(run({berth_exe(), "man", "agent"}).status, 2);
}

TEST(DocsCli, PagesRenderWithoutWarnings) {
    TempDir dir;
    ASSERT_EQ(run({berth_exe(), "man", "--dir", dir.path}).status, 0);
    int pages = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
        const std::string page = e.path().string();
        ++pages;
        // groff with every warning on, as the man macros: nothing on stderr.
        auto g = run({"groff", "-ww", "-z", "-man", "-Tutf8", page});
        EXPECT_EQ(g.status, 0) << page;
        EXPECT_EQ(g.err, "") << page;
        auto m = run({"env", "MANWIDTH=80", "man", "--warnings", "-l", page});
        EXPECT_EQ(m.status, 0) << page;
        EXPECT_EQ(m.err, "") << page;
        EXPECT_NE(m.out.find("NAME"), std::string::npos) << page;
    }
    EXPECT_GE(pages, 13);
    // What man shows for a page is what --help says (wrapping aside).
    auto shown = run({"env", "MANWIDTH=200", "man", "-l", dir.path + "/berth-inspect.1"});
    EXPECT_NE(shown.out.find("Binaries to inspect"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("--go-version-m"), std::string::npos) << shown.out;
}

TEST(DocsCli, FindingsPageHasEveryCodeOfExplain) {
    auto page = run({berth_exe(), "man", "findings"});
    ASSERT_EQ(page.status, 0);
    auto doc = nlohmann::json::parse(run({berth_exe(), "explain", "--json"}).out);
    ASSERT_GE(doc["codes"].size(), 50u);
    for (const auto& c : doc["codes"]) {
        std::string head =
            ".SS \"" + c["code"].get<std::string>() + " (" + c["severity"].get<std::string>() + ")";
        EXPECT_NE(page.out.find(head), std::string::npos) << head;
    }
}

TEST(DocsCli, EveryOptionIsInEachShellsCompletion) {
    std::map<std::string, std::string> scripts;
    for (const char* shell : {"bash", "zsh", "fish"}) {
        auto r = run({berth_exe(), "completion", shell});
        ASSERT_EQ(r.status, 0) << shell;
        scripts[shell] = r.out;
    }
    for (const auto& c : commands()) {
        for (const auto& entry : help_entries(c.help, "Options:")) {
            for (const auto& name : option_names(entry)) {
                EXPECT_NE(scripts["bash"].find(name), std::string::npos) << c.joined(" ") << name;
                EXPECT_NE(scripts["zsh"].find("'" + name + ":"), std::string::npos)
                    << c.joined(" ") << name;
                std::string fish = name.starts_with("--") ? "-l '" + name.substr(2) + "'"
                                                          : "-s '" + name.substr(1) + "'";
                EXPECT_NE(scripts["fish"].find(fish), std::string::npos) << c.joined(" ") << name;
            }
        }
    }
    EXPECT_EQ(run({"zsh", "-n", "-c", scripts["zsh"]}).status, 0);
    // zsh's compinit finds _berth in fpath (where the package puts it) and binds it to berth.
    TempDir dir;
    write_file(dir.path + "/_berth", scripts["zsh"]);
    auto z = run({"zsh", "-fc",
                  "fpath=(" + dir.path + " $fpath); autoload -Uz compinit && compinit -u -d " +
                      dir.path + "/zcompdump && print -r -- ${_comps[berth]}"});
    EXPECT_EQ(z.out, "_berth\n") << z.err;
    EXPECT_EQ(run({berth_exe(), "completion", "tcsh"}).status, 2);
}

TEST(DocsCli, BashCompletesCommandsOptionsAndValues) {
    std::string script = run({berth_exe(), "completion", "bash"}).out;
    EXPECT_EQ(bash_complete(script, "berth dep"), std::vector<std::string>{"deploy"});
    EXPECT_EQ(as_set(bash_complete(script, "berth unit ")),
              (std::set<std::string>{"lint", "generate"}));
    EXPECT_EQ(as_set(bash_complete(script, "berth --color al")), (std::set<std::string>{"always"}));
    EXPECT_EQ(as_set(bash_complete(script, "berth inspect --color ")),
              (std::set<std::string>{"auto", "always", "never"}));
    // Every command completes exactly the options its --help lists, and the top command's
    // --version and --color, which work after any command.
    for (const auto& c : commands()) {
        std::set<std::string> want;
        for (const auto& entry : help_entries(c.help, "Options:"))
            for (const auto& name : option_names(entry)) want.insert(name);
        want.insert({"--version", "--color"});
        EXPECT_EQ(as_set(bash_complete(script, c.joined(" ") + " -")), want) << c.joined(" ");
        std::set<std::string> subs;
        for (const auto& s : help_entries(c.help, "Subcommands:")) subs.insert(s);
        if (!subs.empty()) {
            EXPECT_EQ(as_set(bash_complete(script, c.joined(" ") + " ")), subs) << c.joined(" ");
        }
    }
    // A file argument completes files.
    TempDir dir;
    write_file(dir.path + "/myapp", "");
    EXPECT_EQ(bash_complete(script, "berth inspect " + dir.path + "/my"),
              std::vector<std::string>{dir.path + "/myapp"});
}

TEST(DocsCli, FishCompletesCommandsAndOptions) {
    TempDir dir;
    write_file(dir.path + "/berth.fish", run({berth_exe(), "completion", "fish"}).out);
    auto complete = [&](const std::string& typed) {
        auto r = run({"fish", "--no-config", "-c",
                      "source " + dir.path + "/berth.fish; complete -C '" + typed + "'"});
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.err, "");
        std::set<std::string> words;
        for (const auto& l : lines(r.out)) words.insert(l.substr(0, l.find('\t')));
        return words;
    };
    EXPECT_EQ(complete("berth dep"), std::set<std::string>{"deploy"});
    EXPECT_EQ(complete("berth unit "), (std::set<std::string>{"lint", "generate"}));
    EXPECT_EQ(complete("berth explain --m"), std::set<std::string>{"--markdown"});
    EXPECT_EQ(complete("berth --color "), (std::set<std::string>{"auto", "always", "never"}));
}
