package dev.vmwguest.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Durations as people write them on a command line: {@code 2s}, {@code 500ms}, {@code 1m30s}, or ISO {@code PT2S}. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private Durations() {
    }

    static Duration parse(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(trimmed), text);
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher part = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount;
            try {
                amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new TypeConversionException("'" + text + "' is too long a duration");
            }
            end = part.end();
        }
        if (end == 0 || end != trimmed.length()) {
            throw invalid(text);
        }
        return total;
    }

    private static Duration nonNegative(Duration duration, String text) {
        if (duration.isNegative()) {
            throw new TypeConversionException("'" + text + "' is negative; a duration must be 0 or more");
        }
        return duration;
    }

    private static TypeConversionException invalid(String text) {
        return new TypeConversionException("'" + text + "' is not a duration: write it like 2s, 500ms, 1m30s, 1h "
                + "or PT2S (ISO-8601)");
    }
}
