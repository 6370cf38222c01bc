// The connection variables, as Ansible's ssh connection and sudo become plugins read them: of
// several names for one setting the last one set wins (ansible_ssh_host over ansible_host), a
// null value counts as unset.
#include "inventory/draft.hpp"
#include "inventory/shlex.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cctype>

namespace berth::inventory {

namespace {

const Value* setting(const Vars& vars, std::initializer_list<const char*> names) {
    const Value* found = nullptr;
    for (const char* n : names)
        if (auto it = vars.find(n); it != vars.end() && !it->second.value.is_null())
            found = &it->second;
    return found;
}

[[noreturn]] void bad(const Value& v, const std::string& name, const std::string& why) {
    throw InputError(v.where + ": " + name + ": " + why);
}

std::string scalar_text(const Value& v, const std::string& name) {
    if (v.value.is_object() || v.value.is_array()) bad(v, name, "must be a single value");
    return value_text(v.value);
}

// Ansible's boolean(): yes/on/1/true/t/y or no/off/0/false/f/n, any case.
bool ansible_bool(const Value& v, const std::string& name) {
    if (v.value.is_boolean()) return v.value.get<bool>();
    std::string t = scalar_text(v, name);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* yes : {"yes", "on", "1", "true", "t", "y", "1.0"})
        if (t == yes) return true;
    for (const char* no : {"no", "off", "0", "false", "f", "n", "0.0"})
        if (t == no) return false;
    bad(v, name, "must be true or false, not '" + t + "'");
}

bool option_key_ok(std::string_view key) {
    return !key.empty() && std::isalpha(static_cast<unsigned char>(key[0])) &&
           std::all_of(key.begin(), key.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// "Key=Value", "Key Value" or "Key = Value" (as ssh reads -o) into "Key=Value".
std::string option_word(const std::string& option, const Value& v, const std::string& name) {
    std::size_t key_end = 0;
    while (key_end < option.size() && std::isalnum(static_cast<unsigned char>(option[key_end])))
        ++key_end;
    std::size_t i = key_end;
    while (i < option.size() && (option[i] == ' ' || option[i] == '\t')) ++i;
    if (i < option.size() && option[i] == '=') ++i;
    while (i < option.size() && (option[i] == ' ' || option[i] == '\t')) ++i;
    std::string key = option.substr(0, key_end), value = option.substr(i);
    if (!option_key_ok(key) || value.empty() || i == key_end ||
        value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos)
        bad(v, name, "'" + option + "' is not an ssh option Key=Value");
    return key + "=" + value;
}

// ssh arguments: -o OPTION (or -oOPTION), and the short forms of a few options.
void read_ssh_args(const Value& v, const std::string& name, std::vector<std::string>& out) {
    std::vector<std::string> words;
    try {
        words = shlex_split(scalar_text(v, name), false);
    } catch (const InputError& e) {
        bad(v, name, e.what());
    }
    static const std::pair<char, const char*> kShort[] = {
        {'o', ""}, {'J', "ProxyJump"}, {'i', "IdentityFile"}, {'p', "Port"}, {'l', "User"}};
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        const char* key = nullptr;
        if (w.size() >= 2 && w[0] == '-')
            for (const auto& [flag, k] : kShort)
                if (w[1] == flag) key = k;
        if (!key)
            bad(v, name,
                "'" + w +
                    "' is not an ssh argument berth passes on (-o Key=Value, -J, -i, -p, -l)");
        std::string arg = w.substr(2);
        if (arg.empty()) {
            if (i + 1 == words.size()) bad(v, name, "'" + w + "' needs a value after it");
            arg = words[++i];
        }
        out.push_back(*key ? option_word(std::string(key) + "=" + arg, v, name)
                           : option_word(arg, v, name));
    }
}

} // namespace

void apply_connection(Host& host, const Vars& vars, const std::string& host_where) {
    remote::Destination d = host.destination;
    if (d.host.empty()) d.host = host.name;
    std::string where = host_where;
    if (const Value* v = setting(vars, {"ansible_host", "ansible_ssh_host"})) {
        d.host = scalar_text(*v, "ansible_host");
        where = v->where;
    }
    if (const Value* v = setting(vars, {"ansible_user", "ansible_ssh_user"})) {
        d.user = scalar_text(*v, "ansible_user");
        where = v->where;
    }
    if (const Value* v = setting(vars, {"ansible_port", "ansible_ssh_port"})) {
        std::string t = scalar_text(*v, "ansible_port");
        bool digits = !t.empty() && t.size() <= 5 &&
                      std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
        int port = digits ? std::stoi(t) : 0;
        if (port < 1 || port > 65535)
            bad(*v, "ansible_port", "must be a port from 1 to 65535, not '" + t + "'");
        d.port = port;
    }
    try {
        host.destination = remote::parse_destination(d.text());
    } catch (const InputError& e) {
        throw InputError(where + ": host '" + host.name + "': " + e.what());
    }
    if (const Value* v =
            setting(vars, {"ansible_private_key_file", "ansible_ssh_private_key_file"}))
        host.ssh_options.push_back(
            option_word("IdentityFile=" + scalar_text(*v, "ansible_ssh_private_key_file"), *v,
                        "ansible_ssh_private_key_file"));
    if (const Value* v = setting(vars, {"ansible_ssh_common_args"}))
        read_ssh_args(*v, "ansible_ssh_common_args", host.ssh_options);
    if (const Value* v = setting(vars, {"ansible_ssh_extra_args"}))
        read_ssh_args(*v, "ansible_ssh_extra_args", host.ssh_options);
    if (const Value* v = setting(vars, {"ansible_become"}))
        host.become = ansible_bool(*v, "ansible_become");
}

} // namespace berth::inventory
