package io.plantmesh.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyEntry;
import org.eclipse.ditto.policies.model.Resource;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.Test;

import io.plantmesh.policies.RoleMatrix.Access;
import io.plantmesh.policies.RoleMatrix.Read;
import io.plantmesh.policies.RoleMatrix.Row;
import io.plantmesh.twin.model.TwinKind;

/**
 * Test A of the role matrix: every role x every resource of the table, READ and WRITE, decided by Ditto's own policy
 * enforcer ({@link PolicyEnforcers#defaultEvaluator}) on the templates' policy JSON, equals the table.
 */
class RoleMatrixEnforcerTest {

    private static final String PLANT = "plant1";
    private static final Permissions READ = Permissions.newInstance("READ");
    private static final Permissions WRITE = Permissions.newInstance("WRITE");

    private final RoleMatrix matrix = RoleMatrix.load();

    @Test
    void everyCellOfTheMatrixIsWhatDittosEnforcerDecides() {
        final List<String> differences = new ArrayList<>();
        int cells = 0;
        for (final Row row : matrix.rows()) {
            final Enforcer enforcer = enforcer(PolicyTemplates.production(), row.twin());
            for (final String role : matrix.roles()) {
                final Access decided = decide(enforcer, row, tokenOf(role));
                cells++;
                if (!decided.equals(row.of(role))) {
                    differences.add(row.twin().modelName() + " " + row.resource() + " " + role + ": table says "
                            + row.of(role).cell() + ", the policy grants " + decided.cell());
                }
            }
        }
        assertThat(differences).isEmpty();
        assertThat(cells).isEqualTo(matrix.rows().size() * PlantRoles.ALL.size());
    }

    @Test
    void theTableHasAColumnForEveryRoleAndEveryKindOfTwin() {
        assertThat(matrix.roles()).containsExactlyElementsOf(PlantRoles.ALL);
        for (final TwinKind kind : TwinKind.values()) {
            assertThat(matrix.row(kind, "thing:/")).as("thing:/ of " + kind).isPresent();
            assertThat(matrix.row(kind, "thing:/attributes")).as("thing:/attributes of " + kind).isPresent();
        }
        for (final PolicyKind kind : PolicyKind.values()) {
            final boolean policyRow = matrix.rows().stream()
                    .anyMatch(r -> PolicyKind.of(r.twin()) == kind && r.resource().equals("policy:/"));
            assertThat(policyRow).as("a policy:/ row for the " + kind + " policy").isTrue();
        }
    }

