package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.hostsim.MessageType;
import dev.vmwguest.hostsim.SimulatedHost;
import dev.vmwguest.hostsim.TcloExchange;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The storm the kernel drivers produced for a decade, provoked on purpose: the
 * host kills the TCLO channel 1,000 times (host close at a random step,
 * checkpoints beyond the bound, host resets) while commands are queued.
 */
class TcloStormTest {

    private static final int KILLS = 1000;
    private static final MessageType[] STEPS = {MessageType.SEND_SIZE, MessageType.SEND_PAYLOAD,
        MessageType.RECEIVE_SIZE, MessageType.RECEIVE_PAYLOAD, MessageType.RECEIVE_STATUS};
    private static final MessageType[] CHECKPOINTABLE = {MessageType.SEND_PAYLOAD, MessageType.RECEIVE_PAYLOAD,
        MessageType.RECEIVE_STATUS};

    private static List<TcloExchange> tail(List<TcloExchange> history) {
        return history.subList(Math.max(0, history.size() - 6), history.size());
    }

    @Test
    void everyCommandOnceEveryResetOnceOneReopenPerKillAndLogLinesBoundedByStateChanges() {
        SimulatedHost host = SimulatedHost.create();
        CountingLogger logger = new CountingLogger();
        CountingLogger.Changes changes = new CountingLogger.Changes();
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        // No RPCI in this test (no unified_loop, no Capabilities_Register): every open and every kill is TCLO's.
        TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(host))
                .unifiedLoop(false).logger(logger)
                .listener(changes)
                // Idle polling and reopening fast, so the test does not wait 100 ms per round or 1 s per kill.
                .polling(TcloPolling.defaults().withIdleDelays(Duration.ofMillis(1), Duration.ofMillis(1))
                        .withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(100)))
                .build();
        events.subscribe(TcloCommand.SetOption.class, option -> {
            handled.computeIfAbsent(option.name(), n -> new AtomicInteger()).incrementAndGet();
            return TcloReply.ok();
        });
        Random random = new Random(20261123);
        List<String> queued = new ArrayList<>();
        List<CompletableFuture<String>> replies = new ArrayList<>();
        int[] kinds = new int[3];

        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            events.start();
            for (int kill = 0; kill < KILLS; kill++) {
                // Arm first, then queue: payload and status steps happen only while commands flow.
                int kind = random.nextInt(3);
                kinds[kind]++;
                switch (kind) {
                    case 0 -> host.faults().closeChannelOn(STEPS[random.nextInt(STEPS.length)]);
                    case 1 -> host.faults().checkpoint(CHECKPOINTABLE[random.nextInt(CHECKPOINTABLE.length)], 4);
                    default -> host.resetHost();
                }
                for (int c = 0; c < 2; c++) {
                    String command = "Set_Option storm." + kill + "." + c + " 1";
                    queued.add(command);
                    replies.add(host.tclo().send(command).handle((reply, lost) -> reply == null ? "lost" : reply));
                }
                // The next kill only after this one fired and the guest made progress again.
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!host.faults().pending().isEmpty() || !host.tclo().pending().isEmpty()
                        || events.state() != TcloState.ATTACHED) {
                    if (events.state().isFinal() || System.nanoTime() > deadline) {
                        throw new AssertionError("stuck at kill " + kill + ": state " + events.state() + ", faults "
                                + host.faults().pending() + ", queued " + host.tclo().pending() + ", last changes "
                                + changes.all.subList(Math.max(0, changes.all.size() - 6), changes.all.size())
                                + ", history tail " + tail(host.tclo().history()));
                    }
                    Thread.sleep(0, 200_000);
                }
            }
            for (CompletableFuture<String> reply : replies) {
                reply.join();
            }
        });
        events.close();

        List<TcloExchange> history = host.tclo().history();
        Map<String, Long> deliveries = history.stream()
                .collect(Collectors.groupingBy(TcloExchange::command, Collectors.counting()));
        long resets = deliveries.getOrDefault("reset", 0L);
        long atrReplies = history.stream().filter(e -> e.reply().filter("OK ATR toolbox"::equals).isPresent()).count();
        long opens = host.calls().opens();
        System.out.printf("storm: %d kills (%d host closes, %d checkpoint bursts, %d host resets); %d TCLO opens, "
                + "%d resets delivered, %d ATR replies, %d state changes, %d log lines, %d backdoor calls%n",
                KILLS, kinds[0], kinds[1], kinds[2], opens, resets, atrReplies, changes.all.size(),
                logger.lines.size(), host.calls().total());

        // every queued command delivered exactly once, and handled exactly once
        for (String command : queued) {
            assertThat(deliveries.get(command)).as(command).isEqualTo(1L);
            assertThat(handled.get(command.split(" ")[1])).as(command).hasValue(1);
        }
        // every reset answered at most once, and only resets get an ATR; no reply is replayed
        assertThat(atrReplies).isLessThanOrEqualTo(resets);
        assertThat(history).noneMatch(e -> e.outcome() == TcloExchange.Outcome.NO_REPLY);
        assertThat(history).filteredOn(e -> e.reply().isPresent()).allMatch(TcloExchange::wellFormed);
        // recovery takes one reopen per kill at most: no storm of opens
        assertThat(opens).isLessThanOrEqualTo(KILLS + 1L);
        // one log line per state change, not per tick
        assertThat(logger.lines).hasSize(changes.all.size());
        assertThat(changes.all.size()).isLessThanOrEqualTo(4 * KILLS + 4);
        assertThat(events.state()).isEqualTo(TcloState.CLOSED);
        assertThat(host.calls().violations()).isLessThanOrEqualTo(2L * KILLS);
        Function<TcloState, Long> count = s -> changes.all.stream().filter(c -> c.current() == s).count();
        assertThat(count.apply(TcloState.CONFLICT)).isZero();
        assertThat(count.apply(TcloState.FAILED)).isZero();
    }
}
