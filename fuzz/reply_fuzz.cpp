// libFuzzer target for what a host sends the deploying berth: reply lines, the hello, the
// state of the app (with its history journal) — any bytes parse or give an InputError, never a
// crash.
#include "deploy/history.hpp"
#include "deploy/plan.hpp"
#include "deploy/protocol.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    (void)berth::deploy::parse_hello(text);
    (void)berth::deploy::parse_history(text);
    try {
        berth::deploy::Reply r = berth::deploy::parse_reply(text);
        if (r.kind == berth::deploy::Reply::Kind::ok) (void)berth::deploy::host_state_from(r.body);
    } catch (const berth::InputError&) {
    }
    try {
        (void)berth::deploy::parse_request(text);
    } catch (const berth::InputError&) {
    }
    return 0;
}
