package io.plantmesh.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.policies.PolicyTemplates;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.validation.ThingModelValidator;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class DemoPlantTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:15:30Z");
    private final DemoPlant plant = DemoPlant.generate("plant1", 42, NOW);

    @Test
    void hasTheShapeOfThePaperScenario() {
        assertThat(plant.lines()).hasSize(5);
        assertThat(plant.machines()).hasSize(50);
        assertThat(plant.workOrders()).hasSize(40);
        assertThat(plant.materials()).hasSize(20);
        assertThat(plant.gateways()).hasSize(5);
        assertThat(plant.things()).hasSize(120);
        assertThat(plant.twinCount()).isEqualTo(120);
        assertThat(plant.policies()).extracting(p -> p.getEntityId().orElseThrow().toString())
                .containsExactly("plant1:shopfloor", "plant1:orders", "plant1:materials", "plant1:gateways");
    }

    @Test
    void everyTwinIsValidAgainstItsThingModel() {
        ThingModelValidator validator = ThingModelValidator.plantModels();
        for (Thing thing : plant.things()) {
            assertThat(validator.appliesTo(thing)).as("%s has a PlantMesh definition", thing.getEntityId()).isTrue();
            assertThat(validator.validate(thing)).as("violations of %s", thing.getEntityId().orElseThrow()).isEmpty();
        }
        Map<TwinKind, Long> kinds = plant.things().stream()
                .filter(t -> !t.getDefinition().orElseThrow().equals(PlantDefinitions.EDGE_GATEWAY))
                .collect(Collectors.groupingBy(t -> PlantDefinitions.kindOf(t).orElseThrow(), Collectors.counting()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(TwinKind.LINE, 5L, TwinKind.MACHINE, 50L,
                TwinKind.WORK_ORDER, 40L, TwinKind.MATERIAL, 20L));
    }

    @Test
    void idsFollowTheConventionsAndEveryThingNamesItsAreaPolicy() {
        Set<String> ids = plant.things().stream().map(t -> t.getEntityId().orElseThrow().toString())
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(120).contains("plant1:line-1", "plant1:line-5", "plant1:machine-1-01",
                "plant1:machine-5-10", "plant1:wo-100001", "plant1:wo-100040", "plant1:mat-RAW-1001",
                "plant1:mat-FG-2008", "plant1:gateway-1", "plant1:gateway-5");
        for (Thing thing : plant.things()) {
            TwinKind kind = PlantThingIds.parse(thing.getEntityId().orElseThrow()).kind();
            String expectedPolicy = switch (kind) {
                case LINE, MACHINE -> "plant1:shopfloor";
                case WORK_ORDER -> "plant1:orders";
                case MATERIAL -> "plant1:materials";
                case GATEWAY -> "plant1:gateways";
            };
            assertThat(thing.getPolicyEntityId()).map(Object::toString).contains(expectedPolicy);
        }
    }

    @Test
    void everyLineWithOpcUaMachinesHasAGatewayTwinTheIngestionMayReportOn() {
        assertThat(plant.gateways()).extracting(g -> g.id().toString())
                .containsExactly("plant1:gateway-1", "plant1:gateway-2", "plant1:gateway-3", "plant1:gateway-4",
                        "plant1:gateway-5");
        assertThat(plant.gateways()).allSatisfy(g -> {
            assertThat(g.id().toString()).endsWith("-" + g.line().toString().substring("plant1:line-".length()));
            assertThat(g.connectivity().connected()).isFalse();
        });
        org.eclipse.ditto.policies.model.Policy gateways = plant.policies().get(3);
        assertThat(gateways.getEntityId().orElseThrow().toString()).isEqualTo("plant1:gateways");
        var ingestion = gateways.getEntryFor("SVC-TWIN-INGESTION").orElseThrow().getResources();
        assertThat(ingestion.getResource(org.eclipse.ditto.policies.model.ResourceKey.newInstance("thing",
                "/features/buffer/properties"))).isPresent();
        assertThat(ingestion.getResource(org.eclipse.ditto.policies.model.ResourceKey.newInstance("thing",
                "/features/opcua/properties"))).isPresent();
        assertThat(ingestion.getResource(org.eclipse.ditto.policies.model.ResourceKey.newInstance("thing",
                "/features/connectivity/properties"))).isPresent();
    }

    @Test
    void linesListTheirTenMachinesAndMachinesAreBoundToDevices() {
        for (int line = 1; line <= 5; line++) {
            ThingId lineId = PlantThingIds.line("plant1", line);
            var lineTwin = plant.lines().get(line - 1);
            assertThat(lineTwin.id().toString()).isEqualTo(lineId.toString());
            assertThat(lineTwin.machines()).hasSize(10)
                    .allSatisfy(m -> assertThat(PlantThingIds.lineOfMachine(m).toString()).isEqualTo(lineId.toString()));
            long mqtt = plant.machines().stream().filter(m -> m.line().equals(lineId))
                    .filter(m -> m.device().opcuaEndpoint() == null).count();
            assertThat(mqtt).isEqualTo(3);
        }
        assertThat(plant.machines()).allSatisfy(m -> {
            assertThat(m.vendor()).isNotBlank();
            assertThat(m.model()).isNotBlank();
            assertThat(m.device().honoTenant()).isEqualTo("plant1");
            assertThat(m.device().deviceId()).isEqualTo(m.id().toString());
            assertThat(m.state().state()).isEqualTo(MachineState.IDLE);
            if (m.device().opcuaEndpoint() != null) {
                assertThat(m.device().opcuaEndpoint()).startsWith("opc.tcp://");
                assertThat(m.device().opcuaNodeIds()).containsKeys("temperature", "state", "goodCount");
            }
        });
    }

    @Test
    void workOrdersAreReleasedWithDueDatesAndBomsOfKnownMaterials() {
        Set<String> materialNumbers = plant.materials().stream().map(MaterialTwin::materialNumber)
                .collect(Collectors.toSet());
        assertThat(plant.workOrders()).allSatisfy(wo -> {
            assertThat(wo.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
            assertThat(wo.status().times().get(WorkOrderStatus.RELEASED)).isBefore(NOW);
            assertThat(wo.dueDate()).isAfter(NOW);
            assertThat(wo.priority()).isBetween(1, 9);
            assertThat(wo.quantity()).isBetween(50.0, 500.0);
            assertThat(materialNumbers).contains(wo.material());
            assertThat(wo.billOfMaterials()).isNotEmpty()
                    .allSatisfy(item -> assertThat(materialNumbers).contains(item.material()));
        });
        assertThat(plant.workOrders()).extracting(WorkOrderTwin::line).map(ThingId::toString).containsOnly(
                "plant1:line-1", "plant1:line-2", "plant1:line-3", "plant1:line-4", "plant1:line-5");
        assertThat(plant.workOrders().stream().map(WorkOrderTwin::priority).distinct().count()).isGreaterThan(3);
    }

    @Test
    void materialsHaveStockAndRawMaterialsReorderPoints() {
        List<MaterialTwin> raw = plant.materials().stream().filter(m -> m.materialNumber().startsWith("RAW-")).toList();
        List<MaterialTwin> finished = plant.materials().stream().filter(m -> m.materialNumber().startsWith("FG-"))
                .toList();
        assertThat(raw).hasSize(12).allSatisfy(m -> {
            assertThat(m.reorderPoint()).isPositive();
            assertThat(m.reorderQuantity()).isGreaterThan(m.reorderPoint());
            assertThat(m.storageLocation()).isEqualTo("0001");
        });
        assertThat(raw.stream().filter(MaterialTwin::needsReorder)).hasSize(2);
        assertThat(finished).hasSize(8).allSatisfy(m -> {
            assertThat(m.reorderPoint()).isNull();
            assertThat(m.storageLocation()).isEqualTo("0002");
        });
        assertThat(plant.materials()).allSatisfy(m -> {
            assertThat(m.stock().onHand()).isPositive();
            assertThat(m.stock().available()).isEqualTo(m.stock().onHand() - m.stock().reserved());
            assertThat(m.stock().lastMovement().movementType()).isEqualTo("561");
        });
    }

    @Test
    void sameSeedGivesTheSamePlantAndAnotherSeedAnotherOne() {
        DemoPlant again = DemoPlant.generate("plant1", 42, NOW);
        assertThat(json(again)).isEqualTo(json(plant));
        assertThat(again.policies()).isEqualTo(plant.policies());
        DemoPlant other = DemoPlant.generate("plant1", 7, NOW);
        assertThat(json(other)).isNotEqualTo(json(plant));
        assertThat(other.things()).extracting(t -> t.getEntityId().orElseThrow())
                .isEqualTo(plant.things().stream().map(t -> t.getEntityId().orElseThrow()).toList());
    }

    @Test
    void policiesAreThePlantTemplatesWithTheDevUserLikeItAdmin() {
        // the role matrix itself is tested in the policies module; here: the demo uses it, plus the dev user
        assertThat(plant.policies()).isEqualTo(PolicyTemplates
                .withDevelopmentSubjects(List.of(PolicyTemplates.DEVELOPMENT_SUBJECT)).all("plant1"));
        Map<String, Enforcer> enforcers = plant.policies().stream().collect(Collectors.toMap(
                p -> p.getEntityId().orElseThrow().getName(), PolicyEnforcers::defaultEvaluator));
        AuthorizationContext dev = subject("nginx:ditto");
        AuthorizationContext supervisor = subject("keycloak:production-supervisor");
        for (Enforcer e : enforcers.values()) {
            assertThat(e.hasUnrestrictedPermissions(thing("/"), dev, Permissions.newInstance("READ", "WRITE"))).isTrue();
            assertThat(e.hasUnrestrictedPermissions(PoliciesResourceType.policyResource("/"), dev,
                    Permissions.newInstance("READ", "WRITE"))).isTrue();
        }
        assertThat(enforcers.get("orders").hasPartialPermissions(thing("/features/cost"), supervisor,
                Permissions.newInstance("READ"))).isFalse();
        assertThat(plant.things()).allSatisfy(t -> assertThat(enforcers)
                .containsKey(t.getPolicyEntityId().orElseThrow().getName()));
    }

    private static org.eclipse.ditto.policies.model.ResourceKey thing(String path) {
        return PoliciesResourceType.thingResource(path);
    }

    private static AuthorizationContext subject(String id) {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(id));
    }

    private static List<String> json(DemoPlant p) {
        return p.things().stream().map(Thing::toJson).map(Object::toString).toList();
    }
}
