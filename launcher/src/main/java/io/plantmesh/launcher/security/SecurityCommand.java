package io.plantmesh.launcher.security;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plantmesh security}: identity and access. Subcommands: {@code apply}. */
@Command(name = "security", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Identity and access of PlantMesh: the Keycloak realm.",
        subcommands = {SecurityApplyCommand.class, CommandLine.HelpCommand.class})
public final class SecurityCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
