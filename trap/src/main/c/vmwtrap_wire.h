/*
 * vmwtrap wire protocol: the supervisor (vmwtrap) <-> the Java simulated host.
 *
 * Transport: one connected AF_UNIX stream socket. The Java side listens, the
 * supervisor connects once at start-up (path from --socket or the environment
 * variable VMWTRAP_SOCKET) and keeps the connection until it exits. Every
 * integer is little-endian (x86-64 native order); there is no padding.
 *
 * The supervisor sends, the Java side answers each message with exactly one
 * reply before the supervisor sends the next one (strictly one at a time,
 * even when several traced threads trap at once).
 *
 * Message (supervisor -> Java), fixed 88-byte header then `length` bytes:
 *
 *   offset size field
 *   0      4    magic      0x50525456 ("VTRP" in memory order)
 *   4      4    kind       VMWTRAP_KIND_* below
 *   8      4    tid        thread id of the trapping thread (0 for HELLO)
 *   12     4    flags      HELLO: VMWTRAP_HELLO_* bits; others: VMWTRAP_REQ_* bits
 *   16     56   regs[7]    u64 rax, rbx, rcx, rdx, rsi, rdi, rbp as the
 *                          instruction found them (HELLO: all 0)
 *   72     8    rip        address of the trapped instruction (HELLO: child pid)
 *   80     4    count      HB: byte count of the string instruction; else 0
 *   84     4    length     number of payload bytes that follow
 *   88     ...  payload    HB_OUT: the `count` bytes read from the guest at
 *                          rsi (the bytes `rep outsb` would send); else none
 *
 * Reply (Java -> supervisor), fixed 68-byte header then `length` bytes:
 *
 *   offset size field
 *   0      4    magic      0x50525456
 *   4      4    action     VMWTRAP_ACTION_APPLY: write regs, advance rip,
 *                          suppress the signal; VMWTRAP_ACTION_DELIVER:
 *                          change nothing and deliver the original signal
 *   8      56   regs[7]    u64 rax, rbx, rcx, rdx, rsi, rdi, rbp to leave in
 *                          the thread (full 64-bit values; the Java side
 *                          applies the instruction's register semantics)
 *   64     4    length     HB_IN: must equal `count`, the bytes that
 *                          `rep insb` stores at rdi; otherwise 0
 *   68     ...  payload
 *
 * The HELLO message is sent once, right after connecting, before the
 * program is started; its reply is read and ignored (send action 0, no
 * payload). When the supervisor exits, it closes the socket; its exit status
 * is the program's (128 + signal number when the program was killed).
 */
#ifndef VMWTRAP_WIRE_H
#define VMWTRAP_WIRE_H

#include <stdint.h>

#define VMWTRAP_WIRE_MAGIC 0x50525456u

#define VMWTRAP_KIND_HELLO 0u
#define VMWTRAP_KIND_LB 1u     /* in eax, dx  (ED), dx = 0x5658 */
#define VMWTRAP_KIND_HB_OUT 2u /* rep outsb   (F3 6E), dx = 0x5659 */
#define VMWTRAP_KIND_HB_IN 3u  /* rep insb    (F3 6C), dx = 0x5659 */

#define VMWTRAP_HELLO_CPUID_FAULTING 0x1u /* CPUID is trapped; leaf 0x40000000 says VMwareVMware */
#define VMWTRAP_HELLO_SECCOMP_VSOCK 0x2u  /* socket(AF_VSOCK, ...) fails with EAFNOSUPPORT */
#define VMWTRAP_HELLO_FORCE_ENV 0x4u      /* VMWGUEST_BACKDOOR_FORCE=1 was put in the program's environment */
#define VMWTRAP_HELLO_CPUID_BREAKPOINTS 0x8u /* no faulting; --cpuid-site breakpoints will be planted */

#define VMWTRAP_REQ_ADDR32 0x1u /* string instruction had an address-size (0x67) prefix: ecx/esi/edi */

#define VMWTRAP_ACTION_APPLY 0u
#define VMWTRAP_ACTION_DELIVER 1u

#define VMWTRAP_REQ_HEADER 88
#define VMWTRAP_REPLY_HEADER 68

/* Largest HB transfer the supervisor forwards; larger ones get the signal delivered. */
#define VMWTRAP_MAX_TRANSFER (64u * 1024u * 1024u)

#endif
