package dev.vmwguest.trap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.vmwguest.backdoor.Backdoor;

import org.jspecify.annotations.Nullable;

/**
 * Runs an unmodified program (a native client, a JVM agent, VMware's own
 * {@code vmware-rpctool}) against a simulated host: a small ptrace supervisor
 * ({@code vmwtrap}, shipped in this jar for linux-x86-64) traps the program's
 * backdoor instructions ({@code in eax,dx} on port 0x5658, {@code rep outsb} /
 * {@code rep insb} on 0x5659, magic in {@code eax}) and this class answers
 * each one from the given {@link Backdoor}, usually a {@code SimulatedHost}.
 * Every other fault the program takes is delivered to it unchanged.
 *
 * <pre>{@code
 * SimulatedHost host = SimulatedHost.create();
 * TrapResult<SimulatedHost> run = TrapLauncher.run(host, List.of("vmware-rpctool", "log hello"));
 * assert run.exitCode() == 0;
 * }</pre>
 *
 * <p>Hypervisor detection: where the CPU supports CPUID faulting the program
 * sees the CPUID signature {@code VMwareVMware}. Elsewhere (or with
 * {@link TrapOptions#withCpuidFaulting(boolean) withCpuidFaulting(false)}) the program
 * executable's own {@code cpuid} instructions are turned into breakpoints that
 * answer the same (libraries it loads still see the real signature, e.g.
 * {@code KVMKVMKVM}), and {@code VMWGUEST_BACKDOOR_FORCE=1} is put into its
 * environment so this project's own stack uses the backdoor anyway (see
 * {@link TrapOptions}, {@link #cpuidFaultingAvailable()}).
 *
 * <p>Requirements: Linux x86-64 and permission to ptrace one's own children
 * ({@link #isSupported()} / {@link #unsupportedReason()} tell). The supervisor
 * binary can be overridden with the system property {@value #SUPERVISOR_PROPERTY}.
 * Runs are independent; each uses its own socket and thread. The host is called
 * from one thread per run, one access at a time.
 */
public final class TrapLauncher {

    /** System property naming a {@code vmwtrap} binary to use instead of the bundled one. */
    public static final String SUPERVISOR_PROPERTY = "vmwguest.trap.supervisor";

    private static final String RESOURCE = "linux-x86-64/vmwtrap";

    private static volatile @Nullable Probe probe;
    private static @Nullable Path extracted;

    private TrapLauncher() {
    }

    private record Probe(@Nullable String reason, boolean cpuidFaulting) {
    }

    /**
     * Whether programs can be run under the trap on this machine.
     *
     * @return whether programs can be run under the trap on this machine
     */
    public static boolean isSupported() {
        return probe().reason() == null;
    }

    /**
     * Why programs cannot be run under the trap here, or empty if they can.
     *
     * @return the reason, or empty when programs can run under the trap
     */
    public static Optional<String> unsupportedReason() {
        return Optional.ofNullable(probe().reason());
    }

    /**
     * Whether this machine's CPU supports CPUID faulting, so that trapped programs
     * can be shown the {@code VMwareVMware} hypervisor signature (needed by
     * VMware's own tools, which refuse to run under another hypervisor's signature).
     *
     * @return whether this machine's CPU supports CPUID faulting, so that trapped programs can be shown the {@code VMwareVMware} hypervisor signature (needed by VMware's own tools, which refuse to run under another hypervisor's signature)
     */
    public static boolean cpuidFaultingAvailable() {
        Probe p = probe();
        return p.reason() == null && p.cpuidFaulting();
    }

    /**
     * {@link #run(Backdoor, List, TrapOptions)} with {@link TrapOptions#defaults()}.
     *
     * @param <B> the host's type
     * @param host the host that answers the program's backdoor accesses
     * @param command the program and its arguments
     * @return the program's exit code and output, with {@code host}
     */
    public static <B extends Backdoor> TrapResult<B> run(B host, List<String> command) {
        return run(host, command, TrapOptions.defaults());
    }

    /**
     * Runs {@code command} (program and arguments; the program is looked up on
     * {@code PATH}) to completion under the trap, answering its backdoor
     * accesses from {@code host}. Standard input is empty; standard output and
     * error are captured.
     *
     * @param <B> the host's type
     * @param host the host that answers the program's backdoor accesses
     * @param command the program and its arguments
     * @param options the timeout, environment and logging of the run
     * @return the program's exit code and output, with {@code host}
     * @throws TrapException if the trap is not supported here or the run could not be set up
     */
    public static <B extends Backdoor> TrapResult<B> run(B host, List<String> command, TrapOptions options) {
        return run(host, command, options, List.of());
    }

