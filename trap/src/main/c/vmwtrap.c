/*
 * vmwtrap: run a program under ptrace and answer its VMware backdoor accesses
 * from a simulated host reached over a Unix socket (see vmwtrap_wire.h).
 *
 * Usage:
 *   vmwtrap [options] -- PROGRAM [ARGS...]
 *     --socket PATH     Unix socket of the simulated host (default: $VMWTRAP_SOCKET)
 *     --no-cpuid        no CPUID handling at all: the program sees the real hypervisor signature
 *     --no-cpuid-faulting  do not use CPUID faulting even where the CPU supports it; CPUID
 *                       breakpoints (--cpuid-site) are then used instead, so one machine can
 *                       exercise both paths
 *     --cpuid-vendor HEX24  testing aid: the 12 signature bytes (24 hex digits, EBX ECX EDX
 *                       order as they sit in memory) that emulated CPUID leaf 0x40000000 reports
 *                       instead of "VMwareVMware"
 *     --no-seccomp      do not block AF_VSOCK sockets in the program
 *     --no-force-env    do not set VMWGUEST_BACKDOOR_FORCE=1 when CPUID faulting is unavailable
 *     --arm-cpuid-anyway  testing aid: run the CPUID-faulting injection after each exec even
 *                       where the probe found no cpuid_fault (the log shows the -ENODEV result)
 *     --log FILE        append a line per trapped access and per event to FILE
 *     --cpuid-site EXE:ADDR[,ADDR...]
 *                       CPUID breakpoints (fallback where CPUID faulting is unavailable):
 *                       whenever EXE (an absolute, resolved path) is exec'd, the `cpuid`
 *                       instructions at these link-time addresses (hex, as objdump prints
 *                       them; the load base is added for PIE executables) are replaced in the
 *                       process's memory (never on disk) by `ud2`, and the resulting SIGILL is
 *                       answered like a faulting CPUID. Repeatable.
 *   vmwtrap --probe     print what this machine supports and exit (0 = ptrace works)
 *
 * How it works (Linux x86-64 only):
 *
 * - The program is forked, stopped, put under ptrace with
 *   TRACECLONE|TRACEFORK|TRACEVFORK|TRACEEXEC|TRACESYSGOOD|EXITKILL and then
 *   exec'd; every thread and child process it creates is traced too.
 * - Outside VMware the backdoor instructions raise #GP, which Linux reports as
 *   SIGSEGV with si_code SI_KERNEL. At each such signal-delivery stop the
 *   instruction at rip is decoded. It is a backdoor access only if it is
 *     `in eax, dx` (ED, optional REX)        with eax == 0x564D5868 and dx == 0x5658,
 *     `rep insb`   (F3 6C, optional 67, REX) with eax == 0x564D5868 and dx == 0x5659,
 *     `rep outsb`  (F3 6E, optional 67, REX) with eax == 0x564D5868 and dx == 0x5659
 *   and the direction flag is clear. Anything else (page faults, a JVM's
 *   safepoint polls and implicit null checks, kill -SEGV, SIGILL from probes
 *   for other hypervisors, ...) is delivered to the program unchanged.
 * - A backdoor access is forwarded to the Java side with the registers (and,
 *   for rep outsb, the bytes at rsi); the reply's registers are written back,
 *   rep insb's bytes are stored at rdi, rip is advanced past the instruction
 *   (prefixes included) and the signal is suppressed.
 * - CPUID faulting (arch_prctl(ARCH_SET_CPUID, 0), CPU feature cpuid_fault):
 *   where available it is enabled in the program after every exec (exec resets
 *   it) by injecting the syscall at the new entry point. A faulting CPUID is
 *   answered with the real CPUID except for the hypervisor leaves:
 *   0x40000000 = max leaf 0x40000010 and "VMwareVMware"; 0x40000010 = all zero
 *   (in particular no VMCALL/VMMCALL backdoor advertised, which cannot be
 *   trapped); other 0x4xxxxxxx leaves = 0. Where it is unavailable the program
 *   sees the real hypervisor signature, and VMWGUEST_BACKDOOR_FORCE=1 is put
 *   into its environment so this project's own stack skips detection.
 * - CPUID breakpoints (--cpuid-site): where the CPU has no cpuid_fault, the
 *   caller (TrapLauncher) finds a program's own `cpuid` instructions with
 *   objdump; each is patched to `ud2` (0F 0B, same length) in the traced
 *   process's memory right after exec, the way a debugger plants breakpoints.
 *   A SIGILL (ILL_ILLOPN) at a patched address is answered as above; any other
 *   SIGILL (a genuine ud2, e.g. a Xen probe) is delivered. Only the listed
 *   executables are patched, not the libraries they load.
 * - By default a seccomp filter makes socket()/socketpair() with AF_VSOCK fail
 *   with EAFNOSUPPORT, so clients that prefer vsock fall back to the backdoor
 *   instead of reaching this machine's real hypervisor. It sets no_new_privs
 *   (set-uid programs lose their privileges; under ptrace they do anyway). Only
 *   the x86-64 and x32 system call ABIs are filtered, not 32-bit i386 programs.
 *
 * Job control is not forwarded: a stopped traced process is resumed.
 */
