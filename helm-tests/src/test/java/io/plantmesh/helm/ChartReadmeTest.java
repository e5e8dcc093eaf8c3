package io.plantmesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The values reference in helm/plantmesh/README.md lists exactly the values that values.schema.json describes. */
class ChartReadmeTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void readmeValuesTableMatchesTheSchema() throws IOException {
        final Object schema = ValuesMerge.parse(Files.readString(ChartFixture.get().source()
                .resolve("values.schema.json")));
        final Set<String> described = new LinkedHashSet<>();
        leaves(schema, "", described);
        final String readme = Files.readString(ChartFixture.get().source().resolve("README.md"));
        final Set<String> listed = new LinkedHashSet<>();
        final Matcher row = ROW.matcher(readme.substring(readme.indexOf("## Values")));
        while (row.find()) {
            listed.add(row.group(1));
        }

        assertThat(described).as("values the schema describes").hasSizeGreaterThan(50);
        assertThat(listed).as("values listed in README.md (regenerate its table from values.schema.json)")
                .containsExactlyInAnyOrderElementsOf(described);
    }

    @Test
    void everyDefaultValueOfPlantMeshsOwnSectionsIsDescribedInTheSchema() throws IOException {
        final Object values = ValuesMerge.parse(Files.readString(ChartFixture.get().source().resolve("values.yaml")));
        final Object schema = ValuesMerge.parse(Files.readString(ChartFixture.get().source()
                .resolve("values.schema.json")));
        final Set<String> described = new LinkedHashSet<>();
        leaves(schema, "", described);
        final Set<String> defaults = new LinkedHashSet<>();
        for (final Map.Entry<?, ?> section : ((Map<?, ?>) values).entrySet()) {
            if (Set.of("ditto", "hono", "kafka", "mongodb", "keycloak", "global").contains(section.getKey())) {
                continue; // the dependencies' own values are theirs to describe
            }
            valueLeaves(section.getValue(), section.getKey().toString(), described, defaults);
        }
        assertThat(described).containsAll(defaults);
    }

    /** Paths of the schema's leaves: properties without properties of their own. */
    private static void leaves(final Object node, final String path, final Set<String> out) {
        final Object properties = node instanceof Map<?, ?> map ? map.get("properties") : null;
        if (properties instanceof Map<?, ?> children && !children.isEmpty()) {
            children.forEach((k, v) -> leaves(v, path.isEmpty() ? k.toString() : path + "." + k, out));
        } else if (!path.isEmpty()) {
            out.add(path);
        }
    }

    /** Paths of default values down to the first path the schema describes as a leaf. */
    private static void valueLeaves(final Object value, final String path, final Set<String> described,
            final Set<String> out) {
        if (described.contains(path) || !(value instanceof Map<?, ?> map) || map.isEmpty()) {
            out.add(path);
            return;
        }
        map.forEach((k, v) -> valueLeaves(v, path + "." + k, described, out));
    }
}
