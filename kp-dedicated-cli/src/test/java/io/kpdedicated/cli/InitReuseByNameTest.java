package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kpd init --name NAME} against a service that already has an instance of that name with
 * three crypto units: without {@code --crypto-units} it is reused with its three units (the
 * initializer's own lookup, with retries and events); with another count it is refused.
 */
class InitReuseByNameTest {
  @TempDir Path dir;

  private LoopbackEmulator emulator;
  private ServiceInstance instance;

  @BeforeEach
  void startEmulator() {
    emulator = LoopbackEmulator.builder().provisioningPolls(0).build().start();
    instance = emulator.createActiveInstance("kp-three", 3);
  }

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }

  private CliRunner.Result kpd(String... args) {
    CliRunner r = new CliRunner(dir);
    r.env.putAll(emulator.environment());
    r.env.remove(Env.INSTANCE_ID);
    r.env.remove(Env.TARGET_ADDR);
    return r.run(args);
  }

  @Test
  void withoutACountTheInstanceIsReusedWithItsThreeUnits() {
    CliRunner.Result r = kpd("init", "--name", "kp-three", "--out", "out");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.all()).contains("reusing instance 'kp-three'", "3 crypto units");
    assertThat(emulator.cloud().snapshot(instance.guid()).states()).hasSize(3)
        .containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(emulator.cloud().snapshot().instances()).hasSize(1);
  }

  @Test
  void anotherCountIsRefusedAndNoUnitIsTouched() {
    CliRunner.Result r = kpd("init", "--name", "kp-three", "--crypto-units", "2", "--out", "out");

    assertThat(r.exitCode()).as(r.all()).isNotZero();
    assertThat(r.all()).contains("exists with 3 crypto units, but 2 were requested");
    assertThat(emulator.cloud().snapshot(instance.guid()).states())
        .containsOnly(UnitState.RESERVED);
  }
}
