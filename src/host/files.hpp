#pragma once
// Files a Go program relies on without saying so: the CA bundle crypto/x509 loads, the tzdata
// time.LoadLocation reads, and the resolver's nsswitch.conf, resolv.conf and hosts.
#include "host/host_facts.hpp"
#include "host/host_io.hpp"

#include <string_view>

namespace berth::host {

int count_pem_certificates(std::string_view text);
// The sources of the "hosts:" line of nsswitch.conf ("files dns"), "" when none.
std::string parse_nsswitch_hosts(std::string_view text);
struct ResolvConf {
    std::vector<std::string> nameservers, search, options;
};
ResolvConf parse_resolv_conf(std::string_view text);
// A non-comment line of /etc/hosts names "localhost".
bool hosts_has_localhost(std::string_view text);

// exists/type/size/link of `path` under the root; `entries` for directories.
FileFacts file_facts(const Root& root, const std::string& path);

// SSL_CERT_FILE / SSL_CERT_DIR are passed in (from berth's environment) to keep this testable.
FilesFacts collect_files(const Root& root, const std::optional<std::string>& ssl_cert_file,
                         const std::optional<std::string>& ssl_cert_dir);

} // namespace berth::host
