package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcChannelOptions;
import java.util.Objects;

/**
 * How an {@link RpciClient} uses channels.
 *
 * @param maxChannels    how many channels the client may hold at once, so that as many threads can have a
 *                       command in flight; default 1 (one channel under a lock), which the JMH benchmark
 *                       found as fast as more (bench/RESULTS.md) and which spares the host's scarce channels
 *                       (128, or 8 on hosts before 2022, shared by every process in the VM)
 * @param channelOptions limits and bandwidth policy of each channel
 */
public record RpciOptions(int maxChannels, RpcChannelOptions channelOptions) {

    /** Validates the options. */
    public RpciOptions {
        if (maxChannels < 1 || maxChannels > 128) {
            throw new IllegalArgumentException("maxChannels must be 1..128, got " + maxChannels);
        }
        Objects.requireNonNull(channelOptions, "channelOptions");
    }

    /** One channel, default channel options. */
    public static RpciOptions defaults() {
        return new RpciOptions(1, RpcChannelOptions.defaults());
    }

    /** These options with another channel bound. */
    public RpciOptions withMaxChannels(int channels) {
        return new RpciOptions(channels, channelOptions);
    }

    /** These options with other channel options. */
    public RpciOptions withChannelOptions(RpcChannelOptions options) {
        return new RpciOptions(maxChannels, options);
    }
}
