package dev.vmwguest.tclo;

import dev.vmwguest.rpci.RpciRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the RPCI requests the TCLO side sends, in wire form. */
final class FakeTools implements RpciSender {

    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public void call(RpciRequest request) {
        sent.add(new String(request.encode(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
    }
}
