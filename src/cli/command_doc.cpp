#include "cli/command_doc.hpp"

#include <memory>

namespace berth::cli {

namespace {

// "WHEN:{auto,always,never}" is CLI11's type name of an option checked with IsMember.
std::vector<std::string> choices_of(const std::string& type_name) {
    std::vector<std::string> out;
    auto open = type_name.find(":{");
    auto close = type_name.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) return out;
    std::string list = type_name.substr(open + 2, close - open - 2);
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (comma > start) out.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

OptionDoc option_doc(const CLI::Option& opt, const CLI::Formatter& fmt) {
    OptionDoc d;
    d.positional = opt.nonpositional() ? "" : opt.get_name(true, false);
    for (const auto& s : opt.get_snames()) d.names.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) d.names.push_back("--" + l);
    d.help_name = fmt.make_option_name(&opt, !opt.nonpositional());
    d.help_opts = fmt.make_option_opts(&opt);
    d.description = opt.get_description();
    if (opt.get_type_size() != 0) {
        std::string type = opt.get_type_name();
        d.value = type.substr(0, type.find(':'));
        d.choices = choices_of(type);
        d.file_value = d.value == "FILE" || d.value == "DIR" || d.value == "PATH";
        d.dir_value = d.value == "DIR";
    }
    d.repeatable = opt.get_expected_max() > 1;
    return d;
}

CommandDoc command_doc(const CLI::App& app, std::vector<std::string> path) {
    CommandDoc c;
    c.path = std::move(path);
    c.description = app.get_description();
    c.footer = app.get_footer();
    auto fmt = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter());
    if (!fmt) fmt = std::make_shared<CLI::Formatter>();
    std::string usage = fmt->make_usage(&app, command_name(c));
    const std::string prefix = "Usage: ";
    if (usage.starts_with(prefix)) usage.erase(0, prefix.size());
    while (!usage.empty() && (usage.back() == '\n' || usage.back() == ' ')) usage.pop_back();
    c.usage = usage;
    // Options with no group are hidden from --help: left out here too.
    for (const CLI::Option* opt :
         app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); })) {
        OptionDoc d = option_doc(*opt, *fmt);
        (d.positional.empty() ? c.options : c.positionals).push_back(std::move(d));
    }
    for (const CLI::App* sub :
         app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
        auto sub_path = c.path;
        sub_path.push_back(sub->get_name());
        c.subcommands.push_back(command_doc(*sub, std::move(sub_path)));
    }
    return c;
}

void collect(const CommandDoc& cmd, std::vector<const CommandDoc*>& out) {
    out.push_back(&cmd);
    for (const auto& sub : cmd.subcommands) collect(sub, out);
}

} // namespace

CommandDoc command_doc(const CLI::App& app) {
    return command_doc(app, {app.get_name()});
}

std::string command_name(const CommandDoc& cmd, char separator) {
    std::string out;
    for (const auto& word : cmd.path) out += (out.empty() ? "" : std::string(1, separator)) + word;
    return out;
}

std::vector<const CommandDoc*> all_commands(const CommandDoc& cmd) {
    std::vector<const CommandDoc*> out;
    collect(cmd, out);
    return out;
}

} // namespace berth::cli
