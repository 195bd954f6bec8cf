package io.kpdedicated.crypto.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON envelope of a keyshare file, version 1. Wire format only; see the module README for the
 * meaning of every field.
 *
 * @param format always {@code kp-dedicated-keyshare}
 * @param version the format version
 * @param header the public header (authenticated as AES-GCM additional data)
 * @param kdf the passphrase KDF, its parameters, salt and passphrase check
 * @param cipher the AEAD, nonce and ciphertext
 */
@JsonPropertyOrder({"format", "version", "header", "kdf", "cipher"})
public record KeyshareFileDto(
    String format, Integer version, HeaderDto header, KdfDto kdf, CipherDto cipher) {

  /**
   * Public header.
   *
   * @param shareIndex the share's x coordinate, 1..N
   * @param minimum K
   * @param count N
   * @param shareSetId random set id, 32 lower-case hex digits
   * @param keyName master key name
   * @param keyCheckValue master key check value (upper-case hex)
   * @param createdAt ISO-8601 instant (UTC)
   */
  @JsonPropertyOrder({
    "shareIndex", "minimum", "count", "shareSetId", "keyName", "keyCheckValue", "createdAt"
  })
  public record HeaderDto(
      Integer shareIndex,
      Integer minimum,
      Integer count,
      String shareSetId,
      String keyName,
      String keyCheckValue,
      String createdAt) {}

  /**
   * KDF section; Argon2id uses memoryKiB/iterations/parallelism, scrypt uses n/r/p.
   *
   * @param name {@code argon2id} or {@code scrypt}
   * @param salt base64 salt
   * @param memoryKiB argon2id memory
   * @param iterations argon2id passes
   * @param parallelism argon2id lanes
   * @param n scrypt cost
   * @param r scrypt block size
   * @param p scrypt parallelization
   * @param passphraseCheck base64, 16 bytes that tell a wrong passphrase from a damaged file
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "name", "salt", "memoryKiB", "iterations", "parallelism", "n", "r", "p", "passphraseCheck"
  })
  public record KdfDto(
      String name,
      String salt,
      Integer memoryKiB,
      Integer iterations,
      Integer parallelism,
      Integer n,
      Integer r,
      Integer p,
      String passphraseCheck) {}

  /**
   * Cipher section.
   *
   * @param name always {@code AES-256-GCM}
   * @param nonce base64, 12 bytes
   * @param ciphertext base64, the encrypted share followed by the 16-byte tag
   */
  @JsonPropertyOrder({"name", "nonce", "ciphertext"})
  public record CipherDto(String name, String nonce, String ciphertext) {}
}
