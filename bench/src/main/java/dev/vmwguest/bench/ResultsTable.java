package dev.vmwguest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV result file ({@code -rf csv}) into the Markdown table of
 * {@code bench/RESULTS.md}: one row per benchmark and parameter set, with the
 * score and its 99.9 % error, the bytes allocated per operation when run with
 * {@code -prof gc}, and the percentiles of sampled benchmarks.
 */
public final class ResultsTable {

    private static final class Row {
        final String name;
        final String params;
        final String threads;
        String score = "";
        String bytesPerOp = "";
        final Map<String, String> percentiles = new LinkedHashMap<>();

        Row(String name, String params, String threads) {
            this.name = name;
            this.params = params;
            this.threads = threads;
        }
    }

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = parse(lines.get(0));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = parse(line);
            String benchmark = cells.get(0);
            int colon = benchmark.indexOf(':');
            String primary = colon < 0 ? benchmark : benchmark.substring(0, colon);
            String secondary = colon < 0 ? "" : benchmark.substring(colon + 1).replace("\u00b7", "");
            String params = params(header, cells);
            String key = primary + "|" + params;
            Row row = rows.computeIfAbsent(key, k -> new Row(shortName(primary), params, cells.get(2)));
            String value = number(cells.get(4));
            if (secondary.isEmpty()) {
                row.score = value + " \u00b1 " + number(cells.get(5)) + " " + cells.get(6);
            } else if (secondary.equals("gc.alloc.rate.norm")) {
                row.bytesPerOp = value;
            } else if (secondary.matches("p\\d\\.\\d+")) {
                row.percentiles.put(secondary, value);
            }
        }
        System.out.println("| benchmark | parameters | threads | score | B/op | min / p50 / p99 / max |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Row row : rows.values()) {
            String percentiles = row.percentiles.isEmpty() ? "" : row.percentiles.getOrDefault("p0.00", "?") + " / "
                    + row.percentiles.getOrDefault("p0.50", "?") + " / "
                    + row.percentiles.getOrDefault("p0.99", "?") + " / " + row.percentiles.getOrDefault("p1.00", "?");
            System.out.println("| " + row.name + " | " + row.params + " | " + row.threads + " | " + row.score + " | "
                    + row.bytesPerOp + " | " + percentiles + " |");
        }
    }

    private static String shortName(String benchmark) {
        String prefix = ResultsTable.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    private static String params(List<String> header, List<String> cells) {
        List<String> params = new ArrayList<>();
        for (int i = 7; i < header.size() && i < cells.size(); i++) {
            if (!cells.get(i).isEmpty()) {
                params.add(header.get(i).replace("Param: ", "") + "=" + cells.get(i));
            }
        }
        return String.join(", ", params);
    }

    private static String number(String text) {
        if (text.isEmpty() || text.equals("NaN")) {
            return "n/a";
        }
        double value = Double.parseDouble(text);
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** One CSV line as JMH writes it: fields quoted when they contain commas or quotes. */
    static List<String> parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
