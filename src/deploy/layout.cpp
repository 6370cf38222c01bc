#include "deploy/layout.hpp"

namespace berth::deploy {

Layout layout_of(const config::AppConfig& c) {
    Layout l;
    l.name = c.name;
    l.install_dir = c.install_dir;
    l.releases = c.install_dir + "/releases";
    l.current = c.install_dir + "/current";
    l.state = c.install_dir + "/.berth";
    l.lock = l.state + "/lock";
    l.history = l.state + "/history.jsonl";
    l.tmp = l.state + "/tmp";
    l.config_dir = c.config_dir;
    l.env_file = config::environment_path(c);
    l.log_dir = c.log_dir;
    l.unit_name = c.name + ".service";
    l.unit_path = "/etc/systemd/system/" + l.unit_name;
    return l;
}

void to_json(nlohmann::json& j, const Layout& l) {
    j = {{"name", l.name},
         {"install_dir", l.install_dir},
         {"releases", l.releases},
         {"current", l.current},
         {"state", l.state},
         {"lock", l.lock},
         {"history", l.history},
         {"tmp", l.tmp},
         {"config_dir", l.config_dir},
         {"env_file", l.env_file},
         {"log_dir", l.log_dir},
         {"unit_name", l.unit_name},
         {"unit_path", l.unit_path}};
}

void from_json(const nlohmann::json& j, Layout& l) {
    j.at("name").get_to(l.name);
    j.at("install_dir").get_to(l.install_dir);
    j.at("releases").get_to(l.releases);
    j.at("current").get_to(l.current);
    j.at("state").get_to(l.state);
    j.at("lock").get_to(l.lock);
    j.at("history").get_to(l.history);
    j.at("tmp").get_to(l.tmp);
    j.at("config_dir").get_to(l.config_dir);
    j.at("env_file").get_to(l.env_file);
    j.at("log_dir").get_to(l.log_dir);
    j.at("unit_name").get_to(l.unit_name);
    j.at("unit_path").get_to(l.unit_path);
}

} // namespace berth::deploy
