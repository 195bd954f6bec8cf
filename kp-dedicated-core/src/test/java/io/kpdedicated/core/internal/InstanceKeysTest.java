package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.fakes.ManualClock;
import io.kpdedicated.core.fakes.RecordingListener;
import io.kpdedicated.core.fakes.RecordingSleeper;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.core.spi.ServiceException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading which key each unit of an instance holds, and when loading one would make two. */
class InstanceKeysTest {
  private static final InstanceTarget TARGET =
      new InstanceTarget(URI.create("https://g1.api.us-south.kms.appdomain.cloud"), "g1");
  private static final CheckValue A = new CheckValue("AAAAAA");
  private static final CheckValue B = new CheckValue("BBBBBB");

  private final ManualClock clock = new ManualClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final Events events = new Events(new RecordingListener());
  private final HsmBackend hsm = mock(HsmBackend.class);
  private final AdminCredential admin = mock(AdminCredential.class);
  private final Map<String, HsmSession> sessions = new HashMap<>();
  private final UnitContext ctx;

  InstanceKeysTest() {
    PreparedMasterKey key = mock(PreparedMasterKey.class);
    when(key.checkValue()).thenReturn(Optional.empty());
    RetryExecutor retry = new RetryExecutor(new RetryPolicy(3, Duration.ofMillis(100), 2.0,
        Duration.ofSeconds(1), 0.0).toRetryConfig(), RetryRegistry.ofDefaults(), sleeper,
        events);
    ctx = new UnitContext(mock(CryptoUnitApi.class), hsm, TARGET, admin, key, retry,
        new Waiter(clock, sleeper, events), new WaitPolicy(Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1.0, Duration.ofMinutes(1)), clock, events, false);
  }

  private HsmSession session(String unitId) {
    return sessions.computeIfAbsent(unitId, id -> {
      HsmSession s = mock(HsmSession.class);
      when(hsm.openSession(TARGET, id, admin)).thenReturn(s);
      return s;
    });
  }

  private void holds(String unitId, CheckValue... values) {
    when(session(unitId).listMasterKeys()).thenReturn(java.util.Arrays.stream(values)
        .map(v -> new MasterKeyInfo("mk", v)).toList());
  }

  private void refuses(String unitId, FailureKind kind) {
    when(session(unitId).listMasterKeys()).thenThrow(ServiceException.builder(
        Operation.LIST_MASTER_KEYS, kind, "refused").unitId(unitId).build());
  }

  private static CryptoUnit unit(String id, String state) {
    return CryptoUnit.of(id, "g1", state);
  }

  private InstanceKeys read(CryptoUnit... units) {
    return InstanceKeys.read(ctx, List.of(units), Step.SURVEY_KEYS);
  }

  @Test
  void readsOnlyTheUnitsWhoseStateSaysTheyHoldAKeyAndClosesEachSession() {
    holds("u3", A);
    holds("u4", A);

    InstanceKeys keys = read(unit("u1", "reserved"), unit("u2", "claimed"),
        unit("u3", "initialized"), unit("u4", "kms-initialized"), unit("u5", "maintenance"),
        unit("u6", "kms-authorized"));

    assertThat(keys.keys()).isEqualTo(Map.of("u3", A, "u4", A));
    assertThat(keys.otherAdministrator()).isEmpty();
    for (String id : List.of("u1", "u2", "u5", "u6")) {
      verify(hsm, never()).openSession(any(), eq(id), any());
    }
    verify(session("u3")).close();
    verify(session("u4")).close();
  }

  @Test
  void oneKeyOnEveryHoldingUnitIsTheInstancesKey() {
    holds("u1", A);
    holds("u2", A, B);

    InstanceKeys keys = read(unit("u1", "initialized"), unit("u2", "kms-initialized"));

    assertThat(keys.instanceKey()).contains(A);
    assertThat(keys.empty()).isFalse();
    assertThat(keys.conflict(A, false)).isEmpty();
    assertThat(keys.conflict(null, false)).isEmpty();
    assertThat(keys.describe()).isEqualTo("units holding a master key: " + keys.keys());
  }

