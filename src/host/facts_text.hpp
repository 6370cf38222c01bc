#pragma once
// `berth facts` for people: one section per subject, "label  value" lines aligned.
#include "host/host_facts.hpp"

#include <string>

namespace berth::host {

std::string host_facts_text(const HostFacts& facts);

} // namespace berth::host
