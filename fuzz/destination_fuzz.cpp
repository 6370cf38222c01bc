// libFuzzer target for destinations, shell quoting and ssh's stderr: any bytes either parse to a
// destination that reads back the same from its text() and never starts with '-', or give an
// InputError; a quoted word unquotes to itself; any stderr gives one line or none, never a crash.
#include "remote/ssh_command.hpp"
#include "remote/transport.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

// The POSIX shell's reading of one single-quoted word (what shell_quote makes).
std::string unquote(const std::string& q) {
    std::string out;
    bool in = false;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '\'')
            in = !in;
        else if (!in && q[i] == '\\' && i + 1 < q.size())
            out += q[++i];
        else if (in)
            out += q[i];
        else
            std::abort(); // an unquoted character the shell would read
    }
    if (in) std::abort();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    using namespace berth::remote;
    try {
        Destination d = parse_destination(text);
        if (d.host.empty() || d.host[0] == '-' || (!d.user.empty() && d.user[0] == '-'))
            std::abort();
        Destination again = parse_destination(d.text());
        if (again.user != d.user || again.host != d.host || again.port != d.port) std::abort();
        if (d.ssh_target().find_first_of(" \t\n'\";`\\") != std::string::npos) std::abort();
    } catch (const berth::InputError&) {
    }
    if (text.find('\0') == std::string::npos) {
        if (unquote(shell_quote(text)) != text) std::abort();
    }
    SshOptions options;
    options.sudo = size % 2 == 0;
    for (int status : {1, 127, 255}) {
        RunResult r{status, {}, text};
        auto message = ssh_failure(Destination{"u", "h", 22}, options, r);
        if (status == 255 && !message) std::abort();
        if (message && message->find('\n') != std::string::npos) std::abort();
    }
    return 0;
}