#define _GNU_SOURCE
#include "vmwtrap_wire.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ARCH_GET_CPUID
#define ARCH_GET_CPUID 0x1011
#endif
#ifndef ARCH_SET_CPUID
#define ARCH_SET_CPUID 0x1012
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

#define BACKDOOR_MAGIC 0x564D5868u
#define PORT_LB 0x5658u
#define PORT_HB 0x5659u
#define EFLAGS_DF 0x400u

static int sock_fd = -1;
static FILE *log_file;
static int cpuid_faulting;   /* enable CPUID faulting in the tracee */
static int arm_anyway;       /* --arm-cpuid-anyway: inject arch_prctl even without cpuid_fault (testing) */
static pid_t main_pid;

/* ---------------------------------------------------------------- logging */

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...) {
    if (!log_file) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file, fmt, ap);
    va_end(ap);
    fputc('\n', log_file);
    fflush(log_file);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
    va_list ap;
    fputs("vmwtrap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(125);
}

/* ---------------------------------------------------------------- socket I/O */

static void write_all(const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(sock_fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            die("lost the simulated host (send: %s)", strerror(errno));
        }
        p += n;
        len -= (size_t)n;
    }
}

static void read_all(void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = recv(sock_fd, p, len, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            die("lost the simulated host (recv: %s)", n == 0 ? "end of stream" : strerror(errno));
        }
        p += n;
        len -= (size_t)n;
    }
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

struct reply {
    uint32_t action;
    uint64_t regs[7];
    uint32_t length;
};

/* Sends one message and reads the reply header; the reply payload is left in the socket. */
static void exchange(uint32_t kind, pid_t tid, uint32_t flags, const uint64_t regs[7], uint64_t rip,
                     uint32_t count, const void *payload, uint32_t length, struct reply *out) {
    unsigned char h[VMWTRAP_REQ_HEADER];
    memset(h, 0, sizeof h);
    put32(h + 0, VMWTRAP_WIRE_MAGIC);
    put32(h + 4, kind);
    put32(h + 8, (uint32_t)tid);
    put32(h + 12, flags);
    for (int i = 0; i < 7; i++) {
        put64(h + 16 + 8 * i, regs ? regs[i] : 0);
    }
    put64(h + 72, rip);
    put32(h + 80, count);
    put32(h + 84, length);
    write_all(h, sizeof h);
    if (length > 0) {
        write_all(payload, length);
    }
    unsigned char r[VMWTRAP_REPLY_HEADER];
    read_all(r, sizeof r);
    if (get32(r) != VMWTRAP_WIRE_MAGIC) {
        die("bad reply magic 0x%08x", get32(r));
    }
    out->action = get32(r + 4);
    for (int i = 0; i < 7; i++) {
        out->regs[i] = get64(r + 8 + 8 * i);
    }
    out->length = get32(r + 64);
}

static void connect_socket(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        die("socket path too long: %s", path);
    }
    strcpy(addr.sun_path, path);
    sock_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock_fd < 0 || connect(sock_fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        die("cannot connect to %s: %s", path, strerror(errno));
    }
}

/* ---------------------------------------------------------------- tracee memory */

static int proc_mem_fd(pid_t pid, int flags) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    return open(path, flags | O_CLOEXEC);
}

