#pragma once
// The host's side of a deploy: `berth agent session` reads requests on stdin and answers on
// stdout (deploy/protocol.hpp) until stdin ends. It holds the app's lock for as long as it
// runs, so a deploy killed anywhere leaves no stale lock behind.
namespace berth::deploy {

// Runs the session on these descriptors. Returns the exit status (0: stdin ended).
int run_agent_session(int in_fd, int out_fd);

} // namespace berth::deploy
