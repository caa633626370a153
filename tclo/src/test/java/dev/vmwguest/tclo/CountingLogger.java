package dev.vmwguest.tclo;

import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A System.Logger that keeps every line, at every level, so tests can bound them. */
final class CountingLogger implements System.Logger {

    final List<String> lines = new CopyOnWriteArrayList<>();
    /** The lines logged with a stack trace. */
    final List<String> traced = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(level + " " + msg);
        if (thrown != null) {
            traced.add(level + " " + msg);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(level + " " + format);
    }

    /** Collects state changes. */
    static final class Changes implements Consumer<TcloStateChange> {
        final List<TcloStateChange> all = new CopyOnWriteArrayList<>();

        @Override
        public void accept(TcloStateChange change) {
            all.add(change);
        }

        List<TcloState> states() {
            return all.stream().map(TcloStateChange::current).toList();
        }
    }
}
