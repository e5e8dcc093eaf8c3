package io.plantmesh.launcher.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/** Table 1 (terminal and Markdown), its definitions, and the SVG chart of a scenario run. */
final class ScenarioReport {

    private ScenarioReport() {
    }

    /** What each figure means, printed under the table and in the report. */
    static List<String> definitions(final ScenarioSettings s) {
        return List.of(
                "Data latency: wall-clock ms (one clock, one JVM) from a business event's origin at the device to its"
                        + " arrival at a consumer. Origins: the simulated machine changing state, or making the"
                        + " good piece in question (listener on the simulator). Arrivals: 'twin' = the change on the"
                        + " UI's event stream (SSE of the twin API); 'MES' (state) = the MES bridge taking the"
                        + " state into its planning copy; 'MES' (completion) = the order's COMPLETED, written by the"
                        + " MES, on the event stream, from the order's last good piece; 'ERP document' = the ERP's"
                        + " goods receipt (101) recorded on the order twin by the ERP bridge, from the good piece"
                        + " that receipt's cumulative quantity reaches (the bridge posts in steps of 5 % of the"
                        + " order). Percentiles by nearest rank; 'mesh % of baseline' = mesh / baseline.",
                String.format(Locale.ROOT, "Production efficiency: good output / planned capacity over the measured"
                        + " window. Good output = good pieces the production machines made for an order, up to its"
                        + " quantity (overproduction and pieces without a job do not count); planned capacity = the"
                        + " window in plant time x the production machines' ideal rates (1 / nominal cycle time). Same seed in both modes: same plant, same"
                        + " orders, machines with MTBF %s and MTTR %s (plant time), scrap, and materials that run"
                        + " short (the ERP bridge reorders at the reorder point; the MES holds orders short of"
                        + " material). Machine time: the production machines' plant time in the window per device"
                        + " state (setup is the changeover before a job; idle is time without a job to run, e.g."
                        + " waiting for the MES to learn that the last one ended).", ScenarioRun.human(s.mtbf()),
                        ScenarioRun.human(s.mttr())),
                String.format(Locale.ROOT, "Data consistency: share of sampled (time, entity) pairs, one sample every"
                        + " %d ms wall, where the layers agree: machine state (device = twin = MES copy); order"
                        + " progress of orders with pieces made and not yet fully booked (MES count on the twin"
                        + " within 1 piece of the device count, ERP receipts within one posting step + 1 piece of"
                        + " it; a completed order agrees once the ERP received all of it); stock on hand (material"
                        + " twin = ERP stock).", s.sampleInterval().toMillis()),
                String.format(Locale.ROOT, "Baseline (siloed): the same components, but the MES ignores machine"
                        + " events and re-reads machine state every %s of plant time (polling), and the ERP bridge"
                        + " ignores events and posts and reads stock only every %s of plant time (batch transfer)."
                        + " Mesh: every consumer follows the twins' change events.", ScenarioRun.human(s.mesPoll()),
                        ScenarioRun.human(s.erpBatch())),
                "End reconciliation (books exact): after the window the devices stop; when every completed order"
                        + " is booked, the ERP's goods movement items of work orders must equal the documents"
                        + " recorded on the order twins (no document twice, none missing) and the ERP's goods"
                        + " receipts of completed orders must equal the good pieces the MES counted; the devices'"
                        + " own count for those orders is reported beside it.",
                "Transport load: the process's CPU over the window in % of one core (everything runs in this JVM;"
                        + " JIT and GC included), and the most records waiting in Kafka for twin ingestion and"
                        + " messages in the edge gateways' buffers at a once-a-second sample; CPU per component is"
                        + " in the Markdown report.");
    }

