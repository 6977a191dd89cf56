package dev.termlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.test.Postgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two separate deployments on one PostgreSQL database, each in a schema of its own ({@code Database.schema}): what one
 * does (a ban) must not reach the other, whose tables are elsewhere.
 */
class ClusterSchemaIsolationTest {

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aBanInOneSchemaDoesNotReachAClusterInAnother() throws Exception {
        try (Postgres pg = Postgres.start()) {
            Database dbA = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                    .schema("staging").open();
            Database dbB = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                    .schema("production").open();
            TermletServer a = Termlet.server().port(0).dataDir(Files.createTempDirectory("schema-a"))
                    .extension(Cluster.on(dbA).node("a")).build();
            TermletServer b = Termlet.server().port(0).dataDir(Files.createTempDirectory("schema-b"))
                    .extension(Cluster.on(dbB).node("b")).build();
            Database dbB2 = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                    .schema("production").open();
            TermletServer b2 = Termlet.server().port(0).dataDir(Files.createTempDirectory("schema-b2"))
                    .extension(Cluster.on(dbB2).node("b2")).build();
            a.start();
            b.start();
            b2.start();
            try {
                a.protector().ban("10.9.9.9", Duration.ofMinutes(5));
                // a ban in b's own deployment, made after on its other node: once b knows it, b has heard every
                // notification sent before
                b2.protector().ban("10.8.8.8", Duration.ofMinutes(5));
                await(() -> b.protector().check("10.8.8.8").isPresent(), "b's own ban");
                assertThat(b.protector().check("10.9.9.9")).as("staging's ban in production").isEmpty();
            } finally {
                a.close();
                b.close();
                b2.close();
                dbB2.close();
                dbA.close();
                dbB.close();
            }
        }
    }
}
