package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.AdminIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The signed command record: each field checked on its own, value semantics, verification. */
class SignedCommandContractTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = SignedCommand.sha256Hex(BODY);
  private static AdminIdentity admin;
  private static AdminIdentity other;

  @BeforeAll
  static void keys() {
    admin = AdminIdentity.generate("admin", 2048, RANDOM);
    other = AdminIdentity.generate("other", 2048, RANDOM);
  }

  @AfterAll
  static void wipe() {
    admin.destroy();
    other.destroy();
  }

  private static SignedCommand command(String verb, String resource, String unit, String nonce,
      String digest) {
    return new SignedCommand(verb, resource, unit, 1L, nonce, digest, new byte[] {1, 2});
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void eachLineFieldIsCheckedOnItsOwn(int field) {
    for (String bad : new String[] {"", "a\nb", "a\rb", "\nb", "\rb"}) {
      String[] v = {"POST", "/x", "unit-1", "nonce", DIGEST};
      // A resource must start with '/', so there the break comes right after it.
      v[field] = field == 1 && !bad.isEmpty() ? "/" + bad : bad;
      String[] names = {"verb", "resource", "unitId", "nonce", "bodySha256Hex"};
      assertThatThrownBy(() -> command(v[0], v[1], v[2], v[3], v[4]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(names[field] + " must be one non-empty line");
    }
    String[] ok = {"POST", "/x", "unit-1", "nonce", DIGEST};
    ok[field] = field == 1 ? "/" : "a";
    assertThat(command(ok[0], ok[1], ok[2], ok[3], ok[4])).isNotNull();
  }

  @Test
  void aResourceStartsWithASlash() {
    assertThatThrownBy(() -> command("POST", "x", "u", "n", DIGEST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
  }

  @Test
  void theSignatureIsCopiedInAndOut() {
    byte[] sig = {1, 2, 3};
    SignedCommand c = new SignedCommand("POST", "/x", "u", 5L, "n", DIGEST, sig);
    sig[0] = 9;
    assertThat(c.signature()).containsExactly(1, 2, 3);
    c.signature()[1] = 9;
    assertThat(c.signature()).containsExactly(1, 2, 3);
  }

  @Test
  void equalCommandsAreEqualAndHashAlikeAndEachFieldCounts() {
    SignedCommand a = new SignedCommand("POST", "/x", "u", 5L, "n", DIGEST, new byte[] {1});
    SignedCommand b = new SignedCommand("POST", "/x", "u", 5L, "n", DIGEST, new byte[] {1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo("POST /x");
    assertThat(a).isNotEqualTo(new SignedCommand("PUT", "/x", "u", 5L, "n", DIGEST, new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/y", "u", 5L, "n", DIGEST, new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/x", "v", 5L, "n", DIGEST, new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/x", "u", 6L, "n", DIGEST, new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/x", "u", 5L, "m", DIGEST, new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/x", "u", 5L, "n", "ab", new byte[] {1}))
        .isNotEqualTo(new SignedCommand("POST", "/x", "u", 5L, "n", DIGEST, new byte[] {2}));
    assertThat(a.hashCode())
        .isNotEqualTo(new SignedCommand("POST", "/x", "u", 5L, "n", DIGEST, new byte[] {2})
            .hashCode());
    assertThat(a.toString()).isEqualTo("SignedCommand[POST /x unit=u ts=5]");
  }

  @Test
  void verifyAcceptsOnlyTheSignersKeyAndTheSignedBody() {
    SignedCommand c = SignedCommand.sign(admin, "POST", "/api/v2/x", "unit-1", BODY,
        Instant.parse("2030-01-01T00:00:00Z"), RANDOM);

    assertThat(c.verify(admin.publicKey(), BODY)).isTrue();
    assertThat(c.verify(other.publicKey(), BODY)).isFalse();
    assertThat(c.verify(admin.publicKey(), "{\"a\":2}".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    SignedCommand tampered = new SignedCommand(c.verb(), c.resource(), "unit-2",
        c.timestampMillis(), c.nonce(), c.bodySha256Hex(), c.signature());
    assertThat(tampered.verify(admin.publicKey(), BODY)).isFalse();
    assertThat(c.timestampMillis()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    assertThat(c.bodySha256Hex()).isEqualTo(DIGEST);
  }

  @Test
  void theSignatureBaseIsTheVersionAndTheFieldsOneALine() {
    assertThat(new String(SignedCommand.signatureBase("POST", "/x", "u", 7L, "n", "d"),
        StandardCharsets.UTF_8)).isEqualTo(SignedCommand.VERSION + "\nPOST\n/x\nu\n7\nn\nd");
  }
}
