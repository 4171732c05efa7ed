package dev.callanalytics.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a response the server gave against {@code src/main/resources/openapi.yaml}, with an
 * independent validator (Atlassian's swagger-request-validator), so that the description can
 * never drift from the server. Responses to paths or methods the API does not have (the 404 and
 * 405 tests) have no operation to check against; their envelope is checked by those tests.
 */
final class OpenApiContract {

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(document())
            .withLevelResolver(LevelResolver.create()
                                            .withLevels(Map.of(
                                                    "validation.request.path.missing", ValidationReport.Level.IGNORE,
                                                    "validation.request.operation.notAllowed", ValidationReport.Level.IGNORE))
                                            .build())
            .build();

    private OpenApiContract() {
    }

    /** The document as the server serves it. */
    private static String document() {
        try (var in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void check(String method, URI uri, HttpResponse<String> response) {
        var builder = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach(builder::withHeader);
        var report = VALIDATOR.validateResponse(uri.getPath(), Request.Method.valueOf(method), builder.build());
        if (report.hasErrors()) {
            fail("the response to " + method + " " + uri.getPath() + " (" + response.statusCode() + ") breaks openapi.yaml:\n"
                 + report.getMessages().stream().map(m -> "  " + m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n"))
                 + "\nbody: " + response.body());
        }
    }
}
