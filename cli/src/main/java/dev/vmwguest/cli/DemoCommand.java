package dev.vmwguest.cli;

import dev.vmwguest.backdoor.BackdoorDetection;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.HostInfo;
import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.tclo.TcloCommand;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloReply;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A short tour of the library: against the real host inside VMware, against a
 * simulated one everywhere else, with the backdoor calls each step cost.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A tour: detection, host facts, guestinfo set/get, a log line and (simulated host only) "
                + "TCLO commands answered by a subscriber, each with the backdoor calls it cost.",
                "Uses the real host inside VMware, a simulated one elsewhere or with --simulate."})
final class DemoCommand implements Callable<Integer> {

    static final String KEY = "guestinfo.vmwguest.demo";

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private CountingBackdoor backdoor;
    private long callsBefore;
    private int step;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        BackdoorDetection detection = Backdoors.detect();
        boolean asked = HostOptions.of(spec).simulate();
        boolean simulate = asked || !detection.usable();
        HostConnection connection = simulate ? HostConnection.simulated() : HostConnection.real();
        backdoor = new CountingBackdoor(connection.backdoor());
        out.println(simulate
                ? "vmwguest demo against a SIMULATED VMware host" + (asked ? " (--simulate)"
                        : " (no usable backdoor here)")
                : "vmwguest demo against the real VMware host");
        out.println("Each step shows the backdoor calls it made: on real hardware every one is a VM exit.");

        begin("detection (CPUID only, no port touched)");
        show(DetectCommand.format(detection));
        end();

        begin("host facts");
        HostInfo info = HostInfo.query(backdoor);
        end();
        show(HostCommand.format(info, Instant.now()));

        try (RpciClient rpci = RpciClient.open(TransportSelector.over(backdoor))) {
            begin("guestinfo set " + KEY);
            rpci.guestInfo().set(KEY, "hello from vmwguest at " + Instant.now());
            end();
            begin("guestinfo get " + KEY);
            Optional<String> value = rpci.guestInfo().get(KEY);
            end();
            show("value: " + value.orElse("(none)"));
            connection.simulator().ifPresent(host -> show("host's store: " + host.guestInfo().get(KEY).orElse("?")));

            begin("log a line to the host's vmware.log");
            rpci.log("vmwguest demo was here");
            end();
            connection.simulator().ifPresent(host -> show("host's log: " + host.log().get(host.log().size() - 1)));
        }

        if (connection.simulator().isPresent()) {
            tcloTour(connection.simulator().get());
        } else {
            out.println();
            out.println("TCLO skipped: on a real host the commands come from vSphere, and the app name 'toolbox'"
                    + " belongs to VMware Tools. Try: vmwguest tclo listen --app my-agent");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void tcloTour(SimulatedHost host) throws Exception {
        // The TCLO thread only queues what it saw; printing stays on this thread, in step order.
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(backdoor)).build()) {
            events.subscribe(TcloCommand.PowerOperation.class, operation -> {
                seen.add("subscriber: host asks for " + operation.state() + "; the application agrees");
                return TcloReply.ok();
            });
            events.observe((command, reply) -> seen.add("TCLO " + command + " -> " + reply.toString().stripTrailing()));

            begin("TCLO attach (the host sends reset, the library answers the handshake) and a ping");
            events.start();
            host.tclo().send("ping").get(30, TimeUnit.SECONDS);
            end();
            showSeen(seen, 2);
            begin("TCLO Set_Option synctime 1 from the host");
            host.tclo().send("Set_Option synctime 1").get(30, TimeUnit.SECONDS);
            end();
            showSeen(seen, 1);
            begin("TCLO power operation: suspend");
            boolean reported = host.tclo().powerOperation(GuestPowerOperation.SUSPEND).get(30, TimeUnit.SECONDS);
            showSeen(seen, 2);
            end();
            show("host got tools.os.statechange.status: " + (reported ? "success" : "failure"));
        }
        out.println();
        out.println("TCLO steps include the poll loop's idle polls (2 calls each) while the host's command was queued.");
    }

    private void showSeen(BlockingQueue<String> seen, int expected) throws InterruptedException {
        for (int i = 0; i < expected; i++) {
            String line = seen.poll(30, TimeUnit.SECONDS);
            show(line == null ? "(nothing seen from the TCLO thread within 30 s)" : line);
        }
    }

    private void begin(String title) {
        out.println();
        out.println(++step + ". " + title);
        callsBefore = backdoor.calls();
    }

    private void end() {
        out.println("   [" + (backdoor.calls() - callsBefore) + " backdoor calls]");
    }

    private void show(String text) {
        for (String line : text.split("\\R")) {
            out.println("   " + line);
        }
        out.flush();
    }
}
