// The pieces of Ansible's INI and YAML readers berth transcribes: shlex, literal_eval, YAML 1.1
// scalars, host addresses and ranges. (tests/integration/inventory_ansible_test.cpp compares whole
// inventories with ansible-inventory.)
#include "inventory/host_range.hpp"
#include "inventory/ini_value.hpp"
#include "inventory/shlex.hpp"
#include "inventory/yaml_json.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth::inventory;
using Words = std::vector<std::string>;

TEST(InventoryShlex, SplitsAsPythonPosixShlex) {
    EXPECT_EQ(shlex_split("web1  a=1\tb='x y' c=\"p\\\"q\"", true),
              (Words{"web1", "a=1", "b=x y", "c=p\"q"}));
    EXPECT_EQ(shlex_split("h x=1#comment", true), (Words{"h", "x=1"}));
    EXPECT_EQ(shlex_split("h x=1#not", false), (Words{"h", "x=1#not"}));
    EXPECT_EQ(shlex_split("h '' \"\"", true), (Words{"h", "", ""}));
    EXPECT_EQ(shlex_split("a\\ b \"c\\d\"", true), (Words{"a b", "c\\d"}));
    EXPECT_THROW(shlex_split("h x='open", true), berth::InputError);
    EXPECT_THROW(shlex_split("h x\\", true), berth::InputError);
}

TEST(InventoryIniValue, PythonLiteralsOrText) {
    EXPECT_EQ(ini_value("2222"), 2222);
    EXPECT_EQ(ini_value("-7"), -7);
    EXPECT_EQ(ini_value("0x1F"), 31);
    EXPECT_EQ(ini_value("1_000"), 1000);
    EXPECT_EQ(ini_value("1.5"), 1.5);
    EXPECT_EQ(ini_value("1e3").dump(), "1000.0");
    EXPECT_EQ(ini_value("True"), true);
    EXPECT_TRUE(ini_value("None").is_null());
    EXPECT_EQ(ini_value("'03'"), "03");
    EXPECT_EQ(ini_value("\"a\" 'b'"), "ab");
    EXPECT_EQ(ini_value("'a\\tb'"), "a\tb");
    EXPECT_EQ(ini_value("r'a\\nb'"), "a\\nb");
    EXPECT_EQ(ini_value("[1, 'x', (2, 3)]").dump(), "[1,\"x\",[2,3]]");
    EXPECT_EQ(ini_value("{'a': 1, 2: None}").dump(), "{\"2\":null,\"a\":1}");
    EXPECT_EQ(ini_value("1,2").dump(), "[1,2]");
    EXPECT_EQ(ini_value("b'x'"), "x"); // Ansible's to_text decodes bytes
    EXPECT_EQ(ini_value("{1: 'a', True: 'b'}").dump(), "{\"1\":\"b\"}"); // True == 1
    EXPECT_EQ(ini_value("\"a b\"  # a comment"), "a b");
    // Not Python literals: the text stays.
    for (const char* t :
         {"07", "yes", "hello world", "1+2", "1j", "{1, 2}", "", "1__0", "[1, 2", "f'x'", "--5"})
        EXPECT_EQ(ini_value(t), t) << t;
}

