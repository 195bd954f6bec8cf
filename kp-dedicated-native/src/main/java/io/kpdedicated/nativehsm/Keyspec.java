package io.kpdedicated.nativehsm;

import io.kpdedicated.nativehsm.internal.NativeStrings;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The keyspec argument of {@code GenerateMBKC} and {@code ImportMBKC}: the share files as
 * {@code path#passphrase}, joined by {@code ,}. The format has no escaping, so a path or passphrase
 * that contains {@code ,} or {@code #} (or a NUL, or text that is not valid Unicode) cannot be
 * carried; such input is refused before any call, naming the file and never the passphrase.
 *
 * <p>Static methods only; thread-safe.
 */
public final class Keyspec {
  /** The most share files the library's {@code uint8_t n} can count. */
  public static final int MAX_SHARES = 255;

  private Keyspec() {}

  /**
   * Checks that every share file can be written into a keyspec, without building it.
   *
   * @param shares the share files, at least one, at most {@value #MAX_SHARES}
   * @throws IllegalArgumentException naming the first file whose path or passphrase cannot be
   *     carried, or if the list is empty, too long or names a file twice
   */
  public static void check(List<ShareFile> shares) {
    Arrays.fill(encode(shares), (byte) 0);
  }

  /**
   * Builds the keyspec as a NUL-terminated UTF-8 buffer; the caller wipes it after the call.
   *
   * @param shares the share files, at least one, at most {@value #MAX_SHARES}
   * @return {@code abs-path#passphrase[,abs-path#passphrase...]} and a final 0 byte
   * @throws IllegalArgumentException as {@link #check(List)}
   */
  public static byte[] encode(List<ShareFile> shares) {
    Objects.requireNonNull(shares, "shares");
    if (shares.isEmpty() || shares.size() > MAX_SHARES) {
      throw new IllegalArgumentException("a keyspec needs 1 to " + MAX_SHARES
          + " share files, got " + shares.size());
    }
    List<Path> seen = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (ShareFile share : shares) {
        Objects.requireNonNull(share, "share");
        Path file = share.file().toAbsolutePath().normalize();
        if (seen.contains(file)) {
          throw new IllegalArgumentException("share file " + file + " is listed twice");
        }
        seen.add(file);
        String path = file.toString();
        if (path.indexOf(',') >= 0 || path.indexOf('#') >= 0) {
          throw new IllegalArgumentException("share file path " + path + " contains ',' or '#', "
              + "which IBM's keyspec format cannot carry: use a path without them");
        }
        byte[] pathBytes = NativeStrings.cString(path.toCharArray(), "share file path " + path);
        char[] pass = share.passphrase().copyChars();
        byte[] passBytes = null;
        try {
          for (char c : pass) {
            if (c == ',' || c == '#') {
              throw new IllegalArgumentException("the passphrase of share file " + path
                  + " contains ',' or '#', which IBM's keyspec format cannot carry: choose a "
                  + "passphrase without them");
            }
          }
          passBytes = NativeStrings.cString(pass, "the passphrase of share file " + path);
          if (out.size() > 0) {
            out.write(',');
          }
          out.write(pathBytes, 0, pathBytes.length - 1);
          out.write('#');
          out.write(passBytes, 0, passBytes.length - 1);
        } finally {
          Arrays.fill(pass, '\0');
          if (passBytes != null) {
            Arrays.fill(passBytes, (byte) 0);
          }
        }
      }
      out.write(0);
      return out.toByteArray();
    } finally {
      // ByteArrayOutputStream keeps its own buffer: overwrite it before it is dropped.
      int size = out.size();
      out.reset();
      out.write(new byte[size], 0, size);
    }
  }
}
