package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.http.TokenProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens IBM's library receives over time from sessions that refresh them on use. */
class SessionTokenRefresherTest extends StandInTestBase {
  private static final String ENDPOINT = "https://0f1e2d3c.api.us-south.kms.appdomain.cloud";
  private static final String INSTANCE = "0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;

  private NativeHsm hsm;
  private Path keyFile;
  private final ManualClock clock = new ManualClock(T0);
  private final Deque<SessionTokenRefresher.ExpiringToken> issued = new ArrayDeque<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final Supplier<SessionTokenRefresher.ExpiringToken> iam = () -> {
    fetches.incrementAndGet();
    SessionTokenRefresher.ExpiringToken t = issued.poll();
    if (t == null) {
      throw new IllegalStateException("IAM is unreachable");
    }
    return t;
  };

  @BeforeEach
  void setUp() throws Exception {
    hsm = new NativeHsm(library(), true);
    standIn.addUnit("unit-1");
    standIn.addUnit("unit-2");
    keyFile = dir.resolve("admin.key");
    Files.writeString(keyFile, "placeholder");
  }

  private void issue(String token, Duration lifetimeFromT0) {
    issued.add(new SessionTokenRefresher.ExpiringToken(token, T0.plus(lifetimeFromT0)));
  }

  private NativeSession open(String unit, SessionTokenRefresher tokens) {
    return hsm.openSession(SessionParameters.of(ENDPOINT, INSTANCE, unit, keyFile,
        Passphrase.of("admin-pass-1")), tokens);
  }

  /** Every token-carrying string the library received, in order, as "export unit-or-handle token". */
  private List<String> tokensReceived() {
    return standIn.calls().stream()
        .filter(c -> c.fn().equals("CreateSessionC") || c.fn().equals("SetTokenGetterC"))
        .map(c -> c.fn().equals("CreateSessionC") ? "CreateSessionC " + c.str(2) + " " + c.str(6)
            : "SetTokenGetterC " + standInUnit(c.handle()) + " " + c.str(0))
        .toList();
  }

  private final java.util.Map<Long, String> handles = new java.util.HashMap<>();

  private String standInUnit(long handle) {
    return handles.get(handle);
  }

  private void rememberHandles() {
    handles.putAll(standIn.sessions());
  }

