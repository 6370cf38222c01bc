#pragma once
// The service user and its groups, read from /etc/passwd and /etc/group directly: berth is
// static, so getpwnam (NSS) is not an option, and the image under --root has no NSS anyway.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

struct PasswdEntry {
    std::string name;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::string home;
    std::string shell;
};

struct GroupEntry {
    std::string name;
    std::uint32_t gid = 0;
    std::vector<std::string> members;
};

// Lines that do not have the 7 (passwd) or 4 (group) fields, comments and NIS "+" lines are
// skipped.
std::vector<PasswdEntry> parse_passwd(std::string_view text);
std::vector<GroupEntry> parse_group(std::string_view text);
// The facts about `user` from parsed entries (the *_readable flags are the caller's).
UsersFacts users_facts(const std::vector<PasswdEntry>& passwd,
                       const std::vector<GroupEntry>& groups, const std::string& user);

UsersFacts collect_users(const Root& root, const std::string& user,
                         std::vector<std::string>& notes);

} // namespace berth::host
