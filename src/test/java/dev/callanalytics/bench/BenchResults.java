package dev.callanalytics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** bench/RESULTS.md, one section per benchmark: a run replaces its own section and leaves the others. */
final class BenchResults {

    private static final Path FILE = Path.of("bench", "RESULTS.md");

    private BenchResults() {
    }

    static void writeSection(String name, String markdown) throws IOException {
        var start = "<!-- " + name + ":start -->";
        var end = "<!-- " + name + ":end -->";
        var section = start + "\n" + markdown.strip() + "\n" + end;
        var text = Files.exists(FILE) ? Files.readString(FILE) : "# Benchmark results\n\nEach section is written by its benchmark (see README).\n";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        text = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length())
                : text.stripTrailing() + "\n\n" + section + "\n";
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, text);
    }
}
