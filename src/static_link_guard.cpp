// Linked into the static berth only (with -Wl,--wrap=NAME for each function below): libcrypto
// carries code that could resolve host names through NSS (BIO_lookup) and load shared objects
// (providers, engines). A static glibc cannot load NSS modules or shared objects safely, and
// berth needs neither: it reads /etc/passwd, /etc/group and /etc/hosts itself and uses
// OpenSSL's built-in providers. With these in place the real functions are not in the
// executable at all, and a call that reaches one fails at once, the way a missing module would.
#include <cerrno>
#include <netdb.h>
#include <sys/socket.h>

extern "C" {

int __wrap_getaddrinfo(const char*, const char*, const addrinfo*, addrinfo** res) {
    if (res) *res = nullptr;
    return EAI_FAIL;
}

void __wrap_freeaddrinfo(addrinfo*) {} // nothing above ever made a list

int __wrap_getnameinfo(const sockaddr*, socklen_t, char*, socklen_t, char*, socklen_t, int) {
    return EAI_FAIL;
}

hostent* __wrap_gethostbyname(const char*) {
    h_errno = NO_RECOVERY;
    return nullptr;
}

void* __wrap_dlopen(const char*, int) {
    return nullptr;
}

} // extern "C"
