/*
 * vmwbackdoor: one function per trapping instruction of the VMware backdoor,
 * and nothing of the protocol above it. Contract in vmwbackdoor.h; facts in
 * shared/protocol/backdoor.md. Written for GCC (native, aarch64-linux-gnu,
 * x86_64-w64-mingw32).
 *
 * Why the asm blocks look the way they do: every register the instruction reads
 * or writes is an operand ("+a", "+b", ... or a local register variable), so the
 * compiler knows exactly what is live across the trap and saves the callee-saved
 * ones (rbx; rsi/rdi on Windows) itself. The host may write guest memory, hence
 * "memory". rbp cannot be an operand, so the high-bandwidth calls swap it with
 * r8 around the instruction instead of pushing it: a push would land in the
 * SysV red zone, where the compiler may keep live data.
 *
 * Each trapping instruction is one TRAP_* macro. Built with -DVMWBACKDOOR_TEST
 * (x86-64 only), the macros transform the registers predictably instead of
 * trapping, so the load/store code around them is tested on any machine
 * through the real JNA binding:
 *   ax ^= 0x10000000 + id (id 1..9: io lb/out/in, vmcall lb/out/in, vmmcall lb/out/in)
 *   bx ^= 0x22222222, cx ^= 0x33333333, dx ^= 0x44444444,
 *   si ^= 0x55555555, di ^= 0x66666666, bp ^= 0x77777777 (HB only)
 * HB out copies the cx bytes at si to a sink (vmwbd_test_sink); HB in writes
 * byte i = (i & 0xFF) ^ 0xA5 to di + i. Unlike a real rep, si/di/cx do not advance.
 */
#define _GNU_SOURCE
#include "vmwbackdoor.h"

#define MAGIC 0x564D5868u
#define LB_PORT 0x5658u
#define HB_PORT 0x5659u
/* Hypercall flags in dx bits 0..15: bit 0 = HB, bit 1 = guest-to-host (section 4). */
#define HC_LB 0x0000u
#define HC_HB_IN 0x0001u
#define HC_HB_OUT 0x0003u

/* Exactly one copy of each trap, in the function of its name: the objdump test relies on it. */
#define VMWBD_ENTRY VMWBD_EXPORT __attribute__((noinline, noclone))

#define CALLER_DX(frame, low) (((uint32_t)(frame)[3] & 0xFFFF0000u) | (low))

#if defined(__x86_64__)

#ifndef VMWBACKDOOR_TEST

#define TRAP_IO_LB "inl %%dx, %%eax\n\t"
#define TRAP_IO_HB_OUT "rep outsb\n\t"
#define TRAP_IO_HB_IN "rep insb\n\t"
#define TRAP_VMCALL_LB "vmcall\n\t"
#define TRAP_VMCALL_HB_OUT "vmcall\n\t"
#define TRAP_VMCALL_HB_IN "vmcall\n\t"
#define TRAP_VMMCALL_LB "vmmcall\n\t"
#define TRAP_VMMCALL_HB_OUT "vmmcall\n\t"
#define TRAP_VMMCALL_HB_IN "vmmcall\n\t"
#define TEST_CLOBBERS

#else /* VMWBACKDOOR_TEST */

#define TEST_SINK_SIZE 4096
/* Global (hidden) so that the "memory" clobber covers them. */
__attribute__((used, visibility("hidden"))) uint8_t vmwbd_sink[TEST_SINK_SIZE];
__attribute__((used, visibility("hidden"))) int32_t vmwbd_sink_len;

#define TEST_ID(id) "xorl $(0x10000000 + " #id "), %%eax\n\t"
#define TEST_XOR                                                                                  \
    "xorl $0x22222222, %%ebx\n\t"                                                                 \
    "xorl $0x33333333, %%ecx\n\t"                                                                 \
    "xorl $0x44444444, %%edx\n\t"                                                                 \
    "xorl $0x55555555, %%esi\n\t"                                                                 \
    "xorl $0x66666666, %%edi\n\t"
