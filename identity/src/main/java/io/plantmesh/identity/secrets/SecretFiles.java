package io.plantmesh.identity.secrets;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secret files of the embedded footprint: properties files readable by their owner only (mode 600, in a directory of
 * mode 700), written atomically, and random secrets.
 */
public final class SecretFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** A new random secret: 32 bytes, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Reads a properties file (UTF-8); warns when others than the owner may read it. */
    public static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secret file " + file.toAbsolutePath() + ": "
                    + e.getMessage() + ". Check that it exists and is readable by this user.", e);
        }
        warnIfOthersMayRead(file);
        return properties;
    }

    /** Writes a properties file readable by its owner only, atomically (a reader never sees half a file). */
    public static void write(Path file, Properties properties, String comment) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            createOwnerOnlyDirectory(directory);
            Path temp = POSIX
                    ? Files.createTempFile(directory, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(directory, ".secret", ".tmp");
            try {
                try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    properties.store(writer, comment);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secret file " + file.toAbsolutePath() + ": "
                    + e.getMessage() + ". Check that the data directory is writable (--data-dir or"
                    + " PLANTMESH_DATA_DIR).", e);
        }
    }

    /** Creates the directory (and parents) if missing; the directory itself gets mode 700. */
    public static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
        }
    }

    private static void warnIfOthersMayRead(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            boolean othersMayRead = permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
            if (othersMayRead) {
                LOG.warn("The secret file {} may be read by others than its owner; run 'chmod 600 {}'",
                        file.toAbsolutePath(), file.toAbsolutePath());
            }
        } catch (IOException e) {
            LOG.debug("cannot read the permissions of {}", file, e);
        }
    }
}
