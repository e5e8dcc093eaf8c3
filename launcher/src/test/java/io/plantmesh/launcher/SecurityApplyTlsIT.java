package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.tls.DevelopmentCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

/**
 * {@code plantmesh security apply} against an https Keycloak whose certificate a private CA issued (a stand-in on
 * 127.0.0.1 that answers the administrator's login and records what it is asked): with {@code --tls-ca} the admin
 * client and its calls go through over TLS; without it the command stops before sending anything, saying that the
 * certificate could not be verified and which option gives the CA.
 */
class SecurityApplyTlsIT {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer keycloak;
    private Path ca;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        final DevelopmentCertificates.Outcome certs = DevelopmentCertificates.ensure(dir.resolve("tls"),
                List.of("127.0.0.1", "localhost"), 1, false);
        ca = certs.caCertificateFile();
        keycloak = vertx.createHttpServer(certs.listenerTls().applyTo(new HttpServerOptions(), "the stand-in Keycloak"))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    seen.add(request.method() + " " + request.path() + " tls=" + request.isSSL() + " auth="
                            + request.getHeader("Authorization") + " body=" + body);
                    if (request.path().equals("/realms/master/protocol/openid-connect/token")) {
                        request.response().putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("access_token", "admin-token-of-this-test")
                                        .put("token_type", "Bearer").put("expires_in", 300)
                                        .put("refresh_token", "refresh").put("refresh_expires_in", 1800).encode());
                    } else {
                        // the realm calls: this stand-in only shows that they arrived over TLS with the token
                        request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                                .end("{\"error\":\"stand-in\"}");
                    }
                })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void withTheCaTheAdministratorSignsInAndTheRealmCallsGoOverTls() throws Exception {
        run(args(true));

        assertThat(seen).as(err.toString()).anySatisfy(s -> assertThat(s)
                .startsWith("POST /realms/master/protocol/openid-connect/token tls=true")
                .contains("username=admin"));
        assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("GET /admin/realms")
                .contains("tls=true", "auth=Bearer admin-token-of-this-test"));
        assertThat(out.toString()).contains("trusting " + ca.toAbsolutePath().normalize());
        assertThat(err.toString()).doesNotContain("could not be verified");
    }

    @Test
    void withoutTheCaItStopsSayingTheCertificateIsNotTrustedAndWhichOptionGivesTheCa() throws Exception {
        final int exit = run(args(false));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("https://127.0.0.1:" + keycloak.actualPort())
                .contains("could not be verified").contains("--tls-ca");
        assertThat(seen).as("nothing reaches a server that is not trusted").isEmpty();
    }

    @Test
    void anUnreadableCaFileIsNamed() throws Exception {
        final List<String> args = new ArrayList<>(args(false));
        args.addAll(List.of("--tls-ca", dir.resolve("no-such-ca.pem").toString()));

        assertThat(run(args)).isEqualTo(1);
        assertThat(err.toString()).contains("--tls-ca").contains("no-such-ca.pem");
        assertThat(seen).isEmpty();
    }

    private List<String> args(final boolean withCa) throws Exception {
        final Path password = Files.writeString(dir.resolve("admin-password"), "admin-password-of-this-test");
        final Path secrets = Files.createDirectories(dir.resolve("client-secrets"));
        for (final ClientDeclaration client : PlantMeshRealm.declaration(List.of(), false).serviceAccountClients()) {
            Files.writeString(secrets.resolve(client.clientId()), "secret-of-" + client.clientId(),
                    StandardCharsets.UTF_8);
        }
        final List<String> args = new ArrayList<>(List.of("security", "apply",
                "--keycloak-url", "https://127.0.0.1:" + keycloak.actualPort(),
                "--admin-user", "admin", "--admin-password-file", password.toString(),
                "--client-secrets-dir", secrets.toString(), "--data-dir", dir.resolve("data").toString()));
        if (withCa) {
            args.addAll(List.of("--tls-ca", ca.toString()));
        }
        return args;
    }

    private int run(final List<String> args) {
        final CommandLine commandLine = PlantMeshCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }
}
