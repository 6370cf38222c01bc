// UTF-8 validity, base64 and the lossless file names of the JSON documents.
#include "util/json_text.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

using namespace berth;

TEST(Strings, Utf8ValidPrefix) {
    EXPECT_TRUE(is_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_EQ(utf8_valid_prefix("ab\xff"), 2u);
    EXPECT_EQ(utf8_valid_prefix("a\xc3"), 1u);            // cut short
    EXPECT_EQ(utf8_valid_prefix("\xc0\xaf"), 0u);         // overlong '/'
    EXPECT_EQ(utf8_valid_prefix("x\xed\xa0\x80"), 1u);    // a surrogate
    EXPECT_EQ(utf8_valid_prefix("\xf4\x90\x80\x80"), 0u); // past U+10FFFF
}

// RFC 4648 section 10 test vectors, and every byte value.
TEST(Strings, Base64) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, coded] : vectors) {
        EXPECT_EQ(base64(plain), coded);
        EXPECT_EQ(base64_decode(coded), plain);
    }
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    EXPECT_EQ(base64_decode(base64(all)), all);
    for (const char* bad : {"Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "=Zm9"})
        EXPECT_EQ(base64_decode(bad), std::nullopt) << bad;
}

TEST(JsonText, PathsAreLossless) {
    nlohmann::json j = nlohmann::json::object();
    set_path(j, "path", "/srv/app");
    EXPECT_FALSE(j.contains("path_bytes"));
    EXPECT_EQ(get_path(j, "path"), "/srv/app");
    const std::string bad = "/srv/h\xff\xfex";
    set_path(j, "path", bad);
    EXPECT_EQ(j["path_bytes"], base64(bad));
    EXPECT_EQ(get_path(nlohmann::json::parse(json_text(j)), "path"), bad);
    EXPECT_EQ(nlohmann::json::parse(json_text(j))["path"], "/srv/h\xef\xbf\xbd\xef\xbf\xbdx");
}
