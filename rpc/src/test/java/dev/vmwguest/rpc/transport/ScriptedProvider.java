package dev.vmwguest.rpc.transport;

import dev.vmwguest.rpc.RpcChannelOptions;
import dev.vmwguest.rpc.RpcConnection;
import dev.vmwguest.rpc.RpcProtocol;
import dev.vmwguest.rpc.TransportKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A vsock provider whose every attempt's outcome the test sets; records each attempt. */
final class ScriptedProvider implements TransportProvider {

    final List<String> attempts = new ArrayList<>();
    private final Map<TransportKind, TransportRefusal.Reason> refusals = new EnumMap<>(TransportKind.class);

    ScriptedProvider refuse(TransportKind kind, TransportRefusal.Reason reason) {
        refusals.put(kind, reason);
        return this;
    }

    ScriptedProvider accept(TransportKind kind) {
        refusals.remove(kind);
        return this;
    }

    @Override
    public Set<TransportKind> kinds() {
        return EnumSet.of(TransportKind.VSOCK_PRIVILEGED, TransportKind.VSOCK);
    }

    @Override
    public Optional<TransportRefusal> check(TransportKind kind, RpcProtocol protocol, TransportPolicy policy) {
        TransportRefusal.Reason reason = refusals.get(kind);
        return reason == null ? Optional.empty() : Optional.of(new TransportRefusal(kind, reason, "scripted check"));
    }

    @Override
    public RpcConnection open(TransportKind kind, RpcProtocol protocol, TransportPolicy policy,
            RpcChannelOptions options) {
        attempts.add(kind + " " + protocol);
        TransportRefusal.Reason reason = refusals.get(kind);
        if (reason != null) {
            throw new TransportRefusedException(kind, reason, "scripted " + reason);
        }
        return new FakeConnection(kind);
    }

    record FakeConnection(TransportKind transport) implements RpcConnection {
        @Override
        public void send(byte[] message) {
        }

        @Override
        public Optional<byte[]> receive() {
            return Optional.empty();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
