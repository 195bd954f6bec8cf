package io.kpdedicated.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyInitializationTest {
  @TempDir Path dir;

  @Test
  void initializesAnInstanceAndASecondRunOnlyVerifies() {
    ManualClock clock = ManualClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
        .clock(clock).sleeper(clock.sleeper()).provisioningPolls(2).build();
    List<KeyshareLocation> shares = List.of(
        new KeyshareLocation(dir.resolve("share-1.json"), Passphrase.of("first share secret")),
        new KeyshareLocation(dir.resolve("share-2.json"), Passphrase.of("second share secret")),
        new KeyshareLocation(dir.resolve("share-3.json"), Passphrase.of("third share secret")));
    DedicatedInitializer init = DedicatedInitializer.builder()
        .transport(InMemoryTransport.over(cloud))
        .instance(InstanceSelector.createOrReuse(InstanceRequest.named("my-kp")))
        .adminIdentity(AdminIdentitySource.generate(dir.resolve("admin.p12"),
            Passphrase.of("admin file secret"), "admin"))
        .masterKey(MasterKeySource.generate("mk1", 2, shares))
        .kdfCost(KdfCost.forTestsOnly()) // needs -Dio.kpdedicated.testKdfCost=true
        .clock(clock).sleeper(clock.sleeper())
        .build();

    InitializationResult result = init.run();

    assertThat(result.succeeded()).isTrue();
    assertThat(cloud.snapshot("my-kp").states()).containsOnly(UnitState.KMS_INITIALIZED);
    InitializationPlan next = init.plan();
    assertThat(next.nothingToDo()).isTrue();
    assertThat(next.units()).allSatisfy(u -> assertThat(u.steps()).containsExactly(Step.VERIFY));
  }
}
