// --color: always and never are what the user said; auto looks at stdout and the environment
// (tested on a real terminal in tests/integration/cli_usage_test.cpp).
#include "report/terminal.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth;

TEST(Terminal, ColorWhenIsWhatTheCommandLineSays) {
    EXPECT_EQ(report::parse_color_when("auto"), report::ColorWhen::automatic);
    EXPECT_EQ(report::parse_color_when("always"), report::ColorWhen::always);
    EXPECT_EQ(report::parse_color_when("never"), report::ColorWhen::never);
    EXPECT_THROW(report::parse_color_when("yes"), InputError);
    report::set_color_when(report::ColorWhen::always);
    EXPECT_TRUE(report::use_color());
    report::set_color_when(report::ColorWhen::never);
    EXPECT_FALSE(report::use_color());
    report::set_color_when(report::ColorWhen::automatic);
}
