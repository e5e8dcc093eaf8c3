package io.plantmesh.twin.server.engine;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.rql.model.predicates.ast.ExistsNode;
import org.eclipse.ditto.rql.model.predicates.ast.LogicalNode;
import org.eclipse.ditto.rql.model.predicates.ast.MultiComparisonNode;
import org.eclipse.ditto.rql.model.predicates.ast.Node;
import org.eclipse.ditto.rql.model.predicates.ast.RootNode;
import org.eclipse.ditto.rql.model.predicates.ast.SingleComparisonNode;
import org.eclipse.ditto.rql.model.predicates.ast.SuperNode;

/**
 * The shape of a {@code condition} with its plain integer comparison values taken out, so that conditions that differ
 * only in those values (the twin ingestion's watermark condition carries a new Kafka offset with every write) are
 * parsed once per shape instead of once per write.
 *
 * <p>{@link #key()} is the condition with every integer in canonical form (no sign but a minus, no leading zero, at
 * most 18 digits) that stands alone between {@code (} or {@code ,} and {@code ,} or {@code )} replaced by {@code #}; {@link #values()} are those integers in order. A shape's syntax tree is
 * made once ({@link #sentinelCondition()}: each integer replaced by a distinct sentinel number, parsed by Ditto's
 * parser); {@link #substitute(RootNode, long[])} copies it with this condition's values in place of the sentinels.
 * Whether that is exact is checked once per shape by comparing the copy with the parsed condition itself
 * ({@link ParsedCondition}); a shape where it is not (an integer inside a quoted string, a property named by a
 * number) is never substituted.
 */
final class ConditionTemplate {

    /** Sentinels are far above any offset or value a writer sends; a condition holding one is not substituted. */
    static final long SENTINEL_BASE = 9_100_000_000_000_000_000L;
    private static final int MAX_DIGITS = 18;

    private final String condition;
    private final String key;
    private final long[] values;
    private final List<int[]> positions;

    private ConditionTemplate(String condition, String key, long[] values, List<int[]> positions) {
        this.condition = condition;
        this.key = key;
        this.values = values;
        this.positions = positions;
    }

    static ConditionTemplate of(String condition) {
        List<int[]> found = integers(condition);
        StringBuilder key = new StringBuilder(condition.length());
        long[] values = new long[found.size()];
        int last = 0;
        for (int i = 0; i < values.length; i++) {
            int[] at = found.get(i);
            key.append(condition, last, at[0]).append('#');
            values[i] = Long.parseLong(condition, at[0], at[1], 10);
            last = at[1];
        }
        key.append(condition, last, condition.length());
        return new ConditionTemplate(condition, key.toString(), values, found);
    }

    /**
     * Where the canonical integers are that stand alone as arguments: after {@code (} or {@code ,}, either {@code 0}
     * or an optional minus and 1 to 18 digits without a leading zero, then {@code ,} or {@code )}. Start (inclusive)
     * and end (exclusive) of each, in order. (A scan rather than a regular expression: it runs for every write.)
     */
    private static List<int[]> integers(String s) {
        List<int[]> found = new ArrayList<>(4);
        int i = 1;
        while (i < s.length()) {
            char before = s.charAt(i - 1);
            int end = before == ',' || before == '(' ? integerEnd(s, i) : -1;
            if (end > 0) {
                found.add(new int[] {i, end});
                i = end;
            } else {
                i++;
            }
        }
        return found;
    }

    /** The end of the integer starting at {@code start}, or -1 if none stands there alone. */
    private static int integerEnd(String s, int start) {
        int n = s.length();
        int j = start;
        if (j < n && s.charAt(j) == '0') {
            j++;
        } else {
            if (j < n && s.charAt(j) == '-') {
                j++;
            }
            if (j >= n || s.charAt(j) < '1' || s.charAt(j) > '9') {
                return -1;
            }
            int digits = 0;
            while (j < n && digits < MAX_DIGITS && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                j++;
                digits++;
            }
        }
        return j < n && (s.charAt(j) == ',' || s.charAt(j) == ')') ? j : -1;
    }

    /** The condition with its integers replaced by {@code #}: equal for conditions that differ only in them. */
    String key() {
        return key;
    }

    /** The integers taken out, in order. */
    long[] values() {
        return values.clone();
    }

    boolean hasValues() {
        return values.length > 0;
    }

    /** The condition with its i-th integer replaced by {@code SENTINEL_BASE + i}. */
    String sentinelCondition() {
        StringBuilder out = new StringBuilder(condition.length() + 20 * values.length);
        int last = 0;
        for (int i = 0; i < positions.size(); i++) {
            int[] at = positions.get(i);
            out.append(condition, last, at[0]).append(SENTINEL_BASE + i);
            last = at[1];
        }
        return out.append(condition, last, condition.length()).toString();
    }

    /**
     * Counts how often each sentinel occurs as a comparison value in {@code tree}; a shape is substitutable only if
     * each occurs exactly once (so every integer taken out is a comparison value and nothing else).
     */
    static boolean eachSentinelOnce(RootNode tree, int count) {
        int[] seen = new int[count];
        if (!countSentinels(tree, seen)) {
            return false;
        }
        for (int n : seen) {
            if (n != 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean countSentinels(Node node, int[] seen) {
        if (node instanceof RootNode || node instanceof LogicalNode) {
            for (Node child : ((SuperNode) node).getChildren()) {
                if (!countSentinels(child, seen)) {
                    return false;
                }
            }
            return true;
        }
        if (node instanceof SingleComparisonNode single) {
            count(single.getComparisonValue(), seen);
            return true;
        }
        if (node instanceof MultiComparisonNode multi) {
            for (Object v : (List<?>) multi.getComparisonValue()) {
                count(v, seen);
            }
            return true;
        }
        return node instanceof ExistsNode; // an unknown node kind: not substitutable
    }

    private static void count(Object value, int[] seen) {
        int i = sentinelIndex(value, seen.length);
        if (i >= 0) {
            seen[i]++;
        }
    }

    private static int sentinelIndex(Object value, int count) {
        if (value instanceof Long l && l >= SENTINEL_BASE && l < SENTINEL_BASE + count) {
            return (int) (l - SENTINEL_BASE);
        }
        return -1;
    }

    /** A copy of a shape's sentinel tree with {@code values} in place of the sentinels (nodes are immutable here). */
    static RootNode substitute(RootNode sentinelTree, long[] values) {
        RootNode root = new RootNode();
        for (Node child : sentinelTree.getChildren()) {
            root.getChildren().add(copy(child, values));
        }
        return root;
    }

    private static Node copy(Node node, long[] values) {
        if (node instanceof LogicalNode logical) {
            List<Node> children = new ArrayList<>(logical.getChildren().size());
            for (Node child : logical.getChildren()) {
                children.add(copy(child, values));
            }
            return new LogicalNode(logical.getType(), children);
        }
        if (node instanceof SingleComparisonNode single) {
            Object value = single.getComparisonValue();
            int i = sentinelIndex(value, values.length);
            return i < 0 ? single : new SingleComparisonNode((SingleComparisonNode.Type) single.getComparisonType(),
                    single.getComparisonProperty(), values[i]);
        }
        if (node instanceof MultiComparisonNode multi) {
            List<Object> copied = new ArrayList<>();
            for (Object v : (List<?>) multi.getComparisonValue()) {
                int i = sentinelIndex(v, values.length);
                copied.add(i < 0 ? v : (Object) values[i]);
            }
            return new MultiComparisonNode((MultiComparisonNode.Type) multi.getComparisonType(),
                    multi.getComparisonProperty(), copied);
        }
        return node; // exists: no value
    }
}
