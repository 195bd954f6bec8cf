package io.kpdedicated.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How to test code that initializes a Key Protect Dedicated instance, without a cloud account and
 * without waiting: copy this test and adapt it.
 *
 * <p>The in-memory cloud plays the service (instances that provision, crypto units with their real
 * state machine, admin signatures, key import), the {@link InMemoryTransport} connects the
 * initializer to it in-process, and a {@link ManualClock} makes every wait (provisioning polls,
 * retry backoff) instantaneous.
 */
class InitializeWithInMemoryCloudExampleTest {

  @TempDir Path dir;

  @Test
  void initializesAThreeUnitInstanceDespiteAFlakyImport() throws Exception {
    // 1. Time that only moves when something sleeps: no test ever really waits.
    ManualClock clock = ManualClock.at(Instant.parse("2025-01-01T00:00:00Z"));

    // 2. The fake cloud. New instances stay "provisioning" for three polls, like a slow real one.
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
        .clock(clock)
        .sleeper(clock.sleeper())
        .provisioningPolls(3)
        .build();

    // 3. Make life hard: the second unit's first master-key import fails with a 503.
    cloud.faults()
        .on(Operation.IMPORT_MASTER_KEY).unitIndex(1)
        .error(503, "SERVICE_UNAVAILABLE", "temporarily unavailable");

    // 4. Three keyshares, any two of which rebuild the master key. Cheap KDF settings keep the
    //    test fast; production code keeps the defaults.
    List<KeyshareLocation> shares = List.of(
        new KeyshareLocation(dir.resolve("share-1.json"), Passphrase.of("first custodian")),
        new KeyshareLocation(dir.resolve("share-2.json"), Passphrase.of("second custodian")),
        new KeyshareLocation(dir.resolve("share-3.json"), Passphrase.of("third custodian")));
    KeyshareWriteOptions cheapKdf =
        KeyshareWriteOptions.builder().kdf(KdfParameters.argon2id(8, 1, 1)).build();

    // 5. The initializer exactly as production code builds it, except for the transport, the
    //    clock and the sleeper.
    DedicatedInitializer initializer = DedicatedInitializer.builder()
        .transport(InMemoryTransport.over(cloud))
        .instance(InstanceSelector.createOrReuse(
            new InstanceRequest("payments-kms", "us-south", null, 3)))
        .adminIdentity(AdminIdentitySource.generate(dir.resolve("admin.p12"),
            Passphrase.of("admin passphrase"), "admin1"))
        .masterKey(MasterKeySource.generate("mk1", 2, shares))
        .keyshareWriteOptions(cheapKdf)
        .clock(clock)
        .sleeper(clock.sleeper())
        .build();

    InitializationResult result = initializer.run();

    // 6. Check what the SDK reports ...
    assertThat(result.succeeded()).isTrue();
    assertThat(result.units()).hasSize(3)
        .allSatisfy(unit -> assertThat(unit.status()).isEqualTo(UnitOutcome.Status.SUCCEEDED));

    // ... and what the "service" really holds: every unit ready, all with the same key.
    InstanceSnapshot instance = cloud.snapshot("payments-kms");
    assertThat(instance.states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(instance.units()).extracting(UnitSnapshot::checkValue)
        .containsOnly(result.checkValue());

    // The flaky import was retried: unit 1 saw two import calls, one of which took effect.
    String unit1 = instance.unit(1).id();
    assertThat(cloud.stats().calls(Operation.IMPORT_MASTER_KEY, unit1)).isEqualTo(2);
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY, unit1)).isEqualTo(1);

    // The admin identity and the keyshares are on disk for the next run.
    assertThat(dir.resolve("admin.p12")).exists();
    assertThat(shares).allSatisfy(share -> assertThat(Files.size(share.path())).isPositive());
  }
}
