#pragma once
// The conversation between the deploying berth and the berth it runs on the host
// (`berth agent session`): one JSON object per line each way, for the whole deploy.
//
//   host → deployer, first:   {"hello": {"berth_version": ..., "arch": "x86_64", "uid": 0, ...}}
//   deployer → host:          {"op": "stage", "args": {...}, "payload": 20971520}
//                             followed by exactly `payload` raw bytes when it is not 0
//   host → deployer:          {"event": {...}}   any number, while the op runs (progress)
//                             {"ok": true, "result": {...}}  or  {"ok": false, "error": "..."}
//   deployer → host, any time: {"cancel": true}   the user pressed ^C: the op that watches for
//                             it (verify) stops and fails; otherwise it is skipped
//
// Requests carry every value (names, paths, versions, file contents) as JSON: nothing the user
// wrote ever reaches a shell or a command line on the host. Replies are untrusted input to the
// deploying side: read with a bound, parsed strictly (fuzz/reply_fuzz.cpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace berth::deploy {

inline constexpr std::size_t kMaxRequestLine = 1u << 20; // a request line, without its payload
inline constexpr std::uint64_t kMaxPayload = 1ull << 32; // 4 GiB: no Go binary is larger

struct Request {
    std::string op;
    nlohmann::json args = nlohmann::json::object();
    std::uint64_t payload = 0; // raw bytes that follow the line
};

// One line each, without the "\n".
std::string request_line(const Request& r);
// Throws InputError for a line that is not a request.
Request parse_request(std::string_view line);

// The deployer was interrupted (^C, SIGTERM): sent between or during requests.
std::string cancel_line();
bool is_cancel_line(std::string_view line);

// What the host sent: a progress event, or the op's end.
struct Reply {
    enum class Kind { event, ok, error };
    Kind kind = Kind::error;
    nlohmann::json body; // the event, the result, or null
    std::string error;   // Kind::error: the host's message
};
std::string event_line(const nlohmann::json& event);
std::string ok_line(const nlohmann::json& result);
std::string error_line(const std::string& message);
// Throws InputError when the line is none of the three (garbage from the host, a shell's
// message, a truncated line).
Reply parse_reply(std::string_view line);

// The first line of a session.
struct Hello {
    std::string berth_version;
    std::string arch; // uname machine
    std::uint32_t uid = 0;
    std::string hostname;
    int pid = 0;
};
std::string hello_line(const Hello& h);
// nullopt when the line is not a hello (a shell or sudo said something instead).
std::optional<Hello> parse_hello(std::string_view line);

} // namespace berth::deploy
