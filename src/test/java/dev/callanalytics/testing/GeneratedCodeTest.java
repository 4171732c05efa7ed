package dev.callanalytics.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The committed jOOQ classes are exactly what the migrations generate: a migration changed
 * without regenerating (./mvnw -Pjooq-codegen process-test-classes) fails here.
 */
class GeneratedCodeTest {

    @Test
    void committedJooqClassesMatchTheMigrations(@TempDir Path fresh) throws Exception {
        JooqCodegen.generate(fresh);

        var committed = contents(Path.of("src/main/jooq"));
        var generated = contents(fresh);
        assertEquals(generated.keySet(), committed.keySet(), "generated files differ from src/main/jooq");
        generated.forEach((file, text) -> assertEquals(text, committed.get(file), file + " differs: regenerate the jOOQ classes"));
    }

    private static Map<String, String> contents(Path root) throws IOException {
        var files = new TreeMap<String, String>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (var path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }
}
