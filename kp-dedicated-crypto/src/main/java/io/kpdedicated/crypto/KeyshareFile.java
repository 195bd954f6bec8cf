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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
    return parse(file).header();
  }

  /** Opens a file with its passphrase: authenticates the header and decrypts the share. */
  static Opened open(Path file, Passphrase passphrase) {
    Parsed parsed = parse(file);
    KeyshareFileDto dto = parsed.dto();
    KeyshareHeader header = parsed.header();
    byte[] salt = decodeB64(file, dto.kdf().salt(), "kdf.salt");
    byte[] storedCheck = decodeB64(file, dto.kdf().passphraseCheck(), "kdf.passphraseCheck");
    byte[] nonce = decodeB64(file, dto.cipher().nonce(), "cipher.nonce");
    byte[] ciphertext = decodeB64(file, dto.cipher().ciphertext(), "cipher.ciphertext");
    if (salt.length < 8 || storedCheck.length != CHECK_BYTES || nonce.length != NONCE_BYTES) {
      throw corrupt(file, "a kdf or cipher field has the wrong length");
    }
    byte[] derived = PassphraseKdf.derive(header.kdf(), passphrase, salt, 64);
    try {
      byte[] check = passphraseCheck(derived);
      if (!MessageDigest.isEqual(check, storedCheck)) {
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
        byte[] aad = aad(VERSION, dto.header(), dto.kdf());
        share = gcm(Cipher.DECRYPT_MODE, derived, nonce, aad, ciphertext);
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

  private record Parsed(KeyshareFileDto dto, KeyshareHeader header) {}

  private static Parsed parse(Path file) {
    byte[] bytes = readBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      if (text.contains("\"" + FORMAT + "\"")) {
        throw corrupt(file, "it is not complete JSON (truncated or edited)");
      }
      throw notAKeyFile(file);
    }
    if (tree == null || !tree.isObject() || !FORMAT.equals(tree.path("format").asText(null))) {
      throw notAKeyFile(file);
    }
    JsonNode version = tree.get("version");
    if (version == null || !version.isInt()) {
      throw corrupt(file, "its version field is missing or not a number");
    }
    if (version.intValue() != VERSION) {
      throw new KeyFileException(
          Reason.UNSUPPORTED_VERSION,
          file,
          "keyshare file " + file + " has format version " + version.intValue()
              + ", this SDK reads version " + VERSION + "; use a matching SDK version",
          null);
    }
    KeyshareFileDto dto;
    try {
      dto = JSON.treeToValue(tree, KeyshareFileDto.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw corrupt(file, "a field is missing, unknown or of the wrong type");
    }
    return new Parsed(dto, toHeader(file, dto));
  }

  private static KeyshareHeader toHeader(Path file, KeyshareFileDto dto) {
    HeaderDto h = dto.header();
    KdfDto k = dto.kdf();
    CipherDto c = dto.cipher();
    if (h == null || k == null || c == null) {
      throw corrupt(file, "the header, kdf or cipher section is missing");
    }
    if (!CIPHER.equals(c.name())) {
      throw corrupt(file, "its cipher is not " + CIPHER);
    }
    if (h.shareIndex() == null || h.minimum() == null || h.count() == null
        || h.shareSetId() == null || h.keyName() == null || h.keyCheckValue() == null
        || h.createdAt() == null || c.nonce() == null || c.ciphertext() == null
        || k.salt() == null || k.passphraseCheck() == null) {
      throw corrupt(file, "a header, kdf or cipher field is missing");
    }
    if (!h.shareSetId().matches("[0-9a-f]{32}")) {
      throw corrupt(file, "its share set id is not 32 lower-case hex digits");
    }
    try {
      MasterKey.checkName(h.keyName());
      return new KeyshareHeader(
          file,
          VERSION,
          h.shareIndex(),
          h.minimum(),
          h.count(),
          h.shareSetId(),
          h.keyName(),
          new KeyCheckValue(h.keyCheckValue()),
          Instant.parse(h.createdAt()),
          toKdf(k));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw corrupt(file, "a header or kdf field is out of range (" + e.getMessage() + ")");
    }
  }

  private static KdfParameters toKdf(KdfDto k) {
    if ("argon2id".equals(k.name())) {
      if (k.memoryKiB() == null || k.iterations() == null || k.parallelism() == null
          || k.n() != null || k.r() != null || k.p() != null) {
        throw new IllegalArgumentException("argon2id needs memoryKiB, iterations and parallelism");
      }
      return KdfParameters.argon2id(k.memoryKiB(), k.iterations(), k.parallelism());
    }
    if ("scrypt".equals(k.name())) {
      if (k.n() == null || k.r() == null || k.p() == null
          || k.memoryKiB() != null || k.iterations() != null || k.parallelism() != null) {
        throw new IllegalArgumentException("scrypt needs n, r and p");
      }
      return KdfParameters.scrypt(k.n(), k.r(), k.p());
    }
    throw new IllegalArgumentException("unknown kdf");
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
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-256-GCM is not available in this Java runtime", e);
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw notAKeyFile(file);
      }
      return Files.readAllBytes(file);
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

  private static byte[] decodeB64(Path file, String text, String field) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "its field " + field + " is not base64");
    }
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

  private static KeyFileException notAKeyFile(Path file) {
    return new KeyFileException(
        Reason.NOT_A_KEY_FILE,
        file,
        "file " + file + " is not a kp-dedicated keyshare file (expected JSON with format \""
            + FORMAT + "\")",
        null);
  }
}
