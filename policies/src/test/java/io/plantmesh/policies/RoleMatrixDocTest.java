package io.plantmesh.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The "Role matrix" table of docs/security.md is the data the tests walk. */
class RoleMatrixDocTest {

    private static final String BEGIN = "<!-- role-matrix:begin -->\n";
    private static final String END = "<!-- role-matrix:end -->";

    @Test
    void docsShowExactlyTheMatrixTheTestsWalk() throws IOException {
        // tests run in the module's directory
        final String doc = Files.readString(Path.of("..", "docs", "security.md"), StandardCharsets.UTF_8);
        final int begin = doc.indexOf(BEGIN);
        final int end = doc.indexOf(END);
        assertThat(begin).as("the marker " + BEGIN.strip() + " in docs/security.md").isNotNegative();
        assertThat(end).as("the marker " + END + " in docs/security.md").isGreaterThan(begin);
        assertThat(doc.substring(begin + BEGIN.length(), end)).isEqualTo(RoleMatrix.load().toMarkdown());
    }
}
