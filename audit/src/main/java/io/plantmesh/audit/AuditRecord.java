package io.plantmesh.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An {@link AuditEntry} in the chain: its sequence number (1, 2, 3, ... without gaps), the hash of the record before
 * it, and its own hash, SHA-256 over the record's canonical form (which includes the previous hash). Changing,
 * removing or reordering any record therefore breaks the chain at that record.
 */
public record AuditRecord(long sequence, AuditEntry entry, String previousHash, String hash) {

    /** The previous hash of record 1. */
    public static final String GENESIS = "0".repeat(64);

    /** The record that follows {@code previousHash} as number {@code sequence}. */
    public static AuditRecord chain(final long sequence, final AuditEntry entry, final String previousHash) {
        return new AuditRecord(sequence, entry, previousHash, hashOf(sequence, entry, previousHash));
    }

    /** Whether the stored hash is the hash of the stored content. */
    public boolean hashMatches() {
        return hash.equals(hashOf(sequence, entry, previousHash));
    }

    /** SHA-256 (lower-case hex) of the canonical form. */
    public static String hashOf(final long sequence, final AuditEntry entry, final String previousHash) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalForm(sequence, entry, previousHash).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /**
     * The canonical form: a JSON object with the fields in this fixed order, no white space, strings escaped as
     * JSON requires (and nothing else), integers in decimal, absent values as {@code null}, the time in ISO-8601 UTC.
     */
    public static String canonicalForm(final long sequence, final AuditEntry e, final String previousHash) {
        final StringBuilder b = new StringBuilder(256);
        b.append("{\"seq\":").append(sequence);
        b.append(",\"time\":");
        string(b, e.time().toString());
        b.append(",\"subjects\":[");
        for (int i = 0; i < e.subjects().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, e.subjects().get(i));
        }
        b.append("],\"action\":");
        string(b, e.action());
        b.append(",\"entity\":");
        string(b, e.entity());
        b.append(",\"resource\":");
        string(b, e.resource());
        b.append(",\"outcome\":");
        string(b, e.outcome());
        b.append(",\"status\":").append(e.status());
        b.append(",\"error\":");
        string(b, e.error());
        b.append(",\"correlationId\":");
        string(b, e.correlationId());
        b.append(",\"revision\":").append(e.revision() == null ? "null" : e.revision().toString());
        b.append(",\"detail\":");
        string(b, e.detail());
        b.append(",\"prev\":");
        string(b, previousHash);
        return b.append('}').toString();
    }

    private static void string(final StringBuilder b, final String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
