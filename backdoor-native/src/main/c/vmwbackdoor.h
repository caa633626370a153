/*
 * vmwbackdoor: the few trapping instructions of the VMware backdoor, for JNA
 * direct mapping (dev.vmwguest.backdoor.jna.BackdoorStub).
 *
 * Register frame: int32_t[VMWBD_FRAME_INTS], passed by pointer.
 *   [0] ax  [1] bx  [2] cx  [3] dx  [4] si  [5] di  [6] bp  [7] probe detail
 * Every call loads the frame into the registers, executes one instruction and
 * stores the registers back into the same frame. Each function supplies what its
 * instruction implies, whatever the frame held:
 *   ax          = magic 0x564D5868
 *   dx bits 0..15 = port 0x5658 / 0x5659 (I/O form) or hypercall flags (hypercall
 *                 form); bits 16..31 are the caller's (channel id)
 *   HB calls:   cx = count, si (out) / di (in) = buffer, a full 64-bit pointer
 * Low-bandwidth calls neither load nor store bp (frame[6] is left as it was).
 * Facts: shared/protocol/backdoor.md sections 2 to 5.
 */
#ifndef VMWBACKDOOR_H
#define VMWBACKDOOR_H

#include <stdint.h>

#if defined(_WIN32)
#define VMWBD_EXPORT __declspec(dllexport)
#else
#define VMWBD_EXPORT __attribute__((visibility("default")))
#endif

#define VMWBD_FRAME_INTS 8

/* vmwbd_probe results; frame[7] carries the detail. */
#define VMWBD_PROBE_ANSWERED 0    /* registers stored in the frame */
#define VMWBD_PROBE_SIGNALED 1    /* child killed by signal frame[7] (the instruction faulted) */
#define VMWBD_PROBE_EXITED 2      /* child exited with status frame[7] without answering */
#define VMWBD_PROBE_TIMEOUT 3     /* no answer within the timeout; child killed */
#define VMWBD_PROBE_FAILED 4      /* pipe/fork failed with errno frame[7] */
#define VMWBD_PROBE_UNSUPPORTED 5 /* no isolated probe on this platform (Windows) */

/* Mechanisms for vmwbd_probe. */
#define VMWBD_IO 0      /* in (x86) or the arm64 mrs form */
#define VMWBD_VMCALL 1
#define VMWBD_VMMCALL 2

/* Safe everywhere on x86 (never faults); zeros on other architectures. out: eax ebx ecx edx. */
VMWBD_EXPORT void vmwbd_cpuid(int32_t leaf, int32_t subleaf, int32_t *out);

/* I/O form: in eax,dx / cld; rep outsb / cld; rep insb. On aarch64: mrs xzr, mdccsr_el0. */
VMWBD_EXPORT void vmwbd_io_lb(int32_t *frame);
VMWBD_EXPORT void vmwbd_io_hb_out(int32_t *frame, const uint8_t *buffer, int32_t count);
VMWBD_EXPORT void vmwbd_io_hb_in(int32_t *frame, uint8_t *buffer, int32_t count);

/* Hypercall forms (x86 only; elsewhere they set ax = 0xFFFFFFFF and trap nothing). */
VMWBD_EXPORT void vmwbd_vmcall_lb(int32_t *frame);
VMWBD_EXPORT void vmwbd_vmcall_hb_out(int32_t *frame, const uint8_t *buffer, int32_t count);
VMWBD_EXPORT void vmwbd_vmcall_hb_in(int32_t *frame, uint8_t *buffer, int32_t count);
VMWBD_EXPORT void vmwbd_vmmcall_lb(int32_t *frame);
VMWBD_EXPORT void vmwbd_vmmcall_hb_out(int32_t *frame, const uint8_t *buffer, int32_t count);
VMWBD_EXPORT void vmwbd_vmmcall_hb_in(int32_t *frame, uint8_t *buffer, int32_t count);

/*
 * One low-bandwidth call in a forked child (Linux), so that a fault kills the
 * child and not the JVM. Returns a VMWBD_PROBE_* code; on ANSWERED the frame
 * holds the child's registers.
 */
VMWBD_EXPORT int32_t vmwbd_probe(int32_t *frame, int32_t mechanism, int32_t timeout_ms);

#ifdef VMWBACKDOOR_TEST
/* Test build only: copies up to max bytes the last HB-out "host" read into dst; returns how many it read. */
VMWBD_EXPORT int32_t vmwbd_test_sink(uint8_t *dst, int32_t max);
#endif

#endif
