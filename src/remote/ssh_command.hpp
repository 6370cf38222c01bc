#pragma once
// The ssh command line berth runs, and what ssh's and sudo's failures mean: the pure parts of
// the ssh transport (tested without a network).
#include "remote/transport.hpp"

#include <optional>

namespace berth::remote {

// The directory for the multiplexed connections' sockets: `wanted`, or the default (see
// SshOptions::control_dir); made (0700) when missing, made private when it is berth's user's,
// refused otherwise. Throws InputError.
std::string private_control_dir(const std::string& wanted);

// ssh -o BatchMode=yes -o RequestTTY=no [the user's -o] -o ConnectTimeout=N ... [-p PORT] --
// TARGET 'word' 'word'... Throws InputError for a user option not written Key=Value, or an
// argv word with a NUL.
std::vector<std::string> ssh_argv(const Destination& destination, const SshOptions& options,
                                  const std::string& control_dir,
                                  const std::vector<std::string>& argv);

// The one string the remote shell reads: every word quoted, `sudo -n --` before them.
std::string remote_command_line(const std::vector<std::string>& argv, bool sudo);

// One line saying what went wrong when `result` is ssh's own failure (exit 255: host key,
// authentication, unreachable, connection cut) or sudo's refusal (options.sudo); nullopt when it
// is the command's own result.
std::optional<std::string> ssh_failure(const Destination& destination, const SshOptions& options,
                                       const RunResult& result);

} // namespace berth::remote
