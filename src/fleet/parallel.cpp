#include "fleet/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace berth::fleet {

void run_parallel(const std::vector<std::size_t>& items, int forks,
                  const std::function<bool()>& may_start,
                  const std::function<void(std::size_t)>& task) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        while (may_start()) {
            std::size_t k = next++;
            if (k >= items.size()) return;
            task(items[k]);
        }
    };
    std::size_t n =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(forks, 1)), items.size());
    if (n == 0) return;
    std::vector<std::jthread> others;
    for (std::size_t t = 1; t < n; ++t) others.emplace_back(worker);
    worker();
}

std::vector<std::size_t> all_of(std::size_t n) {
    std::vector<std::size_t> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = i;
    return out;
}

} // namespace berth::fleet
