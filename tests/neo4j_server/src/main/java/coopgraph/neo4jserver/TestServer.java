package coopgraph.neo4jserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingImpl;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.kernel.internal.Version;

/**
 * A Neo4j server for the test suite: Bolt on 127.0.0.1:PORT, authentication on (user neo4j, the
 * password in NEO4J_PASSWORD), the settings of a neo4j.conf-style file applied as the Docker image
 * applies NEO4J_* variables, a fresh database under a temporary directory that is deleted on exit.
 *
 * Usage: java -Xmx… -cp … coopgraph.neo4jserver.TestServer PORT SETTINGS_FILE...
 * Prints one line "coopgraph-neo4j ready bolt://127.0.0.1:PORT VERSION" once clients may connect;
 * SIGTERM (or SIGINT) shuts the database down cleanly.
 */
public final class TestServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TestServer PORT SETTINGS_FILE...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must hold the password (8 characters or more)");
            System.exit(2);
        }
        Path workDir = Files.createTempDirectory("coopgraph-neo4j-");
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()  // no HTTP: clients speak Bolt
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true);
        Map<String, Setting<Object>> declared = Config.defaults().getDeclaredSettings();
        for (int i = 1; i < args.length; i++) {
            for (Map.Entry<String, String> entry : readSettings(Path.of(args[i])).entrySet()) {
                builder = withSetting(builder, declared.get(entry.getKey()), entry.getKey(), entry.getValue());
            }
        }

        Neo4j neo4j = builder.build();
        // The harness creates user neo4j with the default password; set ours before saying ready.
        neo4j.databaseManagementService().database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            neo4j.close();
            deleteTree(workDir);
            System.out.println("coopgraph-neo4j stopped");
            stopped.countDown();
        }, "coopgraph-neo4j-shutdown"));
        watchParent(System.getenv("COOPGRAPH_NEO4J_PARENT_PID"));
        System.out.println("coopgraph-neo4j ready bolt://127.0.0.1:" + port + " " + Version.getNeo4jVersion());
        System.out.flush();
        stopped.await();
    }

    /** A server started for a test run stops (cleanly) when that run's process is gone, even if it was killed. */
    static void watchParent(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid = Long.parseLong(parentPid.strip());
        Thread watchdog = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.exit(0);  // runs the shutdown hook
        }, "coopgraph-neo4j-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** neo4j.conf lines: name=value; blank lines and # comments ignored. */
    static Map<String, String> readSettings(Path file) throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ": expected name=value, got: " + line);
            }
            settings.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return settings;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Neo4jBuilder withSetting(Neo4jBuilder builder, Setting<Object> setting, String name, String value) {
        if (setting == null) {
            throw new IllegalArgumentException("no Neo4j setting named " + name);
        }
        return (Neo4jBuilder) builder.withConfig((Setting) setting, ((SettingImpl<Object>) setting).parse(value));
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it if we cannot
        }
    }
}
