package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import dev.vmwguest.rpci.RpciClient;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The RPCI commands the TCLO side sends. An interface so that the loop can be
 * tested without a host; in production {@link #over} an {@link RpciClient}.
 * Every method throws the rpc/rpci layers' exceptions on failure.
 */
interface ToolsRpc extends AutoCloseable {

    /** {@code tools.capability.<name> } (no arguments) or {@code tools.capability.<name> <arguments>}. */
    void capability(String name, @Nullable String arguments);

    /** {@code tools.set.version <version>}. */
    void setVersion(int version);

    /** {@code vmx.capability.unified_loop <app>}. */
    void unifiedLoop(String app);

    /** {@code tools.os.statechange.status <ok> <state>}. */
    void reportPowerOperation(boolean succeeded, PowerState state);

    /** Releases what this object owns; never throws. */
    @Override
    void close();

    /**
     * Over a shared client (never closed here) or a client opened on first
     * use by {@code opener} and closed by {@link #close()}.
     */
    static ToolsRpc over(@Nullable RpciClient shared, Supplier<RpciClient> opener) {
        return new ToolsRpc() {
            private @Nullable RpciClient client = shared;

            private synchronized RpciClient client() {
                RpciClient current = client;
                if (current == null) {
                    current = opener.get();   // retried at the next use if refused
                    client = current;
                }
                return current;
            }

            @Override
            public void capability(String name, @Nullable String arguments) {
                if (arguments == null) {
                    client().tools().registerCapability(name);
                } else {
                    client().tools().registerCapability(name, arguments);
                }
            }

            @Override
            public void setVersion(int version) {
                client().tools().setVersion(version);
            }

            @Override
            public void unifiedLoop(String app) {
                client().tools().setUnifiedLoop(app);
            }

            @Override
            public void reportPowerOperation(boolean succeeded, PowerState state) {
                client().tools().reportPowerOperation(succeeded, state);
            }

            @Override
            public synchronized void close() {
                RpciClient current = client;
                if (current != null && current != shared) {
                    current.close();
                }
                client = shared;
            }
        };
    }
}
