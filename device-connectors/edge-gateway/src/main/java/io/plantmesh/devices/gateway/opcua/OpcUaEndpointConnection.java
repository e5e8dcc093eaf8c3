package io.plantmesh.devices.gateway.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.devices.gateway.OpcUaSecurity;
import io.plantmesh.devices.gateway.ReconnectBackoff;
import io.plantmesh.devices.gateway.edge.MachineSignalPipeline.Sample;
import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mapping.NodeMapping;

/**
 * One OPC-UA line server and the machines it hosts: connects (security None, or Basic256Sha256 SignAndEncrypt with a
 * client certificate; anonymous or user name identity), resolves the namespace index of {@value #NAMESPACE_URI} by
 * URI, monitors every mapped node with the mapping's sampling interval and queue size, and calls machine methods.
 * When the session is lost, the client is discarded and a new one connects with exponential backoff, re-resolving
 * the namespace and re-creating the subscription. Blocking Milo calls run on the given worker, never on an event
 * loop.
 */
public final class OpcUaEndpointConnection implements MachineMethodInvoker, AutoCloseable {

    /** Namespace of the PlantMesh machine nodes (simulator contract). */
    public static final String NAMESPACE_URI = "urn:plantmesh:sim";

    /** A machine served through this endpoint, with its mapping. */
    public record MonitoredMachine(MachineDevice device, MachineMapping mapping) {
    }

    /** Receives values; called on Milo's delivery thread, must not block. */
    public interface Listener {
        void onSamples(MachineDevice device, List<Sample> samples);

        /** A new session was established (first connect or reconnect); values that follow are initial values. */
        default void onSessionEstablished(final String endpoint) {
        }
    }