TEST(InventoryYamlScalar, Yaml11ImplicitTypes) {
    EXPECT_EQ(yaml11_scalar("yes"), true);
    EXPECT_EQ(yaml11_scalar("Off"), false);
    EXPECT_EQ(yaml11_scalar("y"), "y"); // not a YAML 1.1 boolean
    EXPECT_TRUE(yaml11_scalar("~").is_null());
    EXPECT_TRUE(yaml11_scalar("").is_null());
    EXPECT_EQ(yaml11_scalar("0777"), 511);
    EXPECT_EQ(yaml11_scalar("0x1F"), 31);
    EXPECT_EQ(yaml11_scalar("0b101"), 5);
    EXPECT_EQ(yaml11_scalar("1_000"), 1000);
    EXPECT_EQ(yaml11_scalar("1:30"), 90);
    EXPECT_EQ(yaml11_scalar("-42"), -42);
    EXPECT_EQ(yaml11_scalar("1.50"), 1.5);
    EXPECT_EQ(yaml11_scalar("1:30.5"), 90.5);
    EXPECT_EQ(yaml11_scalar(".5"), 0.5);
    EXPECT_EQ(yaml11_scalar("1.0e+3"), 1000.0);
    EXPECT_EQ(yaml11_scalar("1e3"), "1e3"); // YAML 1.1 floats need a dot
    EXPECT_EQ(yaml11_scalar("09"), "09");
    EXPECT_EQ(yaml11_scalar("2001-12-14"), "2001-12-14");
    EXPECT_EQ(yaml11_scalar("10.0.0.1"), "10.0.0.1");
}

TEST(InventoryYamlScalar, AliasesCannotExplode) {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c)
        text += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
                ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                char(c - 1) + "]\n";
    YAML::Node root = YAML::Load(text);
    std::size_t budget = 1000000;
    EXPECT_THROW(yaml_json(root, "f.yml", budget), berth::InputError);
}

TEST(InventoryHostRange, AddressesAndPorts) {
    auto a = parse_address("web1.example.com:2222", false);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "web1.example.com");
    EXPECT_EQ(a->port, 2222);
    a = parse_address("[2001:db8::1]:22", false);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "2001:db8::1");
    EXPECT_EQ(a->port, 22);
    a = parse_address("2001:db8::1", false);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->port);
    EXPECT_TRUE(parse_address("web[01:10].example.com:22", true));
    EXPECT_FALSE(parse_address("web[01:10].example.com", false));
    EXPECT_FALSE(parse_address("web-", true));
    EXPECT_FALSE(parse_address("a:b", true));
    EXPECT_FALSE(parse_address("a..b", true));
    EXPECT_TRUE(parse_address("256.1.1.1x", true)); // a host name, as Python's regex reads it
}

TEST(InventoryHostRange, ExpandsAsAnsible) {
    EXPECT_EQ(expand_host_entry("web[01:03].example.com", 100).names,
              (Words{"web01.example.com", "web02.example.com", "web03.example.com"}));
    EXPECT_EQ(expand_host_entry("db-[a:c]", 100).names, (Words{"db-a", "db-b", "db-c"}));
    EXPECT_EQ(expand_host_entry("n[1:10:4]", 100).names, (Words{"n1", "n5", "n9"}));
    EXPECT_EQ(expand_host_entry("r[1:2]-[a:b]", 100).names,
              (Words{"r1-a", "r1-b", "r2-a", "r2-b"}));
    EXPECT_EQ(expand_host_entry("x[:2]", 100).names, (Words{"x0", "x1", "x2"}));
    EXPECT_TRUE(expand_host_entry("x[5:1]", 100).names.empty()); // Python's empty range()
    HostEntry p = expand_host_entry("w[1:2]:2200", 100);
    EXPECT_EQ(p.names, (Words{"w1", "w2"}));
    EXPECT_EQ(p.port, 2200);
    EXPECT_THROW(expand_host_entry("w[01:100]", 1000), berth::InputError); // unequal widths
    EXPECT_THROW(expand_host_entry("w[1:]", 1000), berth::InputError);
    EXPECT_THROW(expand_host_entry("w[c:a]", 1000), berth::InputError);
    EXPECT_THROW(expand_host_entry("w[1:2:0]", 1000), berth::InputError);
    EXPECT_THROW(expand_host_entry("w[1:2", 1000), berth::InputError);
    EXPECT_THROW(expand_host_entry("w[0:99999999999]", 1000), berth::InputError);
    EXPECT_THROW(expand_host_entry("w[0:999][0:999]", 1000), berth::InputError);
}