#define TEST_XOR_BP "xorl $0x77777777, %%ebp\n\t"
/* The "host" reads rcx bytes at [rsi]. */
#define TEST_READ_SI                                                                              \
    "leaq vmwbd_sink(%%rip), %%r10\n\t"                                                           \
    "xorl %%r11d, %%r11d\n\t"                                                                     \
    "1:\n\t"                                                                                      \
    "cmpq %%rcx, %%r11\n\t"                                                                       \
    "jae 2f\n\t"                                                                                  \
    "cmpq $4096, %%r11\n\t"                                                                       \
    "jae 2f\n\t"                                                                                  \
    "movb (%%rsi,%%r11), %%r9b\n\t"                                                               \
    "movb %%r9b, (%%r10,%%r11)\n\t"                                                               \
    "incq %%r11\n\t"                                                                              \
    "jmp 1b\n\t"                                                                                  \
    "2:\n\t"                                                                                      \
    "movl %%r11d, vmwbd_sink_len(%%rip)\n\t"
/* The "host" writes rcx bytes at [rdi]. */
#define TEST_WRITE_DI                                                                             \
    "xorl %%r11d, %%r11d\n\t"                                                                     \
    "1:\n\t"                                                                                      \
    "cmpq %%rcx, %%r11\n\t"                                                                       \
    "jae 2f\n\t"                                                                                  \
    "movl %%r11d, %%r9d\n\t"                                                                      \
    "xorl $0xA5, %%r9d\n\t"                                                                       \
    "movb %%r9b, (%%rdi,%%r11)\n\t"                                                               \
    "incq %%r11\n\t"                                                                              \
    "jmp 1b\n\t"                                                                                  \
    "2:\n\t"

#define TRAP_IO_LB TEST_ID(1) TEST_XOR
#define TRAP_IO_HB_OUT TEST_READ_SI TEST_ID(2) TEST_XOR TEST_XOR_BP
#define TRAP_IO_HB_IN TEST_WRITE_DI TEST_ID(3) TEST_XOR TEST_XOR_BP
#define TRAP_VMCALL_LB TEST_ID(4) TEST_XOR
#define TRAP_VMCALL_HB_OUT TEST_READ_SI TEST_ID(5) TEST_XOR TEST_XOR_BP
#define TRAP_VMCALL_HB_IN TEST_WRITE_DI TEST_ID(6) TEST_XOR TEST_XOR_BP
#define TRAP_VMMCALL_LB TEST_ID(7) TEST_XOR
#define TRAP_VMMCALL_HB_OUT TEST_READ_SI TEST_ID(8) TEST_XOR TEST_XOR_BP
#define TRAP_VMMCALL_HB_IN TEST_WRITE_DI TEST_ID(9) TEST_XOR TEST_XOR_BP
#define TEST_CLOBBERS , "r9", "r10", "r11"

VMWBD_EXPORT int32_t vmwbd_test_sink(uint8_t *dst, int32_t max) {
    int32_t n = vmwbd_sink_len;
    for (int32_t i = 0; i < n && i < max; i++) {
        dst[i] = vmwbd_sink[i];
    }
    return n;
}

#endif /* VMWBACKDOOR_TEST */

VMWBD_EXPORT void vmwbd_cpuid(int32_t leaf, int32_t subleaf, int32_t *out) {
    uint32_t a = (uint32_t)leaf, b, c = (uint32_t)subleaf, d;
    __asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    out[0] = (int32_t)a;
    out[1] = (int32_t)b;
    out[2] = (int32_t)c;
    out[3] = (int32_t)d;
}

/*
 * Low-bandwidth form (sections 2 and 4): ax..di in and out, bp neither loaded
 * nor stored. 32-bit values are zero-extended into the 64-bit registers.
 */
#define DEFINE_LB(name, trap, dx_low)                                                             \
    VMWBD_ENTRY void name(int32_t *frame) {                                                       \
        uint64_t ax = MAGIC;                                                                      \
        uint64_t bx = (uint32_t)frame[1];                                                         \
        uint64_t cx = (uint32_t)frame[2];                                                         \
        uint64_t dx = CALLER_DX(frame, dx_low);                                                   \
        uint64_t si = (uint32_t)frame[4];                                                         \
        uint64_t di = (uint32_t)frame[5];                                                         \
        __asm__ __volatile__(trap                                                                 \
                             : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx), "+S"(si), "+D"(di)         \
                             :                                                                    \
                             : "cc", "memory" TEST_CLOBBERS);                                     \
        frame[0] = (int32_t)ax;                                                                   \
        frame[1] = (int32_t)bx;                                                                   \
        frame[2] = (int32_t)cx;                                                                   \
        frame[3] = (int32_t)dx;                                                                   \
        frame[4] = (int32_t)si;                                                                   \
        frame[5] = (int32_t)di;                                                                   \
    }

