package dev.vmwguest.rpci;

import dev.vmwguest.rpc.RpcChannelOptions;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The guest variables ({@code guestinfo.*}) of this VM: values the guest and
 * the management side (vSphere's {@code extraConfig}, the {@code .vmx} file)
 * share.
 *
 * <pre>{@code
 * GuestInfo info = rpci.guestInfo();
 * info.set("ip", "10.0.0.5");                   // key gets the guestinfo. prefix
 * Optional<String> ip = info.get("guestinfo.ip");
 * }</pre>
 *
 * <p>Keys are validated before anything is sent ({@link GuestInfoKey}). A key
 * that is not set reads as empty, never as an error. Values are UTF-8 unless
 * the byte variants are used, and never hold NUL (the host would cut the value
 * there); one {@code info-set} carries at most
 * 65,536 bytes in all, so the largest value is that minus
 * {@code "info-set guestinfo.<key> "} ({@link #maxValueBytes(String)}).
 * The host also caps all guest-set data of a VM at
 * {@code tools.setInfo.sizeLimit} (1 MB by default), and says so with a
 * failure reply.
 *
 * <p>Thread-safe, like the client it belongs to.
 */
public final class GuestInfo {

    /** The host's reply text for {@code info-get} of a key that is not set. */
    public static final String NO_VALUE_FOUND = "No value found";

    private final RpciClient client;

    GuestInfo(RpciClient client) {
        this.client = client;
    }

    /**
     * The value of {@code key} as UTF-8 text.
     *
     * @param key the variable, with or without the {@code guestinfo.} prefix
     * @return empty if the key is not set
     * @throws IllegalArgumentException if the key is invalid (before any backdoor call)
     * @throws RpciPermissionDeniedException if VM policy restricts {@code info-get}
     * @throws RpciException on another failure reply
     * @throws dev.vmwguest.rpc.RpcProtocolException if the value is not valid UTF-8 (use {@link #getBytes})
     */
    public Optional<String> get(String key) {
        return query(GuestInfoKey.of(key)).map(RpciReply::text);
    }

    /**
     * The raw bytes of {@code key}'s value; see {@link #get(String)}.
     *
     * @param key the variable, with or without the {@code guestinfo.} prefix
     * @return the value's bytes, or empty if the key is not set
     * @throws IllegalArgumentException if the key is invalid (before any backdoor call)
     * @throws RpciPermissionDeniedException if VM policy restricts {@code info-get}
     * @throws RpciException on another failure reply
     */
    public Optional<byte[]> getBytes(String key) {
        return query(GuestInfoKey.of(key)).map(RpciReply::bytes);
    }

    /**
     * Sets {@code key} to {@code value} (UTF-8).
     *
     * @param key   the variable, with or without the {@code guestinfo.} prefix
     * @param value the new value; at most {@link #maxValueBytes(String)} bytes as UTF-8
     * @throws IllegalArgumentException if the key is invalid, or the value too large, holding a NUL or an
     *         unpaired surrogate (no UTF-8 form; never sent as {@code '?'}), naming the index (before any
     *         backdoor call)
     * @throws NullPointerException if {@code key} or {@code value} is null, naming it
     * @throws RpciException if the host refuses it (for example over the VM's size limit), naming the key
     */
    public void set(String key, String value) {
        GuestInfoKey checked = GuestInfoKey.of(key);
        int bad = WireText.indexOfUnpairedSurrogate(Objects.requireNonNull(value, "value"));
        if (bad >= 0) {
            throw WireText.unencodable("value for " + checked, value, bad);
        }
        setBytes(checked, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets {@code key} to raw bytes: any byte value but NUL, which ends a text
     * command on the host (rpci.md section 1.1), so the host would silently
     * store only the bytes before it. See {@link #set(String, String)}.
     *
     * @param key   the variable, with or without the {@code guestinfo.} prefix
     * @param value the new value; at most {@link #maxValueBytes(String)} bytes
     * @throws IllegalArgumentException if the key is invalid, or the value too large or holding a NUL
     *         (before any backdoor call)
     */
    public void setBytes(String key, byte[] value) {
        setBytes(GuestInfoKey.of(key), value);
    }

    private void setBytes(GuestInfoKey checked, byte[] value) {
        Objects.requireNonNull(value, "value");
        int max = RpciCommands.maxInfoSetValue(checked, maxMessage());
        if (value.length > max) {
            throw new IllegalArgumentException("value for " + checked + " is " + value.length
                    + " bytes; one info-set carries at most " + max + " bytes of value for this key");
        }
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                throw new IllegalArgumentException("value for " + checked + " has a NUL at index " + i
                        + "; the host ends a text command at its first NUL and would store only the bytes before it");
            }
        }
        client.call(new RpciRequest.InfoSet(checked, value));
    }

    /**
     * The largest value in bytes {@link #setBytes} accepts for {@code key}.
     *
     * @param key the variable, with or without the {@code guestinfo.} prefix
     * @return the largest value in bytes, within this client's send limit and the host's 64 KiB
     * @throws IllegalArgumentException if {@code key} is not a valid guestinfo key
     */
    public int maxValueBytes(String key) {
        return RpciCommands.maxInfoSetValue(GuestInfoKey.of(key), maxMessage());
    }

    /**
     * The largest value in bytes one {@code info-set} of {@code key} carries
     * in a message of {@code maxMessageBytes}, known before any connection
     * (a command line reads its input with this bound).
     *
     * @param key             the variable, with or without the {@code guestinfo.} prefix
     * @param maxMessageBytes the largest request the channel sends, e.g.
     *                        {@link dev.vmwguest.rpc.RpcChannelOptions#DEFAULT_MAX_SEND_SIZE}
     * @return the largest value in bytes
     * @throws IllegalArgumentException if {@code key} is not a valid guestinfo key
     */
    public static int maxValueBytes(String key, int maxMessageBytes) {
        return RpciCommands.maxInfoSetValue(GuestInfoKey.of(key), maxMessageBytes);
    }

    private Optional<RpciReply> query(GuestInfoKey key) {
        RpciRequest request = new RpciRequest.InfoGet(key);
        RpciReply reply = client.send(request);
        if (!reply.success() && reply.length() == NO_VALUE_FOUND.length()
                && new String(reply.bytes(), StandardCharsets.US_ASCII).equalsIgnoreCase(NO_VALUE_FOUND)) {
            return Optional.empty();
        }
        return Optional.of(client.requireSuccess(request, reply));
    }

    private int maxMessage() {
        return Math.min(client.options().channelOptions().maxSendSize(), RpcChannelOptions.DEFAULT_MAX_SEND_SIZE);
    }
}
