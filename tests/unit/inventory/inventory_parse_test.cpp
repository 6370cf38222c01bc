// INI and YAML inventories: the model berth builds, the connection it reads, and errors that name
// FILE:LINE. Whole inventories are compared with ansible-inventory in
// tests/integration/inventory_ansible_test.cpp.
#include "inventory/inventory.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

using namespace berth;
using inventory::Inventory;
using Words = std::vector<std::string>;

namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string ini_error(const std::string& text) {
    return error_of([&] { inventory::parse_ini_inventory(text, "inv.ini"); });
}

std::string yaml_error(const std::string& text) {
    return error_of([&] { inventory::parse_yaml_inventory(text, "inv.yml"); });
}

Words names(const std::vector<inventory::Host>& hosts) {
    Words out;
    for (const auto& h : hosts) out.push_back(h.name);
    return out;
}

} // namespace

TEST(InventoryIni, GroupsChildrenVarsAndOrder) {
    Inventory inv = inventory::parse_ini_inventory(R"(solo
[prod:children]
web
[web]
w[1:2] ansible_port=2222 x=host
[db]
d1 ansible_host=10.0.0.5 ansible_user=pg
[web:vars]
x=web
y=web
[prod:vars]
y=prod
z=prod
[all:vars]
z=all
)",
                                                   "inv.ini");
    // Ansible's order: "all"'s children level by level (db is a level above web).
    EXPECT_EQ(names(inv.hosts), (Words{"solo", "d1", "w1", "w2"}));
    const auto* w1 = inventory::find_host(inv, "w1");
    ASSERT_TRUE(w1);
    EXPECT_EQ(w1->groups, (Words{"all", "prod", "web"}));
    EXPECT_EQ(w1->vars.at("x"), "host");
    EXPECT_EQ(w1->vars.at("y"), "web");
    EXPECT_EQ(w1->vars.at("z"), "prod");
    EXPECT_EQ(w1->vars.at("ansible_port"), "2222");
    EXPECT_EQ(w1->destination.text(), "w1:2222");
    const auto* d1 = inventory::find_host(inv, "d1");
    EXPECT_EQ(d1->destination.text(), "pg@10.0.0.5");
    EXPECT_EQ(d1->vars.at("z"), "all");
    EXPECT_EQ(inventory::find_host(inv, "solo")->groups, (Words{"all", "ungrouped"}));
    EXPECT_EQ(inv.groups.at("prod").children, (Words{"web"}));
    EXPECT_EQ(inv.groups.at("web").depth, 2);
    EXPECT_EQ(inv.groups.at("all").children, (Words{"ungrouped", "prod", "db"}));
}

TEST(InventoryIni, ChildDeclaredLaterAndPriority) {
    Inventory inv = inventory::parse_ini_inventory(R"([top:children]
late
[late]
h1
[other]
h1
[other:vars]
v=other
ansible_group_priority=5
[late:vars]
v=late
)",
                                                   "inv.ini");
    // late is deeper (depth 2) than other (depth 1): late wins whatever the priority.
    EXPECT_EQ(inventory::find_host(inv, "h1")->vars.at("v"), "late");
    EXPECT_EQ(inv.groups.at("other").priority, 5);
    EXPECT_FALSE(inv.groups.at("other").vars.count("ansible_group_priority"));
}

