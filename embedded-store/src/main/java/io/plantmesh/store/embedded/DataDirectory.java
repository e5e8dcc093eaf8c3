package io.plantmesh.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The store's directory: an exclusive lock file, snapshots and journals named by generation.
 * <pre>
 * store.lock                     held (FileChannel.tryLock) while a server has the directory open; holds its pid
 * snapshot-0000000007.bson       complete snapshot of generation 7 (written as .tmp, fsynced, renamed)
 * journal-0000000007.log         changes after snapshot 7
 * </pre>
 */
final class DataDirectory implements AutoCloseable {

    static final String LOCK_FILE = "store.lock";
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{10})\\.bson");
    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{10})\\.log");

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it; fails with a message naming the directory and the way out. */
    static DataDirectory open(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create or open the embedded store data directory " + root
                + ": " + e + ". Check that the path is a writable directory.", e);
        }
        boolean usable = Files.isDirectory(root) && Files.isReadable(root) && Files.isWritable(root);
        if (!usable) {
            throw new IllegalStateException("The embedded store data directory " + root
                + " is not a readable and writable directory. Fix its permissions or configure another dataDir.");
        }
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the lock file " + lockFile + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("Cannot lock the embedded store data directory " + root + ": " + e, e);
        }
        if (lock == null) {
            String holder = readHolder(channel);
            closeQuietly(channel);
            throw new IllegalStateException("The embedded store data directory " + root + " is in use by another server"
                + holder + " (lock file " + lockFile + "). Stop that server, or give this one another data directory.");
        }
        try {
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            // the lock is what matters; the pid is only a hint for the error message above
        }
        return new DataDirectory(root, channel, lock);
    }

    Path root() {
        return root;
    }

    Path snapshot(long generation) {
        return root.resolve(String.format("snapshot-%010d.bson", generation));
    }

    Path snapshotInProgress(long generation) {
        return root.resolve(String.format("snapshot-%010d.bson.tmp", generation));
    }

    Path journal(long generation) {
        return root.resolve(String.format("journal-%010d.log", generation));
    }

    TreeSet<Long> snapshotGenerations() throws IOException {
        return generations(SNAPSHOT);
    }

    TreeSet<Long> journalGenerations() throws IOException {
        return generations(JOURNAL);
    }

    void deleteLeftoverTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".bson.tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Makes renames and new files durable (directory entries are only durable once the directory is forced). */
    void sync() throws IOException {
        try (FileChannel directory = FileChannel.open(root, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // some file systems refuse to force a directory; the rename itself is still atomic there
            if (!e.getClass().getSimpleName().contains("AccessDenied")) {
                throw e;
            }
        }
    }

    private TreeSet<Long> generations(Pattern pattern) throws IOException {
        TreeSet<Long> generations = new TreeSet<>();
        try (Stream<Path> files = Files.list(root)) {
            files.forEach(file -> {
                Matcher matcher = pattern.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    generations.add(Long.parseLong(matcher.group(1)));
                }
            });
        }
        return generations;
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            int read = channel.read(buffer, 0);
            if (read <= 0) {
                return "";
            }
            String pid = new String(buffer.array(), 0, read, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to release the lock on " + root, e);
        }
    }
}