/*
 * High-bandwidth form (sections 3 and 4): seven registers in and out; cx is the
 * count and the buffer (a full 64-bit pointer) goes in si for out, di for in.
 * cld first: the string instructions need DF = 0.
 */
#define DEFINE_HB(name, buffer_const, trap, dx_low, si_value, di_value)                          \
    VMWBD_ENTRY void name(int32_t *frame, buffer_const uint8_t *buffer, int32_t count) { \
        uint64_t ax = MAGIC;                                                                      \
        uint64_t bx = (uint32_t)frame[1];                                                         \
        uint64_t cx = (uint32_t)count;                                                            \
        uint64_t dx = CALLER_DX(frame, dx_low);                                                   \
        uint64_t si = (si_value);                                                                 \
        uint64_t di = (di_value);                                                                 \
        register uint64_t bp __asm__("r8") = (uint32_t)frame[6];                                  \
        __asm__ __volatile__("xchgq %[bp], %%rbp\n\t"                                             \
                             "cld\n\t" trap                                                       \
                             "xchgq %[bp], %%rbp\n\t"                                             \
                             : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx), "+S"(si), "+D"(di),        \
                               [bp] "+r"(bp)                                                      \
                             :                                                                    \
                             : "cc", "memory" TEST_CLOBBERS);                                     \
        frame[0] = (int32_t)ax;                                                                   \
        frame[1] = (int32_t)bx;                                                                   \
        frame[2] = (int32_t)cx;                                                                   \
        frame[3] = (int32_t)dx;                                                                   \
        frame[4] = (int32_t)si;                                                                   \
        frame[5] = (int32_t)di;                                                                   \
        frame[6] = (int32_t)bp;                                                                   \
    }

#define BUFFER ((uint64_t)(uintptr_t)buffer)
#define FRAME_SI ((uint64_t)(uint32_t)frame[4])
#define FRAME_DI ((uint64_t)(uint32_t)frame[5])

DEFINE_LB(vmwbd_io_lb, TRAP_IO_LB, LB_PORT)
DEFINE_HB(vmwbd_io_hb_out, const, TRAP_IO_HB_OUT, HB_PORT, BUFFER, FRAME_DI)
DEFINE_HB(vmwbd_io_hb_in, , TRAP_IO_HB_IN, HB_PORT, FRAME_SI, BUFFER)

DEFINE_LB(vmwbd_vmcall_lb, TRAP_VMCALL_LB, HC_LB)
DEFINE_HB(vmwbd_vmcall_hb_out, const, TRAP_VMCALL_HB_OUT, HC_HB_OUT, BUFFER, FRAME_DI)
DEFINE_HB(vmwbd_vmcall_hb_in, , TRAP_VMCALL_HB_IN, HC_HB_IN, FRAME_SI, BUFFER)

DEFINE_LB(vmwbd_vmmcall_lb, TRAP_VMMCALL_LB, HC_LB)
DEFINE_HB(vmwbd_vmmcall_hb_out, const, TRAP_VMMCALL_HB_OUT, HC_HB_OUT, BUFFER, FRAME_DI)
DEFINE_HB(vmwbd_vmmcall_hb_in, , TRAP_VMMCALL_HB_IN, HC_HB_IN, FRAME_SI, BUFFER)

#elif defined(__aarch64__)

#ifdef VMWBACKDOOR_TEST
#error "the test build of the stub is x86-64 only"
#endif

/*
 * arm64 (section 5): x0..x6 stand for rax..rbp; x7 describes the x86
 * instruction the host emulates: 0x86 in bits 63..32, then size, direction
 * and form. The trigger from EL0 is an mrs of mdccsr_el0. x7 is scratch.
 */
#define X7(descriptor) ((0x86ull << 32) | (descriptor))
#define X7_LB X7(0x0E)     /* 4-byte IN with DX */
#define X7_HB_OUT X7(0x18) /* REP OUTSB, DF = 0 */
#define X7_HB_IN X7(0x1C)  /* REP INSB, DF = 0 */

VMWBD_EXPORT void vmwbd_cpuid(int32_t leaf, int32_t subleaf, int32_t *out) {
    (void)leaf;
    (void)subleaf;
    out[0] = out[1] = out[2] = out[3] = 0;
}

