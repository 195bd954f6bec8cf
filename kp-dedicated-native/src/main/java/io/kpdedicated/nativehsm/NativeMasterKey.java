package io.kpdedicated.nativehsm;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One row of the {@code ListMBKKeysC} table. The key check value is IBM's own text (two groups of
 * 16 hex digits joined by {@code :}); compare it only with check values of the same library, never
 * convert it.
 *
 * @param slot the slot number
 * @param name the key name, padding removed
 * @param length the key length in bytes
 * @param algorithm the algorithm, e.g. {@code AES}
 * @param type the key type column as reported
 * @param threshold the share threshold K
 * @param date the date column as reported
 * @param time the time column as reported
 * @param checkValue the key check value as reported, e.g. {@code fdca29d11b2fff3b:caaf20ff34786279}
 */
public record NativeMasterKey(int slot, String name, int length, String algorithm, String type,
    int threshold, String date, String time, String checkValue) {
  /** The shape of a key check value of IBM's library. */
  public static final Pattern CHECK_VALUE = Pattern.compile("[0-9a-fA-F]{16}:[0-9a-fA-F]{16}");

  /**
   * Validates the fields.
   *
   * @param slot the slot number
   * @param name the key name, padding removed
   * @param length the key length in bytes
   * @param algorithm the algorithm, e.g. {@code AES}
   * @param type the key type column as reported
   * @param threshold the share threshold K
   * @param date the date column as reported
   * @param time the time column as reported
   * @param checkValue the key check value as reported, e.g.
   *     {@code fdca29d11b2fff3b:caaf20ff34786279}
   */
  public NativeMasterKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(checkValue, "checkValue");
    if (!CHECK_VALUE.matcher(checkValue).matches()) {
      throw new IllegalArgumentException("checkValue must be 16hex:16hex");
    }
  }
}
