#include "cli/config_flags.hpp"
#include "cli/usage.hpp"

#include <sys/stat.h>

namespace berth::cli {

void add_config_flags(CLI::App* cmd, ConfigFlags& f, unsigned sets) {
    cmd->add_option("--config", f.config,
                    "berth.yaml describing the app (default: ./berth.yaml when it exists; "
                    "docs/config.md lists its keys)")
        ->type_name("FILE");
    if (sets & kPlaceFlags) {
        cmd->add_option("--name", f.name, "App name (default: the binary's file name)")
            ->type_name("NAME");
        cmd->add_option("--user", f.user, "Service user (default: none, DynamicUser=yes)")
            ->type_name("USER");
        cmd->add_option("--install-dir", f.install_dir, "Install directory (default /opt/NAME)")
            ->type_name("DIR");
        cmd->add_option("--config-dir", f.config_dir, "Config directory (default /etc/NAME)")
            ->type_name("DIR");
        cmd->add_option("--log-dir", f.log_dir, "Log directory (default /var/log/NAME)")
            ->type_name("DIR");
        cmd->add_option("--listen", f.listen,
                        "Listen address: PORT, :PORT, HOST:PORT or [IPV6]:PORT")
            ->type_name("ADDR");
    }
    if (sets & kUnitFlags) {
        cmd->add_option("--description", f.description, "The unit's Description=")
            ->type_name("TEXT");
        cmd->add_option("--exec", f.exec, "Program path (default INSTALL_DIR/current/bin/NAME)")
            ->type_name("PATH");
        cmd->add_option("--arg", f.args, "Argument for the program (repeatable)")
            ->type_name("WORD");
        cmd->add_option("--working-directory", f.working_directory, "WorkingDirectory=")
            ->type_name("DIR");
        cmd->add_option("--port", f.port,
                        "Listen port, 1-65535 (below 1024 adds CAP_NET_BIND_SERVICE)")
            ->check(in_range(1, 65535))
            ->type_name("PORT");
        cmd->add_option(
               "--shutdown-timeout", f.shutdown_timeout,
               "The app's graceful-shutdown window in seconds, 1-3600 (TimeoutStopSec= adds 5)")
            ->check(in_range(1, 3600))
            ->type_name("SECONDS");
        cmd->add_option(
               "--systemd-version", f.systemd_version,
               "Target's systemd version, 200-999: directives it lacks are left out (default 252)")
            ->check(in_range(200, 999))
            ->type_name("N");
    }
}

config::AppConfig load_config(const ConfigFlags& f) {
    config::AppConfig c;
    struct stat st {};
    if (!f.config.empty())
        c = config::load_app_config(f.config);
    else if (::stat("berth.yaml", &st) == 0)
        c = config::load_app_config("berth.yaml");
    auto set = [](std::string& to, const std::string& from, auto check, const char* flag) {
        if (!from.empty()) to = check(from, flag);
    };
    auto any = [](const std::string& v, const std::string&) { return v; };
    set(c.name, f.name, config::checked_name, "--name");
    set(c.description, f.description, any, "--description");
    set(c.user, f.user, config::checked_user, "--user");
    set(c.install_dir, f.install_dir, config::checked_path, "--install-dir");
    set(c.config_dir, f.config_dir, config::checked_path, "--config-dir");
    set(c.log_dir, f.log_dir, config::checked_path, "--log-dir");
    set(c.exec, f.exec, config::checked_path, "--exec");
    set(c.working_directory, f.working_directory, config::checked_path, "--working-directory");
    if (!f.listen.empty()) {
        config::ListenAddress l = config::checked_listen(f.listen, "--listen");
        c.listen_address = l.address;
        c.listen_port = l.port;
    }
    if (!f.args.empty()) c.args = f.args;
    if (f.port) c.listen_port = f.port;
    if (f.shutdown_timeout) c.shutdown_timeout = f.shutdown_timeout;
    if (f.systemd_version) c.systemd_version = f.systemd_version;
    return c;
}

} // namespace berth::cli