VMWBD_ENTRY void vmwbd_io_lb(int32_t *frame) {
    uint64_t bx = (uint32_t)frame[1], cx = (uint32_t)frame[2], dx = CALLER_DX(frame, LB_PORT);
    uint64_t si = (uint32_t)frame[4], di = (uint32_t)frame[5];
    register uint64_t x0 __asm__("x0") = MAGIC;
    register uint64_t x1 __asm__("x1") = bx;
    register uint64_t x2 __asm__("x2") = cx;
    register uint64_t x3 __asm__("x3") = dx;
    register uint64_t x4 __asm__("x4") = si;
    register uint64_t x5 __asm__("x5") = di;
    register uint64_t x7 __asm__("x7") = X7_LB;
    __asm__ __volatile__("mrs xzr, mdccsr_el0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x7)
                         :
                         : "cc", "memory");
    frame[0] = (int32_t)x0;
    frame[1] = (int32_t)x1;
    frame[2] = (int32_t)x2;
    frame[3] = (int32_t)x3;
    frame[4] = (int32_t)x4;
    frame[5] = (int32_t)x5;
}

#define DEFINE_ARM_HB(name, buffer_const, descriptor, si_value, di_value)                        \
    VMWBD_ENTRY void name(int32_t *frame, buffer_const uint8_t *buffer, int32_t count) { \
        uint64_t bx = (uint32_t)frame[1], dx = CALLER_DX(frame, HB_PORT);                        \
        uint64_t si = (si_value), di = (di_value), bp = (uint32_t)frame[6];                      \
        register uint64_t x0 __asm__("x0") = MAGIC;                                               \
        register uint64_t x1 __asm__("x1") = bx;                                                  \
        register uint64_t x2 __asm__("x2") = (uint32_t)count;                                     \
        register uint64_t x3 __asm__("x3") = dx;                                                  \
        register uint64_t x4 __asm__("x4") = si;                                                  \
        register uint64_t x5 __asm__("x5") = di;                                                  \
        register uint64_t x6 __asm__("x6") = bp;                                                  \
        register uint64_t x7 __asm__("x7") = (descriptor);                                        \
        __asm__ __volatile__("mrs xzr, mdccsr_el0"                                                \
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),        \
                               "+r"(x6), "+r"(x7)                                                 \
                             :                                                                    \
                             : "cc", "memory");                                                   \
        frame[0] = (int32_t)x0;                                                                   \
        frame[1] = (int32_t)x1;                                                                   \
        frame[2] = (int32_t)x2;                                                                   \
        frame[3] = (int32_t)x3;                                                                   \
        frame[4] = (int32_t)x4;                                                                   \
        frame[5] = (int32_t)x5;                                                                   \
        frame[6] = (int32_t)x6;                                                                   \
    }

#define BUFFER ((uint64_t)(uintptr_t)buffer)
DEFINE_ARM_HB(vmwbd_io_hb_out, const, X7_HB_OUT, BUFFER, (uint32_t)frame[5])
DEFINE_ARM_HB(vmwbd_io_hb_in, , X7_HB_IN, (uint32_t)frame[4], BUFFER)

/* No hypercall form on arm64: present so that one Java binding fits every library; never selected. */
static void no_hypercall(int32_t *frame) {
    frame[0] = -1;
}
VMWBD_EXPORT void vmwbd_vmcall_lb(int32_t *frame) { no_hypercall(frame); }
VMWBD_EXPORT void vmwbd_vmmcall_lb(int32_t *frame) { no_hypercall(frame); }
VMWBD_EXPORT void vmwbd_vmcall_hb_out(int32_t *frame, const uint8_t *b, int32_t c) {
    (void)b, (void)c;
    no_hypercall(frame);
}
VMWBD_EXPORT void vmwbd_vmcall_hb_in(int32_t *frame, uint8_t *b, int32_t c) {
    (void)b, (void)c;
    no_hypercall(frame);
}
VMWBD_EXPORT void vmwbd_vmmcall_hb_out(int32_t *frame, const uint8_t *b, int32_t c) {
    (void)b, (void)c;
    no_hypercall(frame);
}
VMWBD_EXPORT void vmwbd_vmmcall_hb_in(int32_t *frame, uint8_t *b, int32_t c) {
    (void)b, (void)c;
    no_hypercall(frame);
}

