#pragma once
// systemd's named system call sets (@system-service, @privileged, ...) and the system calls that
// exist on x86-64, as systemd 252 knows them: the exposure score checks filters against these.
#include <string>
#include <string_view>
#include <vector>

namespace berth::unit {

struct SyscallSet {
    std::string_view name;                 // "@mount"
    std::vector<std::string_view> members; // system call names and nested "@set" names
};

const std::vector<SyscallSet>& syscall_sets();
const SyscallSet* find_syscall_set(std::string_view name);
// Sorted names of the system calls of x86-64.
const std::vector<std::string_view>& x86_64_syscalls();
bool is_x86_64_syscall(std::string_view name);

} // namespace berth::unit
