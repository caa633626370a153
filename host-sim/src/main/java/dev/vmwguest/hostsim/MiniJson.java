package dev.vmwguest.hostsim;

import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.LIMIT_EXCEEDED;
import static dev.vmwguest.hostsim.GuestInfoDecodeError.Kind.MALFORMED_TEXT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, small JSON reader for {@code SetGuestDiskInfo}: objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, strings
 * {@code String}, numbers a {@code JsonNumber} holding their text, literals
 * {@code Boolean} or {@link #NULL}. Nesting is
 * capped so hostile input cannot exhaust the stack.
 */
final class MiniJson {

    /** JSON {@code null}. */
    static final Object NULL = new Object();
    private static final int MAX_DEPTH = 32;

    /** A number, kept as its text. */
    record JsonNumber(String text) {
    }

    private final String text;
    private int position;

    private MiniJson(String text) {
        this.text = text;
    }

    /** @throws GuestInfoDecodeException if {@code text} is not one JSON value (white space around it allowed) */
    static Object parse(String text) {
        MiniJson json = new MiniJson(text);
        Object value = json.value(0);
        json.skipSpace();
        if (json.position != text.length()) {
            throw json.error("text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new GuestInfoDecodeException(LIMIT_EXCEEDED, position, "JSON nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (position >= text.length()) {
            throw error("a value expected");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        position++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        if (peek('}')) {
            position++;
            return members;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("a member name expected");
            }
            String name = string();
            skipSpace();
            expect(':');
            members.put(name, value(depth + 1));
            skipSpace();
            if (peek(',')) {
                position++;
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array(int depth) {
        position++;
        List<Object> elements = new ArrayList<>();
        skipSpace();
        if (peek(']')) {
            position++;
            return elements;
        }
        while (true) {
            elements.add(value(depth + 1));
            skipSpace();
            if (peek(',')) {
                position++;
            } else {
                expect(']');
                return elements;
            }
        }
    }

    private String string() {
        position++;
        StringBuilder out = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                break;
            }
            char e = text.charAt(position++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("a short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("a bad \\u escape");
                    }
                    position += 4;
                }
                default -> throw error("a bad escape \\" + e);
            }
        }
        throw error("an unterminated string");
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("an unknown literal");
        }
        position += word.length();
        return value;
    }

    private JsonNumber number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String number = text.substring(start, position);
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            position = start;
            throw error("a value expected");
        }
        return new JsonNumber(number);
    }

    private void skipSpace() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private boolean peek(char c) {
        return position < text.length() && text.charAt(position) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "' expected");
        }
        position++;
    }

    private GuestInfoDecodeException error(String what) {
        return new GuestInfoDecodeException(MALFORMED_TEXT, position, "JSON: " + what + " at character " + position);
    }
}
