// The pieces of Ansible's inventory readers berth transcribes, value by value against Ansible's
// own code (apt's ansible-core, run with the /usr/bin/python3 it runs on): shlex.split of INI host
// lines, the INI plugin's _parse_value (literal_eval), YAML 1.1 scalars through AnsibleLoader,
// host entries and ranges (_expand_hostpattern), parse_address, split_host_pattern.
#include "inventory/host_range.hpp"
#include "inventory/ini_value.hpp"
#include "inventory/pattern.hpp"
#include "inventory/shlex.hpp"
#include "inventory/yaml_json.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace berth::inventory;

namespace {

// Reads {"kind": [inputs]} on stdin, answers {"kind": [results]}: a result or {"error": why}.
const char* kReference = R"PY(
import json, shlex, sys
from ansible.plugins.inventory import BaseInventoryPlugin
from ansible.plugins.inventory.ini import InventoryModule
from ansible.parsing.yaml.loader import AnsibleLoader
from ansible.parsing.utils.addresses import parse_address
from ansible.inventory.manager import split_host_pattern

ini = InventoryModule()

def each(f, items):
    out = []
    for x in items:
        try:
            out.append(f(x))
        except Exception as e:
            out.append({"error": type(e).__name__})
    return out

def ini_value(v):
    value = InventoryModule._parse_value(v)
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8") # no lone surrogates
        return {"json": json.dumps(value)}
    except Exception:
        return {"unsupported": repr(value)}

def yaml_value(v):
    return {"json": json.dumps(AnsibleLoader("v: " + v).get_single_data()["v"], default=str)}

def host_entry(v):
    names, port = BaseInventoryPlugin._expand_hostpattern(ini, v)
    return {"names": names, "port": port}

def address(v):
    try:
        host, port = parse_address(v, allow_ranges=True)
        return {"host": host, "port": port}
    except Exception:
        return None

q = json.load(sys.stdin)
json.dump({
    "shlex": each(lambda s: shlex.split(s, comments=True), q["shlex"]),
    "ini": each(ini_value, q["ini"]),
    "yaml": each(yaml_value, q["yaml"]),
    "entries": each(host_entry, q["entries"]),
    "addresses": each(address, q["addresses"]),
    "patterns": each(split_host_pattern, q["patterns"]),
}, sys.stdout)
)PY";

const std::vector<std::string> kShlex = {
    "web1 a=1 b=2",  "h x='two words' y=\"say \\\"hi\\\"\" z=a\\ b",
    "h x=1#comment", "h x=\"1#not\" #comment",
    "h x='' y=\"\"", "h x=\"a\\qb\" y='a\\qb' z=a\\qb",
    "h   \t x=1   ", "h x='unclosed",
    "h x=\\",        "h x=\"\\\\\"",
};

const std::vector<std::string> kIni = {
    "2222",
    "-7",
    "+3",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1__0",
    "07",
    "00",
    "1.5",
    "1.",
    ".5",
    "1e3",
    "1E-2",
    "1.5e+2",
    "1j",
    "1+2",
    "--5",
    "True",
    "False",
    "None",
    "true",
    "yes",
    "'03'",
    "\"a b\"",
    "'a' \"b\"",
    "'a\\tb'",
    "r'a\\nb'",
    "u'x'",
    "b'x'",
    "f'x'",
    "'caf\\u00e9'",
    "'\\x41\\101'",
    "'\\N{DASH}'",
    "'a\\qb'",
    "[1, 'x']",
    "[1, 2,]",
    "(1, 2)",
    "(1)",
    "()",
    "1,2",
    "1,",
    "{'a': 1}",
    "{1: 2, None: 3, True: 4}",
    "{1, 2}",
    "{}",
    "[1, [2, [3]]]",
    "hello world",
    "",
    "a=b",
    "/srv/app",
    "\"a b\" # c",
    "hello # c",
    "[1, 2",
    "123456789012345678901234567890",
    "-9223372036854775808",
    "18446744073709551615",
    "1e400",
    "0.1",
    "3.141592653589793",
    "'''triple'''",
    "\"\"\"x\"\"\"",
    "'\\''",
    "{'a': [True, None]}",
    "b'x' b'y'",
    "b'\\x41\\u0041'",
    "br'a\\n'",
    "{True: 1, 1: 2}",
    "b'x' 'y'",
    "b'\\xff'",
};

const std::vector<std::string> kYaml = {
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "true",
    "~",
    "null",
    "",
    "0777",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "-42",
    "+42",
    "09",
    "1:30",
    "-1:30:15",
    "1.50",
    "1.",
    ".5",
    "1.0e+3",
    "1e3",
    "1:30.5",
    "2001-12-14",
    "10.0.0.1",
    "'yes'",
    "\"0777\"",
    "[1, two]",
    "{a: 1, b: [yes, no]}",
    "hello world",
    "12:00",
    "0",
    "-0",
    "1.5e-3",
    "0.000001",
    "100000000000000000000",
    "3.0",
    "1_0.5",
};

const std::vector<std::string> kEntries = {
    "web[01:05].example.com",
    "db-[a:f]",
    "node[1:10:3]",
    "r[1:2]-[a:b]",
    "x[:2]",
    "x[5:1]",
    "w[1:2]:2200",
    "host:22",
    "[::1]:2222",
    "2001:db8::1",
    "10.0.0.[1:3]",
    "w[A:C]",
    "w[a:C]",
    "w[abc:e]",
    "w[01:10:2]",
    "w]1:2[",
    "w[1:2",
    "w[1:]",
    "w[c:a]",
    "w[01:100]",
    "w[1:2:0]",
    "w[1:2:x]",
    "w[ 1:3]",
    "w[-2:1]",
    "w[a:c:2]",
    "plain",
    "a:b",
    "w[1:2][3:4]",
    "w[1:3]x[a:b]y",
    "w[1:2:-1]",
};

