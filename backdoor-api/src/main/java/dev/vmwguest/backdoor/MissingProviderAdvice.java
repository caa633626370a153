package dev.vmwguest.backdoor;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * What to do about a provider that is not installed, in the terms of how this JVM was started: a
 * test needs a test-scoped dependency, {@code java -jar} a jar rebuilt with the module inside, the
 * module path the jar on it, and a jlink image a new link with {@code --bind-services}.
 */
final class MissingProviderAdvice {

    /** How the running program found its classes. */
    enum Launch {
        /** Under a test framework (JUnit on the stack). */
        TEST,
        /** {@code java -jar}: the class path is the jar's own. */
        JAR,
        /** {@code java -cp ... Main}. */
        CLASS_PATH,
        /** Named modules from {@code --module-path}. */
        MODULE_PATH,
        /** A runtime image made by jlink: only linked modules exist. */
        RUNTIME_IMAGE
    }

    private MissingProviderAdvice() {
    }

    /** The advice for this JVM. */
    static String forThisProcess(String artifact, String module) {
        return advice(artifact, module, launch(), System.getProperty("sun.java.command", ""));
    }

    static String advice(String artifact, String module, Launch launch, String javaCommand) {
        return switch (launch) {
            case TEST -> "add " + artifact + " as a test-scoped dependency";
            case JAR -> "the jar " + javaCommand.strip().split("\\s+", 2)[0] + " was built without it: add "
                    + artifact + " to the application as a runtime dependency and rebuild the jar";
            case CLASS_PATH -> "add " + artifact + " to the class path (as a runtime dependency)";
            case MODULE_PATH -> "put the jar of " + artifact + " on the module path (module " + module
                    + "; java binds service providers found there)";
            case RUNTIME_IMAGE -> "this runtime image was linked without module " + module
                    + ": link it again with jlink --bind-services (or --add-modules " + module + ")";
        };
    }

    static Launch launch() {
        Module api = MissingProviderAdvice.class.getModule();
        if (api.isNamed()) {
            Optional<URI> location = ModuleLayer.boot().configuration().findModule(api.getName())
                    .flatMap(resolved -> resolved.reference().location());
            return location.map(URI::getScheme).filter("jrt"::equals).isPresent() ? Launch.RUNTIME_IMAGE
                    : underTest() ? Launch.TEST : Launch.MODULE_PATH;
        }
        if (underTest()) {
            return Launch.TEST;
        }
        String command = System.getProperty("sun.java.command", "").strip();
        String first = command.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return first.endsWith(".jar") ? Launch.JAR : Launch.CLASS_PATH;
    }

    private static boolean underTest() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getClassName()
                .startsWith("org.junit.")));
    }
}