    /** As {@link #run(Backdoor, List, TrapOptions)} with extra supervisor arguments (tests). */
    static <B extends Backdoor> TrapResult<B> run(B host, List<String> command, TrapOptions options,
            List<String> supervisorArguments) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Optional<String> reason = unsupportedReason();
        if (reason.isPresent()) {
            throw new TrapException("trap launcher not supported: " + reason.get());
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vmwtrap-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return runIn(dir, host, command, options, supervisorArguments);
        } catch (IOException e) {
            throw new TrapException("trap launcher: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrapException("interrupted while running " + command, e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static <B extends Backdoor> TrapResult<B> runIn(Path dir, B host, List<String> command,
            TrapOptions options, List<String> supervisorArguments) throws IOException, InterruptedException {
        Path socketPath = dir.resolve("host.sock");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> argv = new ArrayList<>();
        argv.add(supervisor().toString());
        argv.add("--socket");
        argv.add(socketPath.toString());
        boolean faulting = options.cpuidFaulting() && cpuidFaultingAvailable();
        if (!options.cpuidFaulting() && !options.cpuidBreakpoints()) {
            argv.add("--no-cpuid");
        } else if (!options.cpuidFaulting()) {
            argv.add("--no-cpuid-faulting");
        }
        if (options.cpuidBreakpoints() && !faulting) {
            List<String> programs = new ArrayList<>(List.of(command.get(0)));
            options.descendantPrograms().forEach(program -> programs.add(program.toString()));
            for (String program : programs) {
                TrapCpuidSites.argument(program, options.workingDirectory()).ifPresent(site -> {
                    argv.add("--cpuid-site");
                    argv.add(site);
                });
            }
        }
        if (!options.blockVsock()) {
            argv.add("--no-seccomp");
        }
        if (!options.forceEnvFallback()) {
            argv.add("--no-force-env");
        }
        Path log = options.supervisorLog();
        if (log != null) {
            argv.add("--log");
            argv.add(log.toAbsolutePath().toString());
        }
        argv.addAll(supervisorArguments);
        argv.add("--");
        argv.addAll(command);

        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(options.environment());
            Path cwd = options.workingDirectory();
            if (cwd != null) {
                builder.directory(cwd.toFile());
            }
            Process process = builder.start();
            TrapBridge[] bridge = new TrapBridge[1];
            Thread acceptor = new Thread(() -> {
                try {
                    SocketChannel channel = server.accept();
                    TrapBridge b = new TrapBridge(host, channel);
                    bridge[0] = b;
                    b.run();
                } catch (ClosedChannelException e) {
                    // the supervisor ended before connecting
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "vmwtrap-bridge-" + process.pid());
            acceptor.setDaemon(true);
            acceptor.start();

            boolean finished = process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly(); // the supervisor's death kills every tracee (PTRACE_O_EXITKILL)
                process.waitFor();
            }
            server.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            TrapBridge b = bridge[0];
            int flags = b == null ? 0 : Math.max(b.helloFlags, 0);
            List<String> errors = new ArrayList<>();
            if (b != null) {
                errors.addAll(b.hostErrors);
                IOException failure = b.failure;
                if (failure != null) {
                    errors.add("connection to the supervisor failed: " + failure);
                }
            }
            return new TrapResult<>(host,
                    finished ? process.exitValue() : -1,
                    !finished,
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    (flags & TrapBridge.HELLO_CPUID_FAULTING) != 0,
                    (flags & TrapBridge.HELLO_CPUID_BREAKPOINTS) != 0,
                    (flags & TrapBridge.HELLO_SECCOMP_VSOCK) != 0,
                    (flags & TrapBridge.HELLO_FORCE_ENV) != 0,
                    b == null ? 0 : b.lowBandwidth.get(),
                    b == null ? 0 : b.highBandwidthOut.get(),
                    b == null ? 0 : b.highBandwidthIn.get(),
                    errors);
        } finally {
            server.close();
        }
    }

    // ------------------------------------------------------------------ platform

    private static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (TrapLauncher.class) {
                p = probe;
                if (p == null) {
                    p = computeProbe();
                    probe = p;
                }
            }
        }
        return p;
    }

    private static Probe computeProbe() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return new Probe("needs Linux (this is " + System.getProperty("os.name") + ")", false);
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return new Probe("needs x86-64 (this is " + arch + ")", false);
        }
        Path binary;
        try {
            binary = supervisor();
        } catch (IOException | TrapException e) {
            return new Probe("supervisor binary unavailable: " + e.getMessage(), false);
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "--probe").redirectErrorStream(true).start();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int code = p.waitFor();
            boolean cpuid = text.contains("cpuid_faulting=yes");
            if (code != 0 || !text.contains("ptrace=yes")) {
                return new Probe("ptrace is not permitted here (vmwtrap --probe: " + text.strip()
                        + "; check /proc/sys/kernel/yama/ptrace_scope and seccomp/container policy)", cpuid);
            }
            return new Probe(null, cpuid);
        } catch (IOException e) {
            return new Probe("cannot run " + binary + ": " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe("interrupted while probing", false);
        }
    }

    /** The supervisor executable: the system property, or the bundled one extracted once per JVM. */
    static synchronized Path supervisor() throws IOException {
        String override = System.getProperty(SUPERVISOR_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        Path done = extracted;
        if (done != null && Files.isExecutable(done)) {
            return done;
        }
        try (InputStream in = TrapLauncher.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new TrapException("resource dev/vmwguest/trap/" + RESOURCE
                        + " missing (the native supervisor is built only on linux-x86-64 with gcc)");
            }
            Path dir = Files.createTempDirectory("vmwtrap-bin-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("vmwtrap");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            dir.toFile().deleteOnExit(); // deleted in reverse order of registration: file first
            file.toFile().deleteOnExit();
            extracted = file;
            return file;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
