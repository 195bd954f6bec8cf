package io.kpdedicated.nativehsm.internal;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Conversions between Java text and the C strings of IBM's HSM library: strict UTF-8 both ways,
 * NUL-terminated buffers for secrets (wiped by the caller), bounded reads of result strings and
 * removal of secrets from the library's messages. Internal: not part of the API.
 */
public final class NativeStrings {
  private NativeStrings() {}

  /**
   * Thrown when a text cannot be carried as a C string: it holds a NUL or an unpaired surrogate.
   */
  public static final class NotRepresentableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotRepresentableException(String message) {
      super(message);
    }
  }

  /**
   * Encodes characters as a NUL-terminated UTF-8 buffer. The caller wipes the result after use.
   *
   * @param chars the characters; not kept
   * @param what names the value in an error message (never the value itself)
   * @return the buffer, last byte 0
   * @throws NotRepresentableException if the characters hold a NUL or cannot be encoded as UTF-8
   */
  public static byte[] cString(char[] chars, String what) {
    for (char c : chars) {
      if (c == '\0') {
        throw new NotRepresentableException(what + " contains a NUL character, which a C string "
            + "cannot carry");
      }
    }
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer encoded;
    try {
      encoded = encoder.encode(CharBuffer.wrap(chars));
    } catch (CharacterCodingException e) {
      throw new NotRepresentableException(what + " is not valid Unicode text (an unpaired "
          + "surrogate) and cannot be encoded as UTF-8");
    }
    byte[] out = new byte[encoded.remaining() + 1];
    encoded.get(out, 0, out.length - 1);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }

  /**
   * Checks that a text can be passed as a C string ({@code String} parameters).
   *
   * @param text the text
   * @param what names the value in an error message
   * @return the text
   * @throws NotRepresentableException if it holds a NUL or an unpaired surrogate
   */
  public static String checked(String text, String what) {
    char[] chars = text.toCharArray();
    Arrays.fill(cString(chars, what), (byte) 0);
    return text;
  }

  /**
   * Returns {@code null} for a null or empty text (the library wants C {@code NULL} for an empty
   * optional string), else the checked text.
   *
   * @param text the text, or null
   * @param what names the value in an error message
   * @return null or the text
   */
  public static String optional(String text, String what) {
    return text == null || text.isEmpty() ? null : checked(text, what);
  }

  /** The result of {@link #read(Pointer, int)}. */
  public enum ReadProblem {
    /** No NUL within the limit. */
    TOO_LONG,
    /** The bytes are not UTF-8. */
    NOT_UTF8
  }

  /** A result string that could not be read. */
  public static final class ReadException extends Exception {
    private static final long serialVersionUID = 1L;
    /** What is wrong with the string. */
    private final ReadProblem problem;

    ReadException(ReadProblem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    /**
     * Returns what is wrong.
     *
     * @return the problem
     */
    public ReadProblem problem() {
      return problem;
    }
  }

  /**
   * Reads a NUL-terminated UTF-8 result string of the library, looking at no more than
   * {@code maxBytes} bytes (the memory after the NUL is never touched).
   *
   * @param p the string, or null
   * @param maxBytes the most bytes before the NUL
   * @return the text, or null for a null pointer
   * @throws ReadException if there is no NUL within the limit or the bytes are not UTF-8
   */
  public static String read(Pointer p, int maxBytes) throws ReadException {
    if (p == null) {
      return null;
    }
    byte[] buf = new byte[256];
    int n = 0;
    while (true) {
      byte b = p.getByte(n);
      if (b == 0) {
        break;
      }
      if (n == maxBytes) {
        throw new ReadException(ReadProblem.TOO_LONG, "the answer is longer than " + maxBytes
            + " bytes");
      }
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxBytes + 1));
      }
      buf[n++] = b;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(buf, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw new ReadException(ReadProblem.NOT_UTF8, "the answer is not UTF-8 text");
    }
  }

  /**
   * Removes secrets from a message of the library: every occurrence of each secret (and of any
   * {@code Bearer} token) becomes {@code ***}; control characters become {@code ?}; the result is
   * cut to {@code maxChars}.
   *
   * @param message the library's message, or null
   * @param secrets the secrets of the call (not modified)
   * @param maxChars the most characters kept
   * @return the cleaned message, or null
   */
  public static String redact(String message, List<char[]> secrets, int maxChars) {
    if (message == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(message);
    for (char[] secret : secrets) {
      if (secret == null || secret.length == 0) {
        continue;
      }
      int i = 0;
      while ((i = indexOf(sb, secret, i)) >= 0) {
        sb.replace(i, i + secret.length, "***");
        i += 3;
      }
    }
    String cleaned = sb.toString().replaceAll("Bearer\\s+\\S+", "Bearer ***");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cleaned.length() && out.length() < maxChars; i++) {
      char c = cleaned.charAt(i);
      out.append(Character.isISOControl(c) ? (c == '\n' ? ' ' : '?') : c);
    }
    return out.toString().strip();
  }

  private static int indexOf(StringBuilder sb, char[] needle, int from) {
    outer:
    for (int i = from; i <= sb.length() - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (sb.charAt(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
