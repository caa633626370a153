package dev.vmwguest.cli;

/** The CLI's exit codes; 0 and 1 mean what they mean for {@code vmware-rpctool}. */
final class ExitCodes {
    static final int OK = 0;
    static final int HOST_SAID_NO = 1;
    static final int USAGE = 2;
    static final int NO_BACKDOOR = 3;
    static final int CHANNEL_FAILED = 4;

    private ExitCodes() {
    }
}
