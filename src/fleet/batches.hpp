#pragma once
// The arithmetic of a rollout: which hosts go in which batch, and when failures have spent the
// budget. Pure functions, tested apart from any host.
#include "config/app_config.hpp"

#include <cstddef>
#include <vector>

namespace berth::fleet {

// Host indexes 0..hosts-1 in batches of the given sizes, in order; the last size repeats
// (Ansible's `serial:` list). A percentage is of all `hosts`, rounded down, at least 1. No
// sizes: one batch of every host.
std::vector<std::vector<std::size_t>> make_batches(std::size_t hosts,
                                                   const std::vector<config::BatchSize>& sizes);

struct Budget {
    int max_failures = -1;        // failed hosts in the whole rollout; -1 = not set
    int max_fail_percentage = -1; // failed share of one batch; -1 = not set
};

// Whether `failed_total` failures so far (`failed_in_batch` of the current batch's
// `batch_size`) exceed the budget. Neither limit set: any failure does.
bool over_budget(const Budget& b, int failed_total, int failed_in_batch, std::size_t batch_size);

} // namespace berth::fleet
