package io.plantmesh.launcher.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh service NAME --config FILE}: runs one PlantMesh service in this process, as each Kubernetes
 * Deployment does (while {@code plantmesh up} runs them all in one JVM). Settings come from the properties file
 * and {@code PLANTMESH_*} environment variables; a management endpoint serves health and metrics. Until the
 * service's dependencies answer, it retries (bounded by {@code startup.timeout}) and reports not ready.
 */
@Command(name = "service", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Runs one PlantMesh service: twin-ingestion, mes-bridge, mes-api, erp-bridge, erp-modules,"
                        + " maintenance, web-ui, edge-gateway, or provision (runs once and exits).",
                "Sign-in: ditto.auth=basic (ditto.user, PLANTMESH_DITTO_PASSWORD) or ditto.auth=oauth (oauth.issuer,"
                        + " oauth.client.id, oauth.client.secret.file); tls.ca.file: CAs for https/wss peers.",
                "Every setting of the --config file can be overridden by PLANTMESH_<KEY> (upper case, '.' as '_'),"
                        + " e.g. ditto.password by PLANTMESH_DITTO_PASSWORD. See docs/kubernetes.md."})
public final class ServiceCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service to run.")
    String name;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_CONFIG}",
            description = "Properties file with the service's settings (env PLANTMESH_CONFIG); without it, only"
                    + " PLANTMESH_* environment variables.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        if (!ServiceRunner.SERVICES.contains(name)) {
            throw new ParameterException(spec.commandLine(), "unknown service '" + name + "': use one of "
                    + String.join(", ", ServiceRunner.SERVICES));
        }
        final ServiceConfig settings;
        try {
            settings = ServiceConfig.load(config, System.getenv());
        } catch (ServiceException e) {
            System.err.println("plantmesh service " + name + ": " + e.getMessage());
            return 2;
        }
        final boolean once = name.equals("provision");
        final int managementPort = settings.getInt("management.port", once ? -1 : 9090);
        final ManagementServer management = managementPort < 0 ? null
                : ManagementServer.start(settings.get("management.host", "0.0.0.0"), managementPort, name);
        if (management != null) {
            LOG.info("{}: management endpoint http://0.0.0.0:{} (/health/live, /health/ready, /metrics)", name,
                    management.port());
        }
        final ServiceRunner.Running running;
        try {
            running = startWithRetries(settings, management);
        } catch (ServiceException e) {
            LOG.debug("start failed", e);
            System.err.println("plantmesh service " + name + ": " + e.getMessage());
            if (management != null) {
                management.close();
            }
            return 1;
        }
        if (once) {
            System.out.println(running.summary());
            closeQuietly(running.service());
            if (management != null) {
                management.close();
            }
            return 0;
        }
        if (management != null) {
            management.metrics(running.metrics());
            management.ready(true);
        }
        LOG.info("{} is up: {}", name, running.summary());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (management != null) {
                management.ready(false);
            }
            closeQuietly(running.service());
            if (management != null) {
                management.close();
            }
            stopped.countDown();
        }, "plantmesh-service-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Starts the service, trying again while what it needs is not up yet (a fresh cluster starts everything at once)
     * with a growing pause, until {@code startup.timeout} (default 10 minutes) has passed.
     */
    private ServiceRunner.Running startWithRetries(final ServiceConfig settings, final ManagementServer management)
            throws InterruptedException {
        final Duration timeout = settings.getDuration("startup.timeout", Duration.ofMinutes(10));
        final long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 1000;
        int attempt = 1;
        while (true) {
            try {
                return ServiceRunner.start(name, settings);
            } catch (ServiceException e) {
                if (e.getCause() == null) {
                    throw e; // a configuration mistake: trying again would not help
                }
                if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    throw new ServiceException(e.getMessage() + " Gave up after " + attempt + " attempts in "
                            + timeout + " (startup.timeout).", e);
                }
                LOG.warn("{} could not start yet (attempt {}): {}; trying again in {} s", name, attempt,
                        e.getMessage(), pauseMs / 1000);
            } catch (RuntimeException e) {
                if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    throw new ServiceException(name + " could not start: " + e.getMessage() + ". Gave up after "
                            + attempt + " attempts in " + timeout + " (startup.timeout); check that the endpoints in "
                            + settings.source() + " are reachable.", e);
                }
                LOG.warn("{} could not start yet (attempt {}): {}; trying again in {} s", name, attempt, e.toString(),
                        pauseMs / 1000);
            }
            Thread.sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 30_000);
            attempt++;
        }
    }

    private static void closeQuietly(final AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            LOG.warn("stopping failed: {}", e.toString());
        }
    }
}
