package io.plantmesh.store.embedded;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * Runs commands against the journaled backend. Every command that may change state runs under one write lock,
 * so its changes reach the journal in execution order; commands known to only read run without it.
 * Unknown commands count as writes.
 */
final class CommandExecutor {

    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
        "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
        "hello", "ismaster", "buildinfo", "ping", "serverstatus", "dbstats", "collstats", "validate",
        "whatsmyuri", "getlasterror", "reseterror", "killcursors", "endsessions", "getparameter",
        "connectionstatus", "hostinfo", "getcmdlineopts", "getlog", "getfreemonitoringstatus");

    private final JournaledBackend backend;
    private final ReentrantLock writeLock;
    private final Journal journal;

    CommandExecutor(JournaledBackend backend, ReentrantLock writeLock, Journal journal) {
        this.backend = backend;
        this.writeLock = writeLock;
        this.journal = journal;
    }

    Document executeCommand(Channel channel, String databaseName, String command, Document query) {
        if (isReadOnly(command, query)) {
            return backend.handleCommand(channel, databaseName, command, query);
        }
        if (journal.failure() != null) {
            // applying the change in memory would make it visible without any chance of becoming durable
            throw new MongoServerError(8, "UnknownError", "The embedded store cannot write its journal ("
                + journal.failure().getMessage() + "); restart it after fixing the disk");
        }
        writeLock.lock();
        try {
            return backend.handleCommand(channel, databaseName, command, query);
        } finally {
            writeLock.unlock();
        }
    }

    QueryResult executeQuery(MongoQuery query) {
        return backend.handleQuery(query);
    }

    /**
     * The journal position a reply must wait for: everything the command changed or could have read is at or
     * before it, so no client sees a change that a crash could still take back.
     */
    long visiblePosition() {
        return journal.appendedPosition();
    }

    void whenDurable(long position, Journal.DurabilityCallback callback) {
        journal.whenDurable(position, callback);
    }

    void handleClose(Channel channel) {
        backend.handleClose(channel);
    }

    static boolean isReadOnly(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) {
            return !writesOutput(query.get("pipeline"));
        }
        return READ_ONLY_COMMANDS.contains(name);
    }

    private static boolean writesOutput(Object pipeline) {
        if (!(pipeline instanceof List<?> stages)) {
            return true;
        }
        for (Object stage : stages) {
            boolean writingStage = stage instanceof Document document
                && (document.containsKey("$out") || document.containsKey("$merge"));
            if (writingStage) {
                return true;
            }
        }
        return false;
    }
}
