package dev.vmwguest.tclo;

import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciRequest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where the TCLO side sends its RPCI requests (capabilities, tools version,
 * unified loop, power-operation status): one typed {@link RpciRequest} at a
 * time, a failure reply being an exception. A seam so that tests can record
 * the requests without a host; in production {@link #over} an {@link RpciClient}.
 */
interface RpciSender extends AutoCloseable {

    /** Sends {@code request}; throws the rpc/rpci layers' exceptions, as {@link RpciClient#call(RpciRequest)}. */
    void call(RpciRequest request);

    /** Releases what this sender owns; never throws. */
    @Override
    default void close() {
    }

    /**
     * Over a shared client (never closed here) or a client opened on first
     * use by {@code opener} and closed by {@link #close()}.
     */
    static RpciSender over(@Nullable RpciClient shared, Supplier<RpciClient> opener) {
        return new RpciSender() {
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
            public void call(RpciRequest request) {
                client().call(request);
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
