package io.kpdedicated.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Derives key material from a passphrase with Argon2id or scrypt (BouncyCastle). Thread-safe. */
final class PassphraseKdf {
  private PassphraseKdf() {}

  /**
   * Derives {@code length} bytes. The passphrase is encoded as UTF-8; every intermediate copy is
   * wiped.
   */
  static byte[] derive(KdfParameters kdf, Passphrase passphrase, byte[] salt, int length) {
    char[] chars = passphrase.copyChars();
    byte[] password = null;
    try {
      password = utf8(chars);
      if (kdf instanceof KdfParameters.Argon2id a) {
        Argon2Parameters params =
            new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(a.memoryKiB())
                .withIterations(a.iterations())
                .withParallelism(a.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        params.clear();
        return out;
      }
      KdfParameters.Scrypt s = (KdfParameters.Scrypt) kdf;
      return SCrypt.generate(
          password, salt, s.cost(), s.blockSize(), s.parallelization(), length);
    } finally {
      Arrays.fill(chars, '\0');
      if (password != null) {
        Arrays.fill(password, (byte) 0);
      }
    }
  }

  static byte[] utf8(char[] chars) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }
}
