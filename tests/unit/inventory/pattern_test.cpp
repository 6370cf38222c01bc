// --limit patterns as Ansible reads them (compared with `ansible --limit` on real inventories in
// tests/integration/inventory_ansible_test.cpp); here the rules one by one and berth's errors.
#include "inventory/inventory.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth;
using Words = std::vector<std::string>;

namespace {

const inventory::Inventory& fleet() {
    static const inventory::Inventory inv = inventory::parse_ini_inventory(R"(lone
[web]
web[1:4]
[db]
db[1:2]
[canary]
web2
db1
[prod:children]
web
db
)",
                                                                           "fleet.ini");
    return inv;
}

Words pick(const std::string& pattern) {
    Words out;
    for (const auto& h : inventory::select_hosts(fleet(), pattern)) out.push_back(h.name);
    return out;
}

std::string error_of(const std::string& pattern) {
    try {
        inventory::select_hosts(fleet(), pattern);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(InventoryPattern, GroupsHostsGlobsAndRegex) {
    // Ansible's order: "all"'s children level by level; canary is a level above web and db.
    Words all = {"lone", "web2", "db1", "web1", "web3", "web4", "db2"};
    EXPECT_EQ(pick("all"), all);
    EXPECT_EQ(pick("*"), all);
    EXPECT_EQ(pick("db"), (Words{"db1", "db2"}));
    EXPECT_EQ(pick("web3"), (Words{"web3"}));
    EXPECT_EQ(pick("web[2-3]"), (Words{"web3", "web4"}));  // Ansible's old [x-y] subscript
    EXPECT_EQ(pick("web[2-3]*"), (Words{"web2", "web3"})); // a glob
}

TEST(InventoryPattern, SetOperationsInInventoryOrder) {
    EXPECT_EQ(pick("db,web1"), (Words{"db1", "web1", "db2"}));
    EXPECT_EQ(pick("db:web1"), (Words{"db1", "web1", "db2"}));
    EXPECT_EQ(pick("prod:!canary"), (Words{"web1", "web3", "web4", "db2"}));
    EXPECT_EQ(pick("prod:&canary"), (Words{"web2", "db1"}));
    EXPECT_EQ(pick("!prod"), (Words{"lone"}));
    EXPECT_EQ(pick("&canary"), (Words{"web2", "db1"}));
    EXPECT_EQ(pick("web?:!web[2-3]*"), (Words{"web1", "web4"}));
    EXPECT_EQ(pick("~(web|db)1"), (Words{"db1", "web1"}));
}

TEST(InventoryPattern, Subscripts) {
    EXPECT_EQ(pick("web[0]"), (Words{"web1"}));
    EXPECT_EQ(pick("web[-1]"), (Words{"web4"}));
    EXPECT_EQ(pick("web[1:2]"), (Words{"web2", "web3"}));
    EXPECT_EQ(pick("web[2:]"), (Words{"web3", "web4"}));
}

TEST(InventoryPattern, NothingMatchedIsAnError) {
    EXPECT_EQ(error_of("nomatch"), "pattern 'nomatch' matches no host and no group");
    EXPECT_EQ(error_of("web:!nomatch"), "pattern 'nomatch' matches no host and no group");
    EXPECT_EQ(error_of("web:&db"), "pattern 'web:&db' selects no host");
    EXPECT_EQ(error_of("web[9]"), "pattern 'web[9]': no host at that index (it matches 4)");
    // As in Ansible, [13] is a subscript (the 14th host), not a glob of 1 and 3.
    EXPECT_EQ(error_of("web[13]"), "pattern 'web[13]': no host at that index (it matches 4)");
    EXPECT_EQ(error_of(" , "), "an empty host pattern");
    // Anchored at the start, as Python's re.match.
    EXPECT_EQ(error_of("~eb"), "pattern '~eb' matches no host and no group");
    EXPECT_EQ(error_of("!"), "pattern '!' names nothing after '!'");
    EXPECT_NE(error_of("~(").find("not a regular expression"), std::string::npos);
}
