package io.plantmesh.launcher;

import java.net.BindException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns start-up failures into messages that say what was wrong and which option or variable changes it. */
final class StartupErrors {

    private static final Pattern PID = Pattern.compile("\\(pid (\\d+)\\)");

    private StartupErrors() {
    }

    static LaunchException store(LaunchOptions options, Path storeDir, RuntimeException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("in use by another server")) {
            Matcher pid = PID.matcher(why);
            return new LaunchException("The data directory " + options.dataDir().toAbsolutePath().normalize()
                    + " is in use: another plantmesh" + (pid.find() ? " (pid " + pid.group(1) + ")" : "")
                    + " is running on it. Stop that one (Ctrl-C in its terminal), or start this one on another"
                    + " directory with --data-dir or PLANTMESH_DATA_DIR.", e);
        }
        if (rootCause(e) instanceof BindException bind) {
            return new LaunchException("The embedded store cannot listen on 127.0.0.1:" + options.storePort() + " ("
                    + bind.getMessage() + "). Choose another port with --store-port or PLANTMESH_STORE_PORT"
                    + " (0 picks a free one).", e);
        }
        return new LaunchException("The embedded store in " + storeDir.toAbsolutePath().normalize()
                + " could not start: " + why + " Check the data directory (--data-dir or PLANTMESH_DATA_DIR).", e);
    }

    static LaunchException twinServer(LaunchOptions options, RuntimeException e) {
        Throwable root = rootCause(e);
        String rootMessage = String.valueOf(root.getMessage());
        if (root instanceof BindException || rootMessage.contains("Address already in use")) {
            if (rootMessage.contains("already in use")) {
                return new LaunchException("Port " + options.httpPort() + " on " + options.host()
                        + " is already in use by another process. Stop that process, or choose another port with"
                        + " --http-port or PLANTMESH_HTTP_PORT (0 picks a free one).", e);
            }
            return new LaunchException("The twin server cannot listen on " + options.host() + ":"
                    + options.httpPort() + " (" + rootMessage + "). Check the address given by --host or"
                    + " PLANTMESH_HOST (e.g. 127.0.0.1, or 0.0.0.0 for every interface).", e);
        }
        if (root.getClass().getName().startsWith("com.mongodb.")) {
            String where = options.embeddedStore() ? "the embedded store" : redacted(options.mongoUri());
            return new LaunchException("The twin server cannot use MongoDB at " + where + ": " + rootMessage + ". "
                    + (options.embeddedStore() ? "This is a defect; please report it with the log."
                    : "Check --mongo-uri or PLANTMESH_MONGO_URI (host, port, credentials), or leave it out to use"
                            + " the embedded store."), e);
        }
        return new LaunchException("The twin server could not start: " + e.getMessage(), e);
    }

    /** A MongoDB URI without its password, for the console. */
    static String redacted(String uri) {
        return uri.replaceFirst("^(mongodb(?:\\+srv)?://[^:/@]+):[^@/]*@", "$1:***@");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