  @Test
  void loadingAnotherOrAGeneratedKeyBesideTheInstancesKeyIsAConflict() {
    holds("u1", A);

    InstanceKeys keys = read(unit("u1", "kms-initialized"));

    assertThat(keys.conflict(B, false)).get().satisfies(c -> {
      assertThat(c.unitKeys()).isEqualTo(Map.of("u1", A));
      assertThat(c.expected()).contains(B);
      assertThat(c.otherAdministrator()).isEmpty();
    });
    assertThat(keys.conflict(null, true)).isPresent();
    assertThat(keys.conflict(A, true)).isPresent();
  }

  @Test
  void unitsHoldingTwoKeysAreAConflictWhateverIsLoaded() {
    holds("u1", A);
    holds("u2", B);

    InstanceKeys keys = read(unit("u1", "kms-initialized"), unit("u2", "kms-initialized"));

    assertThat(keys.instanceKey()).isEmpty();
    assertThat(keys.conflict(A, false)).isPresent();
    assertThat(keys.conflict(null, false)).isPresent();
  }

  @Test
  void anInstanceWithoutKeysHasNoKeyAndNoConflictEvenForAGeneratedOne() {
    holds("u1");

    InstanceKeys keys = read(unit("u1", "initialized"), unit("u2", "reserved"));

    assertThat(keys.keys()).isEmpty();
    assertThat(keys.empty()).isTrue();
    assertThat(keys.instanceKey()).isEmpty();
    assertThat(keys.conflict(A, false)).isEmpty();
    assertThat(keys.conflict(null, true)).isEmpty();
    assertThat(keys.describe()).isEqualTo("no unit of the instance holds a master key yet");
  }

  @Test
  void aUnitOfAnotherAdministratorIsNotEmptyAndAlwaysAConflict() {
    holds("u1", A);
    refuses("u2", FailureKind.NOT_ADMIN);
    refuses("u3", FailureKind.NOT_AUTHORIZED);

    InstanceKeys keys = read(unit("u1", "kms-initialized"), unit("u2", "kms-initialized"),
        unit("u3", "initialized"));

    assertThat(keys.otherAdministrator()).containsExactly("u2", "u3");
    assertThat(keys.instanceKey()).isEmpty();
    assertThat(keys.empty()).isFalse();
    MasterKeyConflictException c = keys.conflict(A, false).orElseThrow();
    assertThat(c.otherAdministrator()).containsExactly("u2", "u3");
    assertThat(keys.describe()).isEqualTo("units holding a master key: {u1=" + A
        + "}; claimed by another administrator: [u2, u3]");
  }

  @Test
  void onlyAUnitOfAnotherAdministratorIsNotEmptyEither() {
    refuses("u1", FailureKind.NOT_ADMIN);

    InstanceKeys keys = read(unit("u1", "kms-initialized"));

    assertThat(keys.keys()).isEmpty();
    assertThat(keys.empty()).isFalse();
    assertThat(keys.conflict(null, false)).isPresent();
    assertThat(keys.describe()).startsWith("units holding a master key: {};");
  }

  @Test
  void anyOtherRefusalStopsTheReading() {
    refuses("u1", FailureKind.NOT_FOUND);

    assertThatThrownBy(() -> read(unit("u1", "kms-initialized"), unit("u2", "kms-initialized")))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    verify(hsm, never()).openSession(any(), eq("u2"), any());
  }

  @Test
  void aPassingFailureIsRetried() {
    HsmSession s = session("u1");
    when(s.listMasterKeys()).thenThrow(ServiceException.builder(Operation.LIST_MASTER_KEYS,
        FailureKind.UNAVAILABLE, "busy").build()).thenReturn(List.of(new MasterKeyInfo("mk", A)));

    InstanceKeys keys = read(unit("u1", "kms-initialized"));

    assertThat(keys.keys()).isEqualTo(Map.of("u1", A));
    verify(hsm, times(2)).openSession(TARGET, "u1", admin);
    verify(s, times(2)).close();
  }
}
