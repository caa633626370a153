package dev.vmwguest.tclo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/** The TCLO loop's default thread, found reflectively because the library targets Java 17. */
final class TcloThreads {

    private TcloThreads() {
    }

    /** A virtual thread where the JDK has them (21+), else a daemon platform thread. */
    static ThreadFactory defaultFactory(String appName) {
        String name = "vmwguest-tclo-" + appName;
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = MethodHandles.publicLookup()
                    .findStatic(Thread.class, "ofVirtual", MethodType.methodType(Class.forName(
                            "java.lang.Thread$Builder$OfVirtual")))
                    .invoke();
            builder = MethodHandles.publicLookup()
                    .findVirtual(builderType, "name", MethodType.methodType(builderType, String.class))
                    .invoke(builder, name);
            return (ThreadFactory) MethodHandles.publicLookup()
                    .findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(builder);
        } catch (Throwable notAvailable) {
            return runnable -> {
                Thread platform = new Thread(runnable, name);
                platform.setDaemon(true);
                return platform;
            };
        }
    }
}