/* Reads len bytes at addr; 0 on success, -1 if any byte is unreadable. */
static int mem_read(pid_t pid, uint64_t addr, void *buf, size_t len) {
    if (len == 0) {
        return 0;
    }
    struct iovec local = {buf, len};
    struct iovec remote = {(void *)(uintptr_t)addr, len};
    ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (n == (ssize_t)len) {
        return 0;
    }
    if (n < 0 && errno != ENOSYS && errno != EPERM) {
        return -1;
    }
    int fd = proc_mem_fd(pid, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    n = pread(fd, buf, len, (off_t)addr);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}

/* Writes len bytes at addr honouring page protections where possible. */
static int mem_write(pid_t pid, uint64_t addr, const void *buf, size_t len) {
    if (len == 0) {
        return 0;
    }
    struct iovec local = {(void *)buf, len};
    struct iovec remote = {(void *)(uintptr_t)addr, len};
    ssize_t n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
    if (n == (ssize_t)len) {
        return 0;
    }
    if (n < 0 && errno != ENOSYS && errno != EPERM) {
        return -1; /* EFAULT: unmapped or read-only, as the real instruction would fault */
    }
    int fd = proc_mem_fd(pid, O_WRONLY);
    if (fd < 0) {
        return -1;
    }
    n = pwrite(fd, buf, len, (off_t)addr);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}

/* Reads up to 15 instruction bytes at rip (fewer at the end of a mapping). Returns the count. */
static size_t fetch_insn(pid_t pid, uint64_t rip, unsigned char *buf) {
    size_t got = 0;
    for (int i = 0; i < 2; i++) {
        errno = 0;
        long w = ptrace(PTRACE_PEEKTEXT, pid, (void *)(uintptr_t)(rip + 8 * (unsigned)i), NULL);
        if (errno != 0) {
            break;
        }
        memcpy(buf + 8 * i, &w, 8);
        got += 8;
    }
    return got > 15 ? 15 : got;
}

/* ---------------------------------------------------------------- decoding */

enum insn { INSN_OTHER, INSN_IN, INSN_INSB, INSN_OUTSB, INSN_CPUID };

struct decoded {
    enum insn kind;
    unsigned length;
    int addr32;
};

/*
 * Recognises exactly the instructions we emulate. Accepted prefixes: a REX
 * prefix (no effect on these forms), and for the string forms the mandatory
 * F3 (rep) and an optional 67 (address size). Any other prefix (66, F2,
 * segment overrides, lock, repeated F3/67) makes the instruction "other".
 */
static struct decoded decode(const unsigned char *b, size_t n) {
    struct decoded d = {INSN_OTHER, 0, 0};
    size_t i = 0;
    int rep = 0, a32 = 0;
    while (i < n && (b[i] == 0xF3 || b[i] == 0x67)) {
        if (b[i] == 0xF3) {
            if (rep++) return d;
        } else {
            if (a32++) return d;
        }
        i++;
    }
    if (i < n && (b[i] & 0xF0) == 0x40) {
        i++; /* REX */
    }
    if (i >= n) {
        return d;
    }
    unsigned char op = b[i];
    if (op == 0xED && !rep && !a32) {
        d.kind = INSN_IN;
        d.length = (unsigned)i + 1;
    } else if ((op == 0x6C || op == 0x6E) && rep) {
        d.kind = op == 0x6C ? INSN_INSB : INSN_OUTSB;
        d.length = (unsigned)i + 1;
        d.addr32 = a32;
    } else if (op == 0x0F && i + 1 < n && b[i + 1] == 0xA2 && i == 0) {
        d.kind = INSN_CPUID;
        d.length = 2;
    }
    return d;
}

/* ---------------------------------------------------------------- CPUID */

static int try_arch_prctl(int code, unsigned long arg) {
    return (int)syscall(SYS_arch_prctl, code, arg);
}

/* Does this CPU/kernel support CPUID faulting? Checked on ourselves, then undone. */
static int probe_cpuid_faulting(void) {
    if (try_arch_prctl(ARCH_SET_CPUID, 0) != 0) {
        return 0;
    }
    try_arch_prctl(ARCH_SET_CPUID, 1);
    return 1;
}

/* The signature emulated CPUID reports; --cpuid-vendor replaces it (tests of other signatures). */
static unsigned char cpuid_vendor[12] = {'V', 'M', 'w', 'a', 'r', 'e', 'V', 'M', 'w', 'a', 'r', 'e'};

static void set_cpuid_vendor(const char *hex) {
    if (strlen(hex) != 24) die("--cpuid-vendor wants 24 hex digits, got %s", hex);
    for (int i = 0; i < 12; i++) {
        char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
        char *end;
        unsigned long v = strtoul(pair, &end, 16);
        if (*end != 0) die("--cpuid-vendor: not hex: %s", hex);
        cpuid_vendor[i] = (unsigned char)v;
    }
}

static void emulate_cpuid(struct user_regs_struct *r) {
    uint32_t leaf = (uint32_t)r->rax, sub = (uint32_t)r->rcx;
    uint32_t a = 0, b = 0, c = 0, d = 0;
    if (leaf == 0x40000000u) {
        a = 0x40000010u;
        memcpy(&b, cpuid_vendor, 4);
        memcpy(&c, cpuid_vendor + 4, 4);
        memcpy(&d, cpuid_vendor + 8, 4);
    } else if ((leaf & 0xF0000000u) == 0x40000000u) {
        /* 0x40000010: TSC/APIC frequency unknown (0), ECX bits 0/1 (VMMCALL/VMCALL) clear. */
    } else {
        __cpuid_count(leaf, sub, a, b, c, d);
        if (leaf == 1) {
            c |= 1u << 31; /* hypervisor present */
        }
    }
    r->rax = a;
    r->rbx = b;
    r->rcx = c;
    r->rdx = d;
    r->rip += 2;
}

/*
 * After an exec the new image runs without CPUID faulting. At the exec event
 * stop the thread is still inside execve (whose return value would overwrite
 * rax), so the tracee is resumed to its execve syscall-exit stop first; there
 * it sits at the new entry point with execve's result already in rax. Then a
 * `syscall` is placed at rip, arch_prctl(ARCH_SET_CPUID, 0) is run with one
 * single-step, and code and registers are restored. Returns the syscall's
 * result (0 = armed, -ENODEV = no cpuid_fault), or 1 if it could not be run.
 */
static long arm_cpuid_faulting(pid_t pid) {
    struct user_regs_struct saved, r;
    if (ptrace(PTRACE_GETREGS, pid, NULL, &saved) != 0) {
        return 1;
    }
    /* patch inside one aligned word where possible (an unaligned word could cross into an unmapped page) */
    uint64_t at = saved.rip & ~(uint64_t)7;
    unsigned off = (unsigned)(saved.rip - at);
    if (off > 6) {
        at = saved.rip;
        off = 0;
    }
    errno = 0;
    long word = ptrace(PTRACE_PEEKTEXT, pid, (void *)(uintptr_t)at, NULL);
    if (errno != 0) {
        logf_("cpuid: cannot read entry of %d", (int)pid);
        return 1;
    }
    long patched = word;
    unsigned char *pb = (unsigned char *)&patched;
    pb[off] = 0x0F;
    pb[off + 1] = 0x05; /* syscall */
    if (ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)at, (void *)patched) != 0) {
        logf_("cpuid: cannot patch entry of %d: %s", (int)pid, strerror(errno));
        return 1;
    }
    r = saved;
    r.rax = SYS_arch_prctl;
    r.orig_rax = (unsigned long long)-1;
    r.rdi = ARCH_SET_CPUID;
    r.rsi = 0;
    long result = 1;
    int status = 0;
    if (ptrace(PTRACE_SETREGS, pid, NULL, &r) == 0 && ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) == 0) {
        while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
        }
        struct user_regs_struct after;
        if (WIFSTOPPED(status) && ptrace(PTRACE_GETREGS, pid, NULL, &after) == 0 && after.rip == saved.rip + 2) {
            result = (long)after.rax;
        }
    }
    ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)at, (void *)word);
    ptrace(PTRACE_SETREGS, pid, NULL, &saved);
    logf_("cpuid: arch_prctl(ARCH_SET_CPUID, 0) in %d = %ld (stop status 0x%x)", (int)pid, result, status);
    return result;
}

