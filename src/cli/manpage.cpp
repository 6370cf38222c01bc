#include "cli/manpage.hpp"

#include <cctype>
#include <fmt/format.h>

namespace berth::cli {

namespace {

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

// One UTF-8 sequence at text[i] as a groff \[uXXXX] escape; advances i past it.
std::string unicode_escape(const std::string& text, size_t& i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    unsigned code = extra == 3 ? lead & 0x07u : extra == 2 ? lead & 0x0Fu : lead & 0x1Fu;
    bool valid = extra > 0 && i + extra < text.size();
    for (int k = 1; valid && k <= extra; ++k) {
        valid = (byte(i + k) & 0xC0u) == 0x80u;
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    if (!valid) {
        ++i;
        return "?"; // not UTF-8: a placeholder rather than bytes groff would warn about
    }
    i += extra + 1;
    return fmt::format("\\[u{:04X}]", code);
}

// Paragraphs of plain text (blank lines between them); indented lines are kept as they are.
std::string paragraphs(const std::string& text) {
    std::string out;
    bool literal = false;
    bool fresh = true; // the next text line starts a paragraph
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        const bool blank = line.find_first_not_of(' ') == std::string::npos;
        const bool indented = !blank && line[0] == ' ';
        if (blank) {
            if (literal) out += ".fi\n";
            literal = false;
            fresh = true;
            continue;
        }
        if (indented && !literal) {
            out += ".PP\n.nf\n";
            literal = true;
        } else if (!indented && literal) {
            out += ".fi\n";
            literal = false;
            fresh = true;
        }
        if (fresh && !literal) out += ".PP\n";
        fresh = false;
        out += roff_escape(line) + "\n";
    }
    if (literal) out += ".fi\n";
    return out;
}

// The footer's parts under their own headings: "Examples:" and "Exit status:" lines start a
// section; other text goes under NOTES.
std::string footer_sections(const std::string& footer) {
    struct Heading {
        const char* prefix;
        const char* section;
    };
    const Heading headings[] = {{"Examples:", "EXAMPLES"}, {"Exit status:", "EXIT STATUS"}};
    std::string out;
    std::string section;
    std::string body;
    auto flush = [&] {
        if (body.find_first_not_of(" \n") != std::string::npos)
            out += ".SH \"" + (section.empty() ? std::string("NOTES") : section) + "\"\n" +
                   paragraphs(body);
        body.clear();
    };
    size_t start = 0;
    while (start < footer.size()) {
        size_t end = footer.find('\n', start);
        if (end == std::string::npos) end = footer.size();
        std::string line = footer.substr(start, end - start);
        start = end + 1;
        bool matched = false;
        for (const auto& h : headings) {
            if (!line.starts_with(h.prefix)) continue;
            flush();
            section = h.section;
            std::string rest = line.substr(std::string(h.prefix).size());
            rest.erase(0, rest.find_first_not_of(' '));
            body = rest.empty() ? "" : rest + "\n";
            matched = true;
        }
        if (!matched) body += line + "\n";
    }
    flush();
    return out;
}

std::string header(const std::string& name, int section, const std::string& version,
                   const char* manual) {
    return fmt::format(".TH \"{}\" \"{}\" \"\" \"{}\" \"{}\"\n", roff_escape(upper(name)), section,
                       roff_escape(version), manual);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string option_item(const OptionDoc& o) {
    std::string head;
    if (o.positional.empty()) {
        for (const auto& n : o.names)
            head += (head.empty() ? "" : ", ") + ("\\fB" + roff_escape(n) + "\\fR");
    } else {
        head = "\\fI" + roff_escape(o.positional) + "\\fR";
    }
    // What --help prints after the name: the value, "...", REQUIRED.
    std::string opts = o.help_opts;
    opts.erase(0, opts.find_first_not_of(' '));
    if (!opts.empty()) head += " \\fI" + roff_escape(opts) + "\\fR";
    return ".TP\n" + head + "\n" + roff_escape(o.description) + "\n";
}

} // namespace

std::string roff_escape(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        char ch = text[i];
        if (static_cast<unsigned char>(ch) >= 0x80) {
            out += unicode_escape(text, i);
            continue;
        }
        if (ch == '\\')
            out += "\\e";
        else if (ch == '-')
            out += "\\-";
        else if ((ch == '.' || ch == '\'') && (out.empty() || out.back() == '\n'))
            out += std::string("\\&") + ch;
        else
            out += ch;
        ++i;
    }
    return out;
}

ManPage command_page(const CommandDoc& cmd, const CommandDoc& root, const std::string& version) {
    const std::string name = command_name(cmd, '-');
    std::string t = header(name, 1, version, "berth manual");
    t += ".SH NAME\n" + roff_escape(name) + " \\- " + roff_escape(first_line(cmd.description)) +
         "\n";
    t += ".SH SYNOPSIS\n.nf\n" + roff_escape(cmd.usage) + "\n.fi\n";
    t += ".SH DESCRIPTION\n" + paragraphs(cmd.description);
    if (!cmd.positionals.empty()) {
        t += ".SH ARGUMENTS\n";
        for (const auto& o : cmd.positionals) t += option_item(o);
    }
    if (!cmd.options.empty()) {
        t += ".SH OPTIONS\n";
        for (const auto& o : cmd.options) t += option_item(o);
    }
    if (!cmd.subcommands.empty()) {
        t += ".SH COMMANDS\n";
        for (const auto& sub : cmd.subcommands)
            t += ".TP\n.BR " + roff_escape(command_name(sub, '-')) + " (1)\n" +
                 roff_escape(first_line(sub.description)) + "\n";
    }
    t += footer_sections(cmd.footer);
    // SEE ALSO: the command above, the ones below, and the findings.
    std::vector<std::string> see;
    if (cmd.path.size() > 1) {
        CommandDoc parent;
        parent.path.assign(cmd.path.begin(), cmd.path.end() - 1);
        see.push_back(command_name(parent, '-') + " (1)");
    }
    if (&cmd == &root)
        for (const auto& sub : cmd.subcommands) see.push_back(command_name(sub, '-') + " (1)");
    see.push_back(root.path.front() + "-findings (7)");
    t += ".SH \"SEE ALSO\"\n";
    for (size_t i = 0; i < see.size(); ++i)
        t += ".BR " + roff_escape(see[i]) + (i + 1 < see.size() ? " ,\n" : "\n");
    return {name + ".1", t};
}

ManPage findings_page(const std::vector<CodeInfo>& codes, const std::string& version) {
    std::string t = header("berth-findings", 7, version, "berth manual");
    t += ".SH NAME\nberth\\-findings \\- the finding codes of berth check, inspect, unit lint and "
         "deploy\n";
    t += ".SH DESCRIPTION\n"
         ".PP\nEach finding berth reports carries a code: B1xx for the binary, H2xx for the host, "
         "U3xx for systemd units, D4xx for deploys. \\fBberth explain\\fR \\fICODE\\fR prints one "
         "of the explanations below.\n";
    t += ".SH CODES\n";
    for (const auto& c : codes) {
        t += fmt::format(".SS \"{} ({}): {}\"\n", roff_escape(c.code),
                         roff_escape(severity_name(c.severity)), roff_escape(c.title));
        t += paragraphs(c.explain);
    }
    t += ".SH \"SEE ALSO\"\n.BR berth (1) ,\n.BR berth\\-explain (1) ,\n.BR berth\\-check (1)\n";
    return {"berth-findings.7", t};
}

std::vector<ManPage> all_pages(const CommandDoc& root, const std::vector<CodeInfo>& codes,
                               const std::string& version) {
    std::vector<ManPage> pages;
    for (const CommandDoc* cmd : all_commands(root))
        pages.push_back(command_page(*cmd, root, version));
    pages.push_back(findings_page(codes, version));
    return pages;
}

} // namespace berth::cli
