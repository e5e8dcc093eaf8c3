package io.plantmesh.launcher;

import io.plantmesh.launcher.security.SecurityCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh}: the command line of PlantMesh. Subcommands: {@code up}, {@code certs}, {@code security apply},
 * {@code audit verify}, {@code maintenance-eval}, {@code service} (one service per process, for Kubernetes).
 */
@Command(name = "plantmesh", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = PlantMeshCommand.Version.class,
        description = "PlantMesh: an integration mesh for discrete manufacturing built on Eclipse Ditto twins.",
        subcommands = {UpCommand.class, CertsCommand.class, SecurityCommand.class, AuditCommand.class,
                MaintenanceEvalCommand.class,
                io.plantmesh.launcher.service.ServiceCommand.class,
                CommandLine.HelpCommand.class})
public final class PlantMeshCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, ready to {@code execute}. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PlantMeshCommand());
        commandLine.setParameterExceptionHandler(PlantMeshCommand::badParameter);
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A short error instead of the whole usage: what was wrong, and where the options are explained. */
    private static int badParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        failed.getErr().println("plantmesh: " + e.getMessage());
        failed.getErr().println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for the options; each"
                + " option's default can also come from the PLANTMESH_* environment variable named there.");
        return failed.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The version from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = PlantMeshCommand.class.getPackage().getImplementationVersion();
            return new String[] {"PlantMesh " + (version == null ? "(development build)" : version)};
        }
    }
}
