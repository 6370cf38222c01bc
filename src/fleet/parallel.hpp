#pragma once
// Work on many hosts at once, bounded: the rollout's batches, and the fleet views (status,
// releases) of many hosts.
#include <cstddef>
#include <functional>
#include <vector>

namespace berth::fleet {

// task(i) for each of `items` in their order, at most `forks` at once (threads); `may_start()`
// is asked before each start, and no further item starts once it says no. Returns when every
// started task has ended.
void run_parallel(const std::vector<std::size_t>& items, int forks,
                  const std::function<bool()>& may_start,
                  const std::function<void(std::size_t)>& task);

// 0..n-1, for run_parallel.
std::vector<std::size_t> all_of(std::size_t n);

} // namespace berth::fleet
