package io.kpdedicated.core.fakes;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Everything a run test needs: a fake cloud, fake time, a signer, cheap keyshares. */
public final class Fixture {
  public static final String PASSPHRASE_PREFIX = "pass-phrase-no-";
  public static final RetryPolicy FAST_EXACT =
      new RetryPolicy(4, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0);

  public final Path dir;
  public final FakeCloud cloud;
  public final ManualClock clock = new ManualClock();
  public final RecordingSleeper sleeper = new RecordingSleeper(clock);
  public final RecordingListener listener = new RecordingListener();
  public final FakeSigner signer;
  public final SecureRandom random = new SecureRandom();

  public Fixture(Path dir, FakeCloud cloud, FakeSigner signer) {
    this.dir = dir;
    this.cloud = cloud;
    this.signer = signer;
  }

  public static KeyshareWriteOptions cheapWrites() {
    return KeyshareWriteOptions.builder().kdf(KdfParameters.argon2id(8, 1, 1)).build();
  }

  public List<KeyshareLocation> shares(int n) {
    List<KeyshareLocation> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new KeyshareLocation(dir.resolve("share" + i + ".json"),
          Passphrase.of(PASSPHRASE_PREFIX + i)));
    }
    return list;
  }

  /** Writes a 2-of-n keyshare set of a new key named mk1 and returns the key (caller closes). */
  public MasterKey writeShares(int n) {
    MasterKey key = MasterKey.generate("mk1", random);
    Keyshares.write(key, 2, shares(n), cheapWrites());
    return key;
  }

  /**
   * Returns a fixture whose active instance has units in the given states with the content those
   * states mean: claimed by {@code signer}, holding the key of the keyshares written at
   * {@code dir} (2 of 3, mk1), with the crypto user.
   */
  public static Fixture resumable(Path dir, FakeSigner signer, UnitState... states) {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(states), signer);
    try (MasterKey key = f.writeShares(3)) {
      for (int i = 1; i <= states.length; i++) {
        String id = "unit-" + i;
        UnitState s = states[i - 1];
        if (s != UnitState.AVAILABLE && s != UnitState.RESERVED) {
          f.cloud.claimedBy(id, signer);
        }
        if (s == UnitState.INITIALIZED || s == UnitState.KMS_INITIALIZED) {
          f.cloud.holdsKey(id, "mk1", key.checkValue());
        }
        if (s == UnitState.KMS_AUTHORIZED || s == UnitState.KMS_INITIALIZED) {
          f.cloud.hasCryptoUser(id);
        }
      }
    }
    return f;
  }

  /** A builder: create-or-reuse 'kpd-test', the fake signer, generate 2-of-3 mk1 shares. */
  public DedicatedInitializer.Builder builder() {
    return DedicatedInitializer.builder()
        .transport(cloud)
        .instance(InstanceSelector.createOrReuse(InstanceRequest.named("kpd-test")))
        .adminIdentity(AdminIdentitySource.of(signer))
        .masterKey(MasterKeySource.generate("mk1", 2, shares(3)))
        .keyshareWriteOptions(cheapWrites())
        .retryPolicy(FAST_EXACT)
        .waitPolicy(new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 2.0,
            Duration.ofMinutes(10)))
        .maintenanceWaitPolicy(new WaitPolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), 1.0,
            Duration.ofMinutes(2)))
        .listener(listener)
        .clock(clock)
        .sleeper(sleeper)
        .random(random);
  }
}
