package io.plantmesh.policies;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.plantmesh.twin.model.TwinKind;

/**
 * The role matrix as data: for each kind of twin and each resource (a Ditto resource key such as
 * {@code thing:/features/cost/properties}, {@code message:/inbox/messages/startJob} or {@code policy:/}), what each
 * realm role may do. Read from {@code role-matrix.txt}, the specification that the policy templates implement and the
 * tests check them against; {@code docs/security.md} shows the same table ({@link #toMarkdown()}).
 */
public final class RoleMatrix {

    private static final String RESOURCE = "role-matrix.txt";

    /** How much of a resource a role may read (for messages: receive). */
    public enum Read {
        /** All of it. */
        ALL,
        /** Some of it: parts are revoked or only parts are granted. */
        PART,
        /** Nothing. */
        NONE
    }

    /** One cell: {@code R}, {@code r} or {@code -}, followed by {@code W} if the role may write all of it. */
    public record Access(Read read, boolean write) {

        static Access parse(final String cell, final String where) {
            final boolean write = cell.endsWith("W");
            final String readPart = write ? cell.substring(0, cell.length() - 1) : cell;
            final Read read = switch (readPart) {
                case "R" -> Read.ALL;
                case "r" -> Read.PART;
                case "-", "" -> Read.NONE;
                default -> throw new IllegalArgumentException(where + ": the cell '" + cell + "' is not one of R, r,"
                        + " -, RW, rW, W.");
            };
            if (cell.equals("-W") || cell.isEmpty()) {
                throw new IllegalArgumentException(where + ": write without read is 'W', not '" + cell + "'.");
            }
            return new Access(read, write);
        }

        /** The cell as written in the table. */
        public String cell() {
            final String r = switch (read) {
                case ALL -> "R";
                case PART -> "r";
                case NONE -> write ? "" : "-";
            };
            return r + (write ? "W" : "");
        }
    }

    /**
     * One row of the matrix.
     *
     * @param resource a Ditto resource key, {@code type:/path}
     * @param access the cell of every role, in the order of {@link #roles()}
     */
    public record Row(TwinKind twin, String resource, Map<String, Access> access) {

        /** {@code thing}, {@code message} or {@code policy}. */
        public String resourceType() {
            return resource.substring(0, resource.indexOf(':'));
        }

        /** The path after the type, e.g. {@code /features/cost/properties}. */
        public String resourcePath() {
            return resource.substring(resource.indexOf(':') + 1);
        }

        public Access of(final String role) {
            final Access a = access.get(role);
            if (a == null) {
                throw new IllegalArgumentException("The role matrix has no column for the role '" + role + "'.");
            }
            return a;
        }
    }

    private final List<String> roles;
    private final List<Row> rows;

    private RoleMatrix(final List<String> roles, final List<Row> rows) {
        this.roles = List.copyOf(roles);
        this.rows = List.copyOf(rows);
    }

    /** The matrix bundled with this module. */
    public static RoleMatrix load() {
        try (InputStream in = RoleMatrix.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath beside "
                        + RoleMatrix.class.getName() + "; rebuild the policies module.");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the table: comment lines start with {@code #}; the last comment line before the first row is the header
     * ({@code # twin resource <role> <role> ...}); each row is a twin kind, a resource and one cell per role.
     */
    static RoleMatrix parse(final List<String> lines, final String source) {
        List<String> header = null;
        String lastComment = null;
        final List<Row> rows = new ArrayList<>();
        int number = 0;
        for (final String raw : lines) {
            number++;
            final String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                lastComment = line.substring(1).strip();
                continue;
            }
            if (header == null) {
                header = lastComment == null ? List.of() : Arrays.asList(lastComment.split("\\s+"));
                final boolean valid = header.size() > 2 && header.get(0).equals("twin")
                        && header.get(1).equals("resource");
                if (!valid) {
                    throw new IllegalArgumentException(source + ": the comment line before the first row must be the"
                            + " header '# twin resource <role> <role> ...'.");
                }
            }
            final String where = source + " line " + number;
            final String[] cells = line.split("\\s+");
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(where + ": " + cells.length + " columns, the header has "
                        + header.size() + ".");
            }
            final TwinKind twin = twinKind(cells[0], where);
            final String resource = cells[1];
            if (resource.indexOf(":/") <= 0) {
                throw new IllegalArgumentException(where + ": the resource '" + resource + "' is not a Ditto resource"
                        + " key such as thing:/attributes.");
            }
            final Map<String, Access> access = new LinkedHashMap<>();
            for (int i = 2; i < cells.length; i++) {
                access.put(header.get(i), Access.parse(cells[i], where + " column " + header.get(i)));
            }
            rows.add(new Row(twin, resource, access));
        }
        if (header == null) {
            throw new IllegalArgumentException(source + " has no rows.");
        }
        return new RoleMatrix(header.subList(2, header.size()), rows);
    }

    private static TwinKind twinKind(final String name, final String where) {
        for (final TwinKind kind : TwinKind.values()) {
            if (kind.modelName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(where + ": '" + name + "' is not a twin kind (machine, line, work-order,"
                + " material, edge-gateway).");
    }

    /** The roles, in the order of the table's columns. */
    public List<String> roles() {
        return roles;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of a twin kind and resource, if the matrix has one. */
    public Optional<Row> row(final TwinKind twin, final String resource) {
        return rows.stream().filter(r -> r.twin() == twin && r.resource().equals(resource)).findFirst();
    }

    /** The matrix as a Markdown table (the "Role matrix" section of docs/security.md shows exactly this). */
    public String toMarkdown() {
        final StringBuilder md = new StringBuilder("| twin | resource |");
        roles.forEach(role -> md.append(' ').append(role).append(" |"));
        md.append('\n').append("|---|---|");
        roles.forEach(role -> md.append("---|"));
        md.append('\n');
        for (final Row row : rows) {
            md.append("| ").append(row.twin().modelName()).append(" | `").append(row.resource()).append("` |");
            roles.forEach(role -> md.append(' ').append(row.of(role).cell()).append(" |"));
            md.append('\n');
        }
        return md.toString();
    }
}
