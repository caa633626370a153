package dev.vmwguest.rpc;

import static dev.vmwguest.rpc.MessageStatus.CHECKPOINT;
import static dev.vmwguest.rpc.MessageStatus.CLOSED;
import static dev.vmwguest.rpc.MessageStatus.DORECV;
import static dev.vmwguest.rpc.MessageStatus.HIGH_BANDWIDTH;
import static dev.vmwguest.rpc.MessageStatus.POWEROFF;
import static dev.vmwguest.rpc.MessageStatus.SUCCESS;
import static dev.vmwguest.rpc.MessageStatus.TIMEOUT;
import static dev.vmwguest.rpc.MessageStatus.UNSENT;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.BackdoorCommand;
import dev.vmwguest.backdoor.RegisterFrame;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The step-by-step algorithms of one channel (open-vm-tools' message.c
 * semantics, guestrpc-channel.md section 4) with bounded checkpoint restarts.
 * {@link RpcChannel} owns the lifecycle; this class only moves messages, and
 * reuses one register frame and one direct buffer, so sending allocates
 * nothing and receiving allocates only the returned array.
 */
final class MessageExchange {

    private static final int HB_MESSAGE_SUCCESS = SUCCESS << 16;
    /** Sentinel from the payload helpers: every payload call succeeded. */
    private static final int PAYLOAD_DONE = -1;

    private final Backdoor backdoor;
    private final RpcProtocol protocol;
    private final RpcChannelOptions options;
    private final boolean highBandwidthAllowed;
    private final RegisterFrame frame = new RegisterFrame();
    private final int id;
    private final int cookieHigh;
    private final int cookieLow;
    private ByteBuffer scratch = ByteBuffer.allocateDirect(0);
    private MessageStep failedStep = MessageStep.OPEN;

    MessageExchange(Backdoor backdoor, RpcProtocol protocol, RpcChannelOptions options, int id, int cookieHigh,
            int cookieLow) {
        this.backdoor = backdoor;
        this.protocol = protocol;
        this.options = options;
        this.highBandwidthAllowed = options.highBandwidth().permitsHighBandwidth();
        this.id = id;
        this.cookieHigh = cookieHigh;
        this.cookieLow = cookieLow;
    }

    /** Sends {@code message} through the reused direct buffer. */
    void send(byte[] message) {
        ByteBuffer payload = scratch(message.length);
        payload.put(0, message);
        send(payload);
    }

    /** Sends one message, restarting it after checkpoints; throws on failure. */
    void send(ByteBuffer message) {
        int length = message.remaining();
        for (int attempt = 1; ; attempt++) {
            int sizeStatus = lowBandwidth(MessageStep.SEND_SIZE, length);
            if (!MessageStatus.isSuccess(sizeStatus)) {
                throw stepFailure(MessageStep.SEND_SIZE, sizeStatus, attempt);
            }
            if (length == 0) {
                return;
            }
            int status = useHighBandwidth(sizeStatus) ? sendHighBandwidth(message) : sendLowBandwidth(message);
            if (status == PAYLOAD_DONE) {
                return;
            }
            if (!restartable(status, attempt)) {
                throw stepFailure(failedStep, status, attempt);
            }
        }
    }

    private int sendHighBandwidth(ByteBuffer message) {
        frame.set(Backdoor.MAGIC, HB_MESSAGE_SUCCESS, message.remaining(),
                RegisterFrame.halves(id, Backdoor.HIGH_BANDWIDTH_PORT), 0, cookieLow, cookieHigh);
        backdoor.send(frame, message);
        int status = RegisterFrame.high16(frame.bx());
        failedStep = MessageStep.SEND_PAYLOAD_HIGH_BANDWIDTH;
        return MessageStatus.isSuccess(status) ? PAYLOAD_DONE : status;
    }

    private int sendLowBandwidth(ByteBuffer message) {
        int end = message.limit();
        for (int index = message.position(); index < end; index += 4) {
            int status = lowBandwidth(MessageStep.SEND_PAYLOAD, LowBandwidthWords.pack(message, index, end));
            if (!MessageStatus.isSuccess(status)) {
                failedStep = MessageStep.SEND_PAYLOAD;
                return status;
            }
        }
        return PAYLOAD_DONE;
    }

