package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalPreparationTest {
  private static final long LATCH_SECONDS = 30;

  private final HsmBackend hsm = mock(HsmBackend.class);
  private final AdminIdentitySource adminSource =
      AdminIdentitySource.load(Path.of("admin.p12"), null);
  private final MasterKeySource keySource = MasterKeySource.existing(List.of(
      new KeyshareLocation(Path.of("share-1.json"), Passphrase.of("first share's passphrase")),
      new KeyshareLocation(Path.of("share-2.json"), Passphrase.of("second share's passphrase"))));
  private final AdminCredential admin = mock(AdminCredential.class);
  private final PreparedMasterKey key = mock(PreparedMasterKey.class);
  private final List<InitializationEvent> events = new CopyOnWriteArrayList<>();
  private StepRunner steps;

  @BeforeEach
  void setUp() {
    steps = new StepRunner(new Events(events::add));
    when(admin.description()).thenReturn("admin ready");
    when(key.description()).thenReturn("key ready");
  }

  private static PrepareContext context(boolean dryRun) {
    return new PrepareContext(dryRun, new SecureRandom(), Clock.systemUTC(), KdfCost.defaults());
  }

  @Test
  void aRunPreparesTheMasterKeyWhileTheCredentialIsPrepared() {
    CountDownLatch keyStarted = new CountDownLatch(1);
    AtomicReference<Thread> keyThread = new AtomicReference<>();
    when(hsm.prepareMasterKey(any(), any())).thenAnswer(inv -> {
      keyThread.set(Thread.currentThread());
      keyStarted.countDown();
      return key;
    });
    when(hsm.prepareAdmin(any(), any())).thenAnswer(inv -> {
      // Sequential preparation would never get here with the key started.
      assertThat(keyStarted.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      return admin;
    });

    LocalPreparation.Prepared prepared =
        LocalPreparation.prepare(hsm, adminSource, keySource, context(false), steps);

    assertThat(prepared.admin()).isSameAs(admin);
    assertThat(prepared.key()).isSameAs(key);
    assertThat(keyThread.get()).isNotSameAs(Thread.currentThread());
    assertThat(keyThread.get().getName()).isEqualTo(LocalPreparation.THREAD_NAME);
    assertThat(keyThread.get().isDaemon()).isTrue();
    assertThat(stepsInOrder()).containsExactly(
        "started ADMIN_IDENTITY", "succeeded ADMIN_IDENTITY admin ready",
        "started KEYSHARES", "succeeded KEYSHARES key ready");
  }

  @Test
  void aFailedCredentialWaitsForTheMasterKeyAndWipesIt() {
    CountDownLatch adminFailed = new CountDownLatch(1);
    AtomicBoolean keyFinished = new AtomicBoolean();
    when(hsm.prepareMasterKey(any(), any())).thenAnswer(inv -> {
      // Still deriving when the credential fails: prepare() must not return before this ends.
      assertThat(adminFailed.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      keyFinished.set(true);
      return key;
    });
    IllegalStateException boom = new IllegalStateException("identity file refused");
    when(hsm.prepareAdmin(any(), any())).thenAnswer(inv -> {
      adminFailed.countDown();
      throw boom;
    });

    assertThatThrownBy(() -> LocalPreparation.prepare(hsm, adminSource, keySource,
        context(false), steps)).isSameAs(boom);

    assertThat(keyFinished).isTrue();
    verify(key).close();
    assertThat(stepsInOrder()).containsExactly("started ADMIN_IDENTITY", "failed ADMIN_IDENTITY");
  }

  @Test
  void aFailedCredentialKeepsItsOwnErrorWhenTheMasterKeyFailsToo() {
    IllegalStateException adminError = new IllegalStateException("identity");
    IllegalArgumentException keyError = new IllegalArgumentException("keyshares");
    when(hsm.prepareMasterKey(any(), any())).thenThrow(keyError);
    when(hsm.prepareAdmin(any(), any())).thenThrow(adminError);

    assertThatThrownBy(() -> LocalPreparation.prepare(hsm, adminSource, keySource,
        context(false), steps)).isSameAs(adminError)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(keyError));
  }

  @Test
  void aFailedMasterKeyClosesTheCredentialAndIsRethrownAsItWas() {
    IllegalArgumentException keyError = new IllegalArgumentException("share 2 refused");
    when(hsm.prepareMasterKey(any(), any())).thenThrow(keyError);
    when(hsm.prepareAdmin(any(), any())).thenReturn(admin);

    assertThatThrownBy(() -> LocalPreparation.prepare(hsm, adminSource, keySource,
        context(false), steps)).isSameAs(keyError);

    verify(admin).close();
    assertThat(stepsInOrder()).containsExactly("started ADMIN_IDENTITY",
        "succeeded ADMIN_IDENTITY admin ready", "started KEYSHARES", "failed KEYSHARES");
  }

  @Test
  void anInterruptedCallerStillGetsTheMasterKeyAndKeepsItsInterrupt() {
    when(hsm.prepareAdmin(any(), any())).thenAnswer(inv -> {
      Thread.currentThread().interrupt();
      return admin;
    });
    CountDownLatch adminDone = new CountDownLatch(1);
    when(admin.description()).thenAnswer(inv -> {
      adminDone.countDown();
      return "admin ready";
    });
    when(hsm.prepareMasterKey(any(), any())).thenAnswer(inv -> {
      assertThat(adminDone.await(LATCH_SECONDS, TimeUnit.SECONDS)).isTrue();
      return key;
    });

    LocalPreparation.Prepared prepared =
        LocalPreparation.prepare(hsm, adminSource, keySource, context(false), steps);

    assertThat(Thread.interrupted()).as("the interrupt is kept (and cleared here)").isTrue();
    assertThat(prepared.key()).isSameAs(key);
    verify(key, never()).close();
  }

  @Test
  void aDryRunPreparesBothOnTheCallersThreadOneAfterTheOther() {
    AtomicReference<Thread> keyThread = new AtomicReference<>();
    when(hsm.prepareAdmin(any(), any())).thenReturn(admin);
    when(hsm.prepareMasterKey(any(), any())).thenAnswer(inv -> {
      keyThread.set(Thread.currentThread());
      return key;
    });

    LocalPreparation.prepare(hsm, adminSource, keySource, context(true), steps);

    assertThat(keyThread.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void aDryRunWhoseMasterKeyFailsClosesTheCredential() {
    when(hsm.prepareAdmin(any(), any())).thenReturn(admin);
    when(hsm.prepareMasterKey(any(), any())).thenThrow(new IllegalStateException("no"));

    assertThatThrownBy(() -> LocalPreparation.prepare(hsm, adminSource, keySource,
        context(true), steps)).hasMessage("no");
    verify(admin).close();
  }

  private List<String> stepsInOrder() {
    return events.stream().map(e -> {
      if (e instanceof InitializationEvent.StepStarted s) {
        return "started " + s.step();
      }
      if (e instanceof InitializationEvent.StepSucceeded s) {
        return "succeeded " + s.step() + " " + s.detail();
      }
      if (e instanceof InitializationEvent.StepFailed f) {
        return "failed " + f.step();
      }
      return e.toString();
    }).filter(s -> s.contains(Step.ADMIN_IDENTITY.name()) || s.contains(Step.KEYSHARES.name()))
        .toList();
  }
}
