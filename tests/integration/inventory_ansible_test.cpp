// `berth hosts` against Ansible itself on real-world-shaped inventories (INI, YAML, JSON): the same
// hosts in the same order (`ansible all --list-hosts`), the same groups and variables after
// precedence (`ansible-inventory --list`), the same address, user and port as the connection
// variables say, and the same hosts for every --limit pattern (`ansible all --limit P
// --list-hosts`). ansible-core is apt's (scripts/setup); it runs locally, without a network.
#include "test_support.hpp"

#include <algorithm>
#include <future>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

using berth::test::run;

namespace {

struct Case {
    std::string file; // name with its extension: the format
    std::string text;
    std::vector<std::string> patterns;
};

// An empty ansible.cfg: no settings from this machine's or the user's.
std::string empty_ansible_cfg() {
    static const std::string path = [] {
        std::string p = "/tmp/berth-inventory-test-" + std::to_string(::getpid()) + ".cfg";
        berth::test::write_file(p, "");
        return p;
    }();
    return path;
}

berth::test::CommandResult ansible(std::vector<std::string> argv) {
    std::vector<std::string> env = {"env", "ANSIBLE_CONFIG=" + empty_ansible_cfg(),
                                    "ANSIBLE_NOCOLOR=1", "ANSIBLE_HOME=/tmp/berth-ansible-home"};
    argv.insert(argv.begin(), env.begin(), env.end());
    return run(argv);
}

// "  hosts (3):\n    a\n    b\n" -> {a, b}
std::vector<std::string> listed_hosts(const std::string& out) {
    std::vector<std::string> hosts;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with("    ")) hosts.push_back(line.substr(4));
    return hosts;
}

