package dev.vmwguest.trap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorMechanism;
import dev.vmwguest.backdoor.RegisterFrame;

import org.junit.jupiter.api.Test;

/**
 * The register contract of the real native stub: a child JVM ({@link TrapContractChild})
 * uses {@code backdoor-native} under the trap launcher against a host that checks every
 * input register and answers distinct values in every output register, for LB, HB out
 * and HB in. This is the test that would catch a miscompiled inline-asm block.
 * Skipped until {@code backdoor-native} has been built (its library and JNA are needed).
 */
class TrapJvmContractTest {

    private static final int SIZE = 4099;

    /** Records contract calls (command 0x1E) and answers them; answers GETVERSION probes like VMware. */
    static final class ContractHost implements Backdoor {
        final List<RegisterFrame> lb = new ArrayList<>();
        final List<RegisterFrame> out = new ArrayList<>();
        final List<RegisterFrame> in = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();

        private static RegisterFrame copy(RegisterFrame f) {
            return RegisterFrame.of(f.ax(), f.bx(), f.cx(), f.dx(), f.si(), f.di(), f.bp());
        }

        @Override
        public synchronized void call(RegisterFrame f) {
            if (RegisterFrame.low16(f.cx()) == 10) {
                f.ax(6).bx(MAGIC).cx(2);
                return;
            }
            lb.add(copy(f));
            f.ax(0xA0A0A0A0).bx(0xB0B0B0B0).cx(0xC0C0C0C0).dx(0xD0D0D0D0).si(0xE0E0E0E0).di(0xF0F0F0F0);
        }

        @Override
        public synchronized void send(RegisterFrame f, ByteBuffer source) {
            out.add(copy(f));
            byte[] bytes = new byte[source.remaining()];
            source.duplicate().get(bytes);
            sent.add(bytes);
            f.ax(0xA1A1A1A1).bx(0x0001ABCD).dx(0xD1D1D1D1).di(0xF1F1F1F1).bp(0x71717171);
        }

        @Override
        public synchronized void receive(RegisterFrame f, ByteBuffer target) {
            in.add(copy(f));
            for (int i = target.position(); i < target.limit(); i++) {
                target.put(i, (byte) (i * 5 + 1));
            }
            f.ax(0xA2A2A2A2).bx(0x0001DCBA).dx(0xD2D2D2D2).si(0xE2E2E2E2).bp(0x72727272);
        }

        @Override
        public BackdoorMechanism mechanism() {
            throw new UnsupportedOperationException("not used by the launcher");
        }
    }

    /** Skips the calling test unless a child JVM with the native stub can run under the trap. */
    static void assumeChildJvmPossible() {
        assumeTrue(TrapLauncher.isSupported(),
                () -> "trap launcher unsupported here: " + TrapLauncher.unsupportedReason().orElse("?"));
        String nativeClasses = System.getProperty("vmwguest.trap.nativeClasses", "");
        assumeTrue(Files.isRegularFile(Path.of(nativeClasses, "linux-x86-64", "libvmwbackdoor.so")),
                "backdoor-native not built (no " + nativeClasses + "/linux-x86-64/libvmwbackdoor.so)");
        String jna = System.getProperty("vmwguest.trap.jna", "");
        assumeTrue(Files.isRegularFile(Path.of(jna)), "JNA jar not in the local repository: " + jna);
    }

    /** The command line of a child JVM running {@code main} with backdoor-native, JNA and this module's classes. */
    static List<String> childJvm(List<String> jvmOptions, Class<?> main, String... args) {
        Set<String> classpath = new LinkedHashSet<>();
        classpath.add(System.getProperty("vmwguest.trap.nativeClasses", ""));
        classpath.add(System.getProperty("vmwguest.trap.jna", ""));
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                classpath.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void everyRegisterRoundTripsThroughTheNativeStub() {
        assumeChildJvmPossible();
        ContractHost host = new ContractHost();
        TrapResult<ContractHost> result = TrapLauncher.run(host,
                childJvm(List.of("-Dvmwguest.backdoor=native", "-Dvmwguest.backdoor.force=true"),
                        TrapContractChild.class, Integer.toString(SIZE)),
                TrapOptions.defaults().withTimeout(Duration.ofMinutes(3)));
        assertThat(result.exitCode()).as("child JVM; stdout:%n%s%nstderr:%n%s", result.stdout(), result.stderr())
                .isZero();
        assertThat(result.hostErrors()).isEmpty();
        Map<String, Long> v = values(result.stdout());

        // inputs as the host saw them
        assertThat(host.lb).hasSize(1);
        RegisterFrame lb = host.lb.get(0);
        assertThat(List.of(lb.ax(), lb.bx(), lb.cx(), lb.dx(), lb.si(), lb.di()))
                .containsExactly(Backdoor.MAGIC, 0x11111111, 0x2222001E, 0x33335658, 0x44444444, 0x55555555);
        assertThat(host.out).hasSize(1);
        RegisterFrame o = host.out.get(0);
        assertThat(List.of(o.ax(), o.bx(), o.cx(), o.dx(), o.di(), o.bp()))
                .containsExactly(Backdoor.MAGIC, 0x00010000, SIZE, 0x00075659, 0x55555555, 0x66666666);
        byte[] bytes = host.sent.get(0);
        assertThat(bytes).hasSize(SIZE);
        for (int i = 0; i < SIZE; i++) {
            assertThat(bytes[i]).as("byte %d", i).isEqualTo((byte) (i * 7 + 3));
        }
        assertThat(host.in).hasSize(1);
        RegisterFrame i = host.in.get(0);
        assertThat(List.of(i.ax(), i.bx(), i.cx(), i.dx(), i.si(), i.bp()))
                .containsExactly(Backdoor.MAGIC, 0x00010000, SIZE, 0x00075659, 0x44444444, 0x66666666);

        // outputs as the child's frames got them
        assertThat(v).containsEntry("lb.ax", 0xA0A0A0A0L).containsEntry("lb.bx", 0xB0B0B0B0L)
                .containsEntry("lb.cx", 0xC0C0C0C0L).containsEntry("lb.dx", 0xD0D0D0D0L)
                .containsEntry("lb.si", 0xE0E0E0E0L).containsEntry("lb.di", 0xF0F0F0F0L);
        assertThat(v).containsEntry("out.ax", 0xA1A1A1A1L).containsEntry("out.bx", 0x0001ABCDL)
                .containsEntry("out.dx", 0xD1D1D1D1L).containsEntry("out.di", 0xF1F1F1F1L)
                .containsEntry("out.bp", 0x71717171L);
        assertThat(v).containsEntry("in.ax", 0xA2A2A2A2L).containsEntry("in.bx", 0x0001DCBAL)
                .containsEntry("in.dx", 0xD2D2D2D2L).containsEntry("in.si", 0xE2E2E2E2L)
                .containsEntry("in.bp", 0x72727272L);
        long fnv = 0xcbf29ce484222325L;
        for (int k = 0; k < SIZE; k++) {
            fnv ^= (k * 5 + 1) & 0xFF;
            fnv *= 0x100000001b3L;
        }
        assertThat(v).containsEntry("fnv", fnv);
    }

    private static Map<String, Long> values(String stdout) {
        Map<String, Long> map = new HashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("mechanism")) {
                map.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 1).strip(), 16));
            }
        }
        return map;
    }
}
