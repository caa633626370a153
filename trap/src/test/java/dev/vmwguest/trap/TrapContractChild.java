package dev.vmwguest.trap;

import java.nio.ByteBuffer;

import dev.vmwguest.backdoor.Backdoor;
import dev.vmwguest.backdoor.Backdoors;
import dev.vmwguest.backdoor.RegisterFrame;

/**
 * The child JVM of {@link TrapJvmContractTest}: opens the real (native) backdoor and makes
 * one LB call, one HB send and one HB receive with distinct values in every register,
 * printing each frame after the call as {@code key=hex} lines. Run under the trap launcher.
 */
public final class TrapContractChild {

    private TrapContractChild() {
    }

    /** Runs the three calls; argument: the HB transfer size. */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Backdoor backdoor = Backdoors.open();
        System.out.println("mechanism=" + backdoor.mechanism());

        RegisterFrame lb = RegisterFrame.of(Backdoor.MAGIC, 0x11111111, 0x2222001E, 0x33335658, 0x44444444,
                0x55555555, 0x66666666);
        backdoor.call(lb);
        print("lb", lb);

        ByteBuffer out = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            out.put(i, (byte) (i * 7 + 3));
        }
        RegisterFrame send = RegisterFrame.of(Backdoor.MAGIC, 0x00010000, 0, 0x00075659, 0, 0x55555555, 0x66666666);
        backdoor.send(send, out);
        print("out", send);

        ByteBuffer in = ByteBuffer.allocateDirect(size);
        RegisterFrame receive = RegisterFrame.of(Backdoor.MAGIC, 0x00010000, 0, 0x00075659, 0x44444444, 0,
                0x66666666);
        backdoor.receive(receive, in);
        print("in", receive);
        long fnv = 0xcbf29ce484222325L;
        for (int i = 0; i < size; i++) {
            fnv ^= in.get(i) & 0xFF;
            fnv *= 0x100000001b3L;
        }
        System.out.println("fnv=" + Long.toHexString(fnv));
    }

    private static void print(String prefix, RegisterFrame f) {
        int[] v = {f.ax(), f.bx(), f.cx(), f.dx(), f.si(), f.di(), f.bp()};
        String[] names = {"ax", "bx", "cx", "dx", "si", "di", "bp"};
        for (int i = 0; i < 7; i++) {
            System.out.println(prefix + "." + names[i] + "=" + Integer.toHexString(v[i]));
        }
    }
}
