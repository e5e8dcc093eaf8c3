package io.plantmesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.marcnuri.helm.LintResult;

/** {@code helm lint --strict} over the chart's defaults and every test scenario's values. */
class ChartLintTest {

    @ParameterizedTest(name = "lint --strict with {0}")
    @ValueSource(strings = {"", "all-embedded.yaml", "all-external.yaml", "secure.yaml", "second-tenant.yaml"})
    void lintsStrictlyWithoutFindings(final String valuesFile) {
        final LintResult result = ChartFixture.get().lintStrict(valuesFile.isEmpty() ? null : valuesFile);

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("lint messages")
                .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }
}