TEST(InventoryIni, ConnectionVariables) {
    Inventory inv = inventory::parse_ini_inventory(
        R"([g]
a ansible_ssh_common_args="-o StrictHostKeyChecking=no -J jump -oUserKnownHostsFile=/dev/null" ansible_become=yes
b ansible_ssh_extra_args="-o 'ProxyCommand ssh -W %h:%p bastion'" ansible_ssh_private_key_file=/k/id
c ansible_host=fe80::1 ansible_ssh_host=10.0.0.9 ansible_become=False
)",
        "inv.ini");
    const auto* a = inventory::find_host(inv, "a");
    EXPECT_EQ(a->ssh_options, (Words{"StrictHostKeyChecking=no", "ProxyJump=jump",
                                     "UserKnownHostsFile=/dev/null"}));
    EXPECT_TRUE(a->become);
    const auto* b = inventory::find_host(inv, "b");
    EXPECT_EQ(b->ssh_options, (Words{"IdentityFile=/k/id", "ProxyCommand=ssh -W %h:%p bastion"}));
    EXPECT_FALSE(b->become);
    // ansible_ssh_host comes later in the ssh plugin's list: it wins.
    EXPECT_EQ(inventory::find_host(inv, "c")->destination.host, "10.0.0.9");
}

TEST(InventoryIni, ErrorsNameFileAndLine) {
    EXPECT_EQ(ini_error("[g]\nh ansible_ssh_common_args='-v'\n"),
              "inv.ini:2: ansible_ssh_common_args: '-v' is not an ssh argument berth passes on "
              "(-o Key=Value, -J, -i, -p, -l)");
    EXPECT_EQ(ini_error("[g]\nh ansible_port=70000\n"),
              "inv.ini:2: ansible_port: must be a port from 1 to 65535, not '70000'");
    EXPECT_EQ(ini_error("[g]\nh ansible_become=maybe\n"),
              "inv.ini:2: ansible_become: must be true or false, not 'maybe'");
    EXPECT_EQ(ini_error("\n[g:vars]\nx=1\n"),
              "inv.ini:2: section [g:vars] is for a group never declared");
    EXPECT_EQ(ini_error("[p:children]\nmissing\n[p]\n"),
              "inv.ini:2: [p:children] names group 'missing', which is never declared");
    EXPECT_EQ(ini_error("[g:hots]\n"),
              "inv.ini:1: section [g:hots] has unknown type: hots (hosts, children or vars)");
    EXPECT_EQ(ini_error("[g]\nh x\n"), "inv.ini:2: expected key=value after the host, got 'x'");
    EXPECT_EQ(ini_error("[g]\nh x='open\n"),
              "inv.ini:2: cannot read the host line 'h x='open': No closing quotation");
    EXPECT_EQ(ini_error("[g h]\n"),
              "inv.ini:1: invalid section [g h]: no spaces, and a group name without ':' or ']'");
    EXPECT_EQ(ini_error("[a:children]\nb\n[b:children]\na\n"),
              "inv.ini:4: adding group 'a' as a child of 'b' makes a loop");
    EXPECT_EQ(ini_error("[g]\nweb[01:100]\n"),
              "inv.ini:2: host range must specify equal-length begin and end formats");
    EXPECT_EQ(ini_error("[g]\nhost:\n"),
              "inv.ini:2: host 'host:' ends in ':', which is kept for a port");
    EXPECT_EQ(ini_error("[g]\nbad$name\n"),
              "inv.ini:2: host 'bad$name': destination 'bad$name': the host name may hold "
              "letters, digits, '.', '-' and '_' only");
    EXPECT_EQ(ini_error("[g]\nh\xff\n"), "inv.ini:2: the line is not valid UTF-8");
    EXPECT_EQ(ini_error("[g]\nw[0:100001]\n"),
              "inv.ini:2: 'w[0:100001]' makes more than 100000 hosts");
}

TEST(InventoryYaml, GroupsHostsVarsAndMerge) {
    Inventory inv = inventory::parse_yaml_inventory(R"(all:
  vars: {port: &p 2200, v: all}
  hosts:
    solo:
  children:
    web:
      hosts:
        w[1:2]:
          ansible_port: *p
          ansible_user: deploy
      vars: {v: web}
    db:
      hosts: d1
)",
                                                    "inv.yml");
    EXPECT_EQ(names(inv.hosts), (Words{"solo", "w1", "w2", "d1"}));
    const auto* w2 = inventory::find_host(inv, "w2");
    EXPECT_EQ(w2->destination.text(), "deploy@w2:2200");
    EXPECT_EQ(w2->vars.at("v"), "web");
    EXPECT_EQ(inventory::find_host(inv, "solo")->groups, (Words{"all", "ungrouped"}));
    EXPECT_EQ(inventory::find_host(inv, "d1")->groups, (Words{"all", "db"}));
}