const std::vector<std::string> kAddresses = {
    "web1.example.com",
    "web1.example.com:2222",
    "[2001:db8::1]:22",
    "2001:db8::1",
    "::1",
    "10.0.0.1",
    "10.0.0.1:22",
    "256.1.1.1",
    "a..b",
    "web-",
    "web_",
    "-web",
    "_web",
    "a:b",
    "w[1:3].x",
    "w[a:c]",
    "w[1:3]:22",
    "[w[1:2]]:22",
    "h:",
    "caf\xc3\xa9",
    "10.0.[1:3].1",
    "fe80::[1:3]",
    "",
    "x[0]",
    "a b",
};

const std::vector<std::string> kPatterns = {
    "web",
    "web:db",
    "web,db",
    "web:!db",
    "web:&db",
    "a, b ,c",
    "host:22",
    "[::1]:22",
    "web[1:3]",
    "web[0]",
    "~(web|db)",
    "~web:db",
    "a:b:c",
    "web*:!web1",
    "x[1:2]:!y",
    "a b",
    ",,",
    "::",
    "web1.example.com:2222",
    "10.0.0.1",
    "[a:b]",
    "w[1",
};

nlohmann::json reference() {
    nlohmann::json q = {{"shlex", kShlex},         {"ini", kIni},
                        {"yaml", kYaml},           {"entries", kEntries},
                        {"addresses", kAddresses}, {"patterns", kPatterns}};
    auto r = berth::test::run({"/usr/bin/python3", "-c", kReference}, q.dump());
    EXPECT_EQ(r.status, 0) << r.err;
    return r.status == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

// A JSON value as berth's Host::vars holds it.
std::string text(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

bool is_error(const nlohmann::json& r) {
    return r.is_object() && r.contains("error");
}

} // namespace

TEST(InventoryPython, PiecesAgreeWithAnsiblesOwnCode) {
    const nlohmann::json ref = reference();
    ASSERT_TRUE(ref.contains("shlex"));

    for (std::size_t i = 0; i < kShlex.size(); ++i) {
        SCOPED_TRACE("shlex: " + kShlex[i]);
        const auto& want = ref["shlex"][i];
        try {
            auto got = shlex_split(kShlex[i], true);
            EXPECT_EQ(nlohmann::json(got), want);
        } catch (const berth::InputError& e) {
            EXPECT_TRUE(is_error(want)) << e.what() << " vs " << want;
        }
    }

    for (std::size_t i = 0; i < kIni.size(); ++i) {
        SCOPED_TRACE("ini value: " + kIni[i]);
        const auto& want = ref["ini"][i];
        std::string got = text(ini_value(kIni[i]));
        if (want.contains("json")) {
            // Python's json.dumps writes inf as Infinity, which no JSON reader takes.
            std::string j = want["json"];
            if (j.find("Infinity") != std::string::npos) continue;
            EXPECT_EQ(got, text(nlohmann::json::parse(j)));
        } else {
            EXPECT_EQ(got, kIni[i]) << "berth reads what Ansible keeps as " << want; // kept as text
        }
    }

    for (std::size_t i = 0; i < kYaml.size(); ++i) {
        SCOPED_TRACE("yaml value: " + kYaml[i]);
        YAML::Node doc = YAML::Load("v: " + kYaml[i]);
        std::size_t budget = 1000;
        std::string got = text(yaml_json(doc["v"], "t.yml", budget));
        EXPECT_EQ(got, text(nlohmann::json::parse(ref["yaml"][i]["json"].get<std::string>())));
    }

    for (std::size_t i = 0; i < kEntries.size(); ++i) {
        SCOPED_TRACE("host entry: " + kEntries[i]);
        const auto& want = ref["entries"][i];
        try {
            HostEntry e = expand_host_entry(kEntries[i], 1000);
            ASSERT_FALSE(is_error(want)) << nlohmann::json(e.names);
            EXPECT_EQ(nlohmann::json(e.names), want["names"]);
            EXPECT_EQ(e.port ? nlohmann::json(*e.port) : nlohmann::json(nullptr), want["port"]);
        } catch (const berth::InputError& err) {
            EXPECT_TRUE(is_error(want)) << err.what() << " vs " << want;
        }
    }

    for (std::size_t i = 0; i < kAddresses.size(); ++i) {
        SCOPED_TRACE("address: " + kAddresses[i]);
        const auto& want = ref["addresses"][i];
        auto got = parse_address(kAddresses[i], true);
        ASSERT_EQ(got.has_value(), !want.is_null()) << want;
        if (!got) continue;
        EXPECT_EQ(got->host, want["host"]);
        EXPECT_EQ(got->port ? nlohmann::json(*got->port) : nlohmann::json(nullptr), want["port"]);
    }

    for (std::size_t i = 0; i < kPatterns.size(); ++i) {
        SCOPED_TRACE("pattern: " + kPatterns[i]);
        EXPECT_EQ(nlohmann::json(split_pattern(kPatterns[i])), ref["patterns"][i]);
    }
}
