package dev.vmwguest.agent;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What NIC info reports: interfaces, routes and the resolver configuration.
 *
 * @param nics   the reported interfaces, in report order (at most 16 are sent)
 * @param routes the routes (at most 100 are sent)
 * @param dns    the resolver configuration, or null when it could not be read
 */
public record NetworkInfo(List<GuestNic> nics, List<GuestRoute> routes, @Nullable DnsConfig dns) {

    /**
     * Copies the lists.
     *
     * @param nics   the reported interfaces, in report order (at most 16 are sent)
     * @param routes the routes (at most 100 are sent)
     * @param dns    the resolver configuration, or null when it could not be read
     * @throws NullPointerException if a non-nullable component is null
     */
    public NetworkInfo {
        nics = List.copyOf(nics);
        routes = List.copyOf(routes);
    }

    /**
     * No interfaces, routes or resolver: what vmtoolsd sends when gathering fails.
     *
     * @return an empty value
     */
    public static NetworkInfo empty() {
        return new NetworkInfo(List.of(), List.of(), null);
    }
}
