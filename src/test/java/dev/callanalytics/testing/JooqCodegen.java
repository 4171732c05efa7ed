package dev.callanalytics.testing;

import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Jdbc;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the jOOQ classes from the migrations, through a real PostgreSQL (never by parsing
 * the SQL): the migrated template database of {@link PostgresServer}, read with the settings of
 * {@code jooq-config.xml}. Run by {@code ./mvnw -Pjooq-codegen process-test-classes}; the drift
 * test runs it into a temporary directory.
 */
public final class JooqCodegen {

    public static void main(String[] args) throws Exception {
        var target = Path.of(args.length > 0 ? args[0] : "src/main/jooq");
        generate(target);
        System.out.println("jOOQ classes generated in " + target);
    }

    public static void generate(Path targetDirectory) throws Exception {
        var db = PostgresServer.get().templateDatabase();
        Configuration configuration;
        try (InputStream in = Files.newInputStream(Path.of("jooq-config.xml"))) {
            configuration = GenerationTool.load(in);
        }
        configuration.withJdbc(new Jdbc().withDriver("org.postgresql.Driver")
                                         .withUrl(db.url())
                                         .withUser(db.user())
                                         .withPassword(db.password()));
        configuration.getGenerator().getTarget().setDirectory(targetDirectory.toString());
        GenerationTool.generate(configuration);
    }
}