/* ---------------------------------------------------------------- CPUID breakpoints */

#define MAX_SITE_EXES 16
#define MAX_PATCHED 4096

struct site_exe {
    char path[4096];
    uint64_t *addrs;
    int count;
};

static struct site_exe site_exes[MAX_SITE_EXES];
static int site_exe_count;

struct patched {
    uint64_t addr;
    int exe; /* index into site_exes */
};

static struct patched patched_sites[MAX_PATCHED];
static int patched_count;

static void add_site_arg(const char *arg) {
    const char *colon = strrchr(arg, ':');
    if (!colon || colon == arg || site_exe_count >= MAX_SITE_EXES) {
        die("bad --cpuid-site %s (want EXE:ADDR[,ADDR...])", arg);
    }
    struct site_exe *e = &site_exes[site_exe_count++];
    size_t len = (size_t)(colon - arg);
    if (len >= sizeof e->path) die("path too long in --cpuid-site");
    memcpy(e->path, arg, len);
    e->path[len] = 0;
    int n = 1;
    for (const char *p = colon + 1; *p; p++) {
        if (*p == ',') n++;
    }
    e->addrs = calloc((size_t)n, sizeof(uint64_t));
    if (!e->addrs) die("out of memory");
    const char *p = colon + 1;
    while (*p) {
        char *end;
        e->addrs[e->count++] = strtoull(p, &end, 16);
        if (end == p) die("bad address in --cpuid-site %s", arg);
        p = *end == ',' ? end + 1 : end;
    }
}

static int exe_of(pid_t pid, char *buf, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
    ssize_t n = readlink(link, buf, size - 1);
    if (n < 0) return -1;
    buf[n] = 0;
    return 0;
}

/* ELF e_type of a file: 2 = ET_EXEC, 3 = ET_DYN, -1 = unknown. */
static int elf_type(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    unsigned char h[18];
    ssize_t n = pread(fd, h, sizeof h, 0);
    close(fd);
    if (n != (ssize_t)sizeof h || memcmp(h, "\177ELF", 4) != 0) return -1;
    return h[16] | h[17] << 8;
}

