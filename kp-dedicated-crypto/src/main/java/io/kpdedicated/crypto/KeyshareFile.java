package io.kpdedicated.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kpdedicated.crypto.KeyFileException.Reason;
import io.kpdedicated.crypto.internal.KeyshareFileDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.CipherDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.HeaderDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.KdfDto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes and decodes one keyshare file (format version 1). Package-private: the public entry
 * points are {@link Keyshares}. Thread-safe.
 */
final class KeyshareFile {
  static final String FORMAT = "kp-dedicated-keyshare";
  static final int VERSION = 1;
  static final String CIPHER = "AES-256-GCM";
  static final int SALT_BYTES = 16;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int CHECK_BYTES = 16;
  /** Largest file accepted: a version 1 file is well under 4 KiB. */
  static final long MAX_FILE_BYTES = 64 * 1024;

  private static final byte[] CHECK_LABEL =
      "kp-dedicated keyshare v1 passphrase check".getBytes(StandardCharsets.US_ASCII);

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private KeyshareFile() {}

  /** A decrypted share with its authenticated header. The caller wipes {@link #share}. */
  record Opened(KeyshareHeader header, byte[] share) {}

  /** Builds the file content for one share. */
  static byte[] encode(
      KeyshareHeader header, byte[] share, Passphrase passphrase, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] derived = PassphraseKdf.derive(header.kdf(), passphrase, salt, 64);
    try {
      byte[] check = passphraseCheck(derived);
      KdfDto kdf = kdfDto(header.kdf(), b64(salt), b64(check));
      HeaderDto h =
          new HeaderDto(
              header.shareIndex(),
              header.minimum(),
              header.count(),
              header.shareSetId(),
              header.keyName(),
              header.checkValue().hex(),
              header.createdAt().toString());
      byte[] aad = aad(VERSION, h, kdf);
      byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, derived, nonce, aad, share);
      KeyshareFileDto dto =
          new KeyshareFileDto(
              FORMAT, VERSION, h, kdf, new CipherDto(CIPHER, b64(nonce), b64(ciphertext)));
      return (JSON.writeValueAsString(dto) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new CryptoException("cannot encode keyshare " + header.shareIndex() + " as JSON", e);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("encryption cannot fail authentication", e);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /** Reads and checks the structure and header of a file, without the passphrase. */
  static KeyshareHeader readHeader(Path file) {
    return parse(file, readBytes(file)).header();
  }

  /** Opens a file with its passphrase: authenticates the header and decrypts the share. */
  static Opened open(Path file, Passphrase passphrase) {
    return open(parse(file, readBytes(file)), passphrase);
  }

  /**
   * Opens parsed content with its passphrase. Every field was checked by {@link #parse(Path,
   * byte[])}, the KDF cost included, so the derivation below is within the documented bound.
   */
  static Opened open(Parsed parsed, Passphrase passphrase) {
    Path file = parsed.header().file();
    KeyshareHeader header = parsed.header();
    byte[] derived = PassphraseKdf.derive(header.kdf(), passphrase, parsed.salt(), 64);
    try {
      byte[] check = passphraseCheck(derived);
      if (!MessageDigest.isEqual(check, parsed.passphraseCheck())) {
        throw new KeyFileException(
            Reason.WRONG_PASSPHRASE,
            file,
            "the passphrase does not open keyshare file " + file
                + "; check that you use the passphrase of this very file (every keyshare has its"
                + " own)",
            null);
      }
      byte[] share;
      try {
        byte[] aad = aad(VERSION, parsed.dto().header(), parsed.dto().kdf());
        share = gcm(Cipher.DECRYPT_MODE, derived, parsed.nonce(), aad, parsed.ciphertext());
      } catch (AEADBadTagException e) {
        throw corrupt(
            file,
            "its content does not authenticate: the header or ciphertext was edited or damaged");
      }
      if (share.length != MasterKey.KEY_BYTES + 1
          || (share[share.length - 1] & 0xFF) != header.shareIndex()) {
        Arrays.fill(share, (byte) 0);
        throw corrupt(file, "the decrypted share does not match its header");
      }
      return new Opened(header, share);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /**
   * A file's content after the strict parse: the wire form (for the additional data), the header
   * and the decoded binary fields, each of its exact length.
   */
  record Parsed(
      KeyshareFileDto dto,
      KeyshareHeader header,
      byte[] salt,
      byte[] passphraseCheck,
      byte[] nonce,
      byte[] ciphertext) {}

  /**
   * Parses file content strictly, without the passphrase and without key derivation: one UTF-8
   * JSON object and nothing after it, no duplicate keys, exactly the fields of format version 1
   * with their exact JSON types (no coercion of {@code "1"}, {@code 1.0} or {@code 1e0} to an
   * integer), canonical padded base64 of the exact lengths, and KDF costs within the bound of
   * {@link KdfParameters}.
   *
   * @param file the file, named in messages
   * @param bytes its content
   * @return the parsed content
   * @throws KeyFileException {@link Reason#NOT_A_KEY_FILE}, {@link Reason#UNSUPPORTED_VERSION},
   *     {@link Reason#CORRUPT} or {@link Reason#TOO_COSTLY}
   */
  static Parsed parse(Path file, byte[] bytes) {
    if (bytes.length > MAX_FILE_BYTES) {
      throw tooLarge(file);
    }
    String text = StrictKeyshareJson.utf8(file, bytes);
    JsonNode tree = StrictKeyshareJson.readTree(file, text);
    return StrictKeyshareJson.toParsed(file, tree);
  }

  private static KdfDto kdfDto(KdfParameters kdf, String salt, String check) {
    if (kdf instanceof KdfParameters.Argon2id a) {
      return new KdfDto(
          a.name(), salt, a.memoryKiB(), a.iterations(), a.parallelism(), null, null, null, check);
    }
    KdfParameters.Scrypt s = (KdfParameters.Scrypt) kdf;
    return new KdfDto(
        s.name(), salt, null, null, null, s.cost(), s.blockSize(), s.parallelization(), check);
  }

  /**
   * The additional authenticated data: every public field, in a fixed text form (one
   * {@code name=value} line each, the key name length-prefixed), so that no edit goes unnoticed.
   */
  static byte[] aad(int version, HeaderDto h, KdfDto k) {
    StringBuilder sb = new StringBuilder(FORMAT).append('\n');
    sb.append("version=").append(version).append('\n');
    sb.append("shareIndex=").append(h.shareIndex()).append('\n');
    sb.append("minimum=").append(h.minimum()).append('\n');
    sb.append("count=").append(h.count()).append('\n');
    sb.append("shareSetId=").append(h.shareSetId()).append('\n');
    sb.append("keyName=").append(h.keyName().length()).append(':').append(h.keyName()).append('\n');
    sb.append("keyCheckValue=").append(h.keyCheckValue()).append('\n');
    sb.append("createdAt=").append(h.createdAt()).append('\n');
    sb.append("kdf=").append(k.name())
        .append(";memoryKiB=").append(k.memoryKiB())
        .append(";iterations=").append(k.iterations())
        .append(";parallelism=").append(k.parallelism())
        .append(";n=").append(k.n())
        .append(";r=").append(k.r())
        .append(";p=").append(k.p())
        .append(";salt=").append(k.salt())
        .append(";passphraseCheck=").append(k.passphraseCheck()).append('\n');
    sb.append("cipher=").append(CIPHER).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] passphraseCheck(byte[] derived) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(derived, 32, 32, "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal(CHECK_LABEL), CHECK_BYTES);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("HMAC-SHA256 is not available in this Java runtime", e);
    }
  }

  private static byte[] gcm(int mode, byte[] derived, byte[] nonce, byte[] aad, byte[] input)
      throws AEADBadTagException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          mode, new SecretKeySpec(derived, 0, 32, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (ProviderException e) {
      // a provider reports some malformed input (such as a ciphertext shorter than its tag) this
      // way; the parse checks lengths first, so this is a last line of defence
      throw new AEADBadTagException("the ciphertext is malformed");
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-256-GCM is not available in this Java runtime", e);
    }
  }

  /**
   * Reads at most {@link #MAX_FILE_BYTES} + 1 bytes of a regular file: a file that grows while it
   * is read, a device or a pipe cannot make the reader use more memory or wait forever.
   */
  static byte[] readBytes(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        if (!Files.exists(file)) {
          throw new NoSuchFileException(file.toString());
        }
        throw new KeyFileException(
            Reason.NOT_READABLE,
            file,
            "keyshare file " + file + " is not a regular file (a folder, device or pipe); give"
                + " the path of the keyshare file itself",
            null);
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        if (bytes.length > MAX_FILE_BYTES) {
          throw tooLarge(file);
        }
        return bytes;
      }
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          Reason.NOT_READABLE, file, "keyshare file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new KeyFileException(
          Reason.NOT_READABLE,
          file,
          "cannot read keyshare file " + file + " (" + e.getClass().getSimpleName()
              + "); check that it is a readable file",
          e);
    }
  }

  private static KeyFileException tooLarge(Path file) {
    return new KeyFileException(
        Reason.NOT_A_KEY_FILE,
        file,
        "file " + file + " is larger than " + (MAX_FILE_BYTES / 1024) + " KiB, so it is not a"
            + " kp-dedicated keyshare file (one is under 2 KiB); it was not read",
        null);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String newSetId(SecureRandom random) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return io.kpdedicated.crypto.internal.Hex.lower(id);
  }

  static Instant now(java.time.Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  static KeyFileException corrupt(Path file, String what) {
    return new KeyFileException(
        Reason.CORRUPT,
        file,
        "keyshare file " + file + " is damaged: " + what
            + "; use an intact copy of this share or another share of the set",
        null);
  }

  static KeyFileException notAKeyFile(Path file) {
    return new KeyFileException(
        Reason.NOT_A_KEY_FILE,
        file,
        "file " + file + " is not a kp-dedicated keyshare file (expected JSON with format \""
            + FORMAT + "\")",
        null);
  }
}
