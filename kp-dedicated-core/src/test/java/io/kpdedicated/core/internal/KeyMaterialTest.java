package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.crypto.MasterKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMaterialTest {
  @TempDir Path dir;

  @Test
  void reusedKeysharesHandOutTheRebuiltKeyUntilCloseWipesIt() {
    Fixture fixture = new Fixture(dir, null, null);
    KeyMaterial material;
    try (MasterKey written = fixture.writeShares(3)) {
      material = KeyMaterial.prepare(MasterKeySource.existing(fixture.shares(3)),
          Fixture.cheapWrites(), new SecureRandom(), Clock.systemUTC());
      assertThat(material.action()).isEqualTo(KeysharesAction.USE_GIVEN);
      assertThat(material.key().checkValue()).isEqualTo(written.checkValue());
    }
    MasterKey handedOut = material.key();

    material.close();

    assertThat(handedOut.isDestroyed()).isTrue();
    assertThatThrownBy(material::key).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wiped");
  }
}