/* Start of the mapping of `path` at file offset 0 in pid, or 0. */
static uint64_t load_base(pid_t pid, const char *path) {
    char maps[64];
    snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(maps, "re");
    if (!f) return 0;
    char line[4096 + 128];
    uint64_t base = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long start, end, offset;
        int name_at = 0;
        if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &start, &end, &offset, &name_at) >= 3 && name_at > 0) {
            char *name = line + name_at;
            name[strcspn(name, "\n")] = 0;
            if (offset == 0 && strcmp(name, path) == 0) {
                base = start;
                break;
            }
        }
    }
    fclose(f);
    return base;
}

static void plant_cpuid_breakpoints(pid_t pid) {
    if (site_exe_count == 0) return;
    char exe[4096];
    if (exe_of(pid, exe, sizeof exe) != 0) return;
    for (int i = 0; i < site_exe_count; i++) {
        struct site_exe *e = &site_exes[i];
        if (strcmp(e->path, exe) != 0) continue;
        int type = elf_type(exe);
        uint64_t base = 0;
        if (type == 3) {
            base = load_base(pid, exe);
            if (base == 0) {
                logf_("cpuid sites: no mapping of %s in %d", exe, (int)pid);
                return;
            }
        } else if (type != 2) {
            logf_("cpuid sites: %s is not an ELF executable", exe);
            return;
        }
        int planted = 0;
        for (int k = 0; k < e->count; k++) {
            uint64_t addr = base + e->addrs[k];
            errno = 0;
            long word = ptrace(PTRACE_PEEKTEXT, pid, (void *)(uintptr_t)addr, NULL);
            unsigned char bytes[8];
            memcpy(bytes, &word, 8);
            if (errno != 0 || bytes[0] != 0x0F || bytes[1] != 0xA2) {
                logf_("cpuid sites: no cpuid at 0x%llx in %d; skipped", (unsigned long long)addr, (int)pid);
                continue;
            }
            bytes[1] = 0x0B; /* 0F A2 cpuid -> 0F 0B ud2 */
            memcpy(&word, bytes, 8);
            if (ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)addr, (void *)word) != 0) {
                logf_("cpuid sites: cannot patch 0x%llx in %d: %s", (unsigned long long)addr, (int)pid, strerror(errno));
                continue;
            }
            if (patched_count < MAX_PATCHED) {
                patched_sites[patched_count].addr = addr;
                patched_sites[patched_count].exe = i;
                patched_count++;
            }
            planted++;
        }
        logf_("cpuid sites: %d breakpoints in %d (%s, base 0x%llx)", planted, (int)pid, exe, (unsigned long long)base);
        return;
    }
}

/* Is the SIGILL at r->rip one of our CPUID breakpoints? */
static int is_cpuid_breakpoint(pid_t pid, uint64_t rip) {
    int candidate = -1;
    for (int i = 0; i < patched_count; i++) {
        if (patched_sites[i].addr == rip) {
            candidate = patched_sites[i].exe;
            break;
        }
    }
    if (candidate < 0) return 0;
    char exe[4096];
    if (exe_of(pid, exe, sizeof exe) != 0 || strcmp(exe, site_exes[candidate].path) != 0) return 0;
    unsigned char code[16];
    size_t n = fetch_insn(pid, rip, code);
    return n >= 2 && code[0] == 0x0F && code[1] == 0x0B;
}

static int on_sigill(pid_t pid, const siginfo_t *si) {
    if (patched_count == 0 || si->si_code != ILL_ILLOPN) {
        return SIGILL;
    }
    struct user_regs_struct r;
    if (ptrace(PTRACE_GETREGS, pid, NULL, &r) != 0 || !is_cpuid_breakpoint(pid, r.rip)) {
        return SIGILL;
    }
    emulate_cpuid(&r);
    if (ptrace(PTRACE_SETREGS, pid, NULL, &r) != 0) {
        return SIGILL;
    }
    return 0;
}

/* ---------------------------------------------------------------- backdoor */

