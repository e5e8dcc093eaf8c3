package io.plantmesh.devices.gateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A test-only OPC-UA line server with the node layout of the simulator contract for a few machines: folder
 * {@code L1M01} with {@code L1M01.State}, {@code .StateReason}, {@code .SpindleSpeed}, {@code .Temperature},
 * {@code .Power}, {@code .GoodCount} (UInt32) and methods {@code StartJob(workOrder, operation)}, {@code HoldJob()},
 * {@code StopJob()}, {@code StartMaintenance(durationMinutes, reason)} answering {@code (accepted, message)}; a
 * machine that is DOWN rejects StartJob. Security None, anonymous, loopback only.
 */
public final class TestLineServer implements AutoCloseable {

    public static final String NAMESPACE_URI = "urn:plantmesh:sim";

    private final OpcUaServer server;
    private final int port;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private MachineNamespace namespace;

    private TestLineServer(final OpcUaServer server, final int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server for the given machine keys on a free loopback port. */
    public static TestLineServer start(final String... machineKeys) throws Exception {
        return start(freePort(), machineKeys);
    }

    /** Starts a server for the given machine keys on the given loopback port (e.g. to restart one). */
    public static TestLineServer start(final int port, final String... machineKeys) throws Exception {
        final EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1")
                .setBindPort(port)
                .setPath("/plantmesh")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        final OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:plantmesh:test-line-server")
                .setApplicationName(LocalizedText.english("PlantMesh test line server"))
                .setProductUri("urn:plantmesh:test-line-server")
                .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine()))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .setEndpoints(Set.of(endpoint))
                .build();
        final OpcUaServer server = new OpcUaServer(config,
                profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        final TestLineServer line = new TestLineServer(server, port);
        line.namespace = line.new MachineNamespace(server, List.of(machineKeys));
        line.namespace.startup();
        server.startup().get(10, TimeUnit.SECONDS);
        return line;
    }

    public int port() {
        return port;
    }

    public String endpointUrl() {
        return "opc.tcp://127.0.0.1:" + port + "/plantmesh";
    }

    /** Sets a variable, e.g. {@code set("L1M01", "Temperature", 180.0)}. */
    public void set(final String machineKey, final String variable, final Object value) {
        final UaVariableNode node = namespace.variables.get(machineKey + "." + variable);
        if (node == null) {
            throw new IllegalArgumentException("no variable " + machineKey + "." + variable);
        }
        node.setValue(new DataValue(new Variant(value), StatusCode.GOOD, DateTime.now()));
    }

    /** Method calls so far, e.g. {@code L1M01.StartJob(wo-100001, 0010)}. */
    public List<String> calls() {
        return calls;
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get(10, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        // Milo advertises its bind port in its endpoint descriptions, so it must know the real port up front
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private final class MachineNamespace extends ManagedNamespaceWithLifecycle {

        private final SubscriptionModel subscriptions;
        private final Map<String, UaVariableNode> variables = new ConcurrentHashMap<>();

        MachineNamespace(final OpcUaServer server, final List<String> machineKeys) {
            super(server, NAMESPACE_URI);
            subscriptions = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptions);
            getLifecycleManager().addStartupTask(() -> machineKeys.forEach(this::addMachine));
        }

        private void addMachine(final String key) {
            final UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(key), newQualifiedName(key),
                    LocalizedText.english(key));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes,
                    NodeIds.ObjectsFolder.expanded(), false));
            variable(folder, key, "State", NodeIds.String, "IDLE");
            variable(folder, key, "StateReason", NodeIds.String, "");
            variable(folder, key, "SpindleSpeed", NodeIds.Double, 0.0);
            variable(folder, key, "Temperature", NodeIds.Double, 68.0);
            variable(folder, key, "Power", NodeIds.Double, 0.0);
            variable(folder, key, "GoodCount", NodeIds.UInt32, UInteger.valueOf(0));
            method(folder, key, "StartJob", new Argument[] {stringArgument("workOrder"),
                    stringArgument("operation")});
            method(folder, key, "HoldJob", new Argument[0]);
            method(folder, key, "StopJob", new Argument[0]);
            method(folder, key, "StartMaintenance", new Argument[] {new Argument("durationMinutes", NodeIds.Double,
                    ValueRanks.Scalar, null, LocalizedText.english("durationMinutes")), stringArgument("reason")});
        }

        private void variable(final UaFolderNode folder, final String key, final String name, final NodeId type,
                final Object initial) {
            final UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(key + "." + name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(type)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setValue(new DataValue(new Variant(initial), StatusCode.GOOD, DateTime.now()))
                    .build();
            getNodeManager().addNode(node);
            folder.addOrganizes(node);
            variables.put(key + "." + name, node);
        }

        private void method(final UaFolderNode folder, final String key, final String name, final Argument[] in) {
            final UaMethodNode node = UaMethodNode.builder(getNodeContext())
                    .setNodeId(newNodeId(key + "." + name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .build();
            final Argument[] out = {new Argument("accepted", NodeIds.Boolean, ValueRanks.Scalar, null,
                    LocalizedText.english("accepted")), stringArgument("message")};
            final AbstractMethodInvocationHandler handler = new AbstractMethodInvocationHandler(node) {
                @Override
                public Argument[] getInputArguments() {
                    return in;
                }

                @Override
                public Argument[] getOutputArguments() {
                    return out;
                }

                @Override
                protected Variant[] invoke(final InvocationContext context, final Variant[] inputs) {
                    final StringBuilder call = new StringBuilder(key + "." + name + "(");
                    for (int i = 0; i < inputs.length; i++) {
                        call.append(i == 0 ? "" : ", ").append(inputs[i].value());
                    }
                    calls.add(call.append(")").toString());
                    final Object state = variables.get(key + ".State").getValue().value().value();
                    final boolean accepted = !("StartJob".equals(name) && "DOWN".equals(state));
                    return new Variant[] {new Variant(accepted), new Variant(accepted ? name + " accepted"
                            : "machine is DOWN")};
                }
            };
            node.setInputArguments(in);
            node.setOutputArguments(out);
            node.setInvocationHandler(handler);
            getNodeManager().addNode(node);
            folder.addComponent(node);
        }

        private Argument stringArgument(final String name) {
            return new Argument(name, NodeIds.String, ValueRanks.Scalar, null, LocalizedText.english(name));
        }

        @Override
        public void onDataItemsCreated(final List<DataItem> items) {
            subscriptions.onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(final List<DataItem> items) {
            subscriptions.onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(final List<DataItem> items) {
            subscriptions.onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(final List<MonitoredItem> items) {
            subscriptions.onMonitoringModeChanged(items);
        }
    }
}
