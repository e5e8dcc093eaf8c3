package io.plantmesh.devices.ingress.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Hono topics of the configured tenants at start (idempotent; partitions as the broker's default). */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /** Blocks until the topics exist (at most 30 s per call). */
    public static void createTenantTopics(String bootstrapServers, Set<String> tenants) {
        if (tenants.isEmpty()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        tenants.forEach(t -> HonoTopic.allOf(t)
                .forEach(name -> topics.add(new NewTopic(name, Optional.empty(), Optional.empty()))));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create Kafka topic " + result.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage()
                                + ". Check that the broker is up and allows creating topics.", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers
                    + " did not create the Hono topics within 30 s. Check that the broker is reachable.", e);
        }
        LOG.info("Kafka topics ready for tenants {}", tenants);
    }
}