/* Returns 1 if handled (signal to be suppressed), 0 to deliver the signal unchanged. */
static int handle_backdoor(pid_t pid, struct user_regs_struct *r, const struct decoded *d) {
    if ((uint32_t)r->rax != BACKDOOR_MAGIC || (r->eflags & EFLAGS_DF) != 0) {
        return 0;
    }
    uint32_t port = (uint32_t)r->rdx & 0xFFFFu;
    uint32_t kind;
    if (d->kind == INSN_IN) {
        if (port != PORT_LB) return 0;
        kind = VMWTRAP_KIND_LB;
    } else {
        if (port != PORT_HB) return 0;
        kind = d->kind == INSN_OUTSB ? VMWTRAP_KIND_HB_OUT : VMWTRAP_KIND_HB_IN;
    }
    uint64_t regs[7] = {r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp};
    uint64_t count = 0;
    unsigned char *buf = NULL;
    uint32_t length = 0;
    if (kind != VMWTRAP_KIND_LB) {
        count = d->addr32 ? (uint32_t)r->rcx : r->rcx;
        if (count > VMWTRAP_MAX_TRANSFER) {
            logf_("%d: HB transfer of %llu bytes too large; delivering SIGSEGV", (int)pid, (unsigned long long)count);
            return 0;
        }
        buf = malloc(count ? count : 1);
        if (!buf) die("out of memory");
        if (kind == VMWTRAP_KIND_HB_OUT) {
            uint64_t src = d->addr32 ? (uint32_t)r->rsi : r->rsi;
            if (mem_read(pid, src, buf, count) != 0) {
                logf_("%d: rep outsb source unreadable; delivering SIGSEGV", (int)pid);
                free(buf);
                return 0;
            }
            length = (uint32_t)count;
        }
    }
    struct reply rep;
    exchange(kind, pid, d->addr32 ? VMWTRAP_REQ_ADDR32 : 0, regs, r->rip, (uint32_t)count, buf, length, &rep);
    if (rep.length > 0) {
        unsigned char *in = buf;
        unsigned char *tmp = NULL;
        if (kind != VMWTRAP_KIND_HB_IN || rep.length != count) {
            tmp = malloc(rep.length);
            if (!tmp) die("out of memory");
            in = tmp;
        }
        read_all(in, rep.length);
        if (tmp) {
            free(tmp);
            die("reply carried %u payload bytes for a request of kind %u, count %llu", rep.length, kind,
                (unsigned long long)count);
        }
    }
    int handled = 0;
    if (rep.action == VMWTRAP_ACTION_APPLY) {
        if (kind == VMWTRAP_KIND_HB_IN) {
            uint64_t dst = d->addr32 ? (uint32_t)r->rdi : r->rdi;
            if (rep.length != count) {
                die("rep insb reply carried %u bytes, %llu expected", rep.length, (unsigned long long)count);
            }
            if (mem_write(pid, dst, buf, count) != 0) {
                logf_("%d: rep insb destination unwritable; delivering SIGSEGV", (int)pid);
                free(buf);
                return 0;
            }
        }
        r->rax = rep.regs[0];
        r->rbx = rep.regs[1];
        r->rcx = rep.regs[2];
        r->rdx = rep.regs[3];
        r->rsi = rep.regs[4];
        r->rdi = rep.regs[5];
        r->rbp = rep.regs[6];
        r->rip += d->length;
        if (ptrace(PTRACE_SETREGS, pid, NULL, r) != 0) {
            die("PTRACE_SETREGS(%d): %s", (int)pid, strerror(errno));
        }
        handled = 1;
    }
    logf_("%d: %s at 0x%llx ecx=0x%08x count=%llu -> %s", (int)pid,
          kind == VMWTRAP_KIND_LB ? "in" : kind == VMWTRAP_KIND_HB_OUT ? "rep outsb" : "rep insb",
          (unsigned long long)(r->rip - (handled ? d->length : 0)), (uint32_t)regs[2], (unsigned long long)count,
          handled ? "answered" : "delivered");
    free(buf);
    return handled;
}

/* Returns the signal to deliver (0 = suppressed). */
static int on_sigsegv(pid_t pid, const siginfo_t *si) {
    if (si->si_code != SI_KERNEL) {
        return SIGSEGV; /* page faults and signals sent by kill() are not #GP from an instruction */
    }
    struct user_regs_struct r;
    if (ptrace(PTRACE_GETREGS, pid, NULL, &r) != 0) {
        return SIGSEGV;
    }
    unsigned char code[16];
    size_t n = fetch_insn(pid, r.rip, code);
    struct decoded d = decode(code, n);
    switch (d.kind) {
    case INSN_IN:
    case INSN_INSB:
    case INSN_OUTSB:
        return handle_backdoor(pid, &r, &d) ? 0 : SIGSEGV;
    case INSN_CPUID:
        if (!cpuid_faulting) {
            return SIGSEGV;
        }
        emulate_cpuid(&r);
        if (ptrace(PTRACE_SETREGS, pid, NULL, &r) != 0) {
            return SIGSEGV;
        }
        return 0;
    default:
        return SIGSEGV;
    }
}

/* ---------------------------------------------------------------- seccomp */

