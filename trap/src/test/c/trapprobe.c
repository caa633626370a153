/*
 * trapprobe: a tiny native guest for the trap launcher tests. It executes the
 * backdoor instructions with known register values (trapprobe_asm.S) and
 * prints what it got back as `key=value` lines (values in hex unless noted),
 * so the Java tests can check the trap path end to end without a JVM child.
 *
 *   trapprobe lb                 one `in` with distinct values in every register
 *   trapprobe outsb N [addr32]   one `rep outsb` of N pattern bytes
 *   trapprobe insb N [addr32]    one `rep insb` of N bytes; prints fnv=<hash> of what arrived
 *   trapprobe passthrough        faults that are not backdoor accesses must reach our own handlers
 *   trapprobe threads T N        T threads and one forked child, N GETVERSION calls each
 *   trapprobe getversion         GETVERSION (cmd 10)
 *   trapprobe bench N            N GETVERSION calls; prints ns_per_call (decimal)
 *   trapprobe bench-hb N SIZE    N rep outsb of SIZE bytes; prints ns_per_call (decimal)
 *   trapprobe cpuid              hypervisor vendor (leaf 0x40000000, also raw), leaf 1 ecx, leaf 0x40000010 ecx
 *   trapprobe vsock              errno of socket(AF_VSOCK, SOCK_STREAM, 0) (decimal)
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x564D5868ull

struct regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
};

void bd_exec(struct regs *r, int op);

static const char *const names[7] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp"};

static void print_regs(const char *prefix, const struct regs *r) {
    const uint64_t *v = &r->rax;
    for (int i = 0; i < 7; i++) {
        printf("%s.%s=%016llx\n", prefix, names[i], (unsigned long long)v[i]);
    }
}

static uint64_t fnv1a(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static unsigned char *alloc_buffer(size_t n, int low) {
    size_t len = n ? n : 1;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (low ? MAP_32BIT : 0), -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    return p;
}

static void getversion(struct regs *r) {
    memset(r, 0, sizeof *r);
    r->rax = MAGIC;
    r->rbx = 0xA9B2A797ull; /* ~magic */
    r->rcx = 0xFFFF000Aull;
    r->rdx = 0x5658;
    bd_exec(r, 0);
}

static int cmd_lb(void) {
    struct regs r = {
        0xA1A1A1A1ull << 32 | MAGIC,
        0xB2B2B2B2ull << 32 | 0x11111111ull,
        0xC3C3C3C3ull << 32 | 0x2222000Aull,
        0xD4D4D4D4ull << 32 | 0x33335658ull,
        0xE5E5E5E5ull << 32 | 0x44444444ull,
        0xF6F6F6F6ull << 32 | 0x55555555ull,
        0x17171717ull << 32 | 0x66666666ull,
    };
    print_regs("in", &r);
    bd_exec(&r, 0);
    print_regs("out", &r);
    return 0;
}

static int cmd_hb(int out, size_t n, int addr32) {
    unsigned char *buf = alloc_buffer(n, addr32);
    for (size_t i = 0; i < n; i++) {
        buf[i] = out ? (unsigned char)(i * 7 + 3) : 0;
    }
    struct regs r = {
        0xA1A1A1A1ull << 32 | MAGIC,
        0xB2B2B2B2ull << 32 | 0x00010000ull,
        n,
        0xD4D4D4D4ull << 32 | 0x00075659ull,
        out ? (uint64_t)(uintptr_t)buf : (0xE5E5E5E5ull << 32 | 0x44444444ull),
        out ? (0xF6F6F6F6ull << 32 | 0x55555555ull) : (uint64_t)(uintptr_t)buf,
        0x17171717ull << 32 | 0x66666666ull,
    };
    if (addr32) {
        r.rcx |= 0xC3C3C3C3ull << 32; /* only ecx counts */
    }
    printf("buf=%016llx\n", (unsigned long long)(uintptr_t)buf);
    print_regs("in", &r);
    bd_exec(&r, (out ? 1 : 2) + (addr32 ? 2 : 0));
    print_regs("out", &r);
    if (!out) {
        printf("fnv=%016llx\n", (unsigned long long)fnv1a(buf, n));
    }
    return 0;
}

static sigjmp_buf jump;
static volatile sig_atomic_t last_signal;
static volatile int last_code;

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    last_signal = sig;
    last_code = si->si_code;
    siglongjmp(jump, 1);
}

/* Runs one case; prints case.NAME=SIG/CODE of the signal our own handler got, or "none". */
static void fault_case(const char *name, int which) {
    last_signal = 0;
    if (sigsetjmp(jump, 1) == 0) {
        struct regs r = {MAGIC, 0, 10, 0x5658, 0, 0, 0};
        switch (which) {
        case 0: /* wrong magic */
            r.rax = 0x12345678;
            bd_exec(&r, 0);
            break;
        case 1: /* LB instruction on the HB port */
            r.rdx = 0x5659;
            bd_exec(&r, 0);
            break;
        case 2: /* 16-bit in ax, dx */
            bd_exec(&r, 5);
            break;
        case 3: /* NULL write */
            {
                volatile int *volatile bad = NULL;
                *bad = 1;
            }
            break;
        case 4: /* ud2, like open-vm-tools' Xen probe */
            __asm__ volatile("ud2");
            break;
        case 5: /* SIGSEGV sent by kill */
            raise(SIGSEGV);
            break;
        case 6: /* rep outsb on the LB port */
            r.rcx = 1;
            r.rsi = (uint64_t)(uintptr_t)&r;
            bd_exec(&r, 1);
            break;
        }
    }
    if (last_signal) {
        printf("case.%s=%d/%d\n", name, (int)last_signal, last_code);
    } else {
        printf("case.%s=none\n", name);
    }
}

