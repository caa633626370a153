/*
 * vsockshim: an LD_PRELOAD library that turns a program's AF_VSOCK sockets into
 * Unix-domain stream sockets connected to the host-sim vsock stand-in
 * (dev.vmwguest.hostsim.VsockStandIn), so an unmodified guest program such as
 * VMware's vmtoolsd speaks vsock to the simulator without any vsock transport.
 * Test code of vmwguest; written from shared/protocol/transports.md.
 *
 * Environment:
 *   VMWGUEST_VSOCK_DIR         the stand-in directory D (required for connect)
 *   VMWGUEST_VSOCK_PRIVILEGED  "1": binding a port below 1024 succeeds (as for a process
 *                              with CAP_NET_BIND_SERVICE); otherwise it fails with EACCES,
 *                              as the kernel does for an unprivileged process
 *   VMWGUEST_VSOCK_CID         the guest CID reported by /dev/vsock (default 3)
 *   VMWGUEST_VSOCK_TRACE       a file to which one line per intercepted call is appended
 *
 * Mapping (transports.md 1.1, 1.2, 4.2):
 *   socket(40, SOCK_STREAM)  -> socket(AF_UNIX, SOCK_STREAM), remembered as vsock
 *   socket(40, SOCK_DGRAM)   -> socket(AF_UNIX, SOCK_DGRAM): only so that open-vm-tools'
 *                               family probe (a datagram socket of family 40) succeeds
 *   bind(sockaddr_vm)        -> nothing bound; the port is remembered. VMADDR_PORT_ANY picks
 *                               an ephemeral port >= 1024
 *   connect(CID 0, port P)   -> connect to D/P.sock, or D/P-privileged.sock when the bound
 *                               source port is below 1024. Any other CID, or no listener,
 *                               gives ECONNRESET (what the VMX does when it refuses)
 *   getsockname/getpeername  -> the vsock addresses, as sockaddr_vm
 *   getsockopt/setsockopt    -> level 40 options accepted and ignored; SO_DOMAIN reads 40
 *   open("/dev/vsock")       -> a /dev/null descriptor whose ioctls answer the family
 *                               (1976) and the local CID (1977 and 0x7b9); the real device
 *                               is never opened
 * The real AF_VSOCK family is never used: tests must not reach this machine's hypervisor
 * (the trap launcher's seccomp filter also refuses it).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#define SHIM_AF_VSOCK 40
#define SHIM_PORT_ANY 0xFFFFFFFFu
#define SHIM_CID_ANY 0xFFFFFFFFu
#define SHIM_CID_HYPERVISOR 0u
#define SHIM_LAST_RESERVED_PORT 1023u
#define SHIM_IOCTL_GET_AF_VALUE 1976ul
#define SHIM_IOCTL_GET_LOCAL_CID_OLD 1977ul
#define SHIM_IOCTL_GET_LOCAL_CID 0x7b9ul
#define SHIM_MAX_FD 65536

/* struct sockaddr_vm: 16 bytes, native byte order (transports.md 1.1). */
struct shim_sockaddr_vm {
    uint16_t family;
    uint16_t reserved1;
    uint32_t port;
    uint32_t cid;
    uint8_t flags;
    uint8_t zero[3];
};

enum shim_kind { SHIM_NONE = 0, SHIM_STREAM, SHIM_DGRAM, SHIM_DEVICE };

struct shim_fd {
    enum shim_kind kind;
    uint32_t local_port; /* 0: not bound yet */
    uint32_t remote_port;
    int connected;
};

/* vsockprobe looks this up to refuse to run without the shim, so it can never reach real vsock. */
__attribute__((visibility("default"))) const int vmwguest_vsockshim_loaded = 1;

static struct shim_fd shim_fds[SHIM_MAX_FD];
static uint32_t shim_next_ephemeral = 49152;

static int (*real_socket)(int, int, int);
static int (*real_bind)(int, const struct sockaddr *, socklen_t);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static int (*real_getsockname)(int, struct sockaddr *, socklen_t *);
static int (*real_getpeername)(int, struct sockaddr *, socklen_t *);
static int (*real_getsockopt)(int, int, int, void *, socklen_t *);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_close)(int);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);