    /**
     * Receives one message, restarting after checkpoints; throws on failure.
     * Null when the host has nothing: not an {@code Optional}, which
     * {@link RpcChannel#call} would allocate on every round trip.
     */
    byte @Nullable [] receive() {
        for (int attempt = 1; ; attempt++) {
            int sizeStatus = lowBandwidth(MessageStep.RECEIVE_SIZE, 0);
            if ((sizeStatus & UNSENT) != 0 && !MessageStatus.isSuccess(sizeStatus)) {
                return null;
            }
            if (!MessageStatus.isSuccess(sizeStatus)) {
                throw stepFailure(MessageStep.RECEIVE_SIZE, sizeStatus, attempt);
            }
            if ((sizeStatus & DORECV) == 0) {
                return null;
            }
            int echo = RegisterFrame.high16(frame.dx());
            if (echo != MessageStep.SEND_SIZE.code()) {
                // open-vm-tools sends no error-ack here; the owning channel abandons itself.
                throw new RpcProtocolException("RECEIVE_SIZE on channel " + id + " echoed type " + echo
                        + " in dx, expected " + MessageStep.SEND_SIZE.code() + " (SEND_SIZE)");
            }
            long announced = Integer.toUnsignedLong(frame.bx());
            if (announced > options.maxReceiveSize()) {
                rejectMessage(announced > 0);
                throw new RpcMessageTooLargeException("the host's message on " + protocol + " channel " + id,
                        announced, options.maxReceiveSize(), "rejected without allocating; raise "
                                + "RpcChannelOptions.maxReceiveSize if the host is right");
            }
            int length = (int) announced;
            ByteBuffer target;
            try {
                target = scratch(length);
            } catch (OutOfMemoryError noMemory) {
                rejectMessage(length > 0);
                throw unallocatable(length, noMemory, "rejected");
            }
            int status = useHighBandwidth(sizeStatus) && length > 0
                    ? receiveHighBandwidth(target, length) : receiveLowBandwidth(target, length);
            if (status == PAYLOAD_DONE) {
                status = lowBandwidth(MessageStep.RECEIVE_STATUS, SUCCESS);
                failedStep = MessageStep.RECEIVE_STATUS;
                if (MessageStatus.isSuccess(status)) {
                    return copy(target, length);
                }
            }
            if ((status & UNSENT) != 0) {
                return null;
            }
            if (!restartable(status, attempt)) {
                if ((status & CHECKPOINT) == 0) {
                    // A checkpoint already reset the message on the host (it is offered again from
                    // byte 0), so there is nothing to reject: the error-ack of section 4.8 is for
                    // other failures only, and here it would be a call in the wrong state.
                    rejectMessage(failedStep != MessageStep.RECEIVE_STATUS);
                }
                throw stepFailure(failedStep, status, attempt);
            }
        }
    }

    private int receiveHighBandwidth(ByteBuffer target, int length) {
        frame.set(Backdoor.MAGIC, HB_MESSAGE_SUCCESS, length,
                RegisterFrame.halves(id, Backdoor.HIGH_BANDWIDTH_PORT), cookieHigh, 0, cookieLow);
        backdoor.receive(frame, target.limit(length));
        int status = RegisterFrame.high16(frame.bx());
        failedStep = MessageStep.RECEIVE_PAYLOAD_HIGH_BANDWIDTH;
        return MessageStatus.isSuccess(status) ? PAYLOAD_DONE : status;
    }

    private int receiveLowBandwidth(ByteBuffer target, int length) {
        for (int index = 0; index < length; index += 4) {
            int status = lowBandwidth(MessageStep.RECEIVE_PAYLOAD, SUCCESS);
            if (!MessageStatus.isSuccess(status)) {
                failedStep = MessageStep.RECEIVE_PAYLOAD;
                return status;
            }
            int echo = RegisterFrame.high16(frame.dx());
            if (echo != MessageStep.SEND_PAYLOAD.code()) {
                rejectMessage(true);
                throw new RpcProtocolException("RECEIVE_PAYLOAD on channel " + id + " echoed type " + echo
                        + " in dx, expected " + MessageStep.SEND_PAYLOAD.code() + " (SEND_PAYLOAD)");
            }
            LowBandwidthWords.unpack(frame.bx(), target, index, length);
        }
        return PAYLOAD_DONE;
    }

