package io.plantmesh.maintenance.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * An SVG chart of a few machines' health over a run against their ground truth: per machine a panel with the
 * strongest smoothed wear-mode evidence (standard deviations, log scale), the detection threshold, degradation
 * episodes (shaded from onset to failure or maintenance), failures (red lines), sudden faults (grey lines), planned
 * maintenance (green) and alarm raises (orange triangles). Plain SVG, no library: it is a few rectangles and a
 * polyline.
 */
public final class HealthChart {

    private static final int WIDTH = 960;
    private static final int PANEL = 150;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final double MAX_EVIDENCE = 100;

    private HealthChart() {
    }

    /**
     * @param series per machine, its health points
     * @param alarms alarm raises (all machines)
     * @param threshold the detection threshold drawn as a dashed line
     */
    public static String svg(final FleetRun.Outcome run, final Map<String, List<FleetRun.HealthPoint>> series,
            final List<EvaluationMetrics.AlarmRaise> alarms, final double threshold) {
        final int height = TOP + series.size() * (PANEL + 30) + 30;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">Health (strongest wear-mode "
                + "evidence, σ, log scale) against the ground truth; seed %d, predictive maintenance %s</text>%n",
                LEFT, run.options().seed(), run.options().predictive() ? "on" : "off (watch only)"));
        int panel = 0;
        for (final Map.Entry<String, List<FleetRun.HealthPoint>> entry : series.entrySet()) {
            final SimulatedMachine machine = run.machines().stream()
                    .filter(m -> m.machineId().equals(entry.getKey())).findFirst().orElseThrow();
            final int y0 = TOP + panel * (PANEL + 30) + 20;
            panel(svg, run, machine, entry.getValue(), alarms, threshold, y0);
            panel++;
        }
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">"
                + "<rect x=\"0\" y=\"-9\" width=\"12\" height=\"10\" fill=\"#f4c7c3\"/>"
                + "<text x=\"16\" y=\"0\">degradation episode (onset to end)</text>"
                + "<line x1=\"215\" y1=\"-9\" x2=\"215\" y2=\"1\" stroke=\"#c62828\" stroke-width=\"2\"/>"
                + "<text x=\"221\" y=\"0\">failure</text>"
                + "<line x1=\"275\" y1=\"-9\" x2=\"275\" y2=\"1\" stroke=\"#888\"/>"
                + "<text x=\"281\" y=\"0\">sudden fault</text>"
                + "<line x1=\"365\" y1=\"-9\" x2=\"365\" y2=\"1\" stroke=\"#2e7d32\" stroke-width=\"2\"/>"
                + "<text x=\"371\" y=\"0\">planned maintenance</text>"
                + "<path d=\"M 500 1 L 505 -8 L 510 1 Z\" fill=\"#ef6c00\"/>"
                + "<text x=\"516\" y=\"0\">PREDICTED_FAILURE alarm</text>"
                + "<line x1=\"670\" y1=\"-4\" x2=\"690\" y2=\"-4\" stroke=\"#1565c0\"/>"
                + "<text x=\"696\" y=\"0\">evidence</text>"
                + "<line x1=\"760\" y1=\"-4\" x2=\"780\" y2=\"-4\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
                + "<text x=\"786\" y=\"0\">detection threshold</text></g>%n", LEFT, height - 12));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(final StringBuilder svg, final FleetRun.Outcome run, final SimulatedMachine machine,
            final List<FleetRun.HealthPoint> points, final List<EvaluationMetrics.AlarmRaise> alarms,
            final double threshold, final int y0) {
        final double span = Duration.between(run.start(), run.end()).toSeconds();
        final int plotWidth = WIDTH - LEFT - RIGHT;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s (%s)</text>%n", LEFT,
                y0 - 4, machine.machineId(), machine.type()));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", LEFT, y0, plotWidth, PANEL));
        for (final GroundTruthEvent event : machine.groundTruth()) {
            if (event instanceof GroundTruthEvent.EpisodeEnded e) {
                final double x1 = x(run.start(), e.episode().onset(), span, plotWidth);
                final double x2 = x(run.start(), e.at(), span, plotWidth);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"#f4c7c3\"><title>%s %s</title></rect>%n", x1, y0, Math.max(1, x2 - x1), PANEL,
                        e.episode().mode(), e.outcome()));
                if (e.outcome() == GroundTruthEvent.Outcome.FAILED) {
                    svg.append(vertical(x2, y0, "#c62828", 2, e.episode().failure().code()));
                }
            } else if (event instanceof GroundTruthEvent.SuddenFault s) {
                svg.append(vertical(x(run.start(), s.at(), span, plotWidth), y0, "#888", 1, s.failure().code()));
            } else if (event instanceof GroundTruthEvent.Maintenance m) {
                svg.append(vertical(x(run.start(), m.at(), span, plotWidth), y0, "#2e7d32", 2, "maintenance"));
            }
        }
        final double yThreshold = y(threshold, y0);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" "
                + "stroke-dasharray=\"4 3\"/>%n", LEFT, yThreshold, LEFT + plotWidth, yThreshold));
        for (final double tick : new double[] {0.1, 1, 10, 100}) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 4, y(tick, y0) + 4, tick < 1 ? "0.1" : String.valueOf((int) tick)));
        }
        final StringBuilder line = new StringBuilder();
        for (final FleetRun.HealthPoint p : points) {
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(run.start(), p.at(), span, plotWidth),
                    y(p.evidence(), y0)));
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1\" "
                + "points=\"%s\"/>%n", line.toString().trim()));
        for (final EvaluationMetrics.AlarmRaise alarm : alarms) {
            if (alarm.machineId().equals(machine.machineId())) {
                final double x = x(run.start(), alarm.at(), span, plotWidth);
                svg.append(String.format(Locale.ROOT, "<path d=\"M %.1f %d L %.1f %d L %.1f %d Z\" fill=\"#ef6c00\">"
                        + "<title>%s %s</title></path>%n", x - 5, y0 + 12, x, y0 + 2, x + 5, y0 + 12, alarm.mode(),
                        alarm.at()));
            }
        }
        final int days = (int) Math.round(span / 86_400);
        final int step = days > 14 ? 5 : days > 4 ? 1 : Math.max(1, days);
        for (int day = 0; day <= days; day += step) {
            final double x = LEFT + plotWidth * day * 86_400.0 / span;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">day %d</text>%n",
                    x, y0 + PANEL + 14, day));
        }
    }

    private static String vertical(final double x, final int y0, final String color, final int width,
            final String title) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"%d\"><title>%s</title></line>%n", x, y0, x, y0 + PANEL, color, width, title);
    }

    private static double x(final Instant start, final Instant at, final double span, final int plotWidth) {
        return LEFT + plotWidth * Duration.between(start, at).toSeconds() / span;
    }

    /** Log scale from 0.1 to {@value #MAX_EVIDENCE}. */
    private static double y(final double evidence, final int y0) {
        final double clamped = Math.max(0.1, Math.min(MAX_EVIDENCE, evidence));
        final double share = (Math.log10(clamped) + 1) / (Math.log10(MAX_EVIDENCE) + 1);
        return y0 + PANEL - share * PANEL;
    }
}