__attribute__((constructor)) static void shim_init(void) {
    real_socket = dlsym(RTLD_NEXT, "socket");
    real_bind = dlsym(RTLD_NEXT, "bind");
    real_connect = dlsym(RTLD_NEXT, "connect");
    real_getsockname = dlsym(RTLD_NEXT, "getsockname");
    real_getpeername = dlsym(RTLD_NEXT, "getpeername");
    real_getsockopt = dlsym(RTLD_NEXT, "getsockopt");
    real_setsockopt = dlsym(RTLD_NEXT, "setsockopt");
    real_close = dlsym(RTLD_NEXT, "close");
    real_ioctl = dlsym(RTLD_NEXT, "ioctl");
    real_open = dlsym(RTLD_NEXT, "open");
    real_open64 = dlsym(RTLD_NEXT, "open64");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_openat64 = dlsym(RTLD_NEXT, "openat64");
}

static void shim_ready(void);
static void shim_trace(const char *format, ...);

/* Proves, in the trace, that the shim was loaded into a program. */
__attribute__((constructor)) static void shim_announce(void) {
    shim_ready();
    shim_trace("shim loaded");
}

/* Another library's constructor may call in before ours has run. */
static void shim_ready(void) {
    if (__builtin_expect(real_close == NULL, 0)) {
        shim_init();
    }
}

static void shim_trace(const char *format, ...) {
    const char *path = getenv("VMWGUEST_VSOCK_TRACE");
    if (path == NULL || *path == '\0' || real_open == NULL) {
        return;
    }
    char line[512];
    int n = snprintf(line, sizeof line, "%d ", (int)getpid());
    va_list args;
    va_start(args, format);
    n += vsnprintf(line + n, sizeof line - (size_t)n, format, args);
    va_end(args);
    if (n >= (int)sizeof line - 1) {
        n = (int)sizeof line - 2;
    }
    line[n++] = '\n';
    int saved = errno;
    /* O_APPEND with one write per line keeps lines of several processes whole. */
    int fd = real_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t ignored = write(fd, line, (size_t)n);
        (void)ignored;
        real_close(fd);
    }
    errno = saved;
}

static struct shim_fd *shim_lookup(int fd) {
    if (fd < 0 || fd >= SHIM_MAX_FD || shim_fds[fd].kind == SHIM_NONE) {
        return NULL;
    }
    return &shim_fds[fd];
}

static int shim_fail(int error) {
    errno = error;
    return -1;
}

static int shim_privileged_allowed(void) {
    const char *value = getenv("VMWGUEST_VSOCK_PRIVILEGED");
    return value != NULL && strcmp(value, "1") == 0;
}

static uint32_t shim_ephemeral_port(void) {
    return __atomic_fetch_add(&shim_next_ephemeral, 1, __ATOMIC_RELAXED);
}

int socket(int domain, int type, int protocol) {
    shim_ready();
    if (domain != SHIM_AF_VSOCK) {
        return real_socket(domain, type, protocol);
    }
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (base != SOCK_STREAM && base != SOCK_DGRAM) {
        shim_trace("socket(AF_VSOCK, %d) -> EINVAL", type);
        return shim_fail(EINVAL);
    }
    int fd = real_socket(AF_UNIX, base | flags, 0);
    if (fd >= 0 && fd < SHIM_MAX_FD) {
        shim_fds[fd] = (struct shim_fd){base == SOCK_STREAM ? SHIM_STREAM : SHIM_DGRAM, 0, 0, 0};
    }
    shim_trace("socket(AF_VSOCK, %s) -> %d", base == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM", fd);
    return fd;
}

static int shim_vm_address(const struct sockaddr *addr, socklen_t length, struct shim_sockaddr_vm *out) {
    /* The kernel refuses any other length (transports.md 1.1). */
    if (addr == NULL || length != sizeof *out) {
        return EINVAL;
    }
    memcpy(out, addr, sizeof *out);
    return out->family == SHIM_AF_VSOCK ? 0 : EAFNOSUPPORT;
}

int bind(int fd, const struct sockaddr *addr, socklen_t length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s == NULL || s->kind == SHIM_DEVICE) {
        return real_bind(fd, addr, length);
    }
    struct shim_sockaddr_vm vm;
    int error = shim_vm_address(addr, length, &vm);
    if (error != 0) {
        shim_trace("bind(%d) -> errno %d (bad sockaddr_vm)", fd, error);
        return shim_fail(error);
    }
    if (s->local_port != 0) {
        return shim_fail(EINVAL);
    }
    uint32_t port = vm.port == SHIM_PORT_ANY ? shim_ephemeral_port() : vm.port;
    if (port <= SHIM_LAST_RESERVED_PORT && !shim_privileged_allowed()) {
        shim_trace("bind(%d, cid %u, port %u) -> EACCES", fd, vm.cid, port);
        return shim_fail(EACCES);
    }
    s->local_port = port;
    shim_trace("bind(%d, cid %u, port %u) -> 0", fd, vm.cid, port);
    return 0;
}

