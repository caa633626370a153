package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trap path end to end with a native guest ({@code src/test/c/trapprobe.c}) and a
 * scripted host: every register in and out of {@code in}, {@code rep outsb} and
 * {@code rep insb}, the bytes of both transfers, faults that must reach the program,
 * threads and children, the vsock filter, CPUID faulting where the CPU has it.
 */
class TrapLauncherTest {

    private static final long MAGIC = 0x564D5868L;
    private static Path probe;

    @BeforeAll
    static void requirements() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        String property = System.getProperty("vmwguest.trap.probe");
        assumeTrue(property != null && Files.isExecutable(Path.of(property)),
                "native test guest trapprobe not built (needs gcc on Linux x86-64): " + property);
        probe = Path.of(property);
    }

    /** A host that records what it was given and answers with scripted registers. */
    static class ScriptedHost implements Backdoor {
        final List<RegisterFrame> inputs = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        RegisterFrame answer = null;

        @Override
        public synchronized void call(RegisterFrame frame) {
            inputs.add(RegisterFrame.of(frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(), frame.di(),
                    frame.bp()));
            if (RegisterFrame.low16(frame.cx()) == 10 && answer == null) {
                frame.ax(6).bx(Backdoor.MAGIC).cx(2); // GETVERSION
            } else if (answer != null) {
                frame.copyFrom(answer);
            }
        }

        @Override
        public synchronized void send(RegisterFrame frame, ByteBuffer source) {
            inputs.add(RegisterFrame.of(frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(), frame.di(),
                    frame.bp()));
            byte[] bytes = new byte[source.remaining()];
            source.duplicate().get(bytes);
            sent.add(bytes);
            frame.bx(0x00010000 | 0x1234);
        }

        @Override
        public synchronized void receive(RegisterFrame frame, ByteBuffer target) {
            inputs.add(RegisterFrame.of(frame.ax(), frame.bx(), frame.cx(), frame.dx(), frame.si(), frame.di(),
                    frame.bp()));
            for (int i = target.position(); i < target.limit(); i++) {
                target.put(i, pattern(i - target.position()));
            }
            frame.bx(0x00010000 | 0x4321).bp(0x77777777);
        }

        @Override
        public BackdoorMechanism mechanism() {
            throw new UnsupportedOperationException("not used by the launcher");
        }
    }

    static byte pattern(int i) {
        return (byte) (i * 5 + 1);
    }

    private static TrapResult<ScriptedHost> run(ScriptedHost host, String... args) {
        List<String> command = new ArrayList<>();
        command.add(probe.toString());
        command.addAll(List.of(args));
        TrapResult<ScriptedHost> result = TrapLauncher.run(host, command,
                TrapOptions.defaults().withTimeout(Duration.ofMinutes(2)));
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.hostErrors()).isEmpty();
        return result;
    }

    static Map<String, String> values(String stdout) {
        Map<String, String> map = new HashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    private static long hex(Map<String, String> v, String key) {
        assertThat(v).containsKey(key);
        return Long.parseUnsignedLong(v.get(key), 16);
    }

    @Test
    void lowBandwidthPassesEveryRegisterBothWays() {
        ScriptedHost host = new ScriptedHost();
        host.answer = RegisterFrame.of(0x0A0A0A0A, 0x0B0B0B0B, 0x0C0C0C0C, 0x0D0D0D0D, 0x0E0E0E0E, 0x0F0F0F0F,
                0x66666666);
        TrapResult<ScriptedHost> result = run(host, "lb");
        Map<String, String> v = values(result.stdout());

        assertThat(result.lowBandwidthCalls()).isEqualTo(1);
        // the host saw the low 32 bits of each register (upper halves held garbage)
        assertThat(host.inputs).containsExactly(RegisterFrame.of((int) MAGIC, 0x11111111, 0x2222000A, 0x33335658,
                0x44444444, 0x55555555, 0x66666666));
        // changed registers come back zero-extended (32-bit writes), rax always
        assertThat(hex(v, "out.rax")).isEqualTo(0x0A0A0A0AL);
        assertThat(hex(v, "out.rbx")).isEqualTo(0x0B0B0B0BL);
        assertThat(hex(v, "out.rcx")).isEqualTo(0x0C0C0C0CL);
        assertThat(hex(v, "out.rdx")).isEqualTo(0x0D0D0D0DL);
        assertThat(hex(v, "out.rsi")).isEqualTo(0x0E0E0E0EL);
        assertThat(hex(v, "out.rdi")).isEqualTo(0x0F0F0F0FL);
        // a register the host left alone keeps all 64 bits
        assertThat(hex(v, "out.rbp")).isEqualTo(0x1717171766666666L);
    }

    @Test
    void lowBandwidthKeepsRegistersTheHostLeftAlone() {
        ScriptedHost host = new ScriptedHost();
        host.answer = RegisterFrame.of(0x12345678, 0x11111111, 0x2222000A, 0x33335658, 0x44444444, 0x55555555,
                0x66666666);
        Map<String, String> v = values(run(host, "lb").stdout());
        assertThat(hex(v, "out.rax")).isEqualTo(0x12345678L);
        for (String r : List.of("rbx", "rcx", "rdx", "rsi", "rdi", "rbp")) {
            assertThat(hex(v, "out." + r)).as(r).isEqualTo(hex(v, "in." + r));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 100, 4096, 65536, 1 << 20})
    void repOutsbSendsTheBytesAndAdvancesRsi(int size) {
        ScriptedHost host = new ScriptedHost();
        TrapResult<ScriptedHost> result = run(host, "outsb", Integer.toString(size));
        Map<String, String> v = values(result.stdout());
        long buf = hex(v, "buf");

        assertThat(result.highBandwidthOut()).isEqualTo(1);
        assertThat(host.inputs).containsExactly(RegisterFrame.of((int) MAGIC, 0x00010000, size, 0x00075659,
                (int) buf, 0x55555555, 0x66666666));
        byte[] bytes = host.sent.get(0);
        assertThat(bytes).hasSize(size);
        for (int i = 0; i < size; i++) {
            if (bytes[i] != (byte) (i * 7 + 3)) {
                throw new AssertionError("byte " + i + " = " + bytes[i]);
            }
        }
        assertThat(hex(v, "out.rsi")).isEqualTo(buf + size);
        assertThat(hex(v, "out.rcx")).isZero();
        assertThat(hex(v, "out.rbx")).isEqualTo(0x00011234L);
        for (String r : List.of("rax", "rdx", "rdi", "rbp")) {
            assertThat(hex(v, "out." + r)).as(r).isEqualTo(hex(v, "in." + r));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 100, 4096, 65536, 1 << 20})
    void repInsbStoresTheBytesAndAdvancesRdi(int size) {
        ScriptedHost host = new ScriptedHost();
        TrapResult<ScriptedHost> result = run(host, "insb", Integer.toString(size));
        Map<String, String> v = values(result.stdout());
        long buf = hex(v, "buf");

        assertThat(result.highBandwidthIn()).isEqualTo(1);
        assertThat(host.inputs).containsExactly(RegisterFrame.of((int) MAGIC, 0x00010000, size, 0x00075659,
                0x44444444, (int) buf, 0x66666666));
        long fnv = 0xcbf29ce484222325L;
        for (int i = 0; i < size; i++) {
            fnv ^= pattern(i) & 0xFF;
            fnv *= 0x100000001b3L;
        }
        assertThat(hex(v, "fnv")).isEqualTo(fnv);
        assertThat(hex(v, "out.rdi")).isEqualTo(buf + size);
        assertThat(hex(v, "out.rcx")).isZero();
        assertThat(hex(v, "out.rbx")).isEqualTo(0x00014321L);
        assertThat(hex(v, "out.rbp")).isEqualTo(0x77777777L);
        for (String r : List.of("rax", "rdx", "rsi")) {
            assertThat(hex(v, "out." + r)).as(r).isEqualTo(hex(v, "in." + r));
        }
    }

    @Test
    void addressSizePrefixUsesEcxEsiEdi() {
        ScriptedHost host = new ScriptedHost();
        Map<String, String> out = values(run(host, "outsb", "300", "addr32").stdout());
        assertThat(host.sent.get(0)).hasSize(300);
        assertThat(hex(out, "out.rsi")).isEqualTo(hex(out, "buf") + 300);
        assertThat(hex(out, "out.rcx")).isZero(); // count was ecx; rcx's upper half held garbage

        ScriptedHost host2 = new ScriptedHost();
        Map<String, String> in = values(run(host2, "insb", "33", "addr32").stdout());
        assertThat(hex(in, "out.rdi")).isEqualTo(hex(in, "buf") + 33);
        assertThat(hex(in, "out.rcx")).isZero();
    }

    @Test
    void everyOtherFaultReachesTheProgramUnchanged() {
        ScriptedHost host = new ScriptedHost();
        TrapResult<ScriptedHost> result = run(host, "passthrough");
        Map<String, String> v = values(result.stdout());
        // SIGSEGV = 11 with si_code SI_KERNEL (128) for #GP, SEGV_MAPERR (1) for the page fault,
        // SI_TKILL (-6) for raise(); SIGILL = 4 / ILL_ILLOPN (2) for ud2
        assertThat(v).containsEntry("case.wrong_magic", "11/128")
                .containsEntry("case.in_on_hb_port", "11/128")
                .containsEntry("case.in16", "11/128")
                .containsEntry("case.null_write", "11/1")
                .containsEntry("case.ud2", "4/2")
                .containsEntry("case.raise_segv", "11/-6")
                .containsEntry("case.outsb_on_lb_port", "11/128");
        assertThat(hex(v, "after.rbx")).isEqualTo(MAGIC);
        assertThat(result.trappedCalls()).isEqualTo(1);
    }

    @Test
    void followsThreadsAndChildProcesses() {
        ScriptedHost host = new ScriptedHost();
        TrapResult<ScriptedHost> result = run(host, "threads", "4", "200");
        Map<String, String> v = values(result.stdout());
        assertThat(v).containsEntry("threads.ok", "800").containsEntry("child.ok", "yes");
        assertThat(result.lowBandwidthCalls()).isEqualTo(1000);
    }

    @Test
    void vsockIsBlockedByDefault() {
        TrapResult<ScriptedHost> result = run(new ScriptedHost(), "vsock");
        assertThat(result.vsockBlocked()).isTrue();
        assertThat(values(result.stdout())).containsEntry("vsock.errno", "97"); // EAFNOSUPPORT
    }

    @Test
    void cpuidSaysVMwareWhereCpuidFaultingExists() {
        assumeTrue(TrapLauncher.cpuidFaultingAvailable(),
                "this CPU has no cpuid_fault (arch_prctl(ARCH_SET_CPUID, 0) fails): CPUID cannot be trapped here");
        TrapResult<ScriptedHost> result = run(new ScriptedHost(), "cpuid");
        assertThat(result.cpuidFaulting()).isTrue();
        assertVMwareSignature(values(result.stdout()));
    }

    @Test
    void cpuidBreakpointsSayVMwareAlsoWhereCpuidFaultingExists() {
        assumeTrue(probeHasCpuidSites(),
                "no cpuid instructions found in trapprobe (is objdump from binutils installed?)");
        TrapResult<ScriptedHost> result = TrapLauncher.run(new ScriptedHost(), List.of(probe.toString(), "cpuid"),
                TrapOptions.defaults().withCpuidFaulting(false));
        assertThat(result.cpuidFaulting()).isFalse();
        assertThat(result.cpuidBreakpoints()).as("breakpoints instead of faulting, on any CPU").isTrue();
        assertThat(result.forcedByEnv()).isTrue();
        assertVMwareSignature(values(result.stdout()));
    }

    private static boolean probeHasCpuidSites() {
        return TrapCpuidSites.resolve(probe.toString(), null).map(TrapCpuidSites::find)
                .map(sites -> !sites.isEmpty()).orElse(false);
    }

    @Test
    void withNeitherCpuidPathTheProgramSeesThisMachinesOwnCpuid() throws Exception {
        Map<String, String> real = RpctoolCheck.thisMachine(probe);
        TrapResult<ScriptedHost> plain = TrapLauncher.run(new ScriptedHost(), List.of(probe.toString(), "cpuid"),
                TrapOptions.defaults().withCpuidFaulting(false).withCpuidBreakpoints(false));
        assertThat(plain.cpuidFaulting() || plain.cpuidBreakpoints()).isFalse();
        Map<String, String> seen = values(plain.stdout());
        assertThat(seen.get("leaf40000000")).isEqualTo(real.get("leaf40000000"));
        assertThat(seen.get("leaf1.ecx")).isEqualTo(real.get("leaf1.ecx"));
    }

    @Test
    void theEmulatedSignatureCanBeChosenByteForByte() {
        assumeTrue(TrapLauncher.cpuidFaultingAvailable() || probeHasCpuidSites(),
                "neither cpuid_fault nor objdump: CPUID cannot be emulated here");
        TrapResult<ScriptedHost> result = TrapLauncher.run(new ScriptedHost(), List.of(probe.toString(), "cpuid"),
                TrapOptions.defaults(), List.of("--cpuid-vendor", "4b564d4b564d4b564d002000"));
        // "KVMKVMKVM", NUL, ' ', NUL: EBX ECX EDX little-endian
        assertThat(values(result.stdout())).containsEntry("leaf40000000", "40000010 4b4d564b 564b4d56 0020004d")
                .containsEntry("vendor", "KVMKVMKVM. .");
    }

    @Test
    void cpuidFaultingIsArmedAfterEveryExec(@TempDir Path dir) throws Exception {
        // --arm-cpuid-anyway runs the injected arch_prctl even without cpuid_fault, so the
        // mechanism is exercised everywhere: 0 where the CPU has the feature, -ENODEV (-19) where not
        Path log = dir.resolve("vmwtrap.log");
        TrapResult<ScriptedHost> result = TrapLauncher.run(new ScriptedHost(),
                List.of("sh", "-c", probe + " getversion && " + probe + " cpuid"),
                TrapOptions.defaults().withSupervisorLog(log), List.of("--arm-cpuid-anyway"));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(values(result.stdout())).containsEntry("out.rbx", "00000000564d5868");
        String expected = TrapLauncher.cpuidFaultingAvailable() ? " = 0 " : " = -19 ";
        List<String> armed = Files.readAllLines(log).stream().filter(l -> l.contains("arch_prctl")).toList();
        assertThat(armed).hasSize(3).allMatch(l -> l.contains(expected)); // sh and both trapprobes
    }

    private static void assertVMwareSignature(Map<String, String> v) {
        assertThat(v).containsEntry("vendor", "VMwareVMware").containsEntry("hypervisor_bit", "1")
                .containsEntry("maxleaf", "40000010");
        assertThat(hex(v, "leaf40000010.ecx") & 3).as("no VMCALL/VMMCALL advertised").isZero();
    }

    @Test
    void withoutCpuidFaultingOurStackIsForcedByEnvironment() {
        ScriptedHost host = new ScriptedHost();
        TrapResult<ScriptedHost> result = TrapLauncher.run(host,
                List.of("sh", "-c", "echo force=${VMWGUEST_BACKDOOR_FORCE:-unset}"));
        assertThat(result.exitCode()).isZero();
        String expected = result.cpuidFaulting() ? "unset" : "1";
        assertThat(result.forcedByEnv()).isEqualTo(!result.cpuidFaulting());
        assertThat(values(result.stdout())).containsEntry("force", expected);
    }

    @Test
    void exitStatusAndSignalsPropagate() {
        assertThat(TrapLauncher.run(new ScriptedHost(), List.of("sh", "-c", "exit 7")).exitCode()).isEqualTo(7);
        assertThat(TrapLauncher.run(new ScriptedHost(), List.of("sh", "-c", "kill -TERM $$")).exitCode())
                .isEqualTo(128 + 15);
        TrapResult<ScriptedHost> missing = TrapLauncher.run(new ScriptedHost(), List.of("/no/such/program"));
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("vmwtrap: cannot execute /no/such/program");
    }

    @Test
    void hostExceptionsDeliverTheFaultAndAreReported() {
        Backdoor broken = new ScriptedHost() {
            @Override
            public synchronized void call(RegisterFrame frame) {
                throw new IllegalStateException("boom");
            }
        };
        TrapResult<Backdoor> result = TrapLauncher.run(broken, List.of(probe.toString(), "getversion"));
        assertThat(result.exitCode()).isEqualTo(128 + 11); // the program got its SIGSEGV
        assertThat(result.hostErrors()).hasSize(1);
        assertThat(result.hostErrors().get(0)).contains("boom");
    }

    @Test
    void timeoutKillsTheProgram() {
        TrapResult<ScriptedHost> result = TrapLauncher.run(new ScriptedHost(), List.of("sleep", "30"),
                TrapOptions.defaults().withTimeout(Duration.ofMillis(500)));
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
    }
}