    /** The side-by-side table for the terminal. */
    static String table(final ScenarioSettings s, final List<ModeResult> results) {
        final Optional<ModeResult> base = find(results, ScenarioMode.BASELINE);
        final Optional<ModeResult> mesh = find(results, ScenarioMode.MESH);
        final List<String[]> rows = rows(base, mesh);
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nTable 1 - PlantMesh's own measurements (seed %d, %d devices, %d"
                + " line(s), rate %,.0f msg/h, %s measured per mode, plant time %.0fx)%n%n", s.seed(), s.devices(),
                s.lines(), s.ratePerHour(), ScenarioRun.human(s.duration()), s.timeScale()));
        final int[] width = {52, 16, 16, 14};
        for (final String[] row : rows) {
            if (row.length == 1) {
                out.append(row[0]).append(System.lineSeparator());
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-" + width[0] + "s %" + width[1] + "s %" + width[2] + "s %"
                    + width[3] + "s%n", row[0], row[1], row[2], row[3]));
        }
        out.append(System.lineSeparator());
        for (final String d : definitions(s)) {
            out.append("* ").append(d).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static List<String[]> rows(final Optional<ModeResult> base, final Optional<ModeResult> mesh) {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "baseline", "mesh", "mesh % of base"});
        rows.add(new String[] {"Data latency (ms)"});
        for (final String path : Latencies.PATHS) {
            final Latencies.Summary b = base.map(r -> r.latencies().get(path)).orElse(null);
            final Latencies.Summary m = mesh.map(r -> r.latencies().get(path)).orElse(null);
            rows.add(new String[] {path + " (n)", b == null ? "-" : Integer.toString(b.count()),
                    m == null ? "-" : Integer.toString(m.count()), ""});
            for (final String q : List.of("p50", "p95", "p99", "max")) {
                final double bv = b == null ? Double.NaN : pick(b, q);
                final double mv = m == null ? Double.NaN : pick(m, q);
                rows.add(new String[] {"  " + q, ms(bv), ms(mv), percent(mv, bv)});
            }
        }
        rows.add(new String[] {"Production efficiency"});
        final double be = base.map(ModeResult::efficiency).orElse(Double.NaN);
        final double me = mesh.map(ModeResult::efficiency).orElse(Double.NaN);
        rows.add(new String[] {"good output / planned capacity", pct(be), pct(me), percent(me, be)});
        rows.add(new String[] {"  good pieces / capacity", base.map(r -> r.goodPieces() + " / "
                + Math.round(r.plannedCapacity())).orElse("-"), mesh.map(r -> r.goodPieces() + " / "
                + Math.round(r.plannedCapacity())).orElse("-"), ""});
        rows.add(new String[] {"  machine faults in the window", base.map(r -> Long.toString(r.faults()))
                .orElse("-"), mesh.map(r -> Long.toString(r.faults())).orElse("-"), ""});
        for (final String state : List.of("RUNNING", "SETUP", "IDLE", "DOWN", "MAINTENANCE")) {
            final double bt = base.map(r -> r.machineTime().getOrDefault(state, Double.NaN)).orElse(Double.NaN);
            final double mt = mesh.map(r -> r.machineTime().getOrDefault(state, Double.NaN)).orElse(Double.NaN);
            rows.add(new String[] {"  machine time " + state.toLowerCase(Locale.ROOT), pct(bt), pct(mt), ""});
        }
        rows.add(new String[] {"Data consistency"});
        for (final String kind : List.of(ScenarioRun.KIND_ALL, ScenarioRun.KIND_MACHINE, ScenarioRun.KIND_ORDER,
                ScenarioRun.KIND_STOCK)) {
            final double bc = base.map(r -> r.consistency().get(kind)).orElse(Double.NaN);
            final double mc = mesh.map(r -> r.consistency().get(kind)).orElse(Double.NaN);
            rows.add(new String[] {(kind.equals(ScenarioRun.KIND_ALL) ? "agreeing pairs, all" : "  " + kind),
                    pct(bc), pct(mc), percent(mc, bc)});
        }
        rows.add(new String[] {"  end reconciliation (ERP books)", base.map(r -> r.books().exact() ? "exact"
                : "NOT exact").orElse("-"), mesh.map(r -> r.books().exact() ? "exact" : "NOT exact").orElse("-"),
                ""});
        rows.add(new String[] {"  completed orders: device count = MES count", base.map(r -> devices(r.books()))
                .orElse("-"), mesh.map(r -> devices(r.books())).orElse("-"), ""});
        rows.add(new String[] {"Transport"});
        rows.add(new String[] {"device messages per hour (measured)", base.map(r -> String.format(Locale.ROOT,
                "%,.0f", r.messagesPerHour())).orElse("-"), mesh.map(r -> String.format(Locale.ROOT, "%,.0f",
                r.messagesPerHour())).orElse("-"), ""});
        rows.add(new String[] {"device messages at the ingress", base.map(r -> Long.toString(r.deviceMessages()))
                .orElse("-"), mesh.map(r -> Long.toString(r.deviceMessages())).orElse("-"), ""});
        rows.add(new String[] {"  records consumed / applied by twin ingestion", base.map(r -> r.twinMessages()
                + " / " + r.appliedMessages()).orElse("-"), mesh.map(r -> r.twinMessages() + " / "
                + r.appliedMessages()).orElse("-"), ""});
        rows.add(new String[] {"  every device message reached its twin", base.map(r -> r.messagesComplete() ? "yes"
                : "NO").orElse("-"), mesh.map(r -> r.messagesComplete() ? "yes" : "NO").orElse("-"), ""});
        rows.add(new String[] {"  process CPU (% of one core)", base.map(r -> cpu(r.load().processCpu())).orElse("-"),
                mesh.map(r -> cpu(r.load().processCpu())).orElse("-"), ""});
        rows.add(new String[] {"  records waiting for twin ingestion, max", base.map(r -> String.format(Locale.ROOT,
                "%.0f", r.load().ingestionLagMax())).orElse("-"), mesh.map(r -> String.format(Locale.ROOT, "%.0f",
                r.load().ingestionLagMax())).orElse("-"), ""});
        rows.add(new String[] {"  messages in gateway buffers, max", base.map(r -> String.format(Locale.ROOT, "%.0f",
                r.load().gatewayBufferMax())).orElse("-"), mesh.map(r -> String.format(Locale.ROOT, "%.0f",
                r.load().gatewayBufferMax())).orElse("-"), ""});
        return rows;
    }

    private static String cpu(final double percent) {
        return Double.isNaN(percent) ? "-" : String.format(Locale.ROOT, "%.0f %%", percent);
    }

    /** The components' CPU, busiest first, those under 1 % of a core left out. */
    static String cpuList(final Map<String, Double> cpu) {
        final StringBuilder out = new StringBuilder();
        cpu.forEach((component, percent) -> {
            if (percent >= 1) {
                out.append(out.length() == 0 ? "" : ", ").append(component).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f", percent));
            }
        });
        return out.length() == 0 ? "none measured" : out.toString();
    }

    private static String devices(final ModeResult.Books b) {
        return b.deviceGood() == b.twinGood() ? "yes" : String.format(Locale.ROOT, "%+d pcs", b.deviceGood()
                - b.twinGood());
    }

    private static double pick(final Latencies.Summary s, final String q) {
        return switch (q) {
            case "p50" -> s.p50();
            case "p95" -> s.p95();
            case "p99" -> s.p99();
            default -> s.max();
        };
    }

    private static String ms(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%,.0f", v);
    }

    private static String pct(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    private static String percent(final double mesh, final double base) {
        return Double.isNaN(mesh) || Double.isNaN(base) || base == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f %%", 100 * mesh / base);
    }

    static Optional<ModeResult> find(final List<ModeResult> results, final ScenarioMode mode) {
        return results.stream().filter(r -> r.mode() == mode).findFirst();
    }

    /** The Markdown report: command, machine, Table 1, definitions, chart, details per mode. */
    static String markdown(final ScenarioSettings s, final List<ModeResult> results, final String command,
            final String machine, final String chartFile) {
        final StringBuilder md = new StringBuilder();
        md.append("# PlantMesh scenario: Table 1 from PlantMesh's own measurements\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Machine: ").append(machine).append("\n\n");
        md.append(String.format(Locale.ROOT, "Settings: seed %d, %d devices on %d line(s), MQTT machines paced for"
                + " %,.0f device messages/h, %s measured per mode after %s of warm-up, plant time %.0fx; baseline MES"
                + " poll %s, ERP batch %s (plant time); consistency sampled every %d ms.%n%n", s.seed(),
                s.devices(), s.lines(), s.ratePerHour(), ScenarioRun.human(s.duration()),
                ScenarioRun.human(s.warmUp()), s.timeScale(), ScenarioRun.human(s.mesPoll()),
                ScenarioRun.human(s.erpBatch()), s.sampleInterval().toMillis()));
        md.append("## Table 1\n\n| figure | baseline | mesh | mesh % of baseline |\n|---|---|---|---|\n");
        for (final String[] row : rows(find(results, ScenarioMode.BASELINE), find(results, ScenarioMode.MESH))) {
            if (row.length == 1) {
                md.append("| **").append(row[0]).append("** | | | |\n");
            } else if (!row[0].isEmpty()) {
                md.append("| ").append(row[0].replace("->", "→").strip())
                        .append(" | ").append(row[1]).append(" | ").append(row[2]).append(" | ").append(row[3])
                        .append(" |\n");
            }
        }
        md.append("\n## Definitions\n\n");
        for (final String d : definitions(s)) {
            md.append("- ").append(d).append('\n');
        }
        md.append("\n## Chart\n\n![latency distributions and consistency over time](").append(chartFile)
                .append(")\n\n");
        md.append("## Details per mode\n\n");
        for (final ModeResult r : results) {
            md.append("### ").append(r.mode().label()).append("\n\n");
            md.append(String.format(Locale.ROOT, "- efficiency: %d good pieces / %.0f planned capacity (%d production"
                    + " machines, %.2f plant hours) = %.1f %%%n", r.goodPieces(), r.plannedCapacity(),
                    r.productionMachines(), r.plantHours(), 100 * r.efficiency()));
            md.append(String.format(Locale.ROOT, "- machine faults in the window: %d; scrap pieces: %d; good pieces"
                    + " beyond their order's quantity (not counted as output): %d; purchase requisitions created:"
                    + " %d%n", r.faults(), r.scrap(), r.overproduced(), r.requisitions()));
            md.append("- consistency pairs sampled: ").append(r.pairs()).append('\n');
            final ModeResult.Load load = r.load();
            md.append(String.format(Locale.ROOT, "- CPU in the window: the process %.0f %% of one core (JIT and GC"
                    + " included); Java threads by component (%% of one core): %s%n", load.processCpu(),
                    cpuList(load.cpu())));
            md.append(String.format(Locale.ROOT, "- queues (sampled every second): records waiting in Kafka for twin"
                    + " ingestion max %.0f, mean %.1f; messages in the edge gateways' buffers max %.0f, mean %.1f%n",
                    load.ingestionLagMax(), load.ingestionLagMean(), load.gatewayBufferMax(),
                    load.gatewayBufferMean()));
            md.append(String.format(Locale.ROOT, "- device messages: %d accepted by the ingress; twin ingestion"
                    + " consumed %d records (the difference: Hono empty notifications of connection state, which the"
                    + " ingress emits itself) and applied %d, %d dead-lettered or expired (%s); %,.0f device messages"
                    + " per hour in the window; dead-lettered before the window (start-up): %d%n",
                    r.deviceMessages(), r.twinMessages(), r.appliedMessages(), r.deadLettered(),
                    r.messagesComplete() ? "every device message reached its twin"
                            : "NOT every device message reached its twin", r.messagesPerHour(),
                    r.deadLetteredBefore()));
            md.append("- ERP books: ").append(r.books().summary()).append('\n');
            md.append("- MES counters (all bridges): ").append(r.mesCounters()).append("\n\n");
        }
        return md.toString();
    }

    /** Latency distributions per path and mode (log scale) and consistency over time, as one SVG. */
    static String svg(final List<ModeResult> results) {
        final int width = 900;
        final int rowHeight = 34;
        final int left = 250;
        final int plotWidth = width - left - 30;
        final int top = 40;
        final int latencyHeight = Latencies.PATHS.size() * 2 * rowHeight / 2 + 40;
        final int chartTop = top + latencyHeight + 60;
        final int chartHeight = 220;
        final int height = chartTop + chartHeight + 50;
        final double minLog = -1;
        final double maxLog = Math.max(3, Math.ceil(Math.log10(results.stream().flatMap(r -> r.rawLatencies()
                .values().stream()).flatMapToDouble(java.util.Arrays::stream).max().orElse(1000) + 1)));
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Data"
                + " latency per path (ms, log scale): box p50..p95, whisker to p99, dot max</text>%n", 10));
        for (int e = (int) minLog; e <= maxLog; e++) {
            final double x = left + (e - minLog) / (maxLog - minLog) * plotWidth;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", x, top, x,
                    top + latencyHeight - 20, x, top + latencyHeight - 5, e < 0 ? "0.1" : String.format(
                            Locale.ROOT, "%,d", (long) Math.pow(10, e))));
        }
        int y = top + 10;
        for (final String path : Latencies.PATHS) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 12, escape(path)));
            int offset = 0;
            for (final ModeResult r : results) {
                final Latencies.Summary s = r.latencies().get(path);
                final String color = r.mode() == ScenarioMode.MESH ? "#2a7ab9" : "#d9822b";
                if (s != null && s.count() > 0) {
                    final double x50 = scale(s.p50(), minLog, maxLog, left, plotWidth);
                    final double x95 = scale(s.p95(), minLog, maxLog, left, plotWidth);
                    final double x99 = scale(s.p99(), minLog, maxLog, left, plotWidth);
                    final double xMax = scale(s.max(), minLog, maxLog, left, plotWidth);
                    final int by = y + offset;
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke="
                            + "\"%s\"/><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"10\" fill=\"%s\"/><circle"
                            + " cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x95, by + 5, x99, by + 5, color, x50,
                            by, Math.max(1.5, x95 - x50), color, xMax, by + 5, color));
                }
                offset += 12;
            }
            y += rowHeight;
        }
        svg.append(legend(results, left, top + latencyHeight + 15));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">Data"
                + " consistency over time (share of agreeing pairs per sample)</text>%n", chartTop - 15));
        final double maxT = results.stream().flatMap(r -> r.consistencySeries().stream()).mapToDouble(p -> p[0])
                .max().orElse(1);
        for (int i = 0; i <= 4; i++) {
            final double yy = chartTop + chartHeight - i * chartHeight / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%d %%</text>%n", left, yy,
                    left + plotWidth, yy, left - 5, yy + 4, i * 25));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%.0f s"
                + "</text>%n", left + plotWidth, chartTop + chartHeight + 18, maxT));
        for (final ModeResult r : results) {
            final String color = r.mode() == ScenarioMode.MESH ? "#2a7ab9" : "#d9822b";
            final StringBuilder points = new StringBuilder();
            for (final double[] p : r.consistencySeries()) {
                if (Double.isNaN(p[1])) {
                    continue;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + p[0] / Math.max(1, maxT) * plotWidth,
                        chartTop + chartHeight - p[1] * chartHeight));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
                    + " points=\"%s\"/>%n", color, points.toString().trim()));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String legend(final List<ModeResult> results, final int x, final int y) {
        final StringBuilder out = new StringBuilder();
        int dx = 0;
        for (final ModeResult r : results) {
            final String color = r.mode() == ScenarioMode.MESH ? "#2a7ab9" : "#d9822b";
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x + dx, y, color, x + dx + 16, y + 10,
                    r.mode().label()));
            dx += 100;
        }
        return out.toString();
    }

    private static double scale(final double ms, final double minLog, final double maxLog, final int left,
            final int width) {
        final double log = Math.log10(Math.max(Math.pow(10, minLog), ms));
        return left + (log - minLog) / (maxLog - minLog) * width;
    }

    private static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
