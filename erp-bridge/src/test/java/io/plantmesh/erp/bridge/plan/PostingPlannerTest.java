package io.plantmesh.erp.bridge.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.erp.bridge.plan.PostingPlanner.Confirm;
import io.plantmesh.erp.bridge.plan.PostingPlanner.Move;
import io.plantmesh.erp.bridge.plan.PostingPlanner.Posting;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class PostingPlannerTest {

    private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");

    /** 100 pieces of FG-1 from 2 KG of RAW-1 per piece and 1 PC of RAW-2 per piece. */
    private static WorkOrderTwin order() {
        return WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", 7), "FG-1", 100, T0.plusSeconds(86_400),
                PlantThingIds.line("plant1", 1), 5, List.of(new WorkOrderTwin.BomItem("RAW-1", 200, "KG"),
                        new WorkOrderTwin.BomItem("RAW-2", 100, "PC")), T0)
                .dispatchTo(PlantThingIds.machine("plant1", 1, 1), T0)
                .withStatus(WorkOrderStatus.RUNNING, T0, null);
    }

    private static WorkOrderTwin progress(final WorkOrderTwin o, final long good, final long scrap) {
        return o.withProgress(new WorkOrderTwin.Progress(good, scrap));
    }

    /** Records postings as an ERP answering with exactly what was asked would. */
    private static WorkOrderTwin record(final WorkOrderTwin o, final List<Posting> postings) {
        final List<WorkOrderTwin.Confirmation> confirmations = new ArrayList<>(o.erp().confirmations());
        final List<WorkOrderTwin.GoodsMovement> movements = new ArrayList<>(o.erp().goodsMovements());
        int n = confirmations.size() + movements.size();
        for (final Posting p : postings) {
            n++;
            if (p instanceof Confirm c) {
                confirmations.add(new WorkOrderTwin.Confirmation("C" + n, c.yieldQuantity(), c.scrapQuantity(),
                        c.finalConfirmation(), T0));
            } else if (p instanceof Move m) {
                movements.add(new WorkOrderTwin.GoodsMovement("M" + n, m.movementType(), m.material(), m.quantity(),
                        m.unit(), T0));
            }
        }
        return o.withErp(new WorkOrderTwin.ErpPostings(confirmations, movements));
    }

    @Test
    void nothingIsPostedForAReleasedOrderOrOneWithoutPieces() {
        assertThat(PostingPlanner.plan(WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", 1), "FG-1", 10,
                T0, PlantThingIds.line("plant1", 1), 5, List.of(), T0))).isEmpty();
        assertThat(PostingPlanner.plan(order())).isEmpty();
    }

    @Test
    void piecesBecomeAConfirmationComponentIssuesAndAReceiptWithKeysFromWhatIsRecorded() {
        final WorkOrderTwin o = progress(order(), 10, 2);
        final List<Posting> plan = PostingPlanner.plan(o);
        assertThat(plan).containsExactly(
                new Confirm("plant1:wo-000007/conf/0-0", o, 10, 2, false),
                new Move("plant1:wo-000007/261/RAW-1/0", o, "261", "RAW-1", 24.0, "KG"),
                new Move("plant1:wo-000007/261/RAW-2/0", o, "261", "RAW-2", 12.0, "PC"),
                new Move("plant1:wo-000007/101/0", o, "101", "FG-1", 10.0, null));
        // recorded: nothing more to post; the same twin planned again gives nothing
        assertThat(PostingPlanner.plan(record(o, plan))).isEmpty();
    }

    @Test
    void increasesArePostedAsDeltasAndCompletionSendsTheFinalConfirmation() {
        WorkOrderTwin o = progress(order(), 10, 2);
        o = record(o, PostingPlanner.plan(o));
        o = progress(o, 30, 2);
        final List<Posting> more = PostingPlanner.plan(o);
        assertThat(more).extracting(Posting::key).containsExactly("plant1:wo-000007/conf/10-2",
                "plant1:wo-000007/261/RAW-1/24", "plant1:wo-000007/261/RAW-2/12", "plant1:wo-000007/101/10");
        assertThat(((Move) more.get(3)).quantity()).isEqualTo(20.0);
        o = record(o, more);
        final WorkOrderTwin complete = o.withStatus(WorkOrderStatus.COMPLETED, T0, null);
        assertThat(PostingPlanner.plan(complete)).containsExactly(
                new Confirm("plant1:wo-000007/conf/30-2", complete, 0, 0, true));
    }

    @Test
    void aPostingTheErpMadeButTheTwinDidNotRecordIsAskedForAgainWithTheSameKey() {
        WorkOrderTwin o = progress(order(), 10, 0);
        o = record(o, PostingPlanner.plan(o));
        final WorkOrderTwin at20 = progress(o, 20, 0);
        final Posting lost = PostingPlanner.plan(at20).get(3); // receipt of 10 with key .../101/10, not recorded
        // meanwhile the order made more: the next decision still carries the key of the lost posting
        final WorkOrderTwin at25 = progress(o, 25, 0);
        final Posting again = PostingPlanner.plan(at25).get(3);
        assertThat(again.key()).isEqualTo(lost.key()).isEqualTo("plant1:wo-000007/101/10");
        assertThat(((Move) again).quantity()).isEqualTo(15.0);
    }

    /** Records a confirmation with the machine minutes the ERP booked. */
    private static WorkOrderTwin confirmed(final WorkOrderTwin o, final Confirm c) {
        final List<WorkOrderTwin.Confirmation> confirmations = new ArrayList<>(o.erp().confirmations());
        confirmations.add(new WorkOrderTwin.Confirmation("C" + confirmations.size(), c.yieldQuantity(),
                c.scrapQuantity(), c.finalConfirmation(), T0, c.key(), c.machineMinutes()));
        return o.withErp(new WorkOrderTwin.ErpPostings(confirmations, o.erp().goodsMovements()));
    }

    private static WorkOrderTwin progressAt(final WorkOrderTwin o, final long good, final long minutes) {
        return o.withProgress(new WorkOrderTwin.Progress(good, 0, null, T0.plusSeconds(60 * minutes)));
    }

    @Test
    void perConfirmationEachConfirmationCarriesTheMachineTimeSinceTheLastOne() {
        // RUNNING at T0; 10 pieces reported at T0 + 10 min, 25 at T0 + 25 min, completed at T0 + 30 min
        WorkOrderTwin o = progressAt(order(), 10, 10);
        final Confirm first = (Confirm) PostingPlanner.plan(o, CostPosting.PER_CONFIRMATION).get(0);
        assertThat(first.machineMinutes()).isEqualTo(10.0);
        assertThat(first.key()).isEqualTo("plant1:wo-000007/conf/0-0");
        o = confirmed(o, first);

        o = progressAt(o, 25, 25);
        final Confirm second = (Confirm) PostingPlanner.plan(o, CostPosting.PER_CONFIRMATION).get(0);
        assertThat(second.machineMinutes()).isEqualTo(15.0);
        assertThat(second.key()).as("keys come from what is recorded, as for every posting")
                .isEqualTo("plant1:wo-000007/conf/10-0");
        o = confirmed(o, second);

        final WorkOrderTwin complete = o.withStatus(WorkOrderStatus.COMPLETED, T0.plusSeconds(30 * 60), null);
        final Confirm last = (Confirm) PostingPlanner.plan(complete, CostPosting.PER_CONFIRMATION).get(0);
        assertThat(last.finalConfirmation()).isTrue();
        assertThat(last.machineMinutes()).isEqualTo(5.0);
        // the same twin planned again: the same posting (a replay is answered with the original document)
        assertThat(PostingPlanner.plan(complete, CostPosting.PER_CONFIRMATION).get(0)).isEqualTo(last);
    }

    @Test
    void atCompletionOnlyTheFinalConfirmationCarriesMachineTimeAllOfIt() {
        WorkOrderTwin o = progressAt(order(), 10, 10);
        final Confirm first = (Confirm) PostingPlanner.plan(o, CostPosting.AT_COMPLETION).get(0);
        assertThat(first.machineMinutes()).isZero();
        o = confirmed(o, first);
        final WorkOrderTwin complete = progressAt(o, 25, 25).withStatus(WorkOrderStatus.COMPLETED,
                T0.plusSeconds(30 * 60), null);

        final Confirm last = (Confirm) PostingPlanner.plan(complete).get(0);

        assertThat(last.finalConfirmation()).isTrue();
        assertThat(last.machineMinutes()).isEqualTo(30.0);
    }

    @Test
    void whileTheOrderRunsPostingsWaitForAStepOfTheQuantitySoTheTwinStaysSmall() {
        // 100 pieces: a step is 5 pieces
        final WorkOrderTwin o = record(progress(order(), 10, 0), PostingPlanner.plan(progress(order(), 10, 0)));
        assertThat(PostingPlanner.plan(progress(o, 14, 0))).as("4 pieces more: not yet").isEmpty();
        assertThat(PostingPlanner.plan(progress(o, 15, 0))).extracting(Posting::key).containsExactly(
                "plant1:wo-000007/conf/10-0", "plant1:wo-000007/261/RAW-1/20", "plant1:wo-000007/261/RAW-2/10",
                "plant1:wo-000007/101/10");
        // at completion everything left goes, however little
        assertThat(PostingPlanner.plan(progress(o, 11, 0).withStatus(WorkOrderStatus.COMPLETED, T0, null)))
                .hasSize(4);
        // a big order posted in steps keeps its erp record far below Ditto's 100 KB thing limit
        WorkOrderTwin big = WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", 8), "FG-1", 500,
                T0.plusSeconds(86_400), PlantThingIds.line("plant1", 1), 5, List.of(
                        new WorkOrderTwin.BomItem("RAW-1", 1000, "KG"), new WorkOrderTwin.BomItem("RAW-2", 500, "PC"),
                        new WorkOrderTwin.BomItem("RAW-3", 250, "M")), T0)
                .dispatchTo(PlantThingIds.machine("plant1", 1, 1), T0).withStatus(WorkOrderStatus.RUNNING, T0, null);
        for (int piece = 1; piece <= 500; piece++) {
            big = progress(big, piece, 0);
            big = record(big, PostingPlanner.plan(big));
        }
        big = record(big, PostingPlanner.plan(big.withStatus(WorkOrderStatus.COMPLETED, T0, null)));
        assertThat(big.erp().confirmations().stream().mapToLong(WorkOrderTwin.Confirmation::good).sum())
                .isEqualTo(500);
        assertThat(big.erp().confirmations()).hasSizeLessThanOrEqualTo(21);
        assertThat(big.erp().toJson().toString().length()).isLessThan(30_000);
    }
}