#else
#error "vmwbackdoor supports x86-64 and aarch64 only"
#endif

/* ---------------------------------------------------------------------------------------------- */

#if defined(__linux__)

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define ANSWER_BYTES (7 * sizeof(int32_t))

static void probe_lb(int32_t *frame, int32_t mechanism) {
#if defined(__x86_64__)
    if (mechanism == VMWBD_VMCALL) {
        vmwbd_vmcall_lb(frame);
    } else if (mechanism == VMWBD_VMMCALL) {
        vmwbd_vmmcall_lb(frame);
    } else {
        vmwbd_io_lb(frame);
    }
#else
    (void)mechanism;
    vmwbd_io_lb(frame);
#endif
}

/*
 * Runs in the forked child, which has only the calling thread and inherited the
 * JVM's signal handlers. Only async-signal-safe calls from here on. With the
 * fault signals back at SIG_DFL, a fault kills this child quietly: no JVM crash
 * handler, no hs_err file, and no core file either.
 */
__attribute__((noreturn)) static void probe_child(int32_t *frame, int32_t mechanism, int fd) {
    static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    struct sigaction dfl;
    sigset_t unblock;
    struct rlimit no_core = {0, 0};
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        sigaction(faults[i], &dfl, 0);
        sigaddset(&unblock, faults[i]);
    }
    sigprocmask(SIG_UNBLOCK, &unblock, 0);
    setrlimit(RLIMIT_CORE, &no_core);

    probe_lb(frame, mechanism);

    const char *out = (const char *)frame;
    size_t done = 0;
    while (done < ANSWER_BYTES) {
        ssize_t n = write(fd, out + done, ANSWER_BYTES - done);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno != EINTR) {
            _exit(3);
        }
    }
    _exit(0);
}

VMWBD_EXPORT int32_t vmwbd_probe(int32_t *frame, int32_t mechanism, int32_t timeout_ms) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        frame[7] = errno;
        return VMWBD_PROBE_FAILED;
    }
    pid_t pid = fork();
    if (pid < 0) {
        frame[7] = errno;
        close(fds[0]);
        close(fds[1]);
        return VMWBD_PROBE_FAILED;
    }
    if (pid == 0) {
        close(fds[0]);
        probe_child(frame, mechanism, fds[1]);
    }
    close(fds[1]);

    int32_t answer[7];
    size_t got = 0;
    int timed_out = 0;
    while (got < ANSWER_BYTES) {
        struct pollfd ready = {fds[0], POLLIN, 0};
        int n = poll(&ready, 1, timeout_ms);
        if (n == 0) {
            timed_out = 1;
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        ssize_t r = read(fds[0], (char *)answer + got, ANSWER_BYTES - got);
        if (r > 0) {
            got += (size_t)r;
        } else if (r == 0 || errno != EINTR) {
            break; /* EOF: the child died or exited without answering */
        }
    }
    close(fds[0]);
    if (timed_out) {
        kill(pid, SIGKILL);
    }
    int status = 0;
    pid_t waited;
    do {
        waited = waitpid(pid, &status, 0);
    } while (waited < 0 && errno == EINTR);

    if (got == ANSWER_BYTES) {
        for (int i = 0; i < 7; i++) {
            frame[i] = answer[i];
        }
        frame[7] = 0;
        return VMWBD_PROBE_ANSWERED;
    }
    if (timed_out) {
        frame[7] = timeout_ms;
        return VMWBD_PROBE_TIMEOUT;
    }
    if (waited == pid && WIFSIGNALED(status)) {
        frame[7] = WTERMSIG(status);
        return VMWBD_PROBE_SIGNALED;
    }
    frame[7] = waited == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return VMWBD_PROBE_EXITED;
}

#else /* no fork: Windows */

VMWBD_EXPORT int32_t vmwbd_probe(int32_t *frame, int32_t mechanism, int32_t timeout_ms) {
    (void)mechanism;
    (void)timeout_ms;
    frame[7] = 0;
    return VMWBD_PROBE_UNSUPPORTED;
}

#endif

#if defined(_WIN32)
/* Built with -nostdlib: this is the whole DLL entry point (-Wl,-e,vmwbd_dll_main). */
int __stdcall vmwbd_dll_main(void *module, unsigned long reason, void *reserved) {
    (void)module;
    (void)reason;
    (void)reserved;
    return 1;
}
#endif