  @Test
  void aSessionGetsANewTokenOnUseOnceTheOldOneIsWithinTheMarginOfExpiry() {
    issue("tok-1", Duration.ofMinutes(60));
    issue("tok-2", Duration.ofMinutes(120));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));

    try (NativeSession s = open("unit-1", tokens)) {
      rememberHandles();
      s.listUsers();
      clock.set(T0.plus(Duration.ofMinutes(54)).plusSeconds(59));
      s.listUsers();
      assertThat(standIn.calls("SetTokenGetterC")).as("still 5 min and 1 s left").isEmpty();

      clock.set(T0.plus(Duration.ofMinutes(55)));
      s.listMasterKeys();
      s.listUsers();
    }

    assertThat(tokensReceived()).containsExactly(
        "CreateSessionC unit-1 Bearer tok-1",
        "SetTokenGetterC unit-1 Bearer tok-2");
    assertThat(standIn.calls()).extracting(StandInHsm.Call::fn).containsExactly("CreateSessionC",
        "ListUsersC", "ListUsersC", "SetTokenGetterC", "ListMBKKeysC", "ListUsersC",
        "CloseSessionC");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void sessionsSharingARefresherFetchOnceAndEachGetsTheNewTokenOnItsNextUse() {
    issue("tok-1", Duration.ofMinutes(60));
    issue("tok-2", Duration.ofMinutes(120));
    issue("tok-3", Duration.ofMinutes(180));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));

    try (NativeSession one = open("unit-1", tokens)) {
      clock.set(T0.plus(Duration.ofMinutes(30)));
      try (NativeSession two = open("unit-2", tokens)) {
        rememberHandles();
        clock.set(T0.plus(Duration.ofMinutes(58)));
        one.listUsers();
        clock.set(T0.plus(Duration.ofMinutes(100)));
        two.listUsers();
        clock.set(T0.plus(Duration.ofMinutes(116)));
        two.listUsers();
        one.listUsers();
      }
    }

    assertThat(tokensReceived()).containsExactly(
        "CreateSessionC unit-1 Bearer tok-1",
        "CreateSessionC unit-2 Bearer tok-1",
        "SetTokenGetterC unit-1 Bearer tok-2",
        "SetTokenGetterC unit-2 Bearer tok-2",
        "SetTokenGetterC unit-2 Bearer tok-3",
        "SetTokenGetterC unit-1 Bearer tok-3");
    assertThat(fetches).hasValue(3);
  }

  @Test
  void theHeadersArgumentCarriesTheTokenTheSessionHolds() throws Exception {
    issue("tok-1", Duration.ofMinutes(60));
    issue("tok-2", Duration.ofMinutes(120));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));
    Path share = dir.resolve("share1");
    Files.writeString(share, "share");
    Path share2 = dir.resolve("share2");
    Files.writeString(share2, "share");
    NativeHeaders stale = NativeHeaders.forCommand("tok-0", INSTANCE, "req-1", "corr-1");

    try (NativeSession s = open("unit-1", tokens)) {
      clock.set(T0.plus(Duration.ofMinutes(56)));
      s.importMasterKey(List.of(new ShareFile(share, Passphrase.of("share-pass-1")),
          new ShareFile(share2, Passphrase.of("share-pass-2"))), stale);
    }

    assertThat(standIn.onlyCall("SetTokenGetterC").str(0)).isEqualTo("Bearer tok-2");
    assertThat(standIn.onlyCall("ImportMBKC").str(1)).isEqualTo("Authorization=Bearer tok-2"
        + "%Bluemix-Instance=" + INSTANCE + "%Instance-ID=" + INSTANCE + "%X-Request-ID=req-1"
        + "%X-Correlation-ID=corr-1%Correlation-Id=corr-1");
  }

  @Test
  void aFailedFetchKeepsTheValidTokenAndIsRetriedThenFailsOnceItExpired() {
    issue("tok-1", Duration.ofMinutes(60));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));

    try (NativeSession s = open("unit-1", tokens)) {
      clock.set(T0.plus(Duration.ofMinutes(57)));
      s.listUsers();
      s.listUsers();
      assertThat(fetches).as("retried on the next use").hasValue(3);
      clock.set(T0.plus(Duration.ofMinutes(58)));
      issue("tok-2", Duration.ofMinutes(120));
      s.listUsers();
      clock.set(T0.plus(Duration.ofMinutes(200)));

      IllegalStateException e = catchThrowableOfType(IllegalStateException.class, s::listUsers);

      assertThat(e).hasMessage("IAM is unreachable");
    }
    assertThat(standIn.calls("SetTokenGetterC")).extracting(c -> c.str(0))
        .containsExactly("Bearer tok-2");
    assertThat(standIn.calls("ListUsersC")).hasSize(3);
  }

  @Test
  void aRefusedTokenIsRetryableAndHandedOverAgainOnTheNextUse() {
    issue("tok-1", Duration.ofMinutes(60));
    issue("tok-2", Duration.ofMinutes(120));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));
    standIn.fail("SetTokenGetterC", 1, 0x00000008L, "token rejected");

    try (NativeSession s = open("unit-1", tokens)) {
      clock.set(T0.plus(Duration.ofMinutes(56)));
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listUsers);
      assertThat(e.call()).isEqualTo(NativeCall.SET_TOKEN);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).doesNotContain("tok-2");

      s.listUsers();
    }

    assertThat(standIn.calls("SetTokenGetterC")).extracting(c -> c.str(0))
        .containsExactly("Bearer tok-2", "Bearer tok-2");
    assertThat(standIn.calls("ListUsersC")).hasSize(1);
  }

  @Test
  void aSelfRenewingProviderIsAskedOnEveryUseAndANewTokenIsHandedOverOnce() {
    Deque<String> answers = new ArrayDeque<>(List.of("p-1", "p-1", "p-1", "p-2", "p-2", "p-3"));
    TokenProvider provider = answers::poll;
    SessionTokenRefresher tokens = SessionTokenRefresher.of(provider);

    try (NativeSession s = open("unit-1", tokens)) {
      s.listUsers();
      s.listUsers();
      s.listUsers();
      s.listUsers();
      s.listUsers();
    }

    assertThat(standIn.onlyCall("CreateSessionC").str(6)).isEqualTo("Bearer p-1");
    assertThat(standIn.calls("SetTokenGetterC")).extracting(c -> c.str(0))
        .containsExactly("Bearer p-2", "Bearer p-3");
    assertThat(answers).isEmpty();
    assertThat(tokens.toString()).doesNotContain("p-");
  }

  @Test
  void aSessionOpenedWithAFixedTokenNeverCallsSetTokenGetter() {
    try (NativeSession s = hsm.openSession(SessionParameters.of(ENDPOINT, INSTANCE, "unit-1",
        keyFile, null), "fixed")) {
      clock.set(T0.plus(Duration.ofDays(1)));
      s.listUsers();
    }
    assertThat(standIn.calls("SetTokenGetterC")).isEmpty();
  }

  @Test
  void anotherThreadGetsTheTokenRightAfterOneWasFetched() throws Exception {
    issue("tok-1", Duration.ofHours(1));
    SessionTokenRefresher tokens = SessionTokenRefresher.of(iam, clock, Duration.ofMinutes(5));
    assertThat(tokens.accessToken()).isEqualTo("tok-1");

    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(tokens::accessToken).get(30, java.util.concurrent.TimeUnit.SECONDS))
          .isEqualTo("tok-1");
    } finally {
      other.shutdownNow();
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void tokensAreRedactedAndANegativeMarginIsRefused() {
    SessionTokenRefresher.ExpiringToken t = new SessionTokenRefresher.ExpiringToken("secret-tok",
        T0);
    assertThat(t.toString()).doesNotContain("secret-tok");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> SessionTokenRefresher.of(iam, clock, Duration.ofSeconds(-1))))
        .hasMessageContaining("margin");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> new SessionTokenRefresher.ExpiringToken("Bearer x", T0)))
        .hasMessageContaining("Bearer");
  }

  /** A clock that moves only when told. */
  static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      this.now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
