#pragma once
// How deploy, rollback, releases and status read on a terminal: one line per step with its
// time, a summary per host, tables. (--json prints the same events and results as JSON lines.)
#include "deploy/deploy.hpp"

#include <string>
#include <vector>

namespace berth::report {

// A step's line ("  upload    0.35 s  12.1 MiB sent, sha256 verified on the host"), or "" for
// events that make no line of their own (starts, progress).
std::string deploy_event_line(const deploy::Event& e);
// The live line for a progress event on a terminal (rewritten in place).
std::string deploy_progress_line(const deploy::Event& e);
// The end of one host's deploy: the outcome, the findings, the journal of a failed start.
std::string deploy_result_text(const deploy::HostResult& r, bool color);
std::string releases_text(const std::string& host, const std::vector<deploy::ReleaseRow>& rows);
std::string status_text(const std::vector<deploy::HostStatus>& hosts);

} // namespace berth::report
