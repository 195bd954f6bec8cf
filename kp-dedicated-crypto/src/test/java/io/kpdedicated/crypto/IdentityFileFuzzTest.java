package io.kpdedicated.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kpdedicated.crypto.KeyFileException.Reason;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the admin identity loaders: PKCS#12 and (encrypted) PEM. In a normal
 * build the tests replay the inputs under {@code
 * src/test/resources/io/kpdedicated/crypto/IdentityFileFuzzTestInputs/<method>/}; with {@code
 * JAZZER_FUZZ=1} they fuzz (see the module README).
 *
 * <p>Invariants: every input loads as an identity of an allowed RSA size, or is refused with a
 * {@link KeyFileException} naming the file (any other exception is a finding); no input takes
 * long. The PBKDF2 bound is lowered
 * to {@value #FUZZ_MAX_ITERATIONS} so that each run stays fast; the seeds use fewer iterations.
 */
class IdentityFileFuzzTest {
  static final Path FILE = Path.of("fuzzed-identity");
  static final String SEED_PASSPHRASE = "fuzz-seed-passphrase";
  static final int FUZZ_MAX_ITERATIONS = 1000;
  private static final long MAX_NANOS = 10_000_000_000L;
  private static final Set<Reason> REASONS =
      EnumSet.of(
          Reason.NOT_A_KEY_FILE,
          Reason.WRONG_PASSPHRASE,
          Reason.CORRUPT,
          Reason.TOO_COSTLY,
          Reason.WEAK_KEY);

  @FuzzTest(maxDuration = "3m")
  void pkcs12LoadsOrRefusesWithATypedReason(byte[] data) {
    for (char[] password : new char[][] {SEED_PASSPHRASE.toCharArray(), null}) {
      check(() -> AdminIdentity.fromPkcs12(FILE, data, password, FUZZ_MAX_ITERATIONS));
    }
  }

  @FuzzTest(maxDuration = "3m")
  void pemLoadsOrRefusesWithATypedReason(byte[] data) {
    for (char[] password : new char[][] {SEED_PASSPHRASE.toCharArray(), null}) {
      check(
          () ->
              AdminIdentity.fromPem(
                  FILE,
                  AdminIdentity.readPem(FILE, data, password, FUZZ_MAX_ITERATIONS),
                  (X509Certificate) null));
    }
  }

  private interface Load {
    AdminIdentity run();
  }

  private static void check(Load load) {
    long start = System.nanoTime();
    try (AdminIdentity identity = load.run()) {
      int bits = identity.rsaBits();
      if (bits < RsaKeys.MIN_RSA_BITS || bits > RsaKeys.MAX_RSA_BITS) {
        throw new AssertionError("loaded an RSA-" + bits + " identity");
      }
      identity.name();
      identity.publicKeyFingerprint();
    } catch (KeyFileException e) {
      if (!REASONS.contains(e.reason())) {
        throw new AssertionError("unexpected reason " + e.reason() + ": " + e.getMessage(), e);
      }
      if (!e.file().map(FILE::equals).orElse(false)
          || !String.valueOf(e.getMessage()).contains(FILE.toString())) {
        throw new AssertionError("the refusal does not name the file: " + e.getMessage(), e);
      }
      if (String.valueOf(e.getMessage()).contains(SEED_PASSPHRASE)) {
        throw new AssertionError("the message holds the passphrase", e);
      }
    } finally {
      long took = System.nanoTime() - start;
      if (took > MAX_NANOS) {
        throw new AssertionError("loading took " + took / 1_000_000 + " ms");
      }
    }
  }
}
