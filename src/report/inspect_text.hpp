#pragma once
// The human-readable report of `berth inspect`: one block per file, aligned labels.
#include "facts/binary_facts.hpp"

#include <string>

namespace berth::report {

std::string render_inspect_text(const facts::BinaryFacts& facts);

// "6.2 MiB" style sizes for people.
std::string human_size(std::uint64_t bytes);

} // namespace berth::report