static int install_vsock_filter(void) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~0x40000000u), /* x32 shares the numbers */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socketpair, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_VSOCK, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EAFNOSUPPORT & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof f / sizeof f[0]), f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return -1;
    }
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* ---------------------------------------------------------------- tracing */

#define MAX_PENDING 64
static pid_t pending_arm[MAX_PENDING];
static int pending_count;

static void add_pending_arm(pid_t pid) {
    if (pending_count < MAX_PENDING) pending_arm[pending_count++] = pid;
}

static int take_pending_arm(pid_t pid) {
    for (int i = 0; i < pending_count; i++) {
        if (pending_arm[i] == pid) {
            pending_arm[i] = pending_arm[--pending_count];
            return 1;
        }
    }
    return 0;
}

#define MAX_KNOWN 4096
static pid_t known[MAX_KNOWN];
static int known_count;

static int is_known(pid_t pid) {
    for (int i = 0; i < known_count; i++) {
        if (known[i] == pid) return 1;
    }
    return 0;
}

static void add_known(pid_t pid) {
    if (is_known(pid)) return;
    if (known_count < MAX_KNOWN) {
        known[known_count++] = pid;
    } else {
        /* forget the oldest half; only affects suppressing a new tracee's first SIGSTOP */
        memmove(known, known + MAX_KNOWN / 2, sizeof(pid_t) * (MAX_KNOWN / 2));
        known_count = MAX_KNOWN / 2;
        known[known_count++] = pid;
    }
}

static void remove_known(pid_t pid) {
    for (int i = 0; i < known_count; i++) {
        if (known[i] == pid) {
            known[i] = known[--known_count];
            return;
        }
    }
}

static int trace(void) {
    int exit_code = 0;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            if (errno == ECHILD) break;
            die("waitpid: %s", strerror(errno));
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (pid == main_pid) {
                exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                logf_("%d: program %s %d", (int)pid, WIFEXITED(status) ? "exited" : "killed by signal",
                      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            }
            remove_known(pid);
            continue;
        }
        if (!WIFSTOPPED(status)) {
            continue;
        }
        int sig = WSTOPSIG(status);
        int event = status >> 16;
        int deliver = 0;
        if (event != 0) {
            if (event == PTRACE_EVENT_EXEC) {
                if (cpuid_faulting || arm_anyway) {
                    /* arm at execve's syscall-exit stop, see arm_cpuid_faulting */
                    add_pending_arm(pid);
                    if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) != 0 && errno != ESRCH) {
                        logf_("%d: PTRACE_SYSCALL: %s", (int)pid, strerror(errno));
                    }
                    continue;
                }
                plant_cpuid_breakpoints(pid);
            } else if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK) {
                unsigned long child = 0;
                ptrace(PTRACE_GETEVENTMSG, pid, NULL, &child);
                logf_("%d: new tracee %lu", (int)pid, child);
            }
        } else if (!is_known(pid)) {
            /* first stop of an auto-attached thread or child: its initial SIGSTOP */
            add_known(pid);
            deliver = sig == SIGSTOP ? 0 : sig;
        } else {
            siginfo_t si;
            if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) != 0) {
                deliver = 0; /* group-stop: resume (job control is not forwarded) */
            } else if (sig == SIGSEGV) {
                deliver = on_sigsegv(pid, &si);
            } else if (sig == SIGILL) {
                deliver = on_sigill(pid, &si);
            } else if (sig == (SIGTRAP | 0x80)) {
                deliver = 0;
                if (take_pending_arm(pid)) {
                    long rc = arm_cpuid_faulting(pid);
                    if (rc != 0 && cpuid_faulting) {
                        fprintf(stderr, "vmwtrap: could not enable CPUID faulting in %d (%ld); "
                                        "it sees the real hypervisor signature\n", (int)pid, rc);
                    }
                    if (!cpuid_faulting) plant_cpuid_breakpoints(pid);
                }
            } else {
                deliver = sig;
            }
        }
        if (ptrace(PTRACE_CONT, pid, NULL, (void *)(uintptr_t)deliver) != 0 && errno != ESRCH) {
            logf_("%d: PTRACE_CONT: %s", (int)pid, strerror(errno));
        }
    }
    return exit_code;
}

/* ---------------------------------------------------------------- main */