    private record ItemRef(MachineDevice device, NodeMapping node) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaEndpointConnection.class);

    private final String endpointUrl;
    private final List<MonitoredMachine> machines;
    private final OpcUaSecurity security;
    private final ReconnectBackoff backoff;
    private final Listener listener;
    private final ScheduledExecutorService worker;
    private final long requestTimeoutMillis;
    private final Map<String, NodeId> methodIds = new ConcurrentHashMap<>();
    private volatile OpcUaClient client;
    private volatile UShort namespaceIndex;
    private volatile boolean connected;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastFailure;
    private long generation;

    public OpcUaEndpointConnection(final String endpointUrl, final List<MonitoredMachine> machines,
            final OpcUaSecurity security, final ReconnectBackoff backoff, final Listener listener,
            final ScheduledExecutorService worker, final long requestTimeoutMillis) {
        this.endpointUrl = endpointUrl;
        this.machines = List.copyOf(machines);
        this.security = security;
        this.backoff = backoff;
        this.listener = listener;
        this.worker = worker;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    public String endpointUrl() {
        return endpointUrl;
    }

    public boolean isConnected() {
        return connected;
    }

    /** How often a connection attempt failed or a session was lost since start (each one is retried). */
    public long retries() {
        return retries.get();
    }

    /** Why the last attempt failed or the last session was lost, null if none did. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Starts connecting in the background. */
    public void start() {
        worker.execute(this::attempt);
    }

    @Override
    public CompletableFuture<MethodOutcome> call(final MachineDevice device, final String method,
            final List<Object> inputs) {
        final OpcUaClient current = client;
        final UShort ns = namespaceIndex;
        if (!connected || current == null || ns == null) {
            return CompletableFuture.failedFuture(new OpcUaUnavailableException("OPC-UA server " + endpointUrl
                    + " of " + device.thingId() + " is not connected", null));
        }
        final NodeId objectId = new NodeId(ns, device.machineKey());
        final Variant[] arguments = inputs.stream().map(Variant::new).toArray(Variant[]::new);
        return resolveMethod(current, objectId, device, method)
                .thenCompose(methodId -> current.callAsync(List.of(new CallMethodRequest(objectId, methodId,
                        arguments))))
                .orTimeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new OpcUaUnavailableException("calling " + method + " on " + device.thingId() + " at "
                                + endpointUrl + " failed: " + failure, failure);
                    }
                    final CallMethodResult result = response.getResults()[0];
                    final StatusCode status = result.getStatusCode();
                    final List<Object> outputs = new ArrayList<>();
                    if (result.getOutputArguments() != null) {
                        for (final Variant output : result.getOutputArguments()) {
                            outputs.add(output.value());
                        }
                    }
                    return new MethodOutcome(status.isGood(), status.value(), statusName(status), outputs);
                });
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
        final OpcUaClient current = client;
        client = null;
        if (current != null) {
            try {
                current.disconnectAsync().get(5, TimeUnit.SECONDS);
            } catch (final Exception e) {
                LOG.debug("Disconnecting from {}: {}", endpointUrl, e.toString());
            }
        }
    }

    // ---- connecting --------------------------------------------------------------------------------------

    private void attempt() {
        if (closed) {
            return;
        }
        final long myGeneration = ++generation;
        OpcUaClient candidate = null;
        try {
            candidate = createClient();
            candidate.connect();
            final UShort ns = candidate.readNamespaceTable().getIndex(NAMESPACE_URI);
            if (ns == null) {
                throw new IllegalStateException("the server has no namespace " + NAMESPACE_URI
                        + "; is it a PlantMesh line server?");
            }
            candidate.addSessionActivityListener(new SessionActivityListener() {
                @Override
                public void onSessionInactive(final UaSession session) {
                    worker.execute(() -> sessionLost(myGeneration));
                }
            });
            namespaceIndex = ns;
            methodIds.clear();
            client = candidate;
            listener.onSessionEstablished(endpointUrl);
            final int monitored = subscribe(candidate, ns);
            connected = true;
            if (backoff.attempt() > 0) {
                LOG.info("OPC-UA {} reconnected after {} attempts; namespace {} is ns={}, {} nodes of {} machines "
                        + "monitored again", endpointUrl, backoff.attempt(), NAMESPACE_URI, ns, monitored,
                        machines.size());
            } else {
                LOG.info("OPC-UA connected to {} ({}); namespace {} is ns={}, monitoring {} nodes of {} machines",
                        endpointUrl, security.mode(), NAMESPACE_URI, ns, monitored, machines.size());
            }
            backoff.reset();
        } catch (final Exception e) {
            connected = false;
            if (candidate != null) {
                candidate.disconnectAsync();
            }
            if (candidate == client) {
                client = null;
            }
            retryLater(rootMessage(e));
        }
    }

    private void sessionLost(final long ofGeneration) {
        if (closed || ofGeneration != generation || !connected) {
            return;
        }
        connected = false;
        final OpcUaClient lost = client;
        client = null;
        if (lost != null) {
            lost.disconnectAsync();
        }
        LOG.warn("OPC-UA session to {} lost; reconnecting and re-creating the subscription", endpointUrl);
        retryLater("session lost");
    }

    private void retryLater(final String why) {
        if (closed) {
            return;
        }
        retries.incrementAndGet();
        lastFailure = why;
        final long delay = backoff.nextDelayMillis();
        LOG.warn("OPC-UA {} unreachable ({}); attempt {} in {} ms", endpointUrl, why, backoff.attempt(), delay);
        worker.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    private OpcUaClient createClient() throws Exception {
        final URI uri = URI.create(endpointUrl.replaceFirst("^opc\\.tcp://", "tcp://"));
        final boolean secure = security.mode() == OpcUaSecurity.Mode.BASIC256SHA256_SIGN_AND_ENCRYPT;
        final SecurityPolicy policy = secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None;
        final MessageSecurityMode mode = secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None;
        final ClientCertificates certificates = secure ? ClientCertificates.load(security) : null;
        return OpcUaClient.create(endpointUrl,
                endpoints -> select(endpoints, policy, mode, uri),
                transport -> { },
                config -> {
                    config.setApplicationName(LocalizedText.english("PlantMesh edge gateway"))
                            .setApplicationUri("urn:plantmesh:edge-gateway")
                            .setProductUri("urn:plantmesh:edge-gateway")
                            .setRequestTimeout(uint(requestTimeoutMillis))
                            .setKeepAliveInterval(uint(2000))
                            .setKeepAliveFailuresAllowed(uint(1))
                            .setIdentityProvider(security.username() == null ? new AnonymousProvider()
                                    : new UsernameProvider(security.username(), security.password()));
                    if (certificates != null) {
                        config.setKeyPair(certificates.keyPair)
                                .setCertificate(certificates.chain[0])
                                .setCertificateChain(certificates.chain)
                                .setCertificateValidator(certificates.validator);
                    }
                });
    }

    private Optional<EndpointDescription> select(final List<EndpointDescription> endpoints,
            final SecurityPolicy policy, final MessageSecurityMode mode, final URI configured) {
        final Optional<EndpointDescription> match = endpoints.stream()
                .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()))
                .filter(e -> e.getSecurityMode() == mode)
                .findFirst();
        if (match.isEmpty()) {
            LOG.error("OPC-UA {} offers no endpoint with {} / {}; offered: {}", endpointUrl, policy, mode,
                    endpoints.stream().map(e -> e.getSecurityPolicyUri() + "/" + e.getSecurityMode()).toList());
        }
        // use the host and port we were configured with, not what the server advertises (NAT, port 0 binds)
        return match.map(e -> EndpointUtil.updateUrl(e, configured.getHost(), configured.getPort()));
    }

    private int subscribe(final OpcUaClient opcUaClient, final UShort ns) throws Exception {
        double fastest = Double.MAX_VALUE;
        final List<OpcUaMonitoredItem> items = new ArrayList<>();
        for (final MonitoredMachine machine : machines) {
            for (final NodeMapping node : machine.mapping().nodes()) {
                final OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(new NodeId(ns,
                        node.nodeIdFor(machine.device().machineKey())));
                item.setSamplingInterval(node.samplingIntervalMs());
                item.setQueueSize(uint(node.queueSize()));
                item.setDiscardOldest(true);
                item.setUserObject(new ItemRef(machine.device(), node));
                items.add(item);
                fastest = Math.min(fastest, node.samplingIntervalMs());
            }
        }
        final OpcUaSubscription subscription = new OpcUaSubscription(opcUaClient,
                Math.max(50.0, Math.min(fastest, 1000.0)));
        subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onDataReceived(final OpcUaSubscription sub, final List<OpcUaMonitoredItem> changed,
                    final List<DataValue> values) {
                deliver(changed, values);
            }
        });
        subscription.addMonitoredItems(items);
        subscription.create();
        int good = 0;
        for (final MonitoredItemServiceOperationResult result : subscription.createMonitoredItems()) {
            if (result.isGood()) {
                good++;
                continue;
            }
            final StatusCode status = result.operationResult().orElse(result.serviceResult());
            LOG.error("OPC-UA {}: cannot monitor {}: {}; check the node name in the mapping against the server",
                    endpointUrl, result.monitoredItem().getReadValueId().getNodeId().toParseableString(),
                    statusName(status));
        }
        if (good == 0 && !items.isEmpty()) {
            throw new IllegalStateException("none of the " + items.size() + " mapped nodes could be monitored");
        }
        return good;
    }

    private void deliver(final List<OpcUaMonitoredItem> changed, final List<DataValue> values) {
        final Map<MachineDevice, List<Sample>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < changed.size(); i++) {
            final Optional<Object> user = changed.get(i).getUserObject();
            if (user.isEmpty() || !(user.get() instanceof ItemRef ref)) {
                continue;
            }
            final DataValue value = values.get(i);
            if (!value.statusCode().isGood()) {
                LOG.debug("{} of {} has status {}; value skipped", ref.node().node(), ref.device().thingId(),
                        statusName(value.statusCode()));
                continue;
            }
            final long ts = value.sourceTime() != null ? value.sourceTime().getJavaTime()
                    : value.serverTime() != null ? value.serverTime().getJavaTime() : System.currentTimeMillis();
            byDevice.computeIfAbsent(ref.device(), d -> new ArrayList<>())
                    .add(new Sample(ref.node(), value.value().value(), ts));
        }
        byDevice.forEach(listener::onSamples);
    }

    // ---- methods -----------------------------------------------------------------------------------------

    /** The method's node id: browsed among the folder object's components by browse name, cached. */
    private CompletableFuture<NodeId> resolveMethod(final OpcUaClient opcUaClient, final NodeId objectId,
            final MachineDevice device, final String method) {
        final String cacheKey = device.machineKey() + "/" + method;
        final NodeId cached = methodIds.get(cacheKey);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        final BrowseDescription browse = new BrowseDescription(objectId, BrowseDirection.Forward,
                NodeIds.HasComponent, true, uint(NodeClass.Method.getValue()), uint(BrowseResultMask.All.getValue()));
        return opcUaClient.browseAsync(browse).thenApply((BrowseResult result) -> {
            NodeId found = null;
            if (result.getStatusCode().isGood() && result.getReferences() != null) {
                for (final ReferenceDescription ref : result.getReferences()) {
                    if (method.equals(ref.getBrowseName().name())) {
                        found = ref.getNodeId().toNodeId(opcUaClient.getNamespaceTable()).orElse(null);
                    }
                }
            }
            // the simulator contract names methods <key>.<Method> like the variables
            final NodeId resolved = found != null ? found
                    : new NodeId(objectId.getNamespaceIndex(), device.machineKey() + "." + method);
            methodIds.put(cacheKey, resolved);
            return resolved;
        });
    }

    static String statusName(final StatusCode status) {
        return StatusCodes.lookup(status.value()).map(names -> names[0])
                .orElse(String.format("0x%08X", status.value()));
    }

    private static String rootMessage(final Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }
}
