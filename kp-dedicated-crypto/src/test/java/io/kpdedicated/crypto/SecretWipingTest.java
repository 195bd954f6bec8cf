package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets are overwritten once they are no longer needed: the key bytes of a closed {@link
 * MasterKey}, the characters of a closed {@link Passphrase}, the private key of a closed {@link
 * AdminIdentity} (as far as the key allows), and the random coefficients {@link Shamir#split} drew.
 * The holders keep their secrets private, so the test looks inside them.
 */
class SecretWipingTest {
  private static AdminIdentity admin;
  private static RSAPrivateCrtKey privateKey;

  @BeforeAll
  static void shareTheTestIdentity() {
    admin = TestSupport.testAdmin().identity();
    privateKey = (RSAPrivateCrtKey) TestSupport.testAdmin().privateKey();
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(owner);
  }

  @Test
  void closingAMasterKeyOverwritesItsKeyBytesWithZeros() throws Exception {
    MasterKey key = MasterKey.generate("wipe", TestSupport.seeded(52));
    byte[] inside = (byte[]) field(key, "key");
    assertThat(inside).isEqualTo(key.copyKeyBytes()).isNotEqualTo(new byte[MasterKey.KEY_BYTES]);

    key.close();

    assertThat(inside).isEqualTo(new byte[MasterKey.KEY_BYTES]);
    assertThat(key.isDestroyed()).isTrue();
  }

  @Test
  void closingAPassphraseOverwritesItsCharactersWithZeros() throws Exception {
    Passphrase p = Passphrase.of("wipe-these-words");
    char[] inside = (char[]) field(p, "chars");
    assertThat(new String(inside)).isEqualTo("wipe-these-words");

    p.close();

    assertThat(inside).isEqualTo(new char["wipe-these-words".length()]);
    assertThatThrownBy(p::length).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(p::copy).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPassphraseMadeFromAStringKeepsOnlyItsOwnCopy() throws Exception {
    Passphrase p = Passphrase.of("string-words");
    Passphrase copy = p.copy();
    assertThat(field(copy, "chars")).isNotSameAs(field(p, "chars"));
    p.close();
    assertThat(copy.copyChars()).isEqualTo("string-words".toCharArray());
    assertThat(copy.length()).isEqualTo(12);
    copy.close();
  }

  /** A SecureRandom that remembers every array it filled. */
  private static final class RecordingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SecureRandom source = TestSupport.seeded(53);
    private final transient List<byte[]> filled = new ArrayList<>();

    @Override
    public void nextBytes(byte[] bytes) {
      source.nextBytes(bytes);
      filled.add(bytes);
    }
  }

  @Test
  void splittingOverwritesTheRandomCoefficientsItDrew() {
    RecordingRandom random = new RecordingRandom();
    byte[] secret = new byte[32];
    TestSupport.seeded(54).nextBytes(secret);

    List<byte[]> shares = Shamir.split(secret, 3, 5, random);

    assertThat(random.filled).hasSize(1);
    byte[] coefficients = random.filled.get(0);
    assertThat(coefficients).hasSize(2 * 32).isEqualTo(new byte[2 * 32]);
    assertThat(Shamir.combine(shares.subList(1, 4))).isEqualTo(secret);
  }

  @Test
  void writingKeysharesOverwritesTheShareCoefficientsItDrew() throws IOException {
    RecordingRandom random = new RecordingRandom();
    Path dir = Files.createTempDirectory("wipe");
    try (Passphrase pass = Passphrase.of("wipe-share-pass");
        MasterKey key = MasterKey.generate("wipe", TestSupport.seeded(55))) {
      List<KeyshareLocation> set =
          List.of(
              new KeyshareLocation(dir.resolve("1.json"), pass),
              new KeyshareLocation(dir.resolve("2.json"), pass),
              new KeyshareLocation(dir.resolve("3.json"), pass));
      Keyshares.write(
          key, 2, set, TestSupport.cheapOptions(55).toBuilder().random(random).build());

      // the set id (16), the coefficients of one degree-1 polynomial (32), then a salt (16) and
      // a nonce (12) per file
      List<Integer> sizes = random.filled.stream().map(b -> b.length).toList();
      assertThat(sizes).containsExactly(16, 32, 16, 12, 16, 12, 16, 12);
      assertThat(random.filled.get(1)).isEqualTo(new byte[32]);
      try (MasterKey rebuilt = Keyshares.rebuild(set.subList(1, 3))) {
        assertThat(rebuilt.checkValue()).isEqualTo(key.checkValue());
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /** An RSA private key (delegating to a real one) that can be destroyed, like a token key. */
  private static final class DestroyableRsaKey implements RSAPrivateKey {
    private static final long serialVersionUID = 1L;
    private final transient RSAPrivateCrtKey delegate;
    private int destroyCalls;

    DestroyableRsaKey(RSAPrivateCrtKey delegate) {
      this.delegate = delegate;
    }

    @Override
    public BigInteger getPrivateExponent() {
      return delegate.getPrivateExponent();
    }

    @Override
    public BigInteger getModulus() {
      return delegate.getModulus();
    }

    @Override
    public String getAlgorithm() {
      return "RSA";
    }

    @Override
    public String getFormat() {
      return delegate.getFormat();
    }

    @Override
    public byte[] getEncoded() {
      return delegate.getEncoded();
    }

    @Override
    public void destroy() {
      destroyCalls++;
    }

    @Override
    public boolean isDestroyed() {
      return destroyCalls > 0;
    }
  }

  @Test
  void closingAnIdentityDestroysAPrivateKeyThatCanBeDestroyedOnce() {
    DestroyableRsaKey key = new DestroyableRsaKey(privateKey);
    AdminIdentity id = AdminIdentity.of(key, admin.certificate());
    assertThat(id.sign(new byte[] {1})).isNotEmpty();
    assertThat(id.isDestroyed()).isFalse();
    assertThat(key.isDestroyed()).isFalse();

    id.close();
    id.close();

    assertThat(key.isDestroyed()).isTrue();
    assertThat(key.destroyCalls).as("destroyed once, not again on the second close").isEqualTo(1);
    assertThat(id.isDestroyed()).isTrue();
    assertThatThrownBy(() -> id.sign(new byte[] {1})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAnIdentityWhoseKeyCannotBeDestroyedStillRefusesToUseIt() {
    PrivateKey plain = privateKey;
    AdminIdentity id = AdminIdentity.of(plain, admin.certificate());

    id.close();

    assertThat(id.isDestroyed()).isTrue();
    assertThatThrownBy(() -> id.sign(new byte[] {1})).isInstanceOf(IllegalStateException.class);
  }
}
