package dev.vmwguest.tclo;

/**
 * Another process in this VM holds the TCLO app name: the host answered
 * every {@code OK ATR <app>} with nothing but further resets or a failing
 * channel. With {@code toolbox} this almost always means VMware Tools
 * ({@code vmtoolsd}) is running.
 *
 * <p>{@link TcloEvents} stops polling when it detects this, so that the two
 * processes do not take the channel from each other forever. What to do:
 * either let VMware Tools be the guest tools and use only RPCI
 * ({@code dev.vmwguest.rpci}) from this application, or stop
 * {@code vmtoolsd} (appliances and minimal images without open-vm-tools), or
 * use an app name of your own.
 */
public final class TcloAppConflictException extends TcloException {

    private static final long serialVersionUID = 1L;

    /** The contested app name; serialized with the exception. */
    private final String appName;
    /** How many attaches were rejected in a row; serialized with the exception. */
    private final int resets;

    /**
     * A conflict on {@code appName}, detected after {@code resets} rejected attaches.
     *
     * @param appName the TCLO app name another process holds
     * @param resets how many attaches were rejected in a row
     */
    public TcloAppConflictException(String appName, int resets) {
        super("TCLO app name '" + appName + "' is held by another process: " + resets
                + " resets in a row answered with 'OK ATR " + appName + "' and no other command"
                + ("toolbox".equals(appName) ? " (is VMware Tools / vmtoolsd running?)" : "")
                + "; stopped polling. Either leave the guest-tools role to that process and use RPCI only,"
                + " stop it, or choose another app name");
        this.appName = appName;
        this.resets = resets;
    }

    /**
     * The contested app name.
     *
     * @return the contested app name
     */
    public String appName() {
        return appName;
    }

    /**
     * How many rejected attaches were seen before giving up.
     *
     * @return how many rejected attaches were seen before giving up
     */
    public int resets() {
        return resets;
    }
}
