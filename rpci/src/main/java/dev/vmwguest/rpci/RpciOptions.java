package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.transport.TransportPolicy;
import java.util.Objects;

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
 */
public record RpciOptions(int maxChannels, RpcChannelOptions channelOptions, TransportPolicy transport) {

    /**
     * Validates the options.
     *
     * @param maxChannels how many channels the client may hold open at once, for concurrent commands
     * @param channelOptions size limits, checkpoint retries and high-bandwidth policy of each channel
     * @param transport the transport policy {@link RpciClient#open(RpciOptions)} applies
     */
    public RpciOptions {
        if (maxChannels < 1 || maxChannels > 128) {
            throw new IllegalArgumentException("maxChannels must be 1..128, got " + maxChannels);
        }
        Objects.requireNonNull(channelOptions, "channelOptions");
        Objects.requireNonNull(transport, "transport");
    }

    /**
     * Options with the transport policy of this process.
     *
     * @param maxChannels how many channels the client may hold open at once, for concurrent commands
     * @param channelOptions size limits, checkpoint retries and high-bandwidth policy of each channel
     */
    public RpciOptions(int maxChannels, RpcChannelOptions channelOptions) {
        this(maxChannels, channelOptions, TransportPolicy.fromEnvironment());
    }

    /**
     * One channel, default channel options, the transport policy of this process.
     *
     * @return one channel, default channel options, the transport policy of this process
     */
    public static RpciOptions defaults() {
        return new RpciOptions(1, RpcChannelOptions.defaults());
    }

    /**
     * These options with another channel bound.
     *
     * @param channels how many channels the client may hold open at once
     * @return a copy of these options with that bound
     */
    public RpciOptions withMaxChannels(int channels) {
        return new RpciOptions(channels, channelOptions, transport);
    }

    /**
     * These options with other channel options.
     *
     * @param options the options of each channel
     * @return a copy of these options with those channel options
     */
    public RpciOptions withChannelOptions(RpcChannelOptions options) {
        return new RpciOptions(maxChannels, options, transport);
    }

    /**
     * These options with another transport policy, e.g.
     * {@link TransportPolicy#privilegedOnly()} for commands the VM restricts.
     *
     * @param policy the transports to try, in order
     * @return a copy of these options with that policy
     */
    public RpciOptions withTransport(TransportPolicy policy) {
        return new RpciOptions(maxChannels, channelOptions, policy);
    }
}