static int probe(void) {
    pid_t child = fork();
    if (child == 0) {
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) _exit(1);
        raise(SIGSTOP);
        _exit(0);
    }
    int status = 0, ok = 0;
    if (child > 0 && waitpid(child, &status, 0) == child) {
        ok = WIFSTOPPED(status);
        if (ok) {
            ptrace(PTRACE_CONT, child, NULL, NULL);
            waitpid(child, &status, 0);
            ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
    }
    printf("ptrace=%s\n", ok ? "yes" : "no");
    printf("cpuid_faulting=%s\n", probe_cpuid_faulting() ? "yes" : "no");
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    const char *socket_path = getenv("VMWTRAP_SOCKET");
    int want_cpuid = 1, want_faulting = 1, want_seccomp = 1, force_env = 1, i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
            socket_path = argv[++i];
        } else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
            log_file = fopen(argv[++i], "ae");
            if (!log_file) die("cannot open log %s: %s", argv[i], strerror(errno));
        } else if (strcmp(argv[i], "--cpuid-site") == 0 && i + 1 < argc) {
            add_site_arg(argv[++i]);
        } else if (strcmp(argv[i], "--arm-cpuid-anyway") == 0) {
            arm_anyway = 1; /* testing aid: exercises the injection where cpuid_fault is missing */
        } else if (strcmp(argv[i], "--no-cpuid") == 0) {
            want_cpuid = 0;
        } else if (strcmp(argv[i], "--no-cpuid-faulting") == 0) {
            want_faulting = 0;
        } else if (strcmp(argv[i], "--cpuid-vendor") == 0 && i + 1 < argc) {
            set_cpuid_vendor(argv[++i]);
        } else if (strcmp(argv[i], "--no-seccomp") == 0) {
            want_seccomp = 0;
        } else if (strcmp(argv[i], "--no-force-env") == 0) {
            force_env = 0;
        } else if (strcmp(argv[i], "--probe") == 0) {
            return probe();
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: vmwtrap [--socket PATH] [--no-cpuid] [--no-cpuid-faulting] [--cpuid-vendor HEX24] [--no-seccomp] [--no-force-env] [--log FILE] "
                        "[--cpuid-site EXE:ADDR,...] -- PROGRAM [ARGS...]\n       vmwtrap --probe\n");
        return 125;
    }
    if (!socket_path || !*socket_path) {
        die("no socket: pass --socket PATH or set VMWTRAP_SOCKET");
    }
    char **command = argv + i;
    cpuid_faulting = want_cpuid && want_faulting && probe_cpuid_faulting();
    uint32_t hello = 0;
    if (cpuid_faulting) hello |= VMWTRAP_HELLO_CPUID_FAULTING;
    if (!want_cpuid || cpuid_faulting) site_exe_count = 0; /* breakpoints only as the fallback */
    if (site_exe_count > 0) hello |= VMWTRAP_HELLO_CPUID_BREAKPOINTS;
    if (want_seccomp) hello |= VMWTRAP_HELLO_SECCOMP_VSOCK;
    if (!cpuid_faulting && force_env) {
        setenv("VMWGUEST_BACKDOOR_FORCE", "1", 1);
        hello |= VMWTRAP_HELLO_FORCE_ENV;
    }
    unsetenv("VMWTRAP_SOCKET");
    connect_socket(socket_path);

    int sync_pipe[2];
    if (pipe2(sync_pipe, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) die("fork: %s", strerror(errno));
    if (child == 0) {
        close(sync_pipe[0]);
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) {
            fprintf(stderr, "vmwtrap: PTRACE_TRACEME: %s\n", strerror(errno));
            _exit(126);
        }
        if (want_seccomp && install_vsock_filter() != 0) {
            fprintf(stderr, "vmwtrap: seccomp filter: %s\n", strerror(errno));
            _exit(126);
        }
        raise(SIGSTOP);
        execvp(command[0], command);
        int err = errno;
        if (write(sync_pipe[1], &err, sizeof err) < 0) {
            /* nothing more to do */
        }
        _exit(127);
    }
    close(sync_pipe[1]);
    main_pid = child;
    int status;
    if (waitpid(child, &status, __WALL) != child || !WIFSTOPPED(status)) {
        die("program did not stop under ptrace (status 0x%x)", status);
    }
    long opts = PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |
                PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)opts) != 0) {
        die("PTRACE_SETOPTIONS: %s", strerror(errno));
    }
    add_known(child);
    struct reply ignored;
    exchange(VMWTRAP_KIND_HELLO, 0, hello, NULL, (uint64_t)child, 0, NULL, 0, &ignored);
    if (ignored.length > 0) die("HELLO reply with payload");
    logf_("started %s as %d (cpuid faulting %s, vsock filter %s)", command[0], (int)child,
          cpuid_faulting ? "on" : "off", want_seccomp ? "on" : "off");
    ptrace(PTRACE_CONT, child, NULL, NULL);
    int code = trace();
    int err = 0;
    if (read(sync_pipe[0], &err, sizeof err) == (ssize_t)sizeof err) {
        fprintf(stderr, "vmwtrap: cannot execute %s: %s\n", command[0], strerror(err));
        return 127;
    }
    return code;
}
