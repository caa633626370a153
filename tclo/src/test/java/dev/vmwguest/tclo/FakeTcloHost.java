package dev.vmwguest.tclo;

import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcException;
import dev.vmwguest.rpc.TransportKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted TCLO host one layer above the backdoor (the loop's
 * {@link RpcConnection}): a command queue, one outstanding command per
 * channel, {@code reset} on every new channel, and failures on demand. For
 * the loop's logic; the wire-level tests run against host-sim.
 */
final class FakeTcloHost implements Supplier<RpcConnection> {

    private final Deque<Pending> queue = new ArrayDeque<>();
    private final List<String> replies = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private @org.jspecify.annotations.Nullable Channel current;
    private @org.jspecify.annotations.Nullable Pending outstanding;
    private int opens;
    private int closes;
    private int sends;
    private int receives;
    private int violations;
    private int failNextCalls;
    private boolean refuseOpens;
    private boolean resetOnEveryPoll;
    private boolean resetOnOpen = true;

    private record Pending(String command, CompletableFuture<String> reply) {
    }

    /** Queues {@code command}; completes with the guest's reply. */
    synchronized CompletableFuture<String> send(String command) {
        Pending pending = new Pending(command, new CompletableFuture<>());
        queue.add(pending);
        return pending.reply;
    }

    synchronized void resetOnOpen(boolean on) {
        resetOnOpen = on;
    }

    /** The next {@code n} channel calls fail (the channel dies, as after a host close). */
    synchronized void failNextCalls(int n) {
        failNextCalls = n;
    }

    synchronized void refuseOpens(boolean refuse) {
        refuseOpens = refuse;
    }

    /** Another process holds the app name: every poll is answered with another reset. */
    synchronized void resetOnEveryPoll(boolean on) {
        resetOnEveryPoll = on;
    }

    synchronized int opens() {
        return opens;
    }

    /** Whether the latest channel is still open (neither closed by the guest nor killed by the host). */
    synchronized boolean channelOpen() {
        return current != null && !current.dead;
    }

    synchronized int closes() {
        return closes;
    }

    synchronized int sends() {
        return sends;
    }

    synchronized int receives() {
        return receives;
    }

    /** Calls on a channel after it failed or was closed: must stay 0. */
    synchronized int violations() {
        return violations;
    }

    synchronized List<String> replies() {
        return List.copyOf(replies);
    }

    synchronized List<String> delivered() {
        return List.copyOf(delivered);
    }

    @Override
    public synchronized RpcConnection get() {
        opens++;
        if (refuseOpens) {
            throw new RpcException("fake host refuses to open a TCLO channel");
        }
        if (outstanding != null) {
            outstanding = null;      // its reply died with the old channel
        }
        Channel channel = new Channel();
        current = channel;
        if (resetOnOpen) {
            queue.addFirst(new Pending("reset", new CompletableFuture<>()));
        }
        return channel;
    }

    private final class Channel implements RpcConnection {
        private boolean dead;

        @Override
        public boolean isOpen() {
            synchronized (FakeTcloHost.this) {
                return !dead;
            }
        }

        @Override
        public TransportKind transport() {
            return TransportKind.BACKDOOR;   // polled, as the backdoor
        }

        @Override
        public void send(byte[] message) {
            synchronized (FakeTcloHost.this) {
                check();
                sends++;
                String text = new String(message, StandardCharsets.UTF_8);
                Pending answered = outstanding;
                outstanding = null;
                if (answered != null) {
                    replies.add(text);
                    answered.reply.complete(text);
                } else if (message.length > 0) {
                    violations++;    // a reply nobody asked for (e.g. a replayed ATR)
                }
            }
        }

        @Override
        public Optional<byte[]> receive() {
            synchronized (FakeTcloHost.this) {
                check();
                receives++;
                if (resetOnEveryPoll && queue.stream().noneMatch(p -> p.command.equals("reset"))) {
                    queue.addFirst(new Pending("reset", new CompletableFuture<>()));
                }
                Pending next = queue.poll();
                if (next == null) {
                    return Optional.empty();
                }
                outstanding = next;
                delivered.add(next.command);
                return Optional.of(next.command.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() {
            synchronized (FakeTcloHost.this) {
                if (!dead) {
                    closes++;
                }
                dead = true;
            }
        }

        private void check() {
            if (dead || current != this) {
                violations++;
                throw new RpcException("call on a dead channel");
            }
            if (failNextCalls > 0) {
                failNextCalls--;
                dead = true;
                throw new RpcException("fake host closed the channel");
            }
        }
    }
}