    @Test
    void everyResourceTheTemplatesGrantOrRevokeIsShownInTheTable() {
        final Set<String> missing = new TreeSet<>();
        for (final PolicyKind kind : PolicyKind.values()) {
            final Policy policy = PolicyTemplates.production().policy(kind, PLANT);
            for (final PolicyEntry entry : policy) {
                for (final Resource resource : entry.getResources()) {
                    // a resource is shown by its own row or by the rows of the parts below it
                    final String key = resource.getResourceKey().toString();
                    final String below = key.endsWith("/") ? key : key + "/";
                    final boolean shown = matrix.rows().stream()
                            .filter(r -> PolicyKind.of(r.twin()) == kind)
                            .anyMatch(r -> r.resource().equals(key) || r.resource().startsWith(below));
                    if (!shown) {
                        missing.add(kind + " " + entry.getLabel() + " " + key);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void workOrderCostsAreReadOnlyByFinanceAdminsAndTheErpBridge() {
        final Row cost = matrix.row(TwinKind.WORK_ORDER, "thing:/features/cost/properties").orElseThrow();
        final List<String> readers = matrix.roles().stream().filter(role -> cost.of(role).read() != Read.NONE).toList();
        assertThat(readers).containsExactlyInAnyOrder(PlantRoles.ERP_FINANCE, PlantRoles.IT_ADMIN,
                PlantRoles.SVC_ERP_BRIDGE);
        final Enforcer orders = enforcer(PolicyTemplates.production(), TwinKind.WORK_ORDER);
        // the supervisor reads the work order, but its view leaves the costs out
        final AuthorizationContext supervisor = tokenOf(PlantRoles.PRODUCTION_SUPERVISOR);
        final var order = JsonFactory.newObject("{\"thingId\":\"plant1:wo-000001\",\"attributes\":{\"priority\":1},"
                + "\"features\":{\"status\":{\"properties\":{\"status\":\"RELEASED\"}},"
                + "\"cost\":{\"properties\":{\"total\":12.5}}}}");
        final var view = orders.buildJsonView(ResourceKey.newInstance("thing", "/"), order, supervisor, READ);
        assertThat(view.getValue("features/status/properties/status")).isPresent();
        assertThat(view.getValue("features/cost")).isEmpty();
    }

    @Test
    void aRevokeWinsForTheWholeRequestSoASupervisorWhoIsAlsoFinanceSeesNoCosts() {
        final Enforcer orders = enforcer(PolicyTemplates.production(), TwinKind.WORK_ORDER);
        final ResourceKey cost = ResourceKey.newInstance("thing", "/features/cost/properties");
        final AuthorizationContext both = context("keycloak:user-7", PlantRoles.subject(PlantRoles.ERP_FINANCE),
                PlantRoles.subject(PlantRoles.PRODUCTION_SUPERVISOR));
        assertThat(orders.hasPartialPermissions(cost, both, READ)).isFalse();
        final AuthorizationContext financeOnly = tokenOf(PlantRoles.ERP_FINANCE);
        assertThat(orders.hasUnrestrictedPermissions(cost, financeOnly, READ)).isTrue();
    }

    @Test
    void theDevelopmentSubjectMayDoWhatItAdminMayOnlyWhenAskedFor() {
        final String dev = PolicyTemplates.DEVELOPMENT_SUBJECT;
        final PolicyTemplates embedded = PolicyTemplates.withDevelopmentSubjects(List.of(dev));
        for (final Row row : matrix.rows()) {
            final Access withDev = decide(enforcer(embedded, row.twin()), row, context(dev));
            assertThat(withDev).as(row.twin() + " " + row.resource()).isEqualTo(row.of(PlantRoles.IT_ADMIN));
            final Access production = decide(enforcer(PolicyTemplates.production(), row.twin()), row, context(dev));
            assertThat(production).as(row.twin() + " " + row.resource())
                    .isEqualTo(new Access(Read.NONE, false));
            // the roles' answers do not change when the development subject is added
            for (final String role : matrix.roles()) {
                assertThat(decide(enforcer(embedded, row.twin()), row, tokenOf(role)))
                        .as(role + " " + row.twin() + " " + row.resource()).isEqualTo(row.of(role));
            }
        }
    }

    @Test
    void theTemplatesSurviveTheirJsonAndNameOnlyRolesAndTheDevelopmentSubject() {
        for (final Policy policy : PolicyTemplates.withDevelopmentSubjects(List.of("nginx:ditto")).all(PLANT)) {
            final Policy parsed = PoliciesModelFactory.newPolicy(policy.toJson());
            assertThat(parsed).isEqualTo(policy);
            for (final PolicyEntry entry : policy) {
                entry.getSubjects().forEach(subject -> assertThat(subject.getId().toString())
                        .matches("keycloak:[a-z-]+|nginx:ditto"));
            }
        }
        assertThat(PolicyTemplates.production().all(PLANT)).extracting(p -> p.getEntityId().orElseThrow().toString())
                .containsExactly("plant1:shopfloor", "plant1:orders", "plant1:materials", "plant1:gateways");
    }

    private static Enforcer enforcer(final PolicyTemplates templates, final TwinKind twin) {
        // through JSON, as the twin server and Ditto get it
        final Policy policy = templates.policy(PolicyKind.of(twin), PLANT);
        return PolicyEnforcers.defaultEvaluator(PoliciesModelFactory.newPolicy(policy.toJson()));
    }

    static Access decide(final Enforcer enforcer, final Row row, final AuthorizationContext who) {
        final ResourceKey key = ResourceKey.newInstance(row.resourceType(), row.resourcePath());
        final Read read;
        if (enforcer.hasUnrestrictedPermissions(key, who, READ)) {
            read = Read.ALL;
        } else if (enforcer.hasPartialPermissions(key, who, READ)) {
            read = Read.PART;
        } else {
            read = Read.NONE;
        }
        return new Access(read, enforcer.hasUnrestrictedPermissions(key, who, WRITE));
    }

    /** The subjects a Keycloak token of a user or service account with one realm role gives in Ditto. */
    static AuthorizationContext tokenOf(final String role) {
        return context("keycloak:8d1f3c2e-user-of-" + role, PlantRoles.subject(role),
                "keycloak:default-roles-plantmesh", "keycloak:offline_access", "keycloak:uma_authorization");
    }

    private static AuthorizationContext context(final String... subjects) {
        final List<AuthorizationSubject> list = new ArrayList<>();
        for (final String s : subjects) {
            list.add(AuthorizationModelFactory.newAuthSubject(s));
        }
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.JWT, list);
    }
}
