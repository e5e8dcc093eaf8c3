package io.plantmesh.maintenance.eval;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.plantmesh.maintenance.model.ModelSettings;

/** Writes the evaluation report (Markdown) with its definitions. */
final class ReportWriter {

    private ReportWriter() {
    }

    static String markdown(final MaintenanceEvaluation.Options options, final ModelSettings settings,
            final FleetRun.Outcome watched, final FleetRun.Outcome acted, final EvaluationMetrics.Result p,
            final Map<String, EvaluationMetrics.Result> byMode, final FleetOutcome off, final FleetOutcome on) {
        final StringBuilder md = new StringBuilder();
        md.append("# Predictive maintenance: measured against the simulator's ground truth\n\n");
        md.append("Written by `").append(options.command()).append("` (module `maintenance`, class `io.plantmesh.")
                .append("maintenance.eval.MaintenanceEvaluation`). Simulated time, in-process: the simulated machines "
                        + "(degradation modes on, `DegradationSettings.defaults()`) and the health model "
                        + "(`ModelSettings.defaults()`, horizon ").append(hours(options.horizon()))
                .append(") without the rest of the mesh. Same seed, same fleet, same episodes until the first "
                        + "maintenance changes a machine's course.\n\n");
        md.append(String.format(Locale.ROOT, "| setting | value |%n|---|---|%n| machines | %d (the demo plant's layout "
                + "for the seed) |%n| simulated time | %d days |%n| seed | %d |%n| sample interval | %s (one "
                + "snapshot per machine: what its twin would show) |%n| evaluation window | %s, steady after %s "
                + "RUNNING |%n| horizon | %s |%n| maintenance | %s after the alarm, taking %.0f %% of the type's MTTR "
                + "|%n| wall time | %d s + %d s (off, on) |%n%n", options.machines(), options.simulatedDays(),
                options.seed(), options.sampleInterval().toSeconds() + " s", minutes(settings.window()),
                minutes(settings.steadyAfter()), hours(options.horizon()), hours(options.reactionDelay()),
                100 * options.plannedMaintenanceShare(), watched.wallTime().toSeconds(),
                acted.wallTime().toSeconds()));

        md.append("## Failure prediction (predictive maintenance off: the model only watches)\n\n");
        md.append("| | alarms | true | false | failures | detected | precision | recall | F1 | lead median | "
                + "lead p10 | false alarms / machine / week | mode named right |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        row(md, "**all modes**", p);
        byMode.forEach((mode, r) -> row(md, mode, r));
        md.append(String.format(Locale.ROOT, "%nSudden faults (no precursor by design, not counted as failures to "
                + "predict; an alarm before one is a false alarm): %d.%n%n", off.suddenFaults()));
        final boolean recallMet = p.recall() >= 0.9;
        final boolean leadMet = p.medianLead() != null && p.medianLead().compareTo(Duration.ofHours(2)) >= 0;
        final boolean falseMet = p.falseAlarmsPerMachineWeek() <= 1.0;
        md.append(String.format(Locale.ROOT, "Aim: recall >= 0.9 (%s: %s), median lead time >= 2 h (%s: %s), <= 1 "
                + "false alarm per machine per week (%s: %.2f).%n%n", recallMet ? "met" : "NOT met",
                ratio(p.recall()), leadMet ? "met" : "NOT met", hours(p.medianLead()), falseMet ? "met" : "NOT met",
                p.falseAlarmsPerMachineWeek()));

        md.append("## Outcome: predictive maintenance off vs on (same seed)\n\n");
        md.append("| | off | on |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| degradation failures | %d | %d |%n", off.degradationFailures().size(),
                on.degradationFailures().size()));
        md.append(String.format(Locale.ROOT, "| sudden faults | %d | %d |%n", off.suddenFaults(), on.suddenFaults()));
        md.append(String.format(Locale.ROOT, "| unplanned downtime (fault to end of repair) | %.1f h | %.1f h |%n",
                off.unplannedDowntime().toMinutes() / 60.0, on.unplannedDowntime().toMinutes() / 60.0));
        md.append(String.format(Locale.ROOT, "| planned maintenance | %d, %.1f h | %d, %.1f h (%d during a "
                + "degradation episode) |%n", off.maintenances(), off.plannedMaintenance().toMinutes() / 60.0,
                on.maintenances(), on.plannedMaintenance().toMinutes() / 60.0, on.maintenancesDuringEpisode()));
        md.append(String.format(Locale.ROOT, "| good parts | %d | %d |%n", off.goodParts(), on.goodParts()));
        md.append(String.format(Locale.ROOT, "| production efficiency | %.2f %% | %.2f %% |%n%n",
                100 * off.efficiency(), 100 * on.efficiency()));
        md.append("Unplanned downtime per cause:\n\n| cause | failures off | downtime off | failures on | downtime on "
                + "|\n|---|---|---|---|---|\n");
        off.failuresByMode().forEach((mode, n) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.1f h | %d | "
                + "%.1f h |%n", mode, n, off.downtimeByMode().get(mode).toMinutes() / 60.0,
                on.failuresByMode().getOrDefault(mode, 0), on.downtimeByMode().getOrDefault(mode, Duration.ZERO)
                        .toMinutes() / 60.0)));

        md.append("\n## Health against the ground truth\n\n![health of a few machines](")
                .append(MaintenanceEvaluation.CHART).append(")\n\n");
        md.append("Predictive maintenance off. Shaded: a degradation episode from its onset to its failure; red: the "
                + "failure; grey: a sudden fault; orange triangle: a PREDICTED_FAILURE alarm; blue: the strongest "
                + "smoothed wear-mode evidence (standard deviations of normal behaviour, log scale), dashed: the "
                + "detection threshold.\n\n");

        md.append("## Definitions\n\n");
        md.append("- **Alarm**: the raise of a PREDICTED_FAILURE alarm (the model predicts the suspected mode's "
                + "failure within the horizon). It is **true** if the machine has a degradation failure within the "
                + "horizon after the raise, else **false** (too early, wrong machine state, or no failure).\n");
        md.append("- **Failure**: a degradation episode that ended in its failure (ground truth). **Detected** if a "
                + "true alarm points at it; **lead time** = failure time minus the earliest true alarm; median and "
                + "10th percentile by nearest rank.\n");
        md.append("- precision = true / alarms, recall = detected / failures, F1 = 2PR / (P + R); false alarms per "
                + "machine per week = false alarms / (machines x weeks). Per mode: recall and lead over that mode's "
                + "failures, precision over the alarms naming that mode.\n");
        md.append("- **Unplanned downtime**: from each fault (degradation or sudden) to the end of its repair. "
                + "**Production efficiency**: good parts / the parts the machines could make at their nominal cycle "
                + "time over the whole period (setups, idle stretches, downtime, slower programs and scrap all "
                + "lower it; an upper bound of 100 % is not reachable).\n");
        md.append("- The fleet: the demo plant's machine types; jobs of 4..12 h per work order, the program "
                + "(operating regime P1/P2/P3) chosen by the work order; 15 % of jobs are followed by 2..8 h "
                + "standing still (cold start afterwards). Noise, glitches and warm-up as in the simulator's "
                + "README.\n");

        md.append("\n## What these figures do and do not say\n\n");
        md.append("- The model is scored against degradation the simulator injects, with signatures of the kind it "
                + "expects (monotone wear, known signal directions per mode); real machines can wear intermittently "
                + "or show it in signals a twin does not carry. The numbers are an upper bound of what to expect on "
                + "real data with the same signals, not a promise.\n");
        md.append("- Samples are the simulator's snapshots every 30 s, i.e. the values a twin would show; in the mesh, "
                + "edge deadbands and aggregation thin them, and OPC-UA machines report no program, spindle load or "
                + "hydraulic pressure until the edge gateway maps them (see docs/maintenance.md, Limits).\n");
        md.append("- The first failures of each machine fall into its learning period (about 2 h of steady running "
                + "per program) and are missed; failure levels are learned from failures, which the 'on' run, by "
                + "preventing them, hardly sees.\n");
        md.append("- Planned maintenance is assumed to take half the type's MTTR (parts and people ready) against a "
                + "repair of about the MTTR; the efficiency gain depends on that ratio. Sudden faults stay unplanned "
                + "downtime in both runs (they differ a little between the runs because maintenance shifts the "
                + "machines' courses).\n");
        return md.toString();
    }

    private static void row(final StringBuilder md, final String name, final EvaluationMetrics.Result r) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %.2f | %d of "
                + "%d |%n", name, r.alarms(), r.truePositives(), r.falsePositives(), r.failures(), r.detected(),
                ratio(r.precision()), ratio(r.recall()), ratio(r.f1()), hours(r.medianLead()), hours(r.p10Lead()),
                r.falseAlarmsPerMachineWeek(), r.modeCorrect(), r.detected()));
    }

    static String ratio(final double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    static String hours(final Duration d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
    }

    static String minutes(final Duration d) {
        return d.toMinutes() + " min";
    }
}