static int cmd_passthrough(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    fault_case("wrong_magic", 0);
    fault_case("in_on_hb_port", 1);
    fault_case("in16", 2);
    fault_case("null_write", 3);
    fault_case("ud2", 4);
    fault_case("raise_segv", 5);
    fault_case("outsb_on_lb_port", 6);
    /* and the backdoor still works after all that */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    struct regs r;
    getversion(&r);
    printf("after.rbx=%016llx\n", (unsigned long long)r.rbx);
    return 0;
}

static long calls_per_thread;

static void *thread_main(void *arg) {
    (void)arg;
    long ok = 0;
    for (long i = 0; i < calls_per_thread; i++) {
        struct regs r;
        getversion(&r);
        if (r.rbx == MAGIC) ok++;
    }
    return (void *)ok;
}

static int cmd_threads(int threads, long n) {
    calls_per_thread = n;
    pid_t child = fork();
    if (child == 0) {
        long ok = (long)thread_main(NULL);
        _exit(ok == n ? 0 : 1);
    }
    pthread_t t[64];
    if (threads > 64) threads = 64;
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, thread_main, NULL);
    long ok = 0;
    for (int i = 0; i < threads; i++) {
        void *v;
        pthread_join(t[i], &v);
        ok += (long)v;
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("threads.ok=%ld\n", ok);
    printf("child.ok=%s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    return 0;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmd_bench(long n, long size) {
    unsigned char *buf = alloc_buffer((size_t)(size > 0 ? size : 1), 0);
    memset(buf, 'x', (size_t)(size > 0 ? size : 1));
    double start = now_ns();
    long ok = 0;
    for (long i = 0; i < n; i++) {
        struct regs r;
        if (size < 0) {
            getversion(&r);
            if (r.rbx == MAGIC) ok++;
        } else {
            struct regs h = {MAGIC, 0x00010000, (uint64_t)size, 0x5659, (uint64_t)(uintptr_t)buf, 0, 0};
            bd_exec(&h, 1);
            ok++;
        }
    }
    double elapsed = now_ns() - start;
    printf("calls=%ld\nok=%ld\nns_per_call=%.0f\n", n, ok, elapsed / (double)n);
    return 0;
}

static int cmd_cpuid(void) {
    unsigned a, b, c, d;
    __cpuid(0x40000000u, a, b, c, d);
    char vendor[13];
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &c, 4);
    memcpy(vendor + 8, &d, 4);
    vendor[12] = 0;
    for (int i = 0; i < 12; i++) {
        if (vendor[i] == 0) vendor[i] = '.';
    }
    printf("vendor=%s\nmaxleaf=%08x\n", vendor, a);
    printf("leaf40000000=%08x %08x %08x %08x\n", a, b, c, d);
    __cpuid(1u, a, b, c, d);
    printf("hypervisor_bit=%u\n", c >> 31);
    printf("leaf1.ecx=%08x\n", c);
    __cpuid(0x40000010u, a, b, c, d);
    printf("leaf40000010.ecx=%08x\n", c);
    return 0;
}

static int cmd_vsock(void) {
    int fd = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
    printf("vsock.errno=%d\n", fd < 0 ? errno : 0);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: trapprobe lb|outsb N|insb N|passthrough|threads T N|getversion|bench N|bench-hb N SIZE|cpuid|vsock\n");
        return 2;
    }
    const char *cmd = argv[1];
    int addr32 = argc > 3 && strcmp(argv[3], "addr32") == 0;
    if (strcmp(cmd, "lb") == 0) return cmd_lb();
    if (strcmp(cmd, "outsb") == 0 && argc > 2) return cmd_hb(1, strtoul(argv[2], NULL, 0), addr32);
    if (strcmp(cmd, "insb") == 0 && argc > 2) return cmd_hb(0, strtoul(argv[2], NULL, 0), addr32);
    if (strcmp(cmd, "passthrough") == 0) return cmd_passthrough();
    if (strcmp(cmd, "threads") == 0 && argc > 3) return cmd_threads(atoi(argv[2]), atol(argv[3]));
    if (strcmp(cmd, "getversion") == 0) {
        struct regs r;
        getversion(&r);
        print_regs("out", &r);
        return 0;
    }
    if (strcmp(cmd, "bench") == 0 && argc > 2) return cmd_bench(atol(argv[2]), -1);
    if (strcmp(cmd, "bench-hb") == 0 && argc > 3) return cmd_bench(atol(argv[2]), atol(argv[3]));
    if (strcmp(cmd, "cpuid") == 0) return cmd_cpuid();
    if (strcmp(cmd, "vsock") == 0) return cmd_vsock();
    fprintf(stderr, "trapprobe: unknown command %s\n", cmd);
    return 2;
}