int connect(int fd, const struct sockaddr *addr, socklen_t length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s == NULL || s->kind == SHIM_DEVICE) {
        return real_connect(fd, addr, length);
    }
    struct shim_sockaddr_vm vm;
    int error = shim_vm_address(addr, length, &vm);
    if (error != 0) {
        shim_trace("connect(%d) -> errno %d (bad sockaddr_vm)", fd, error);
        return shim_fail(error);
    }
    if (s->kind != SHIM_STREAM) {
        return shim_fail(EOPNOTSUPP);
    }
    if (s->local_port == 0) {
        s->local_port = shim_ephemeral_port(); /* the kernel auto-binds above 1023 */
    }
    const char *dir = getenv("VMWGUEST_VSOCK_DIR");
    int privileged = s->local_port <= SHIM_LAST_RESERVED_PORT;
    struct sockaddr_un target = {.sun_family = AF_UNIX};
    int n = dir == NULL ? -1
            : snprintf(target.sun_path, sizeof target.sun_path, "%s/%u%s.sock", dir, vm.port,
                       privileged ? "-privileged" : "");
    if (vm.cid != SHIM_CID_HYPERVISOR || n < 0 || n >= (int)sizeof target.sun_path) {
        shim_trace("connect(%d, cid %u, port %u) -> ECONNRESET (not the stand-in)", fd, vm.cid, vm.port);
        return shim_fail(ECONNRESET);
    }
    int result = real_connect(fd, (struct sockaddr *)&target, sizeof target);
    error = errno;
    if (result != 0 && (error == ENOENT || error == ECONNREFUSED)) {
        error = ECONNRESET; /* nobody listening: the VMX resets (transports.md 1.7) */
    }
    if (result == 0) {
        s->remote_port = vm.port;
        s->connected = 1;
    }
    shim_trace("connect(%d, cid %u, port %u, source port %u) -> %s %s", fd, vm.cid, vm.port, s->local_port,
               result == 0 ? "0" : strerror(error), target.sun_path);
    errno = error;
    return result;
}

static int shim_put_address(struct sockaddr *addr, socklen_t *length, uint32_t cid, uint32_t port) {
    if (addr == NULL || length == NULL) {
        return shim_fail(EFAULT);
    }
    struct shim_sockaddr_vm vm = {.family = SHIM_AF_VSOCK, .port = port, .cid = cid};
    size_t copy = *length < sizeof vm ? *length : sizeof vm;
    memcpy(addr, &vm, copy);
    *length = sizeof vm;
    return 0;
}

