package dev.vmwguest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmwguest.hostsim.GuestPowerOperation;
import dev.vmwguest.hostsim.RpciResult;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")   // the agent runs while the block runs; the block need not name it
class GuestAgentTest {

    private final SimulatedHost host = SimulatedHost.create();
    private final AgentSettings hourly = AgentSettings.defaults().withInterval(Duration.ofHours(1));

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void factsArePushedOnAttachWithoutWaitingForTheInterval() throws Exception {
        FactSources machine = Machines.appliance("app1", "10.0.0.5");
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine).settings(hourly).start()) {
            await(() -> host.setGuestInfo(7).isPresent() && host.setGuestInfo(10).isPresent(), "facts after reset");
            GuestFacts facts = GuestFacts.gather(machine, hourly);
            assertThat(host.setGuestInfo(10)).hasValueSatisfying(b -> assertThat(b)
                    .isEqualTo(NicInfoEncoder.v3(facts.network(), NicInfoEncoder.MAX_IPS_V3)));
            assertThat(host.setGuestInfo(11)).hasValueSatisfying(b -> assertThat(b).isEqualTo(facts.os().detailedPayload()));
            assertThat(host.setGuestInfo(1).map(String::new)).contains("app1");
            assertThat(host.setGuestInfo(7).map(String::new)).contains("123456");
            assertThat(host.setGuestInfo(5)).as("type 11 accepted: no 5/6").isEmpty();
            assertThat(host.setGuestInfo(4)).as("no build number claimed").isEmpty();
            assertThat(host.diskInfo()).hasValueSatisfying(d -> assertThat(d).contains("\"name\":\"Lw==\"", "\"size\":\"4000\""));
        }
    }

    @Test
    void capabilitiesClaimUnmanagedToolsAndSendUptimeBeforeTheReply() throws Exception {
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .start()) {
            assertThat(host.tclo().send("Capabilities_Register").get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.toolsVersion()).contains("2147483647");
            assertThat(host.capabilities()).contains("statechange", "softpowerop_retry").doesNotContain("hgfs_server");
            assertThat(host.setGuestInfo(7)).isPresent();
        }
    }

    @Test
    void broadcastIpIsAnsweredWithThePrimaryAddressBeforeTheReply() throws Exception {
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .start()) {
            assertThat(host.tclo().send("Set_Option broadcastIP 1").get(30, TimeUnit.SECONDS)).isEqualTo("OK ");
            assertThat(host.guestInfo().get("guestinfo.ip").map(v -> v.replace("\0", ""))).contains("10.0.0.5");
            assertThat(host.tclo().send("Set_Option broadcastIP 7").get(30, TimeUnit.SECONDS)).startsWith("ERROR");
        }
    }

    @Test
    void afterTheFirstPushOnlyChangesAndTheUptimeAreSent() throws Exception {
        AtomicReference<String> name = new AtomicReference<>("before");
        AtomicReference<String> uptime = new AtomicReference<>("10.00");
        FactSources base = Machines.appliance("x", "10.0.0.5");
        FactSources machine = new FactSources(base.interfaces(), base.ipv4Routes(), base.ipv6Routes(), base.resolvConf(),
                base.nameServers(), base.osRelease(), base.osType(), base.kernelRelease(),
                () -> java.util.Optional.of(name.get()), () -> java.util.Optional.of(uptime.get()), "amd64", base.disks());
        Map<Integer, Integer> sent = new ConcurrentHashMap<>();
        host.rpci().handle("SetGuestInfo", args -> {
            sent.merge(Integer.parseInt(new String(args, StandardCharsets.ISO_8859_1).trim().split(" ")[0]), 1, Integer::sum);
            return RpciResult.ok("");
        });
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine).settings(hourly).start()) {
            await(() -> sent.containsKey(7), "first push");
            Map<Integer, Integer> first = Map.copyOf(sent);
            uptime.set("20.00");
            agent.report(false);
            assertThat(sent).containsEntry(7, first.get(7) + 1).containsEntry(1, first.get(1))
                    .containsEntry(10, first.get(10)).containsEntry(11, first.get(11));
            name.set("after");
            agent.report(false);
            assertThat(sent).containsEntry(1, first.get(1) + 1).containsEntry(10, first.get(10) + 1)
                    .as("the host name is in NIC info's DNS section too");
        }
    }

    @Test
    void refusedV3FallsBackToTheTruncatedV3AsType9AndRefusedDetailedOsToTypes5And6() throws Exception {
        Map<Integer, byte[]> accepted = new ConcurrentHashMap<>();
        host.rpci().handle("SetGuestInfo", args -> {
            int type = args[1] - '0';
            if (args[2] != ' ') {
                type = type * 10 + args[2] - '0';
            }
            if (type == 10 || type == 11) {
                return RpciResult.error("Unknown type");
            }
            accepted.put(type, args);
            return RpciResult.ok("");
        });
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .start()) {
            await(() -> accepted.containsKey(7), "first push");
            assertThat(accepted).containsKeys(9, 5, 6, 1).doesNotContainKeys(2);
            assertThat(new String(accepted.get(6), StandardCharsets.UTF_8)).contains("other6xlinux-64");
            byte[] nine = accepted.get(9);
            assertThat(new byte[] {nine[3], nine[4], nine[5], nine[6]}).as("XDR version 3").containsExactly(0, 0, 0, 3);
        }
    }

    @Test
    void haltReportsSuccessFirstThenRunsTheApplicationsShutdown() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<List<String>> reportsWhenHookRan = new AtomicReference<>();
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .onHalt(() -> {
                    reportsWhenHookRan.set(List.copyOf(host.reports()));
                    stopped.countDown();
                }).onSuspend(() -> false).start()) {
            assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(reportsWhenHookRan.get()).contains("tools.os.statechange.status 1 1");
            assertThat(host.tclo().powerOperation(GuestPowerOperation.SUSPEND).get(30, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void aRefusedSuspendRepeatedByTheHostIsReportedAsSuccessAsSoftpoweropRetryPromises() throws Exception {
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .onSuspend(() -> false).start()) {
            assertThat(host.tclo().powerOperation(GuestPowerOperation.SUSPEND).get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(host.tclo().powerOperation(GuestPowerOperation.SUSPEND).get(30, TimeUnit.SECONDS))
                    .as("the repeat of a failed operation (powerOps.c lastFailedStateChange)").isTrue();
        }
    }

    @Test
    void withoutAHaltHookTheLibraryRefusesAndNothingRuns() throws Exception {
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .start()) {
            assertThat(host.tclo().powerOperation(GuestPowerOperation.HALT).get(30, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void anIdleReportCycleCostsOneRpciTheUptime() throws Exception {
        AtomicReference<String> uptime = new AtomicReference<>("10.00");
        FactSources base = Machines.appliance("x", "10.0.0.5");
        FactSources machine = new FactSources(base.interfaces(), base.ipv4Routes(), base.ipv6Routes(), base.resolvConf(),
                base.nameServers(), base.osRelease(), base.osType(), base.kernelRelease(), base.hostName(),
                () -> java.util.Optional.of(uptime.get()), "amd64", base.disks());
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(machine).settings(hourly)
                .polling(dev.vmwguest.tclo.TcloPolling.defaults().withIdleDelays(Duration.ofHours(1), Duration.ofHours(1)))
                .start()) {
            await(() -> host.setGuestInfo(7).isPresent(), "first push");
            quiet();   // the attach's own traffic is over; TCLO now sleeps for an hour
            long oneRpci;
            try (dev.vmwguest.rpci.RpciClient probe = dev.vmwguest.rpci.RpciClient.open(TransportSelector.over(host))) {
                probe.sendBytes(GuestInfoMessages.text(7, "1"));   // opens the channel
                long before = host.calls().total();
                probe.sendBytes(GuestInfoMessages.text(7, "2"));
                oneRpci = host.calls().total() - before;
            }
            uptime.set("20.00");
            quiet();
            long before = host.calls().total();
            long rpcis = host.calls().rpci("SetGuestInfo");
            agent.report(false);
            assertThat(host.calls().rpci("SetGuestInfo") - rpcis).isEqualTo(1);
            assertThat(host.calls().total() - before).as("backdoor calls of an idle cycle").isEqualTo(oneRpci);
            assertThat(host.setGuestInfo(7).map(String::new)).contains("2000");
        }
    }

    /** Waits until no backdoor call arrives for 300 ms (a wait, not an assertion). */
    private void quiet() throws InterruptedException {
        long last = -1;
        while (host.calls().total() != last) {
            last = host.calls().total();
            Thread.sleep(300);
        }
    }

    @Test
    void whenTypes10And9AreRefusedTheV1StructGoesAsType2AndAResetRetriesV3() throws Exception {
        Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
        host.rpci().handle("SetGuestInfo", args -> {
            String text = new String(args, 0, Math.min(args.length, 4), StandardCharsets.ISO_8859_1).trim();
            int type = Integer.parseInt(text.split(" ")[0]);
            attempts.merge(type, 1, Integer::sum);
            return refuse.get() && (type == 10 || type == 9) ? RpciResult.error("Unknown type") : RpciResult.ok("");
        });
        try (GuestAgent agent = GuestAgent.builder().transports(TransportSelector.over(host))
                .sources(Machines.appliance("a", "10.0.0.5")).settings(hourly)
                .start()) {
            await(() -> attempts.containsKey(7), "first push");
            assertThat(attempts).containsEntry(10, 1).containsEntry(9, 2).containsEntry(2, 1);
            refuse.set(false);
            agent.report(false);
            assertThat(attempts).as("the method that worked is kept until a reset").containsEntry(10, 1)
                    .containsEntry(2, 1);
            attempts.remove(7);
            assertThat(host.tclo().send("reset").get(30, TimeUnit.SECONDS)).startsWith("OK ATR");
            await(() -> attempts.containsKey(7), "push after reset");
            assertThat(attempts).as("after a reset V3 is tried again, and accepted").containsEntry(10, 2)
                    .containsEntry(2, 1).containsEntry(1, 2).containsEntry(11, 2);
        }
    }
}
