// This machine: the argv runs directly as a child of berth, no shell between.
#include "remote/child.hpp"

namespace berth::remote {

namespace {

class LocalTransport final : public Transport {
  public:
    std::string where() const override { return "this machine"; }

    RunResult run(const std::vector<std::string>& argv, std::string_view input,
                  std::chrono::milliseconds timeout) override {
        return run_child(argv, argv, input, timeout, {where(), {}});
    }

    std::unique_ptr<Session> start(const std::vector<std::string>& argv) override {
        return start_child(argv, argv, {where(), {}});
    }
};

} // namespace

std::unique_ptr<Transport> local_transport() {
    return std::make_unique<LocalTransport>();
}

} // namespace berth::remote
