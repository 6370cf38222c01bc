// Where the deploying berth finds its build for a host of another machine type.
#include "deploy/client.hpp"

#include <gtest/gtest.h>

namespace berth::deploy {
namespace {

TEST(DeployClient, ABuildForAnotherMachineIsLookedForBesideBerthThenInItsPackageDirectory) {
    EXPECT_EQ(berth_build_places("/home/me/berth/build/berth", "aarch64"),
              (std::vector<std::string>{"/home/me/berth/build/berth-aarch64",
                                        "/usr/lib/berth/berth-aarch64"}));
    EXPECT_EQ(berth_build_places("/usr/bin/berth", "x86_64"),
              (std::vector<std::string>{"/usr/bin/berth-x86_64", "/usr/lib/berth/berth-x86_64"}));
}

} // namespace
} // namespace berth::deploy
