package dev.vmwguest.agent;

import dev.vmwguest.rpc.transport.TransportSelector;
import dev.vmwguest.rpci.RpciClient;
import dev.vmwguest.rpci.RpciReply;
import dev.vmwguest.tclo.TcloEvents;
import dev.vmwguest.tclo.TcloPolling;

/**
 * The one place that opens the agent's connections to the host: one {@link RpciClient} for every
 * report, and one unstarted {@link TcloEvents} sharing it, both from one {@link TransportSelector}.
 * When connection injection changes, only this class changes.
 */
final class HostLink implements AutoCloseable {

    private final RpciClient rpci;
    private final TcloEvents events;

    private HostLink(RpciClient rpci, TcloEvents events) {
        this.rpci = rpci;
        this.events = events;
    }

    static HostLink open(TransportSelector transports, String appName, TcloPolling polling, System.Logger logger) {
        RpciClient rpci = RpciClient.open(transports);
        try {
            TcloEvents events = TcloEvents.builder(appName).transports(transports).rpci(rpci).polling(polling)
                    .logger(logger).build();
            return new HostLink(rpci, events);
        } catch (RuntimeException e) {
            rpci.close();
            throw e;
        }
    }

    /** An RPCI client only (no TCLO): for one-shot reports. */
    static RpciClient rpciOnly(TransportSelector transports) {
        return RpciClient.open(transports);
    }

    RpciReply send(byte[] request) {
        return rpci.sendBytes(request);
    }

    RpciClient rpci() {
        return rpci;
    }

    TcloEvents events() {
        return events;
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            rpci.close();
        }
    }
}
