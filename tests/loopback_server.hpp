#pragma once
// A scripted peer on a loopback port for the health probe's tests: it accepts every connection
// and treats each one the same way (a canned answer, silence, an immediate close, an endless
// body...), and keeps the request heads it received. Plain POSIX sockets and one thread per
// connection, so nothing in it shares code with the client under test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace berth::test {

// A socket address for "127.0.0.1" or "::1" and a port (0: any free one).
struct LoopbackAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    LoopbackAddress(const std::string& address, int port) {
        if (address.find(':') != std::string::npos) {
            auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
            a->sin6_family = AF_INET6;
            a->sin6_port = htons(static_cast<uint16_t>(port));
            if (inet_pton(AF_INET6, address.c_str(), &a->sin6_addr) != 1)
                throw std::runtime_error("bad address " + address);
            length = sizeof(sockaddr_in6);
        } else {
            auto* a = reinterpret_cast<sockaddr_in*>(&storage);
            a->sin_family = AF_INET;
            a->sin_port = htons(static_cast<uint16_t>(port));
            if (inet_pton(AF_INET, address.c_str(), &a->sin_addr) != 1)
                throw std::runtime_error("bad address " + address);
            length = sizeof(sockaddr_in);
        }
    }
    sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

// A bound socket on `address` that does not listen: a connection to its port is refused, and
// no other program can take the port while the test runs.
struct RefusingPort {
    int fd = -1;
    int port = 0;
    explicit RefusingPort(const std::string& address = "127.0.0.1") {
        LoopbackAddress a(address, 0);
        fd = ::socket(a.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ::bind(fd, a.get(), a.length) != 0)
            throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
        port = bound_port(fd);
    }
    ~RefusingPort() { ::close(fd); }
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;

    static int bound_port(int socket_fd) {
        sockaddr_storage s{};
        socklen_t len = sizeof s;
        ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&s), &len);
        return s.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&s)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&s)->sin_port);
    }
};

class LoopbackServer {
  public:
    enum class Mode {
        respond,         // read the request head, send `answer`, close
        respond_at_once, // send `answer` right after accepting, without reading (a TLS client
                         // gets HTTP back)
        silent,          // read the request head, then say nothing until the client leaves
        hold,            // read the request head, send `answer`, then say nothing more until
                         // the client leaves
        close_at_once,   // close the connection as soon as it is accepted
        endless_body,    // send `answer` (a head without a length), then body bytes forever
        trickle,         // send `answer`, then 'a's, one byte every 50 ms forever (a head that
                         // never ends)
    };

    // `delay`: how long respond and hold wait before sending the answer.
    LoopbackServer(Mode mode, std::string answer = {}, const std::string& address = "127.0.0.1",
                   std::chrono::milliseconds delay = {})
        : mode_(mode), answer_(std::move(answer)), delay_(delay) {
        LoopbackAddress a(address, 0);
        listen_fd_ = ::socket(a.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (listen_fd_ < 0 || ::bind(listen_fd_, a.get(), a.length) != 0 ||
            ::listen(listen_fd_, 16) != 0)
            throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
        port_ = RefusingPort::bound_port(listen_fd_);
        stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
        accepter_ = std::thread([this] { accept_loop(); });
    }

    ~LoopbackServer() {
        uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof one);
        accepter_.join();
        for (auto& t : workers_) t.join();
        ::close(listen_fd_);
        ::close(stop_fd_);
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    int port() const { return port_; }
    int connections() const {
        std::lock_guard lock(mutex_);
        return connections_;
    }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    // Waits until `fd` is ready for `events`; false when the server stops first or after
    // `timeout_ms` (-1: no timeout).
    bool wait(int fd, short events, int timeout_ms = -1) {
        pollfd p[2] = {{fd, events, 0}, {stop_fd_, POLLIN, 0}};
        if (::poll(p, 2, timeout_ms) <= 0) return false;
        return !(p[1].revents & POLLIN) && p[0].revents != 0;
    }

    bool send_all(int fd, const char* data, std::size_t size) {
        while (size > 0) {
            if (!wait(fd, POLLOUT)) return false;
            ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
            if (n <= 0) return false;
            data += n;
            size -= static_cast<std::size_t>(n);
        }
        return true;
    }

    // The request head (up to the blank line); what came before EOF when there is none.
    std::string read_head(int fd) {
        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
            if (!wait(fd, POLLIN)) break;
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            head.append(buf, static_cast<std::size_t>(n));
        }
        return head;
    }

    // Until the client closes (or the server stops): closing first with unread data would
    // send a reset that could destroy the answer before the client read it.
    void drain(int fd) {
        char buf[4096];
        while (wait(fd, POLLIN) && ::recv(fd, buf, sizeof buf, 0) > 0) {
        }
    }

    void serve(int fd) {
        if (mode_ == Mode::close_at_once) {
            ::close(fd);
            return;
        }
        if (mode_ != Mode::respond_at_once) {
            std::string head = read_head(fd);
            std::lock_guard lock(mutex_);
            requests_.push_back(head);
        }
        if (delay_.count() > 0 && (mode_ == Mode::respond || mode_ == Mode::hold)) {
            pollfd p{stop_fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(delay_.count())) != 0) {
                ::close(fd);
                return;
            }
        }
        switch (mode_) {
        case Mode::respond:
        case Mode::respond_at_once:
            if (send_all(fd, answer_.data(), answer_.size())) ::shutdown(fd, SHUT_WR);
            drain(fd);
            break;
        case Mode::silent:
            drain(fd);
            break;
        case Mode::hold:
            send_all(fd, answer_.data(), answer_.size());
            drain(fd);
            break;
        case Mode::endless_body: {
            std::string chunk(16384, 'x');
            if (send_all(fd, answer_.data(), answer_.size()))
                while (send_all(fd, chunk.data(), chunk.size())) {
                }
            break;
        }
        case Mode::trickle:
            for (std::size_t i = 0;; ++i) {
                char c = i < answer_.size() ? answer_[i] : 'a';
                if (!send_all(fd, &c, 1)) break;
                pollfd p{stop_fd_, POLLIN, 0};
                if (::poll(&p, 1, 50) != 0) break;
            }
            break;
        case Mode::close_at_once:
            break;
        }
        ::close(fd);
    }

    void accept_loop() {
        while (wait(listen_fd_, POLLIN)) {
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            {
                std::lock_guard lock(mutex_);
                ++connections_;
            }
            workers_.emplace_back([this, fd] { serve(fd); });
        }
    }

    Mode mode_;
    std::string answer_;
    std::chrono::milliseconds delay_;
    int listen_fd_ = -1;
    int stop_fd_ = -1;
    int port_ = 0;
    std::thread accepter_;
    std::vector<std::thread> workers_; // touched by the accepting thread only, until joined
    mutable std::mutex mutex_;
    int connections_ = 0;
    std::vector<std::string> requests_;
};

} // namespace berth::test
