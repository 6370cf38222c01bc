#pragma once
// What both transports share: a command runs as a child process of berth (the command itself,
// or the ssh that carries it) and is spoken to through its pipes (util/subprocess).
#include "remote/transport.hpp"

#include <functional>

namespace berth::remote {

// Where the child's command runs, for messages, and how its result shows the transport's own
// failure: `check` throws TransportError for ssh's exit 255 or sudo's refusal (empty: none).
struct ChildTarget {
    std::string where;
    std::function<void(const RunResult&)> check;
};

// Transport::run and Transport::start over `child_argv`; `command` is the argv the caller gave
// (named in messages).
RunResult run_child(const std::vector<std::string>& child_argv,
                    const std::vector<std::string>& command, std::string_view input,
                    std::chrono::milliseconds timeout, const ChildTarget& target);
std::unique_ptr<Session> start_child(const std::vector<std::string>& child_argv,
                                     const std::vector<std::string>& command, ChildTarget target);

// "`systemctl restart app`" for messages (long commands shortened).
std::string command_text(const std::vector<std::string>& command);
// "30 s", "1500 ms".
std::string duration_text(std::chrono::milliseconds d);

} // namespace berth::remote
