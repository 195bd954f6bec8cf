package io.kpdedicated.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kpdedicated.crypto.KeyFileException.Reason;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the keyshare file reader. In a normal build the test replays the
 * inputs under {@code src/test/resources/io/kpdedicated/crypto/KeyshareFileFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see the module README).
 *
 * <p>Invariants: every input is parsed or refused with a {@link KeyFileException} of a parse
 * reason naming the file; whatever parses asks for KDF work within the bound; no input takes
 * long; an input whose KDF is cheap is also opened, and opening gives a share or a typed refusal.
 */
class KeyshareFileFuzzTest {
  private static final Path FILE = Path.of("fuzzed-keyshare.json");
  private static final Set<Reason> PARSE_REASONS =
      EnumSet.of(
          Reason.NOT_A_KEY_FILE, Reason.UNSUPPORTED_VERSION, Reason.CORRUPT, Reason.TOO_COSTLY);
  private static final Set<Reason> OPEN_REASONS =
      EnumSet.of(Reason.WRONG_PASSPHRASE, Reason.CORRUPT);
  /** Open only files whose KDF works on at most this many bytes: keeps each run fast. */
  private static final long CHEAP_WORK_BYTES = 256 * 1024;
  /** Parsing a file of at most 64 KiB must never take this long (generous for loaded machines). */
  private static final long MAX_PARSE_NANOS = 5_000_000_000L;

  /** The passphrase of the seed files, so that seeds reach the end of the open path. */
  static final String SEED_PASSPHRASE = "fuzz-seed-passphrase";

  @FuzzTest(maxDuration = "3m")
  void parsesOrRefusesWithATypedReasonAndBoundedWork(byte[] data) {
    KeyshareFile.Parsed parsed;
    long start = System.nanoTime();
    try {
      parsed = KeyshareFile.parse(FILE, data);
    } catch (KeyFileException e) {
      checkRefusal(e, PARSE_REASONS);
      return;
    } finally {
      long took = System.nanoTime() - start;
      if (took > MAX_PARSE_NANOS) {
        throw new AssertionError("parsing took " + took / 1_000_000 + " ms");
      }
    }
    KdfParameters kdf = parsed.header().kdf();
    if (kdf.memoryBytes() > KdfParameters.MAX_MEMORY_BYTES
        || kdf.workBytes() > KdfParameters.MAX_WORK_BYTES
        || kdf.estimatedTime().compareTo(KdfParameters.MAX_ESTIMATED_TIME) > 0) {
      throw new AssertionError("a parsed file asks for KDF work above the bound: " + kdf);
    }
    if (parsed.salt().length != KeyshareFile.SALT_BYTES
        || parsed.nonce().length != KeyshareFile.NONCE_BYTES
        || parsed.passphraseCheck().length != KeyshareFile.CHECK_BYTES
        || parsed.ciphertext().length != MasterKey.KEY_BYTES + 1 + KeyshareFile.TAG_BITS / 8) {
      throw new AssertionError("a parsed file has a binary field of the wrong length");
    }
    if (kdf.workBytes() > CHEAP_WORK_BYTES) {
      return;
    }
    try (Passphrase passphrase = Passphrase.of(SEED_PASSPHRASE)) {
      KeyshareFile.Opened opened = KeyshareFile.open(parsed, passphrase);
      if (opened.share().length != MasterKey.KEY_BYTES + 1
          || (opened.share()[MasterKey.KEY_BYTES] & 0xFF) != opened.header().shareIndex()) {
        throw new AssertionError("an opened share does not match its header");
      }
    } catch (KeyFileException e) {
      checkRefusal(e, OPEN_REASONS);
    }
  }

  static void checkRefusal(KeyFileException e, Set<Reason> allowed) {
    if (!allowed.contains(e.reason())) {
      throw new AssertionError("unexpected reason " + e.reason() + ": " + e.getMessage(), e);
    }
    if (!e.file().map(FILE::equals).orElse(false)
        || !String.valueOf(e.getMessage()).contains(FILE.toString())) {
      throw new AssertionError("the refusal does not name the file: " + e.getMessage(), e);
    }
    if (String.valueOf(e.getMessage()).contains(SEED_PASSPHRASE)) {
      throw new AssertionError("the message holds the passphrase", e);
    }
  }
}