// A value as berth's Host::vars holds it.
std::string text(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// Every host of a group in `ansible-inventory --list`, its children's included.
std::set<std::string> members(const nlohmann::json& list, const std::string& group, int depth = 0) {
    std::set<std::string> out;
    if (!list.contains(group) || depth > 50) return out;
    for (const auto& h : list[group].value("hosts", nlohmann::json::array()))
        out.insert(h.get<std::string>());
    for (const auto& c : list[group].value("children", nlohmann::json::array()))
        out.merge(members(list, c.get<std::string>(), depth + 1));
    return out;
}

nlohmann::json berth_hosts(const std::string& path, const std::string& limit,
                           berth::test::CommandResult& r) {
    std::vector<std::string> argv = {berth::test::berth_exe(), "hosts", "-i", path, "--json"};
    if (!limit.empty()) argv.insert(argv.end(), {"--limit", limit});
    r = run(argv);
    if (r.status != 0) return nullptr;
    return nlohmann::json::parse(r.out);
}

void compare_inventory(const std::string& path) {
    SCOPED_TRACE(path);
    berth::test::CommandResult br;
    nlohmann::json ours = berth_hosts(path, "", br);
    ASSERT_EQ(br.status, 0) << br.err;
    auto listed = ansible({"ansible-inventory", "-i", path, "--list"});
    ASSERT_EQ(listed.status, 0) << listed.err;
    nlohmann::json theirs = nlohmann::json::parse(listed.out);
    auto order = ansible({"ansible", "all", "-i", path, "--list-hosts"});
    ASSERT_EQ(order.status, 0) << order.err;

    // The hosts, in Ansible's order.
    std::vector<std::string> names;
    for (const auto& h : ours["hosts"]) names.push_back(h["name"]);
    EXPECT_EQ(names, listed_hosts(order.out));

    const nlohmann::json hostvars = theirs["_meta"]["hostvars"];
    for (const auto& h : ours["hosts"]) {
        const std::string name = h["name"];
        SCOPED_TRACE(name);
        // Variables after precedence.
        std::map<std::string, std::string> want, got;
        if (hostvars.contains(name))
            for (const auto& [k, v] : hostvars[name].items()) want[k] = text(v);
        for (const auto& [k, v] : h["vars"].items()) got[k] = v.get<std::string>();
        EXPECT_EQ(got, want);
        // The connection they make.
        std::string address = want.count("ansible_host") ? want["ansible_host"] : name;
        EXPECT_EQ(h["address"], address);
        if (want.count("ansible_port"))
            EXPECT_EQ(h["port"].dump(), want["ansible_port"]);
        else
            EXPECT_TRUE(h["port"].is_null());
        if (want.count("ansible_user"))
            EXPECT_EQ(h["user"], want["ansible_user"]);
        else
            EXPECT_TRUE(h["user"].is_null());
        // Groups, with their children's hosts.
        std::set<std::string> want_groups = {"all"};
        for (const auto& [g, body] : theirs.items())
            if (g != "_meta" && members(theirs, g).count(name)) want_groups.insert(g);
        std::set<std::string> got_groups(h["groups"].begin(), h["groups"].end());
        EXPECT_EQ(got_groups, want_groups);
    }
}

// True when Ansible selected hosts and the lists were compared.
bool compare_limit(const std::string& path, const std::string& pattern) {
    SCOPED_TRACE(path + " --limit " + pattern);
    auto theirs = ansible({"ansible", "all", "-i", path, "--limit", pattern, "--list-hosts"});
    berth::test::CommandResult br;
    nlohmann::json ours = berth_hosts(path, pattern, br);
    bool ansible_warned =
        theirs.err.find("Could not match supplied host pattern") != std::string::npos;
    if (theirs.status != 0 || ansible_warned) {
        // Ansible selects nothing, or ignores a part that matches nothing: berth refuses.
        EXPECT_EQ(br.status, 2) << br.out;
        EXPECT_NE(br.err.find("--limit"), std::string::npos) << br.err;
        return false;
    }
    EXPECT_EQ(br.status, 0) << br.err;
    if (br.status != 0) return false;
    std::vector<std::string> names;
    for (const auto& h : ours["hosts"]) names.push_back(h["name"]);
    EXPECT_EQ(names, listed_hosts(theirs.out));
    return true;
}

const std::vector<std::string> kWebPatterns = {
    "all",
    "*",
    "webservers",
    "web*",
    "web0[1-3]*",
    "~db-[ab]",
    "~(web|db)",
    "prod:!dbservers",
    "prod:&staging",
    "webservers,dbservers",
    "webservers:dbservers",
    "!webservers",
    "&prod",
    "web01.example.com",
    "webservers[0]",
    "webservers[1:3]",
    "webservers[-1]",
    "webservers[2:]",
    "webservers[10:]",
    "ungrouped",
    "*.example.com:!web0[2-4]*",
    "db-?.example.com",
    "nomatch",
    "webservers:nomatch",
    "prod:!nomatch",
    "staging:&nomatch",
};

std::vector<Case> cases() {
    return {
        {"classic.ini", R"(# The INI inventory most projects start with.
mail.example.com
jump.example.com ansible_host=203.0.113.10 ansible_port=2201 ansible_user=ops

[webservers]
web[01:05].example.com
web[10:16:3].example.com http_port=8080

[dbservers]
db-[a:c].example.com ansible_user=postgres
; a comment in INI's other style
db-backup.example.com:2222  # a port with the name

[staging]
web01.example.com
stage[1:2].example.com ansible_host=10.1.0.1

[prod:children]
webservers
dbservers

[prod:vars]
env=prod
ntp_server=ntp.prod.example.com

[staging:vars]
env=staging
ansible_group_priority=10

[webservers:vars]
http_port=80
ansible_user=www

[all:vars]
ansible_user=deploy
ntp_server=ntp.example.com
)",
         kWebPatterns},
        {"nested.ini",
         R"([region:children]
dc1
dc2

[dc1:children]
rack1
rack2

[rack1]
r1-[01:03] rack=1

[rack2]
r2-[01:02] rack=2
r1-02

[dc2]
d2-[a:b].internal ansible_host=192.0.2.7

[rack1:vars]
level=rack1
power=a

[dc1:vars]
level=dc1
cooling=north

[region:vars]
level=region
cooling=none
dns=10.0.0.53

[all:vars]
level=all
)",
         {"region", "dc1", "rack*", "rack1:rack2", "dc1:!rack2", "rack1:&rack2", "r1-0[12]",
          "~r[12]-0", "region[3]", "dc1[1:2]", "all:!dc2", "dc9"}},
        {"values.ini",
         R"(# INI values go through Python's literal_eval
[apps]
app1 int=42 neg=-7 hex=0x1F flt=1.5 exp=1e3 t=True f=False n=None word=hello
app2 s="'quoted'" spaced="two words" lst="[1, 2, 'x']" dct='{"a": 1, "b": [True]}' tup=1,2
app3 octal=07 zero=00 under=1_000 expr=1+2 uni="'caf\u00e9'" esc="'a\\tb'" empty= raw="r'a\\nb'"
app4:2200 ansible_port=2300 ansible_become=yes ansible_ssh_common_args="-o ProxyJump=bastion"

[apps:vars]
quoted = "a b"  # Python drops this comment
plain = hello # but keeps this one
number = 5
list = [1, 2]
yes = yes
path = /srv/app
)",
         {"apps", "app[13]", "app4"}},
        {"site.yml", R"(# The YAML form of the same kind of fleet.
all:
  hosts:
    solo.example.com:
      ansible_port: "2200"
  vars:
    ansible_user: deploy
    plain_yes: yes
    octal: 0777
    sexagesimal: 1:30
    float: 1.50
    hex: 0x1F
    nothing:
    quoted: "yes"
    when: 2001-12-14
    list: [1, two, {three: 3}]
  children:
    prod:
      children:
        webservers:
          hosts:
            web[01:05].example.com:
            web[10:16:3].example.com:
              http_port: 8080
          vars:
            http_port: 80
            ansible_user: www
        dbservers:
          hosts:
            db-[a:c].example.com:
              ansible_user: postgres
            db-backup.example.com:2222:
      vars:
        env: prod
    staging:
      hosts:
        web01.example.com:
        stage[1:2].example.com:
          ansible_host: 10.1.0.1
      vars:
        env: staging
        ansible_group_priority: 10
ungrouped:
  hosts: mail.example.com
)",
         kWebPatterns},
        {"anchors.yaml",
         R"(all:
  vars:
    defaults: &defaults
      ansible_user: app
      ansible_port: 2022
  children:
    app:
      vars:
        tier: front
      hosts:
        app-[a:c]:
          <<: *defaults
          role: app
        app-z:
          <<: *defaults
          ansible_port: 22
    workers:
      hosts:
        worker[1:3]:
      vars: *defaults
)",
         {"app", "app-?", "workers:!worker2", "~app-[ab]"}},
        {"fleet.json",
         R"({"all": {"children": {
  "edge": {"hosts": {"edge-1.example.net": {"ansible_host": "2001:db8::1"},
                     "edge-2.example.net": {"ansible_host": "2001:db8::2", "ansible_port": 2222}},
           "vars": {"region": "eu", "weight": 1.25, "on": true}},
  "core": {"hosts": {"core[1:3].example.net": null}, "vars": {"region": "us"}}}}})",
         {"edge", "core[0]", "*.example.net:!edge-1*"}},
        {"merge.ini",
         R"(h1 x=top
[a]
h1 x=a y=a
h2
[b]
h1 x=b
h2:2200
h3:2300
h3:2400 z=1
[ungrouped]
u1
[empty]
[empty:vars]
e=1
[b:vars]
ansible_group_priority=3
p=b
[a:vars]
p=a
ansible_group_priority=2
)",
         {"a:b", "ungrouped", "empty", "h*:!a", "b[1]"}},
        {"order.yml",
         R"(all:
  hosts:
    z-first:
    b-second:
  children:
    g2:
      hosts:
        c1:
        z-first:
    g1:
      children:
        g3:
          hosts:
            a1:
      hosts:
        b1:
ungrouped:
  hosts:
    u1:
)",
         {"g1", "g1:g2", "*1", "all[0]", "ungrouped", "g3:z-first"}},
        {"ports.ini",
         R"(10.0.0.1:2200
[v6]
[2001:db8::10]:2222
2001:db8::11 ansible_user=root
[names]
host.example.com:2201
bare
)",
         {"v6", "10.0.0.1", "names:!bare"}},
    };
}

} // namespace

