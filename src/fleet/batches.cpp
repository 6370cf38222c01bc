#include "fleet/batches.hpp"

#include <algorithm>

namespace berth::fleet {

std::vector<std::vector<std::size_t>> make_batches(std::size_t hosts,
                                                   const std::vector<config::BatchSize>& sizes) {
    std::vector<std::vector<std::size_t>> out;
    std::size_t next = 0;
    for (std::size_t b = 0; next < hosts; ++b) {
        std::size_t size = hosts;
        if (!sizes.empty()) {
            const config::BatchSize& s = sizes[std::min(b, sizes.size() - 1)];
            size = s.count > 0 ? static_cast<std::size_t>(s.count)
                               : hosts * static_cast<std::size_t>(s.percent) / 100;
            size = std::max<std::size_t>(size, 1);
        }
        size = std::min(size, hosts - next);
        std::vector<std::size_t> batch(size);
        for (auto& h : batch) h = next++;
        out.push_back(std::move(batch));
    }
    return out;
}

bool over_budget(const Budget& b, int failed_total, int failed_in_batch, std::size_t batch_size) {
    if (b.max_failures < 0 && b.max_fail_percentage < 0) return failed_total > 0;
    if (b.max_failures >= 0 && failed_total > b.max_failures) return true;
    // "More than P% of the batch", in integers: failed / size > P / 100.
    return b.max_fail_percentage >= 0 &&
           static_cast<std::size_t>(failed_in_batch) * 100 >
               static_cast<std::size_t>(b.max_fail_percentage) * batch_size;
}

} // namespace berth::fleet
