package io.plantmesh.devices.simulator.opcua;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * The address space of one line: namespace {@value #NAMESPACE_URI}, one folder per machine under Objects, named by
 * the machine key ({@code L1M03}), holding the variables of {@link MachineNodes.Tag} ({@code L1M03.State}, ...) and
 * the methods StartJob, HoldJob and StopJob ({@code L1M03.StartJob}, ...). All node ids are strings.
 */
final class LineNamespace extends ManagedNamespaceWithLifecycle {

    /** Namespace URI of the simulated machines; clients resolve its index by this URI. */
    static final String NAMESPACE_URI = "urn:plantmesh:sim";

    private final List<SimulatedMachine> machines;
    private final Map<String, MachineNodes> nodesByKey = new LinkedHashMap<>();
    private final SubscriptionModel subscriptionModel;

    LineNamespace(final OpcUaServer server, final List<SimulatedMachine> machines) {
        super(server, NAMESPACE_URI);
        this.machines = List.copyOf(machines);
        this.subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::addMachines);
    }

    /** Copies every machine's current snapshot into its variables. */
    void publish() {
        for (final SimulatedMachine machine : machines) {
            final MachineNodes nodes = nodesByKey.get(machine.key());
            if (nodes != null) {
                nodes.show(machine.snapshot());
            }
        }
    }

    private void addMachines() {
        for (final SimulatedMachine machine : machines) {
            nodesByKey.put(machine.key(), addMachine(machine));
        }
        publish();
    }

    private MachineNodes addMachine(final SimulatedMachine machine) {
        final String key = machine.key();
        final UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(key), newQualifiedName(key),
                LocalizedText.english(key));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(),
                false));

        final MachineNodes nodes = new MachineNodes();
        for (final MachineNodes.Tag tag : MachineNodes.Tag.values()) {
            final UaVariableNode variable = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(key + "." + tag.name()))
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setBrowseName(newQualifiedName(tag.name()))
                    .setDisplayName(LocalizedText.english(tag.name()))
                    .setDataType(dataType(tag))
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .build();
            getNodeManager().addNode(variable);
            folder.addComponent(variable);
            nodes.add(tag, variable);
        }
        final Runnable showNow = () -> nodes.show(machine.snapshot());
        for (final JobMethod.Command command : JobMethod.Command.values()) {
            addMethod(folder, machine, command, showNow);
        }
        return nodes;
    }

    private void addMethod(final UaFolderNode folder, final SimulatedMachine machine,
            final JobMethod.Command command, final Runnable showNow) {
        final UaMethodNode method = UaMethodNode.builder(getNodeContext())
                .setNodeId(newNodeId(machine.key() + "." + command.browseName))
                .setBrowseName(newQualifiedName(command.browseName))
                .setDisplayName(LocalizedText.english(command.browseName))
                .setDescription(LocalizedText.english(command.description))
                .build();
        final JobMethod handler = new JobMethod(method, command, machine, showNow);
        method.setInputArguments(handler.getInputArguments());
        method.setOutputArguments(handler.getOutputArguments());
        method.setInvocationHandler(handler);
        getNodeManager().addNode(method);
        folder.addComponent(method);
    }

    private static NodeId dataType(final MachineNodes.Tag tag) {
        return switch (tag) {
            case State, StateReason, JobId, Program -> NodeIds.String;
            case GoodCount, ScrapCount -> NodeIds.Int64;
            default -> NodeIds.Double;
        };
    }

    @Override
    public void onDataItemsCreated(final List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(final List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(final List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(final List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
