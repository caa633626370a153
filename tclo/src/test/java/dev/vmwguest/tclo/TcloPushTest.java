package dev.vmwguest.tclo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.TransportKind;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.util.function.Supplier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The loop over a transport on which the host pushes (vsock, transports.md
 * 1.5): only replies are sent, never empty polls, and an empty receive (a
 * heartbeat interval without a command) is not followed by a pause.
 */
class TcloPushTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A pushing host: commands from a queue, every send recorded. */
    private static final class PushingHost implements Supplier<RpcConnection> {
        final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger emptyReceives = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();

        @Override
        public RpcConnection get() {
            opens.incrementAndGet();
            return new RpcConnection() {
                @Override
                public void send(byte[] message) {
                    sent.add(new String(message, StandardCharsets.US_ASCII));
                }

                @Override
                public Optional<byte[]> receive() {
                    try {
                        String command = commands.poll(5, TimeUnit.MILLISECONDS);
                        if (command == null) {
                            emptyReceives.incrementAndGet();
                            return Optional.empty();
                        }
                        return Optional.of(command.getBytes(StandardCharsets.US_ASCII));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }

                @Override
                public boolean hostPushes() {
                    return true;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public TransportKind transport() {
                    return TransportKind.VSOCK;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aPushingHostGetsRepliesOnlyNeverEmptyPolls() {
        PushingHost host = new PushingHost();
        // A polling loop would sleep up to 100 ms after each empty receive; idle delays of 10 s make
        // any such pause stall this test until its generous timeout, so passing proves there is none.
        TcloPolling slowPolling = TcloPolling.defaults().withIdleDelays(Duration.ofSeconds(10), Duration.ofSeconds(10));
        try (TcloEvents events = TcloEvents.builder(TcloEvents.TOOLBOX).transports(TransportSelector.over(TcloEventsTest.NO_BACKDOOR))
                .connections(host)
                .rpciSender(new FakeTools()).polling(slowPolling).start()) {
            host.commands.add("reset");
            host.commands.add("ping");
            assertTimeoutPreemptively(WAIT, () -> {
                while (host.sent.size() < 2 || host.emptyReceives.get() < 50) {
                    Thread.sleep(5);
                }
            });

            assertThat(host.sent).containsExactly("OK ATR toolbox", "OK ");
            assertThat(events.state()).isEqualTo(TcloState.ATTACHED);
            assertThat(host.opens).hasValue(1);
        }
    }
}
