package dev.vmwguest.rpci;

import java.util.Objects;

/**
 * One RPCI command as a value: validated when it is made, encoded to the
 * exact bytes shared/protocol/rpci.md specifies, and knowing whether it may
 * be sent a second time after a channel failure that may have delivered it.
 * {@link RpciClient#send(RpciRequest)} decides its retry from this type alone,
 * never by reading the bytes.
 *
 * <pre>{@code
 * RpciReply reply = rpci.send(new RpciRequest.InfoGet(GuestInfoKey.of("ip")));
 * }</pre>
 *
 * <p>Text is UTF-8; text without a UTF-8 form (an unpaired surrogate) is
 * refused with {@link IllegalArgumentException} at construction, never
 * altered. Null components are refused with {@link NullPointerException}.
 */
public sealed interface RpciRequest {

    /**
     * The bytes sent to the host, without a trailing NUL.
     *
     * @return a new array each time
     */
    byte[] encode();

    /**
     * Whether repeating this command after the host may already have acted on
     * it leaves the host as one command would. A request that is not
     * resendable is still sent again when the failure came before the host
     * had it.
     *
     * @return whether a resend after a possible delivery is harmless
     */
    boolean resendable();

    /**
     * {@code info-get guestinfo.<key>}: resendable.
     *
     * @param key the variable
     */
    record InfoGet(GuestInfoKey key) implements RpciRequest {
        /**
         * Validates the key.
         *
         * @param key the variable
         * @throws NullPointerException if {@code key} is null
         */
        public InfoGet {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public byte[] encode() {
            return RpciCommands.infoGet(key);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * {@code info-set guestinfo.<key> <value>}: the value is every byte after
     * the key's space, NULs included. Resendable.
     *
     * @param key   the variable
     * @param value the value bytes (copied)
     */
    record InfoSet(GuestInfoKey key, byte[] value) implements RpciRequest {
        /**
         * Validates and copies.
         *
         * @param key   the variable
         * @param value the value bytes (copied)
         * @throws NullPointerException if {@code key} or {@code value} is null
         */
        public InfoSet {
            Objects.requireNonNull(key, "key");
            value = Objects.requireNonNull(value, "value").clone();
        }

        /**
         * The value bytes.
         *
         * @return a copy
         */
        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] encode() {
            return RpciCommands.infoSet(key, value);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * {@code log <text>}: one line in the VM's vmware.log. Never resent after
     * a failure that may have delivered it (the line would be logged twice).
     *
     * @param text the line; no NUL (the host would log only what precedes it)
     */
    record Log(String text) implements RpciRequest {
        /**
         * Validates the text: no NUL, no unpaired surrogate.
         *
         * @param text the line
         * @throws IllegalArgumentException if {@code text} holds a NUL or an unpaired surrogate, naming its index
         * @throws NullPointerException if {@code text} is null
         */
        public Log {
            RpciCommands.log(text);
        }

        @Override
        public byte[] encode() {
            return RpciCommands.log(text);
        }

        @Override
        public boolean resendable() {
            return false;
        }
    }

    /**
     * {@code tools.set.version <n>}: resendable.
     *
     * @param version the encoded version, 0 to {@link #UNMANAGED}
     */
    record SetToolsVersion(int version) implements RpciRequest {

        /** The version guest-managed tools report ({@code TOOLS_VERSION_UNMANAGED}). */
        public static final int UNMANAGED = 0x7FFF_FFFF;

        /**
         * The encoded tools version {@code (major << 10) | (minor << 5) | base}, e.g. 13.1.0 = 13344.
         *
         * @param major 0 to 2,097,151
         * @param minor 0 to 31
         * @param base  0 to 31
         * @return the encoded version
         * @throws IllegalArgumentException if a part is out of range
         */
        public static int versionOf(int major, int minor, int base) {
            return RpciCommands.encodeToolsVersion(major, minor, base);
        }

        /**
         * Validates the version: old hosts parse it as signed 32-bit.
         *
         * @param version the encoded version, 0 to {@link #UNMANAGED}
         * @throws IllegalArgumentException if {@code version} is negative
         */
        public SetToolsVersion {
            RpciCommands.setToolsVersion(version);
        }

        @Override
        public byte[] encode() {
            return RpciCommands.setToolsVersion(version);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * {@code tools.set.versiontype <n> <type>}: resendable.
     *
     * @param version the encoded version
     * @param type    how the tools were installed
     */
    record SetToolsVersionType(int version, ToolsInstallType type) implements RpciRequest {
        /**
         * Validates the components.
         *
         * @param version the encoded version
         * @param type    how the tools were installed
         * @throws IllegalArgumentException if {@code version} is negative
         * @throws NullPointerException if {@code type} is null
         */
        public SetToolsVersionType {
            RpciCommands.setToolsVersionType(version, type);
        }

        @Override
        public byte[] encode() {
            return RpciCommands.setToolsVersionType(version, type);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * {@code tools.capability.<name> <arguments>}; empty arguments send the
     * trailing space VMX handlers expect. Resendable.
     *
     * @param name      one word of printable ASCII, e.g. {@code statechange}
     * @param arguments the arguments, or empty
     */
    record Capability(String name, String arguments) implements RpciRequest {
        /**
         * Validates the components.
         *
         * @param name      one word of printable ASCII, e.g. {@code statechange}
         * @param arguments the arguments, or empty
         * @throws IllegalArgumentException if {@code name} is not one word of printable ASCII, or
         *         {@code arguments} has an unpaired surrogate
         * @throws NullPointerException if a component is null
         */
        public Capability {
            RpciCommands.capability(name, arguments);
        }

        @Override
        public byte[] encode() {
            return RpciCommands.capability(name, arguments);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * {@code tools.os.statechange.status <1|0> <state>}: the outcome of a
     * power operation. Never resent after a possible delivery: the host would
     * take a second outcome for the next operation.
     *
     * @param succeeded whether the operation succeeded
     * @param state     the operation
     */
    record StateChangeStatus(boolean succeeded, PowerState state) implements RpciRequest {
        /**
         * Validates the state.
         *
         * @param succeeded whether the operation succeeded
         * @param state     the operation
         * @throws NullPointerException if {@code state} is null
         */
        public StateChangeStatus {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public byte[] encode() {
            return RpciCommands.stateChangeStatus(succeeded, state);
        }

        @Override
        public boolean resendable() {
            return false;
        }
    }

    /**
     * {@code SetGuestInfo  <type> <value>} (two spaces, as every real client
     * sends): binary-safe, the value is every byte after the type. Resendable.
     *
     * @param type  what the value is
     * @param value the value bytes (copied)
     */
    record SetGuestInfo(GuestInfoType type, byte[] value) implements RpciRequest {
        /**
         * Validates and copies.
         *
         * @param type  what the value is
         * @param value the value bytes (copied)
         * @throws NullPointerException if {@code type} or {@code value} is null
         */
        public SetGuestInfo {
            Objects.requireNonNull(type, "type");
            value = Objects.requireNonNull(value, "value").clone();
        }

        /**
         * The value bytes.
         *
         * @return a copy
         */
        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] encode() {
            return RpciCommands.setGuestInfo(type, value);
        }

        @Override
        public boolean resendable() {
            return true;
        }
    }

    /**
     * Any command, as bytes. Whether it may be resent is decided once, when
     * it is made, from its command name (the bytes before the first space or
     * NUL): the commands of the other records that are resendable, plus
     * {@code machine.id.get}, {@code vmx.capability.unified_loop},
     * {@code SetGuestDiskInfo}, {@code guest.log.state} and
     * {@code update.tools.health}; everything else is not.
     *
     * @param bytes      the request (copied)
     * @param resendable whether a resend after a possible delivery is harmless
     */
    record Raw(byte[] bytes, boolean resendable) implements RpciRequest {
        /**
         * Copies the bytes.
         *
         * @param bytes      the request (copied)
         * @param resendable whether a resend after a possible delivery is harmless
         * @throws NullPointerException if {@code bytes} is null
         */
        public Raw {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        /**
         * {@code bytes} as is, resendable as its command name says.
         *
         * @param bytes the request
         * @return the request
         */
        public static Raw of(byte[] bytes) {
            return new Raw(bytes, RpciCommands.isIdempotentRequest(Objects.requireNonNull(bytes, "bytes")));
        }

        /**
         * {@code command} as UTF-8, resendable as its command name says.
         *
         * @param command the whole command, e.g. {@code info-get guestinfo.ip}
         * @return the request
         * @throws IllegalArgumentException if {@code command} has an unpaired surrogate, naming its index
         */
        public static Raw of(String command) {
            return of(WireText.utf8(command, "command"));
        }

        /**
         * The request bytes.
         *
         * @return a copy
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public byte[] encode() {
            return bytes.clone();
        }

        /** The bytes without a copy, for the client, which never changes or keeps them. */
        byte[] wire() {
            return bytes;
        }
    }
}
