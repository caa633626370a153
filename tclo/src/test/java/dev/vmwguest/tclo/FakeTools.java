package dev.vmwguest.tclo;

import dev.vmwguest.rpci.PowerState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Records the RPCI commands the TCLO side sends, in wire form. */
final class FakeTools implements ToolsRpc {

    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public void capability(String name, @Nullable String arguments) {
        sent.add("tools.capability." + name + " " + (arguments == null ? "" : arguments));
    }

    @Override
    public void setVersion(int version) {
        sent.add("tools.set.version " + version);
    }

    @Override
    public void unifiedLoop(String app) {
        sent.add("vmx.capability.unified_loop " + app);
    }

    @Override
    public void reportPowerOperation(boolean succeeded, PowerState state) {
        sent.add("tools.os.statechange.status " + (succeeded ? 1 : 0) + " " + state.code());
    }

    @Override
    public void close() {
        closed = true;
    }
}
