package io.kpdedicated.crypto;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * The public header of one keyshare file, as {@link Keyshares#readHeader(Path)} reads it without
 * the passphrase. Nothing here is secret.
 *
 * <p>Read without the passphrase, the header is <b>not authenticated</b>: anyone could have edited
 * it. Opening the file with its passphrase ({@link Keyshares#verify}, {@link Keyshares#rebuild})
 * authenticates the same fields (they are the AES-GCM additional data).
 *
 * @param file the file the header was read from
 * @param formatVersion the file format version (1)
 * @param shareIndex this share's index, 1 to N (the Shamir x coordinate)
 * @param minimum K, the shares needed to rebuild the key
 * @param count N, the shares written
 * @param shareSetId random id shared by all files of the set (32 lower-case hex digits)
 * @param keyName the master key's name
 * @param checkValue the master key's check value
 * @param createdAt when the set was written
 * @param kdf the passphrase KDF and its parameters
 */
public record KeyshareHeader(
    Path file,
    int formatVersion,
    int shareIndex,
    int minimum,
    int count,
    String shareSetId,
    String keyName,
    KeyCheckValue checkValue,
    Instant createdAt,
    KdfParameters kdf) {

  /**
   * Validates that every part is present and the numbers are consistent.
   *
   * @param file the file the header was read from
   * @param formatVersion the file format version (1)
   * @param shareIndex this share's index, 1 to N (the Shamir x coordinate)
   * @param minimum K, the shares needed to rebuild the key
   * @param count N, the shares written
   * @param shareSetId random id shared by all files of the set (32 lower-case hex digits)
   * @param keyName the master key's name
   * @param checkValue the master key's check value
   * @param createdAt when the set was written
   * @param kdf the passphrase KDF and its parameters
   */
  public KeyshareHeader {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(shareSetId, "shareSetId");
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(checkValue, "checkValue");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(kdf, "kdf");
    if (minimum < 2 || minimum > count || count > 255) {
      throw new IllegalArgumentException("need 2 <= K <= N <= 255, got K=" + minimum + ", N=" + count);
    }
    if (shareIndex < 1 || shareIndex > count) {
      throw new IllegalArgumentException("share index must be 1 to " + count + ", not " + shareIndex);
    }
  }

  /** {@return the facts that every file of the set shares} */
  public KeyshareSetInfo setInfo() {
    return new KeyshareSetInfo(shareSetId, keyName, checkValue, minimum, count);
  }

  /** {@return a one-line description for people (no secrets: there are none here)} */
  public String describe() {
    return "keyshare " + shareIndex + " of " + count + " (" + minimum + " needed), key " + keyName
        + ", check value " + checkValue + ", set " + shareSetId + ", created " + createdAt + ", kdf "
        + kdf;
  }
}
