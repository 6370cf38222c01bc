// The man pages and completions made from a CLI11 definition: every option and command of the
// definition reaches them, spelled as roff and the shells need.
#include "cli/command_doc.hpp"
#include "cli/completion.hpp"
#include "cli/manpage.hpp"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

struct Cli {
    CLI::App app{"tool: does things.\nSecond line of the description.", "tool"};
    std::string when, out;
    std::vector<std::string> files;
    bool json = false;
    Cli() {
        app.add_option("--color", when, "Colour: auto, always, never")
            ->check(CLI::IsMember({"auto", "always", "never"}))
            ->type_name("WHEN");
        app.fallthrough();
        auto* run = app.add_subcommand("run", "Run the things");
        run->add_option("files", files, "Files to run")->required()->type_name("FILE");
        run->add_flag("--json", json, "Print JSON (schema tool.run/1)");
        run->add_option("-o,--output", out, "Write it to FILE")->type_name("FILE");
        run->footer("Examples:\n  tool run a.out   run it\nExit status: 0 ok, 1 not.");
        auto* secret = app.add_subcommand("secret", "Not for people");
        secret->group("");
    }
};

TEST(CommandDoc, ReadsCommandsOptionsAndValuesAsHelpPrintsThem) {
    Cli cli;
    CommandDoc root = command_doc(cli.app);
    ASSERT_EQ(root.subcommands.size(), 1u); // the hidden one left out
    const CommandDoc& run = root.subcommands[0];
    EXPECT_EQ(command_name(run, '-'), "tool-run");
    EXPECT_EQ(run.usage, "tool run [OPTIONS] files...");
    ASSERT_EQ(run.positionals.size(), 1u);
    EXPECT_TRUE(run.positionals[0].file_value);
    ASSERT_EQ(root.options.size(), 2u); // -h,--help and --color
    EXPECT_EQ(root.options[1].choices, (std::vector<std::string>{"auto", "always", "never"}));
    EXPECT_EQ(root.options[1].value, "WHEN");
    EXPECT_EQ(all_commands(root).size(), 2u);
}

TEST(ManPage, HasEveryOptionEscapedAndTheFooterUnderItsHeadings) {
    Cli cli;
    CommandDoc root = command_doc(cli.app);
    ManPage page = command_page(root.subcommands[0], root, "tool 1.0");
    EXPECT_EQ(page.file, "tool-run.1");
    EXPECT_NE(page.text.find(".TH \"TOOL\\-RUN\" \"1\""), std::string::npos) << page.text;
    EXPECT_NE(page.text.find("tool\\-run \\- Run the things\n"), std::string::npos);
    EXPECT_NE(page.text.find("\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fIFILE\\fR"), std::string::npos)
        << page.text;
    EXPECT_NE(page.text.find("\\fB\\-\\-json\\fR\n"), std::string::npos);
    EXPECT_NE(page.text.find(".SH \"EXAMPLES\"\n.PP\n.nf\n  tool run a.out"), std::string::npos)
        << page.text;
    EXPECT_NE(page.text.find(".SH \"EXIT STATUS\"\n.PP\n0 ok, 1 not."), std::string::npos);
    EXPECT_NE(page.text.find(".BR tool (1) ,\n.BR tool\\-findings (7)\n"), std::string::npos);
}

TEST(ManPage, RoffEscapeKeepsTextLiteral) {
    EXPECT_EQ(roff_escape("a-b"), "a\\-b");
    EXPECT_EQ(roff_escape(".hidden\n'quote"), "\\&.hidden\n\\&'quote");
    EXPECT_EQ(roff_escape("back\\slash"), "back\\eslash");
    EXPECT_EQ(roff_escape("a\xC2\xB7"
                          "b"),
              "a\\[u00B7]b");                            // U+00B7 middle dot
    EXPECT_EQ(roff_escape("\xE2\x80\x94"), "\\[u2014]"); // em dash
    EXPECT_EQ(roff_escape("bad\xC2"), "bad?");           // cut short
    EXPECT_EQ(roff_escape("bad\xC2z"), "bad?z");         // no continuation byte
}

TEST(ManPage, FindingsPageHasEveryCode) {
    std::vector<CodeInfo> codes = {{"B101", Severity::error, "Wrong CPU", "Why.\n\nFix it."},
                                   {"U301", Severity::warning, "Bad unit", "-x is bad."}};
    ManPage page = findings_page(codes, "tool 1.0");
    EXPECT_EQ(page.file, "berth-findings.7");
    EXPECT_NE(page.text.find(".SS \"B101 (error): Wrong CPU\"\n.PP\nWhy.\n.PP\nFix it.\n"),
              std::string::npos)
        << page.text;
    EXPECT_NE(page.text.find(".SS \"U301 (warning): Bad unit\"\n.PP\n\\-x is bad.\n"),
              std::string::npos);
}

TEST(Completion, EachShellGetsEveryCommandOptionAndChoice) {
    Cli cli;
    CommandDoc root = command_doc(cli.app);
    for (const char* shell : {"bash", "zsh", "fish"}) {
        auto script = completion_script(root, shell);
        ASSERT_TRUE(script) << shell;
        for (const char* word : {"run", "json", "output", "color", "always", "never"})
            EXPECT_NE(script->find(word), std::string::npos) << shell << ": " << word;
        EXPECT_EQ(script->find("secret"), std::string::npos) << shell;
    }
    EXPECT_FALSE(completion_script(root, "tcsh"));
    // bash: --color falls through to run, so `tool run --color <TAB>` offers its values.
    auto bash = *completion_script(root, "bash");
    EXPECT_NE(bash.find("'tool run|--color')\n            COMPREPLY=($(compgen -W 'auto always "
                        "never' -- \"$cur\"))"),
              std::string::npos)
        << bash;
}

} // namespace
} // namespace berth::cli
