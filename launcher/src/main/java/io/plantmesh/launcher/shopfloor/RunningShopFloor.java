package io.plantmesh.launcher.shopfloor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.EdgeGateway;
import io.plantmesh.devices.ingestion.TwinIngestion;
import io.plantmesh.devices.ingress.HonoIngress;
import io.plantmesh.devices.ingress.IngressEndpoints;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.simulator.ShopFloorSimulator;

/**
 * The running shop floor: Kafka broker, Hono ingress, simulator, edge gateways, twin ingestion. {@link #close()} stops
 * them in the reverse order of their start; it is idempotent.
 */
public final class RunningShopFloor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningShopFloor.class);

    private final Deque<Stage> started = new ArrayDeque<>();
    private final ShopFloorPlan plan;
    private EmbeddedKafkaBroker kafka;
    private HonoIngress ingress;
    private ShopFloorSimulator simulator;
    private final List<EdgeGateway> gateways = new ArrayList<>();
    private TwinIngestion ingestion;
    private final List<io.plantmesh.mes.MesBridge> mes = new ArrayList<>();
    private io.plantmesh.erp.embedded.EmbeddedErp erp;
    private io.plantmesh.maintenance.MaintenanceService maintenance;
    private boolean closed;

    RunningShopFloor(ShopFloorPlan plan) {
        this.plan = plan;
    }

    private record Stage(String name, AutoCloseable service) {
    }

    synchronized void started(String name, AutoCloseable service) {
        started.push(new Stage(name, service));
        if (service instanceof EmbeddedKafkaBroker k) {
            kafka = k;
        } else if (service instanceof HonoIngress i) {
            ingress = i;
        } else if (service instanceof ShopFloorSimulator s) {
            simulator = s;
        } else if (service instanceof EdgeGateway g) {
            gateways.add(g);
        } else if (service instanceof TwinIngestion t) {
            ingestion = t;
        } else if (service instanceof io.plantmesh.mes.MesBridge m) {
            mes.add(m);
        } else if (service instanceof io.plantmesh.erp.embedded.EmbeddedErp e) {
            erp = e;
        } else if (service instanceof io.plantmesh.maintenance.MaintenanceService m) {
            maintenance = m;
        }
    }

    public ShopFloorPlan plan() {
        return plan;
    }

    /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Where devices connect and the registry's HTTP API. */
    public IngressEndpoints ingressEndpoints() {
        return ingress.endpoints();
    }

    public HonoIngress ingress() {
        return ingress;
    }

    /** The simulated machines (ground truth, test hooks such as {@code machine(id).startJob(...)}). */
    public ShopFloorSimulator simulator() {
        return simulator;
    }

    /** Line number to OPC-UA endpoint of the simulated line servers. */
    public Map<Integer, String> opcUaEndpoints() {
        return simulator.opcUaEndpoints();
    }

    public synchronized List<EdgeGateway> gateways() {
        return List.copyOf(gateways);
    }

    public Optional<TwinIngestion> ingestion() {
        return Optional.ofNullable(ingestion);
    }

    /** The MES bridge instances (one per line), if the MES runs. */
    public synchronized List<io.plantmesh.mes.MesBridge> mesBridges() {
        return List.copyOf(mes);
    }

    /** The embedded ERP, if it runs (its OData base is {@code erp().baseUri()}). */
    public synchronized Optional<io.plantmesh.erp.embedded.EmbeddedErp> erp() {
        return Optional.ofNullable(erp);
    }

    /** The predictive maintenance service, if it runs. */
    public synchronized Optional<io.plantmesh.maintenance.MaintenanceService> maintenance() {
        return Optional.ofNullable(maintenance);
    }

    @Override
    public void close() {
        Deque<Stage> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new ArrayDeque<>(started);
        }
        for (Stage stage : toStop) {
            try {
                stage.service().close();
            } catch (Exception e) {
                LOG.warn("Stopping the {} failed: {}", stage.name(), e.toString());
            }
        }
    }
}
