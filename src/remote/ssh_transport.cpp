// A host reached with the system OpenSSH client: one multiplexed connection per host
// (ControlMaster), every command a channel on it.
#include "remote/child.hpp"
#include "remote/ssh_command.hpp"

namespace berth::remote {

namespace {

class SshTransport final : public Transport {
  public:
    SshTransport(Destination destination, SshOptions options)
        : destination_(std::move(destination)), options_(std::move(options)),
          control_dir_(private_control_dir(options_.control_dir)) {
        // Checks the user's options now (InputError), not at the first command.
        ssh_argv(destination_, options_, control_dir_, {"true"});
    }

    std::string where() const override { return destination_.text(); }

    RunResult run(const std::vector<std::string>& argv, std::string_view input,
                  std::chrono::milliseconds timeout) override {
        return run_child(ssh_argv(destination_, options_, control_dir_, argv), argv, input, timeout,
                         target());
    }

    std::unique_ptr<Session> start(const std::vector<std::string>& argv) override {
        return start_child(ssh_argv(destination_, options_, control_dir_, argv), argv, target());
    }

  private:
    ChildTarget target() const {
        return {where(), [d = destination_, o = options_](const RunResult& r) {
                    if (auto message = ssh_failure(d, o, r)) throw TransportError(*message);
                }};
    }

    Destination destination_;
    SshOptions options_;
    std::string control_dir_;
};

} // namespace

std::unique_ptr<Transport> ssh_transport(const Destination& destination,
                                         const SshOptions& options) {
    return std::make_unique<SshTransport>(destination, options);
}

} // namespace berth::remote
