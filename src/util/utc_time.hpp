#pragma once
// A time as people and JSON documents read it: "2026-11-28T15:59:31Z".
#include <ctime>
#include <string>

namespace berth {

std::string utc_time(std::time_t t);
inline std::string utc_now() {
    return utc_time(std::time(nullptr));
}

} // namespace berth