    /**
     * Tells the host we failed to take its message, so it drops it: a failed
     * RECEIVE_PAYLOAD while bytes are outstanding, else a failed RECEIVE_STATUS
     * (guestrpc-channel.md section 4.8). The answer changes nothing for us.
     */
    private void rejectMessage(boolean payloadOutstanding) {
        lowBandwidth(payloadOutstanding ? MessageStep.RECEIVE_PAYLOAD : MessageStep.RECEIVE_STATUS, 0);
    }

    private byte[] copy(ByteBuffer source, int length) {
        byte[] message;
        try {
            message = new byte[length];
        } catch (OutOfMemoryError noMemory) {
            throw unallocatable(length, noMemory, "acknowledged, so the host has dropped it");
        }
        source.get(0, message);
        return message;
    }

    /** A message within the limit that this JVM has no memory for: a typed failure, never a bare Error. */
    private RpcMessageTooLargeException unallocatable(int length, OutOfMemoryError noMemory, String fate) {
        return new RpcMessageTooLargeException("the host's message on " + protocol + " channel " + id + " is "
                + length + " bytes, within RpcChannelOptions.maxReceiveSize (" + options.maxReceiveSize()
                + ") but more than this JVM could allocate; the message was " + fate + " and the channel closed; "
                + "lower the limit or give the JVM more memory", length, options.maxReceiveSize(), noMemory);
    }

    private boolean restartable(int status, int attempt) {
        return (status & CHECKPOINT) != 0 && failedStep.honoursCheckpoint() && attempt <= options.checkpointRetries();
    }

    private RpcException stepFailure(MessageStep step, int status, int attempts) {
        if ((status & CHECKPOINT) != 0 && step.honoursCheckpoint()) {
            return new RpcCheckpointException(step, id, status, attempts);
        }
        // A checkpoint on a size step is a hard failure (section 3), yet the channel may well be alive.
        if ((status & (POWEROFF | UNSENT | CHECKPOINT)) != 0 && (status & (CLOSED | TIMEOUT)) == 0) {
            return new RpcStatusException(step, id, status);
        }
        // CLOSED, TIMEOUT, or a bare refusal: what a host answers for an id or cookies it no longer knows.
        return new RpcChannelClosedException(step, id, status);
    }

    private boolean useHighBandwidth(int sizeStatus) {
        return (sizeStatus & HIGH_BANDWIDTH) != 0 && highBandwidthAllowed;
    }

    /**
     * CLOSE, made again while the host answers with a checkpoint (it did not
     * act on it and still holds the slot), at most
     * {@link RpcChannelOptions#checkpointRetries()} times more, the bound of
     * the message steps. open-vm-tools makes one CLOSE and forgets the channel
     * whatever the answer (message.c {@code Message_CloseAllocated}). Any
     * other answer ends it: success, or a host that no longer knows the channel.
     */
    void close() {
        for (int attempt = 0; ; attempt++) {
            int status = lowBandwidth(MessageStep.CLOSE, 0);
            if (MessageStatus.isSuccess(status) || (status & CHECKPOINT) == 0
                    || attempt >= options.checkpointRetries()) {
                return;
            }
        }
    }

    /** One low-bandwidth MESSAGE call; returns the status (high half of cx). */
    int lowBandwidth(MessageStep step, int argument) {
        frame.set(Backdoor.MAGIC, argument,
                RegisterFrame.halves(step.code(), BackdoorCommand.MESSAGE),
                RegisterFrame.halves(id, Backdoor.LOW_BANDWIDTH_PORT), cookieHigh, cookieLow, 0);
        backdoor.call(frame);
        return RegisterFrame.high16(frame.cx());
    }

    /** The reused direct buffer, grown to the next power of two; lengths are at most 2^30, so that cannot overflow. */
    private ByteBuffer scratch(int length) {
        if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocateDirect(Math.max(256, Integer.highestOneBit(length - 1) << 1));
        }
        return scratch.clear().limit(length);
    }
}
