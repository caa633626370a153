package dev.vmwguest.hostsim;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's RPCI command table as tests change it: handlers of their own
 * (taking precedence over the built-in ones), commands restricted to privileged
 * callers ({@code 0 Permission denied}, as the VMX option
 * {@code guest_rpc.rpci.auth.cmd.<command>} does for every backdoor caller) and
 * built-in commands made unknown (an older host).
 *
 * <p>Command names are exact and case-sensitive. Thread-safe.
 */
public final class RpciHandlers {

    private final Map<String, RpciHandler> handlers = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();

    RpciHandlers() {
    }

    /** Answers {@code command} with {@code handler} from now on, replacing any handler or built-in. */
    public RpciHandlers handle(String command, RpciHandler handler) {
        handlers.put(command, handler);
        return this;
    }

    /** Removes a handler added with {@link #handle}; the built-in (if any) answers again. */
    public RpciHandlers remove(String command) {
        handlers.remove(command);
        return this;
    }

    /** Answers {@code command} with {@code 0 Permission denied} (rpci.md section 1.2), or stops doing so. */
    public RpciHandlers deny(String command, boolean denied) {
        if (denied) {
            this.denied.add(command);
        } else {
            this.denied.remove(command);
        }
        return this;
    }

    /** Answers {@code command} with {@code 0 Unknown command} even if it is built in, or stops doing so. */
    public RpciHandlers unknown(String command, boolean unknown) {
        if (unknown) {
            this.unknown.add(command);
        } else {
            this.unknown.remove(command);
        }
        return this;
    }

    /** Removes every handler, denial and unknown marking. */
    public void clear() {
        handlers.clear();
        denied.clear();
        unknown.clear();
    }

    Optional<RpciHandler> handler(String command) {
        return Optional.ofNullable(handlers.get(command));
    }

    boolean denied(String command) {
        return denied.contains(command);
    }

    boolean unknown(String command) {
        return unknown.contains(command);
    }
}
