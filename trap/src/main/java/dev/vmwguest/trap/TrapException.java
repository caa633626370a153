package dev.vmwguest.trap;

/** The trap launcher could not run a program (unsupported platform, I/O failure, interruption). */
public final class TrapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public TrapException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public TrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