TEST(InventoryAnsible, SameHostsGroupsVarsAndOrderAsAnsibleInventory) {
    berth::test::TempDir dir;
    for (const auto& c : cases()) {
        std::string path = dir.path + "/" + c.file;
        berth::test::write_file(path, c.text);
        compare_inventory(path);
    }
}

TEST(InventoryAnsible, SameHostsForEveryLimitPatternAsAnsible) {
    berth::test::TempDir dir;
    // Each pattern is one ansible run (about a second): a few at a time.
    std::vector<std::pair<std::string, std::string>> runs;
    for (const auto& c : cases()) {
        std::string path = dir.path + "/" + c.file;
        berth::test::write_file(path, c.text);
        for (const auto& p : c.patterns) runs.emplace_back(path, p);
    }
    std::size_t compared = 0;
    for (std::size_t i = 0; i < runs.size(); i += 4) {
        std::vector<std::future<bool>> batch;
        for (std::size_t k = i; k < std::min(i + 4, runs.size()); ++k)
            batch.push_back(std::async(std::launch::async, [&, k] {
                return compare_limit(runs[k].first, runs[k].second);
            }));
        for (auto& f : batch) compared += f.get() ? 1 : 0;
    }
    // Most patterns select hosts: Ansible did run.
    EXPECT_GE(compared, runs.size() * 3 / 4) << compared << " of " << runs.size();
}
