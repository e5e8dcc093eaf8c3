package io.plantmesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A rendered chart as typed Kubernetes objects (fabric8). Parsing fails a test when a document is not a known
 * Kubernetes kind or carries a field the kind does not have (fabric8 puts those into additionalProperties).
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final List<HasMetadata> objects;
    private final String text;

    private Manifests(final List<HasMetadata> objects, final String text) {
        this.objects = List.copyOf(objects);
        this.text = text;
    }

    static Manifests parse(final String rendered) {
        final List<HasMetadata> objects = new ArrayList<>();
        for (final String document : DOCUMENT_SEPARATOR.split(rendered)) {
            final String body = document.replaceAll("(?m)^#.*$", "").strip();
            if (body.isEmpty()) {
                continue;
            }
            final Object parsed = SERIALIZATION.unmarshal(body);
            assertThat(parsed).as("a rendered document is a Kubernetes object:%n%s", body)
                    .isInstanceOf(HasMetadata.class);
            final HasMetadata object = (HasMetadata) parsed;
            assertThat(object.getClass().getName()).as("kind %s is a typed fabric8 class", object.getKind())
                    .doesNotContain("GenericKubernetesResource");
            final List<String> unknown = new ArrayList<>();
            collectUnknownFields(object, object.getKind() + "/" + object.getMetadata().getName(), unknown,
                    new IdentityHashMap<>());
            assertThat(unknown).as("fields the Kubernetes API does not know").isEmpty();
            objects.add(object);
        }
        return new Manifests(objects, rendered);
    }

    List<HasMetadata> all() {
        return objects;
    }

    String text() {
        return text;
    }

    <T extends HasMetadata> List<T> of(final Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(final Class<T> kind, final String name) {
        return of(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(final Class<T> kind, final String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name
                + " in the rendered chart; there are " + of(kind).stream().map(o -> o.getMetadata().getName())
                .toList()));
    }

    Deployment deployment(final String service) {
        return get(Deployment.class, ChartFixture.RELEASE + "-" + service);
    }

    /** The properties file of a PlantMesh service from the chart's ConfigMap. */
    java.util.Properties properties(final String service) {
        final ConfigMap config = get(ConfigMap.class, ChartFixture.RELEASE + "-config");
        final String file = config.getData().get(service + ".properties");
        assertThat(file).as("%s.properties in the ConfigMap", service).isNotNull();
        final java.util.Properties properties = new java.util.Properties();
        try {
            properties.load(new java.io.StringReader(file));
        } catch (final java.io.IOException e) {
            throw new AssertionError(e);
        }
        return properties;
    }

    /** The values a stand-in dependency chart received, as plain maps. */
    @SuppressWarnings("unchecked")
    Map<String, Object> standInValues(final String chart) {
        final ConfigMap probe = get(ConfigMap.class, "standin-" + chart + "-values");
        return (Map<String, Object>) ValuesMerge.parse(probe.getData().get("values.json"));
    }

    /** Decoded value of a key of a rendered Secret. */
    String secretValue(final String secret, final String key) {
        final Secret s = get(Secret.class, secret);
        final String encoded = s.getData() == null ? null : s.getData().get(key);
        assertThat(encoded).as("key %s of Secret %s", key, secret).isNotNull();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    Service service(final String name) {
        return get(Service.class, name);
    }

    /** Every container of every pod template (Deployments and Jobs), init containers included. */
    List<Container> containers() {
        final List<Container> containers = new ArrayList<>();
        for (final HasMetadata o : objects) {
            final PodSpec spec = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : o instanceof Job j ? j.getSpec().getTemplate().getSpec() : null;
            if (spec != null) {
                containers.addAll(spec.getContainers());
                if (spec.getInitContainers() != null) {
                    containers.addAll(spec.getInitContainers());
                }
            }
        }
        return containers;
    }

    /** Walks fabric8 model objects and reports every non-empty additionalProperties map with its path. */
    private static void collectUnknownFields(final Object node, final String path, final List<String> unknown,
            final Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (final Object item : collection) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (final Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
                continue;
            }
            final Object value;
            try {
                value = method.invoke(node);
            } catch (final IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            if (SKIPPED_GETTERS.contains(method.getName())) {
                continue;
            }
            collectUnknownFields(value, path + "." + method.getName().substring(3), unknown, seen);
        }
    }

    private static final Set<String> SKIPPED_GETTERS = Set.of("getClass", "getPlural", "getSingular");
}
