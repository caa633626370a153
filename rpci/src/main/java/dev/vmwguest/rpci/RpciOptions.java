package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.transport.TransportPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link RpciClient} uses channels.
 *
 * @param maxChannels    how many channels the client may hold at once, so that as many threads can have a
 *                       command in flight; default 1 (one channel under a lock), which the JMH benchmark
 *                       found as fast as a pool of 4 for small messages from 4 threads, and which spares the
 *                       host's scarce channels (128, or 8 on hosts before 2022, shared by every process in
 *                       the VM); with 64 KiB values from 4 threads a pool of 4 took about half the time per
 *                       operation (the copies overlap), so raise it for that load (bench/RESULTS.md)
 * @param channelOptions limits and bandwidth policy of each channel
 * @param transport      which transports {@link RpciClient#open(RpciOptions)} tries, in order; default
 *                       {@link TransportPolicy#fromEnvironment()} ({@code vmwguest.transport}). Not used by a
 *                       client opened on a given backdoor or selector
 * @param acquireTimeout how long a command may wait for one of the client's channels to come free (all
 *                       {@code maxChannels} busy, or the host's table full while the client holds some);
 *                       empty (the default): as long as it takes. On expiry the command fails with
 *                       {@link RpciTimeoutException}; an interrupt always ends the wait
 *                       ({@link RpciInterruptedException})
 */
public record RpciOptions(int maxChannels, RpcChannelOptions channelOptions, TransportPolicy transport,
        Optional<Duration> acquireTimeout) {

    /**
     * Validates the options.
     *
     * @param maxChannels    how many channels the client may hold at once, 1..128
     * @param channelOptions limits and bandwidth policy of each channel
     * @param transport      which transports {@link RpciClient#open(RpciOptions)} tries, in order
     * @param acquireTimeout how long a command may wait for a channel, positive; empty: as long as it takes
     * @throws IllegalArgumentException if {@code maxChannels} is outside 1..128, or the timeout is not positive
     *         or longer than {@code Long.MAX_VALUE} nanoseconds (about 292 years)
     * @throws NullPointerException if a component is null, naming it
     */
    public RpciOptions {
        if (maxChannels < 1 || maxChannels > 128) {
            throw new IllegalArgumentException("maxChannels must be 1..128, got " + maxChannels);
        }
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout").ifPresent(RpciOptions::requireTimeout);
    }

    /**
     * Options without an acquire timeout; see the record components.
     *
     * @param maxChannels    how many channels the client may hold at once, 1..128
     * @param channelOptions limits and bandwidth policy of each channel
     * @param transport      which transports {@link RpciClient#open(RpciOptions)} tries, in order
     * @throws IllegalArgumentException if {@code maxChannels} is outside 1..128
     * @throws NullPointerException if a component is null, naming it
     */
    public RpciOptions(int maxChannels, RpcChannelOptions channelOptions, TransportPolicy transport) {
        this(maxChannels, channelOptions, transport, Optional.empty());
    }

    /**
     * Options with the transport policy of this process and no acquire timeout.
     *
     * @param maxChannels    how many channels the client may hold at once, 1..128
     * @param channelOptions limits and bandwidth policy of each channel
     * @throws IllegalArgumentException if {@code maxChannels} is outside 1..128
     * @throws NullPointerException if {@code channelOptions} is null
     */
    public RpciOptions(int maxChannels, RpcChannelOptions channelOptions) {
        this(maxChannels, channelOptions, TransportPolicy.fromEnvironment());
    }

    /**
     * One channel, default channel options, the transport policy of this process, no acquire timeout.
     *
     * @return the defaults
     */
    public static RpciOptions defaults() {
        return new RpciOptions(1, RpcChannelOptions.defaults());
    }

    /**
     * These options with another channel bound.
     *
     * @param channels the bound, 1..128
     * @return new options
     */
    public RpciOptions withMaxChannels(int channels) {
        return new RpciOptions(channels, channelOptions, transport, acquireTimeout);
    }

    /**
     * These options with other channel options.
     *
     * @param options the channel options
     * @return new options
     */
    public RpciOptions withChannelOptions(RpcChannelOptions options) {
        return new RpciOptions(maxChannels, options, transport, acquireTimeout);
    }

    /**
     * These options with another transport policy, e.g.
     * {@link TransportPolicy#privilegedOnly()} for commands the VM restricts.
     *
     * @param policy the transports to try, in order
     * @return new options
     */
    public RpciOptions withTransport(TransportPolicy policy) {
        return new RpciOptions(maxChannels, channelOptions, policy, acquireTimeout);
    }

    /**
     * These options with a bound on the wait for a channel.
     *
     * @param timeout how long a command may wait for a channel; positive
     * @return new options
     * @throws IllegalArgumentException if {@code timeout} is zero, negative or beyond {@code Long.MAX_VALUE} ns
     * @throws NullPointerException if {@code timeout} is null
     */
    public RpciOptions withAcquireTimeout(Duration timeout) {
        return new RpciOptions(maxChannels, channelOptions, transport,
                Optional.of(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * These options with no bound on the wait for a channel (the default).
     *
     * @return new options
     */
    public RpciOptions withoutAcquireTimeout() {
        return new RpciOptions(maxChannels, channelOptions, transport, Optional.empty());
    }

    private static void requireTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("acquireTimeout must be positive, got " + timeout);
        }
        try {
            timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException("acquireTimeout must be at most Long.MAX_VALUE nanoseconds "
                    + "(about 292 years), got " + timeout, tooLong);
        }
    }
}
