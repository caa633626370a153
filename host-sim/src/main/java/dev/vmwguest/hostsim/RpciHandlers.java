package dev.vmwguest.hostsim;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The host's RPCI command table as tests change it: handlers of their own
 * (taking precedence over the built-in ones), commands restricted to privileged
 * callers ({@code 0 Permission denied}, as the VMX option
 * {@code guest_rpc.rpci.auth.cmd.<command>} does for every backdoor caller) and
 * built-in commands made unknown (an older host), and requests that need a
 * secure (privileged) caller.
 *
 * <p>Secure RPC (transports.md section 1.8): the VMX lets a request restricted
 * with {@code guest_rpc.rpci.auth.cmd.<command>} through only on a vsock
 * connection whose guest source port is below 1024. The backdoor is never
 * privileged, so {@link #requireSecure(String)} refuses matching requests on
 * every backdoor channel and on unprivileged vsock connections alike, with
 * {@code 0 Permission denied}; {@link #deny(String, boolean)} refuses a command
 * for privileged vsock callers too.
 *
 * <p>Command names are exact and case-sensitive. Thread-safe.
 */
public final class RpciHandlers {

    private final Map<String, RpciHandler> handlers = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final List<Predicate<String>> secure = new CopyOnWriteArrayList<>();
    private final Set<Integer> refusedGuestInfo = ConcurrentHashMap.newKeySet();

    RpciHandlers() {
    }

    /**
     * Answers {@code command} with {@code handler} from now on, replacing any handler or built-in.
     *
     * @param command the command name, such as {@code info-get}
     * @param handler what answers it from now on
     * @return these handlers, for chaining
     */
    public RpciHandlers handle(String command, RpciHandler handler) {
        handlers.put(command, handler);
        return this;
    }

    /**
     * Removes a handler added with {@link #handle}; the built-in (if any) answers again.
     *
     * @param command the command name
     * @return these handlers, for chaining
     */
    public RpciHandlers remove(String command) {
        handlers.remove(command);
        return this;
    }

    /**
     * Answers {@code command} with {@code 0 Permission denied} (rpci.md section 1.2), or stops doing so.
     *
     * @param command the command name
     * @param denied true to deny it, false to answer it again
     * @return these handlers, for chaining
     */
    public RpciHandlers deny(String command, boolean denied) {
        if (denied) {
            this.denied.add(command);
        } else {
            this.denied.remove(command);
        }
        return this;
    }

    /**
     * Answers {@code command} with {@code 0 Unknown command} even if it is built in, or stops doing so.
     *
     * @param command the command name
     * @param unknown true to answer it as unknown, false to answer it again
     * @return these handlers, for chaining
     */
    public RpciHandlers unknown(String command, boolean unknown) {
        if (unknown) {
            this.unknown.add(command);
        } else {
            this.unknown.remove(command);
        }
        return this;
    }

    /**
     * Answers {@code SetGuestInfo  <type> ...} with {@code 0 Unsupported guest info type}
     * (the text is a CHOICE) and ignores it, as a host that does not know the type would,
     * or stops doing so: to test a guest's fallback from type 10 to 9 to 2, or from 11 to
     * 5 and 6. Refuse {@code SetGuestDiskInfo} with {@code unknown("SetGuestDiskInfo", true)}.
     *
     * @param type    the {@code GuestInfoType} number, e.g. 10
     * @param refused whether to refuse it from now on
     * @return this
     */
    public RpciHandlers refuseGuestInfo(int type, boolean refused) {
        if (refused) {
            refusedGuestInfo.add(type);
        } else {
            refusedGuestInfo.remove(type);
        }
        return this;
    }

    /**
     * Makes requests that start with {@code requestPrefix} need a secure caller, e.g.
     * {@code "info-set guestinfo."} or {@code "guestStore.connect"}. The prefix is
     * matched against the request text (ISO-8859-1, up to its first NUL).
     *
     * @param requestPrefix the start of the requests that need a privileged caller
     * @return these handlers, for chaining
     */
    public RpciHandlers requireSecure(String requestPrefix) {
        String prefix = requestPrefix;
        return requireSecure(request -> request.startsWith(prefix));
    }

    /**
     * Makes requests whose text (ISO-8859-1, up to the first NUL) matches {@code request} need a secure caller.
     *
     * @param request true for the request texts that need a privileged caller
     * @return these handlers, for chaining
     */
    public RpciHandlers requireSecure(Predicate<String> request) {
        secure.add(request);
        return this;
    }

    /**
     * Drops every {@link #requireSecure} rule.
     *
     * @return these handlers, for chaining
     */
    public RpciHandlers clearSecure() {
        secure.clear();
        return this;
    }

    /** Removes every handler, denial, unknown marking, secure rule and refused guest-info type. */
    public void clear() {
        handlers.clear();
        denied.clear();
        unknown.clear();
        secure.clear();
        refusedGuestInfo.clear();
    }

    boolean refusesGuestInfo(int type) {
        return refusedGuestInfo.contains(type);
    }

    boolean needsSecure(byte[] message, int length) {
        if (secure.isEmpty()) {
            return false;
        }
        int end = 0;
        while (end < length && message[end] != 0) {
            end++;
        }
        String request = new String(message, 0, end, StandardCharsets.ISO_8859_1);
        for (Predicate<String> rule : secure) {
            if (rule.test(request)) {
                return true;
            }
        }
        return false;
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
