package dev.vmwguest.hostsim.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Lets the simulator start its vsock side, whose constructor is not public:
 * the stand-in class registers a {@link Starter} when it is initialized (the
 * JDK's "shared secrets" idiom), so neither package exports what only the
 * other needs, and this package depends on neither.
 */
public final class VsockSideAccess {

    /** Starts a vsock stand-in. */
    public interface Starter {
        /**
         * Starts the vsock side of a host.
         *
         * @param host      the host it serves
         * @param directory the directory of its socket files
         * @param options   its options (the stand-in's own options type)
         * @return the started stand-in
         */
        AutoCloseable start(VsockHostSide host, Path directory, Object options);
    }

    private static volatile @Nullable Starter starter;

    private VsockSideAccess() {
    }

    /**
     * Called once by the stand-in class's initializer.
     *
     * @param value the starter
     */
    public static void register(Starter value) {
        starter = Objects.requireNonNull(value, "value");
    }

    /**
     * The starter, initializing {@code standInClass} first if need be.
     *
     * @param standInClass the class that registers it
     * @return the starter
     */
    public static Starter starter(Class<?> standInClass) {
        Starter registered = starter;
        if (registered == null) {
            try {
                Class.forName(standInClass.getName(), true, standInClass.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            registered = Objects.requireNonNull(starter, "the vsock stand-in registered no starter");
        }
        return registered;
    }
}
