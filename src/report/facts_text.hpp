#pragma once
// `berth facts` for people: one section per subject, "label  value" lines aligned.
#include "facts/library_facts.hpp"
#include "host/host_facts.hpp"

#include <string>

namespace berth::report {

std::string host_facts_text(const host::HostFacts& facts);

// What `facts --libraries` adds: how this host's loader resolves the binary.
std::string library_facts_text(const std::string& binary, const facts::LibraryFacts& libraries);

} // namespace berth::report
