package dev.vmwguest.tclo;

/**
 * Answers one kind of host command. Its return value is the reply; an
 * exception or error becomes {@code ERROR <short reason>} and the loop lives
 * on (only a fatal JVM error such as {@link InternalError} stops it).
 *
 * <pre>{@code
 * events.subscribe(TcloCommand.PowerOperation.class, op -> {
 *     shutdownHooks.run(op.state());          // the application decides what a halt means
 *     return TcloReply.ok();
 * });
 * }</pre>
 *
 * <p>Handlers run on the TCLO thread, one at a time: while one runs no other
 * command is fetched, and the host waits for the reply. Hand long work to
 * another thread and answer at once.
 *
 * @param <C> the command type
 */
@FunctionalInterface
public interface TcloHandler<C extends TcloCommand> {

    /**
     * Answers {@code command}.
     *
     * @param command the command to answer
     * @return the reply the host gets
     * @throws Exception for any failure; the host gets {@code ERROR} with the exception's message
     */
    TcloReply handle(C command) throws Exception;
}
