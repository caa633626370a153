package dev.vmwguest.backdoor;

/** How a {@link Backdoor} reaches the host. */
public enum BackdoorMechanism {
    /** x86 port I/O: {@code in}, {@code rep outsb}, {@code rep insb}. */
    IO_PORT,
    /** Intel hypercall form: {@code vmcall} with flags in the low half of {@code dx}. */
    VMCALL,
    /** AMD hypercall form: {@code vmmcall} with flags in the low half of {@code dx}. */
    VMMCALL,
    /** arm64: {@code mrs xzr, mdccsr_el0} with an x86 I/O descriptor in {@code x7}. */
    ARM64,
    /** An in-process simulated host; never chosen automatically. */
    SIMULATED
}