TEST(InventoryYaml, ErrorsNamePlace) {
    EXPECT_EQ(yaml_error("all:\n  host:\n    a:\n"),
              "inv.yml:2:3: group 'all' has an unknown key 'host' (did you mean 'hosts'?); a "
              "group holds hosts, children and vars");
    EXPECT_EQ(yaml_error("all:\n  hosts: [a, b]\n"),
              "inv.yml:2:10: 'hosts' of group 'all' must be a mapping");
    EXPECT_EQ(yaml_error("web: [a]\n"),
              "inv.yml:1:6: group 'web' must be a mapping of hosts, children and vars");
    EXPECT_EQ(yaml_error("plugin: aws_ec2\n"),
              "inv.yml:1:1: an inventory plugin's configuration: berth reads static inventories "
              "only (docs/inventory.md)");
    EXPECT_EQ(yaml_error("all:\n  hosts:\n    123:\n"),
              "inv.yml:3:5: a host name '123' is not a string to YAML: put it in quotes");
    EXPECT_EQ(yaml_error("all:\n  hosts:\n    a: b\n"),
              "inv.yml:3:8: host 'a' must have a mapping of variables, or nothing");
    EXPECT_EQ(yaml_error("g:\n  hosts:\n    a:\n    a:\n"),
              "inv.yml:4:5: 'a' is given twice in this mapping");
    EXPECT_EQ(yaml_error("g:\n  hosts:\n    a:\n      ansible_port: 0\n"),
              "inv.yml:4:7: ansible_port: must be a port from 1 to 65535, not '0'");
    EXPECT_EQ(yaml_error(""), "inv.yml: an empty YAML inventory");
    EXPECT_TRUE(yaml_error("a: [\n").starts_with("inv.yml:2:1: invalid YAML"))
        << yaml_error("a: [\n");
}

TEST(InventoryConfig, BerthYamlHostsAsAnInventory) {
    config::AppConfig app = config::parse_app_config(
        "hosts:\n  web: [web1, 'deploy@web2:2222']\n  db: ['[::1]:2200', web1]\nssh: "
        "[ProxyJump=bastion]\nsudo: yes\n",
        "/srv/berth.yaml");
    EXPECT_EQ(app.hosts, (Words{"web1", "deploy@web2:2222", "[::1]:2200"}));
    ASSERT_EQ(app.host_groups.size(), 2u);
    Inventory inv = inventory::inventory_from_config(app);
    EXPECT_EQ(names(inv.hosts), (Words{"web1", "deploy@web2:2222", "[::1]:2200"}));
    const auto* web2 = inventory::find_host(inv, "deploy@web2:2222");
    EXPECT_EQ(web2->destination.user, "deploy");
    EXPECT_EQ(web2->destination.port, 2222);
    EXPECT_EQ(web2->ssh_options, (Words{"ProxyJump=bastion"}));
    EXPECT_TRUE(web2->become);
    EXPECT_EQ(inventory::find_host(inv, "web1")->groups, (Words{"all", "db", "web"}));
    EXPECT_EQ(inventory::find_host(inv, "[::1]:2200")->destination.host, "::1");
    EXPECT_EQ(names(inventory::select_hosts(inv, "db:!web")), (Words{"[::1]:2200"}));

    config::AppConfig list = config::parse_app_config("hosts: [a, b]\n", "b.yaml");
    Inventory flat = inventory::inventory_from_config(list);
    EXPECT_EQ(inventory::find_host(flat, "b")->groups, (Words{"all", "ungrouped"}));
}
