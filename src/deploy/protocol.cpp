#include "deploy/protocol.hpp"

#include "util/error.hpp"

namespace berth::deploy {

namespace {

nlohmann::json parse_object(std::string_view line, const char* what) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
        std::string shown(line.substr(0, 120));
        throw InputError(std::string("not a ") + what + ": '" + shown +
                         (line.size() > 120 ? "...'" : "'"));
    }
    if (!j.is_object()) throw InputError(std::string("not a ") + what + ": not a JSON object");
    return j;
}

std::string dump(const nlohmann::json& j) {
    // Invalid UTF-8 from the system (a file name, a journal line) is replaced, not a throw.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string request_line(const Request& r) {
    nlohmann::json j = {{"op", r.op}, {"args", r.args}};
    if (r.payload) j["payload"] = r.payload;
    return dump(j);
}

Request parse_request(std::string_view line) {
    nlohmann::json j = parse_object(line, "request");
    Request r;
    auto op = j.find("op");
    if (op == j.end() || !op->is_string()) throw InputError("request without an \"op\"");
    r.op = op->get<std::string>();
    if (auto a = j.find("args"); a != j.end()) {
        if (!a->is_object()) throw InputError("request \"args\" is not an object");
        r.args = *a;
    }
    if (auto p = j.find("payload"); p != j.end()) {
        if (!p->is_number_unsigned() || p->get<std::uint64_t>() > kMaxPayload)
            throw InputError("request \"payload\" is not a size up to 4 GiB");
        r.payload = p->get<std::uint64_t>();
    }
    return r;
}

std::string event_line(const nlohmann::json& event) {
    return dump({{"event", event}});
}
std::string ok_line(const nlohmann::json& result) {
    return dump({{"ok", true}, {"result", result}});
}
std::string error_line(const std::string& message) {
    return dump({{"ok", false}, {"error", message}});
}

Reply parse_reply(std::string_view line) {
    nlohmann::json j = parse_object(line, "reply");
    Reply r;
    if (auto e = j.find("event"); e != j.end()) {
        r.kind = Reply::Kind::event;
        r.body = *e;
        return r;
    }
    auto ok = j.find("ok");
    if (ok == j.end() || !ok->is_boolean()) throw InputError("reply without \"ok\"");
    if (ok->get<bool>()) {
        r.kind = Reply::Kind::ok;
        auto res = j.find("result");
        r.body = res == j.end() ? nlohmann::json::object() : *res;
        return r;
    }
    r.kind = Reply::Kind::error;
    auto err = j.find("error");
    r.error = err != j.end() && err->is_string() ? err->get<std::string>() : "unknown error";
    return r;
}

std::string hello_line(const Hello& h) {
    return dump({{"hello",
                  {{"berth_version", h.berth_version},
                   {"arch", h.arch},
                   {"uid", h.uid},
                   {"hostname", h.hostname},
                   {"pid", h.pid}}}});
}

std::optional<Hello> parse_hello(std::string_view line) {
    try {
        nlohmann::json j = nlohmann::json::parse(line);
        const auto& h = j.at("hello");
        Hello out;
        out.berth_version = h.at("berth_version").get<std::string>();
        out.arch = h.at("arch").get<std::string>();
        out.uid = h.at("uid").get<std::uint32_t>();
        out.hostname = h.at("hostname").get<std::string>();
        out.pid = h.at("pid").get<int>();
        return out;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string cancel_line() {
    return R"({"cancel":true})";
}

bool is_cancel_line(std::string_view line) {
    return line == cancel_line();
}

} // namespace berth::deploy
