package io.plantmesh.devices.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real, single-node Apache Kafka broker in KRaft mode (combined broker and controller), running inside this JVM
 * from the Kafka jars, with its data on local disk. It is the embedded footprint's Kafka; a production deployment
 * points the same clients at a Kafka cluster instead.
 *
 * <p>The storage directory is formatted on first start (its cluster id is kept in {@code cluster.id}); later starts
 * reuse it, so topics and records survive restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final EmbeddedKafkaConfig config;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    private EmbeddedKafkaBroker(EmbeddedKafkaConfig config) {
        this.config = config;
    }

    /** Returns an unstarted broker; the caller must close it, including after a failed start. */
    public static EmbeddedKafkaBroker create(EmbeddedKafkaConfig config) {
        return new EmbeddedKafkaBroker(config);
    }

    /** Formats the directory if needed and starts the broker; returns the bootstrap servers string. */
    public String start() {
        try {
            Files.createDirectories(config.dataDir());
            port = config.port() == 0 ? freePort(config.host()) : config.port();
            controllerPort = freePort(config.host());
            Properties props = properties();
            Path propsFile = config.dataDir().resolve("server.properties");
            try (var out = Files.newOutputStream(propsFile)) {
                props.store(out, "written by PlantMesh on each start");
            }
            format(propsFile);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new IllegalStateException("The embedded Kafka broker could not use " + config.dataDir() + ": "
                    + e.getMessage() + ". Check that the directory is writable.", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The embedded Kafka broker did not start (" + e.getMessage()
                    + "). If another PlantMesh uses " + config.dataDir() + ", stop it or use another data directory.",
                    e);
        }
        LOG.info("Kafka broker (embedded, KRaft) listening on {} with data in {}", bootstrapServers(),
                config.dataDir());
        return bootstrapServers();
    }

    public String bootstrapServers() {
        return config.host() + ":" + port;
    }

    /** Creates the topics if they do not exist (idempotent), with the default partition count. */
    public void createTopics(Set<String> names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, config.partitions(), (short) 1)).toList();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + names + " on " + bootstrapServers(), e);
        }
    }

    private Properties properties() {
        String logDir = config.dataDir().resolve("logs").toAbsolutePath().toString();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + config.host() + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + config.host() + ":" + port + ",CONTROLLER://" + config.host() + ":"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + config.host() + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("num.partitions", Integer.toString(config.partitions()));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", "24");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        // a single node cannot replicate: flush so that a record the broker acknowledged survives a process kill
        p.put("log.flush.interval.messages", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        return p;
    }

    private void format(Path propsFile) throws IOException {
        Path idFile = config.dataDir().resolve("cluster.id");
        String clusterId;
        if (Files.exists(idFile)) {
            clusterId = Files.readString(idFile).strip();
        } else {
            clusterId = kafkaUuid();
            Files.writeString(idFile, clusterId);
        }
        String[] args = {"format", "-t", clusterId, "-c", propsFile.toString(), "--ignore-formatted"};
        String failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                int rc = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
                if (rc == 0) {
                    return;
                }
                failure = "exit code " + rc + ": " + output.toString(StandardCharsets.UTF_8).strip();
            } catch (RuntimeException e) {
                failure = e + " " + output.toString(StandardCharsets.UTF_8).strip();
            }
            LOG.warn("Formatting the Kafka storage in {} failed (attempt {} of 3): {}", config.dataDir(), attempt,
                    failure);
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Formatting the Kafka storage in " + config.dataDir() + " failed: " + failure
                + ". If the directory holds data of another Kafka, move it away.");
    }

    /** A Kafka cluster id; Kafka's own generator never starts one with '-', which the format tool would read as an option. */
    private static String kafkaUuid() {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Kafka broker stopped");
        }
    }
}
