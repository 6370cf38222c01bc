#include "rules/check_input.hpp"

namespace berth::rules {

Finding finding(const CodeInfo& code, std::string title, std::string evidence, std::string fix) {
    Finding f;
    f.code = code.code;
    f.severity = code.severity;
    f.title = std::move(title);
    f.evidence = std::move(evidence);
    f.fix = std::move(fix);
    return f;
}

namespace {

// Why the input cannot serve a rule with these needs; "" when it can.
std::string missing_for(unsigned needs, const CheckInput& in) {
    if ((needs & kRunningSystem) && !running_system_known(in.host))
        return "the facts come from a system image (--root " + in.host.root +
               "): the running kernel, CPU, mounts, clock and sockets are those of the machine "
               "running berth, not of the image's host; check on the host itself, or collect "
               "`berth facts --json` there";
    if ((needs & kLibraries) && !in.libraries.resolved)
        return "the host facts carry no library resolution: collect them with `berth facts "
               "--json --binary PATH --libraries` on the host";
    return "";
}

} // namespace

Judgement judge_check(const CheckInput& in) {
    Judgement out;
    for (const auto* table : {&binary_rules(), &host_rules()}) {
        for (const auto& rule : *table) {
            if (std::string why = missing_for(rule.needs, in); !why.empty())
                out.not_judged.push_back({rule.info.code, rule.info.title, std::move(why)});
            else
                rule.judge(in, rule.info, out.findings);
        }
    }
    return out;
}

} // namespace berth::rules
