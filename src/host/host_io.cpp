#include "host/host_io.hpp"

namespace berth::host {

namespace {

std::optional<std::string> first_line(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    std::string_view v = *text;
    return std::string(trim(v.substr(0, v.find('\n'))));
}

} // namespace

std::optional<std::string> read_line(const std::string& path) {
    return first_line(read_text(path, 1u << 16));
}

std::optional<std::string> read_line(const Root& root, const std::string& path) {
    return first_line(root.read_text(path, 1u << 16));
}

std::vector<std::string> list_dir(const std::string& path) {
    return Root{}.list_dir(path);
}

std::optional<std::string> read_link(const std::string& path) {
    return Root{}.readlink(path);
}

} // namespace berth::host
