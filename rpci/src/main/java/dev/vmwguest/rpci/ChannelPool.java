package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcOpenException;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.transport.TransportSelector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The channels of one {@link RpciClient}: at most {@link RpciOptions#maxChannels()},
 * kept open across commands.
 *
 * <p>The host's channel table is shared by every process in the VM (128
 * slots, 8 on old hosts), so it may refuse an OPEN below our bound. While the
 * client holds channels of its own, such a refusal is not a failure: the
 * pool takes the number it holds as its ceiling and the command waits for
 * one of them. The ceiling is lifted when one of its channels closes, so a
 * host reset (which kills them all) is followed by fresh OPENs. A client
 * holding no channel has nothing to wait for, and the refusal is thrown.
 */
final class ChannelPool {

    private final TransportSelector transports;
    private final RpciOptions options;
    /** {@link RpciOptions#acquireTimeout()} in nanoseconds, or 0 for none: read once, not per command. */
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition channelReturned = lock.newCondition();
    private final ArrayDeque<RpcConnection> idle = new ArrayDeque<>();
    private int channels;
    /** How many channels the host let us have at its last refusal; MAX_VALUE when none is known. */
    private int hostCeiling = Integer.MAX_VALUE;
    private boolean closed;

    ChannelPool(TransportSelector transports, RpciOptions options) {
        this.transports = transports;
        this.options = options;
        this.timeoutNanos = options.acquireTimeout().map(Duration::toNanos).orElse(0L);
    }

    /** Opens the first channel, so that a host without GuestRPC fails at once. */
    void openFirst() {
        idle.push(openChannel());
        channels = 1;
    }

    /**
     * A channel for one exchange of {@code request}: a pooled one, or a newly
     * opened one when {@code fresh} (then, at the bound, the least recently
     * used idle channel is closed to make room; it may be dead too).
     *
     * @throws RpciInterruptedException if interrupted while waiting; the interrupt flag stays set
     * @throws RpciTimeoutException if the acquire timeout runs out while waiting
     * @throws RpcOpenException if the host refuses an OPEN while the client holds no channel
     * @throws IllegalStateException if the client is closed
     */
    RpcConnection acquire(boolean fresh, byte[] request) {
        long deadline = 0;
        boolean waiting = false;
        while (true) {
            RpcConnection replaced = null;
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        throw new IllegalStateException("RpciClient is closed");
                    }
                    RpcConnection channel = fresh ? null : idle.poll();
                    if (channel != null && transports.retryDue(channel.transport())) {
                        replaced = channel;   // a fallback connection whose back-off ran out: try vsock again
                        break;
                    }
                    if (channel != null) {
                        return channel;
                    }
                    if (channels < Math.min(options.maxChannels(), hostCeiling)) {
                        channels++;
                        break;
                    }
                    replaced = fresh ? idle.pollLast() : null;
                    if (replaced != null) {
                        break;   // the new channel takes its place in the count
                    }
                    if (timeoutNanos > 0 && !waiting) {
                        deadline = System.nanoTime() + timeoutNanos;
                    }
                    waiting = true;
                    awaitReturn(deadline, request);
                }
            } finally {
                lock.unlock();
            }
            if (replaced != null) {
                replaced.close();
            }
            try {
                return openChannel();
            } catch (RpcOpenException refused) {
                if (!waitAfterRefusal(refused)) {
                    throw refused;
                }
            } catch (RuntimeException failed) {
                giveBack();
                throw failed;
            }
        }
    }

    /** Waits for a returned channel; the caller holds the lock. */
    private void awaitReturn(long deadline, byte[] request) {
        try {
            if (timeoutNanos == 0) {
                channelReturned.await();
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                channelReturned.signal();   // a signal this thread may have taken goes to the next waiter
                throw new RpciTimeoutException(RpciCommands.describe(request), options.acquireTimeout().orElseThrow(),
                        channels);
            }
            channelReturned.awaitNanos(left);
        } catch (InterruptedException interrupt) {
            Thread.currentThread().interrupt();
            channelReturned.signal();
            throw new RpciInterruptedException(RpciCommands.describe(request), interrupt);
        }
    }

    /**
     * After the host refused an OPEN: true if the client holds channels of its
     * own to wait for (the ceiling is then set), false if the refusal stands.
     */
    private boolean waitAfterRefusal(RpcOpenException refused) {
        lock.lock();
        try {
            channels--;
            if (refused.isRetryable() && channels > 0 && !closed) {
                hostCeiling = channels;
                return true;
            }
            channelReturned.signal();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void giveBack() {
        lock.lock();
        try {
            channels--;
            channelReturned.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Returns {@code channel} after its exchange: pooled if it is still open, else closed and counted out. */
    void release(RpcConnection channel) {
        lock.lock();
        try {
            if (channel.isOpen() && !closed) {
                idle.push(channel);
            } else {
                channel.close();
                channels--;
                hostCeiling = Integer.MAX_VALUE;   // a slot of ours is free again: the host may give more
            }
            channelReturned.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every idle channel; channels in use close when their command ends. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            idle.forEach(RpcConnection::close);
            channels -= idle.size();
            idle.clear();
            channelReturned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private RpcConnection openChannel() {
        return transports.open(RpcProtocol.RPCI, options.channelOptions());
    }
}