static uint32_t shim_local_cid(void) {
    const char *value = getenv("VMWGUEST_VSOCK_CID");
    return value != NULL && *value != '\0' ? (uint32_t)strtoul(value, NULL, 0) : 3u;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s == NULL || s->kind == SHIM_DEVICE) {
        return real_getsockname(fd, addr, length);
    }
    return shim_put_address(addr, length, shim_local_cid(), s->local_port == 0 ? SHIM_PORT_ANY : s->local_port);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s == NULL || s->kind == SHIM_DEVICE) {
        return real_getpeername(fd, addr, length);
    }
    if (!s->connected) {
        return shim_fail(ENOTCONN);
    }
    return shim_put_address(addr, length, SHIM_CID_HYPERVISOR, s->remote_port);
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s != NULL && s->kind != SHIM_DEVICE && value != NULL && length != NULL) {
        if (level == SHIM_AF_VSOCK || (level == SOL_SOCKET && name == SO_DOMAIN)) {
            uint64_t answer = level == SOL_SOCKET ? SHIM_AF_VSOCK : 0;
            size_t copy = *length < sizeof answer ? *length : sizeof answer;
            memcpy(value, &answer, copy);
            shim_trace("getsockopt(%d, %d, %d) -> emulated", fd, level, name);
            return 0;
        }
    }
    return real_getsockopt(fd, level, name, value, length);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t length) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s != NULL && s->kind != SHIM_DEVICE && level == SHIM_AF_VSOCK) {
        shim_trace("setsockopt(%d, AF_VSOCK level, %d) -> ignored", fd, name);
        return 0;
    }
    return real_setsockopt(fd, level, name, value, length);
}

int close(int fd) {
    shim_ready();
    struct shim_fd *s = shim_lookup(fd);
    if (s != NULL) {
        shim_trace("close(%d)", fd);
        memset(s, 0, sizeof *s);
    }
    return real_close(fd);
}

int ioctl(int fd, unsigned long request, ...) {
    shim_ready();
    va_list args;
    va_start(args, request);
    void *argument = va_arg(args, void *);
    va_end(args);
    struct shim_fd *s = shim_lookup(fd);
    if (s == NULL || s->kind != SHIM_DEVICE) {
        return real_ioctl(fd, request, argument);
    }
    if (argument == NULL) {
        return shim_fail(EFAULT);
    }
    if (request == SHIM_IOCTL_GET_AF_VALUE) {
        *(int *)argument = SHIM_AF_VSOCK;
    } else if (request == SHIM_IOCTL_GET_LOCAL_CID || request == SHIM_IOCTL_GET_LOCAL_CID_OLD) {
        *(uint32_t *)argument = shim_local_cid();
    } else {
        shim_trace("ioctl(/dev/vsock, %#lx) -> ENOTTY", request);
        return shim_fail(ENOTTY);
    }
    shim_trace("ioctl(/dev/vsock, %#lx) -> emulated", request);
    return 0;
}

static int shim_is_vsock_device(const char *path) {
    return path != NULL && strcmp(path, "/dev/vsock") == 0;
}

static int shim_open_device(const char *path, int flags) {
    int fd = real_open("/dev/null", (flags & O_CLOEXEC) | O_RDONLY);
    if (fd >= 0 && fd < SHIM_MAX_FD) {
        shim_fds[fd] = (struct shim_fd){SHIM_DEVICE, 0, 0, 0};
    }
    shim_trace("open(%s) -> %d (emulated device)", path, fd);
    return fd;
}

/* open's mode argument exists only with O_CREAT or O_TMPFILE. */
#define SHIM_MODE(flags, last) \
    mode_t mode = 0; \
    if ((flags) & (O_CREAT | __O_TMPFILE)) { \
        va_list args; \
        va_start(args, last); \
        mode = (mode_t)va_arg(args, int); \
        va_end(args); \
    }

int open(const char *path, int flags, ...) {
    shim_ready();
    SHIM_MODE(flags, flags);
    return shim_is_vsock_device(path) ? shim_open_device(path, flags) : real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    shim_ready();
    SHIM_MODE(flags, flags);
    return shim_is_vsock_device(path) ? shim_open_device(path, flags) : real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    shim_ready();
    SHIM_MODE(flags, flags);
    return shim_is_vsock_device(path) ? shim_open_device(path, flags) : real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    shim_ready();
    SHIM_MODE(flags, flags);
    return shim_is_vsock_device(path) ? shim_open_device(path, flags) : real_openat64(dirfd, path, flags, mode);
}
