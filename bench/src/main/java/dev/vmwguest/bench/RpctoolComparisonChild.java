package dev.vmwguest.bench;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The traced half of {@link RpctoolComparison}: runs under the trap launcher,
 * so that every backdoor access (its own, through the real native stub, and
 * those of the {@code vmware-rpctool} processes it starts) is answered by the
 * same simulated host. Prints {@code phase.ns=<total> phase.n=<count>} lines
 * and brackets each phase with {@code bench.mark} RPCIs so the host can count
 * the calls in between.
 *
 * <p>Arguments: rpctool path, iterations of ours, iterations of rpctool.
 */
public final class RpctoolComparisonChild {

    static final String KEY = "guestinfo.k";
    static final String EXPECTED = "v";

    private RpctoolComparisonChild() {
    }

    public static void main(String[] args) throws Exception {
        String rpctool = args[0];
        int ours = Integer.parseInt(args[1]);
        int theirs = Integer.parseInt(args[2]);
        Backdoor backdoor = Backdoors.open();
        try (RpciClient client = RpciClient.open(TransportSelector.over(backdoor))) {
            for (int i = 0; i < Math.max(200, ours / 5); i++) {
                infoGet(client);
            }
            mark(client, "empty.start");
            mark(client, "empty.end");

            mark(client, "ours.start");
            long start = System.nanoTime();
            for (int i = 0; i < ours; i++) {
                infoGet(client);
            }
            report("ours", System.nanoTime() - start, ours);
            mark(client, "ours.end");

            for (int i = 0; i < 20; i++) {
                oneShot(backdoor);
            }
            mark(client, "oneshot.start");
            start = System.nanoTime();
            for (int i = 0; i < ours / 4; i++) {
                oneShot(backdoor);
            }
            report("oneshot", System.nanoTime() - start, ours / 4);
            mark(client, "oneshot.end");

            for (int i = 0; i < 3; i++) {
                spawn(rpctool);
            }
            mark(client, "rpctool.start");
            start = System.nanoTime();
            for (int i = 0; i < theirs; i++) {
                spawn(rpctool);
            }
            report("rpctool", System.nanoTime() - start, theirs);
            mark(client, "rpctool.end");
        }
    }

    private static void infoGet(RpciClient client) {
        String reply = client.call("info-get " + KEY);
        if (!reply.equals(EXPECTED)) {
            throw new IllegalStateException("RpciClient read '" + reply + "'");
        }
    }

    /** What a program that opens a client per request pays: open, one request, close. */
    private static void oneShot(Backdoor backdoor) {
        try (RpciClient client = RpciClient.open(TransportSelector.over(backdoor))) {
            infoGet(client);
        }
    }

    /** Today's practice: a vmware-rpctool process per request, output read, exit status checked. */
    private static void spawn(String rpctool) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(rpctool, "info-get " + KEY)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0 || !output.equals(EXPECTED + "\n")) {
            throw new IllegalStateException("vmware-rpctool exited " + status + " with '" + output + "'");
        }
    }

    private static void mark(RpciClient client, String phase) {
        client.call("bench.mark " + phase);
    }

    private static void report(String phase, long nanos, int count) {
        System.out.println(phase + ".ns=" + nanos + " " + phase + ".n=" + count);
    }
}
