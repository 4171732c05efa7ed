package dev.callanalytics.testing;

import dev.callanalytics.app.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** The command line, run in the test's JVM as an operator runs it, against a test database or a data directory. */
public final class Cli {

    private Cli() {
    }

    /** What a command did: its exit code, and what it printed. */
    public record Run(int exitCode, String out, String err) {

        public String lastLine() {
            var lines = out.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    /** The environment that points the command line at {@code database}. */
    public static Map<String, String> environment(PostgresServer.TestDatabase database) {
        var env = new HashMap<>(Map.of("DB_URL", database.url(), "DB_USER", database.user()));
        if (database.password() != null) {
            env.put("DB_PASSWORD", database.password());
        }
        return env;
    }

    public static Run run(Map<String, String> environment, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(environment, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
