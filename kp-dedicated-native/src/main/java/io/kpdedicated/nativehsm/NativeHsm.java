package io.kpdedicated.nativehsm;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.nativehsm.internal.NativeStrings;
import io.kpdedicated.nativehsm.internal.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The Java face of IBM's HSM library: opens admin sessions on crypto units
 * ({@link #openSession(SessionParameters, String)}) and writes admin key files
 * ({@link #generateAdminKey(String, Path, String, Passphrase)}).
 *
 * <p>Every call goes through one place that frees each {@code char**} result with
 * {@code FreeStringC} (also when the call failed), reads results within {@value #MAX_ANSWER_BYTES}
 * bytes as strict UTF-8, maps the status once through {@link StatusCode} into a
 * {@link NativeHsmException}, and removes the call's secrets from the library's messages. Secret
 * arguments travel as byte buffers that are wiped right after the call.
 *
 * <p>IBM documents no thread safety for the library, so by default every call into it is
 * serialized (one at a time per {@code NativeHsm}); pass {@code serializeCalls = false} to allow
 * parallel calls on different sessions. Instances are thread-safe.
 */
public final class NativeHsm {
  /** The service's port. */
  public static final int PORT = 443;
  /** The admin user name of a session. */
  public static final String ADMIN_USER = "ADMIN";
  /** The slot {@code ImportMBKC} loads the master key into. */
  public static final int MASTER_KEY_SLOT = 3;
  /** The master key type. */
  public static final String MASTER_KEY_TYPE = "AES";
  /** The master key length in bytes. */
  public static final int MASTER_KEY_BYTES = 32;
  /** The admin key size in bits. */
  public static final int ADMIN_KEY_BITS = 2048;
  /** The most bytes of a result string read. */
  public static final int MAX_ANSWER_BYTES = 256 * 1024;
  /** The most characters of the library's message kept in an exception. */
  static final int MAX_MESSAGE = 500;

  private final IbmKmsCryptoLibrary library;
  private final ReentrantLock lock;

  /**
   * Wraps a loaded library.
   *
   * @param library the library (see {@link NativeLibraryLocator#load()})
   * @param serializeCalls whether to make one call into the library at a time (recommended)
   */
  public NativeHsm(IbmKmsCryptoLibrary library, boolean serializeCalls) {
    this.library = Objects.requireNonNull(library, "library");
    this.lock = serializeCalls ? new ReentrantLock() : null;
  }

  /**
   * Loads IBM's library through {@link NativeLibraryLocator#system()} and serializes calls.
   *
   * @return the facade
   * @throws NativeLibraryException if the library cannot be found or loaded
   */
  public static NativeHsm load() {
    return new NativeHsm(NativeLibraryLocator.system().load(), true);
  }

  /** {@return whether calls into the library are made one at a time} */
  public boolean serializesCalls() {
    return lock != null;
  }

  /**
   * Opens an admin session on one crypto unit ({@code CreateSessionC}). Unlike IBM's client, the
   * admin key file's passphrase is passed.
   *
   * @param parameters endpoint, unit, admin key file and passphrase
   * @param accessToken the IAM access token, without {@code Bearer } (the library receives
   *     {@code Bearer <token>})
   * @return the open session; close it when done
   * @throws NativeHsmException if the library opens no session (retryable: the library gives no
   *     reason, a connection problem is the common one)
   * @throws IllegalArgumentException if a value cannot be carried as a C string
   */
  public NativeSession openSession(SessionParameters parameters, String accessToken) {
    return openSession(parameters, accessToken, null);
  }

  /**
   * Opens an admin session on one crypto unit ({@code CreateSessionC}) whose IAM token is kept
   * fresh: before each of the session's library calls, the refresher is asked for the current
   * token and, when it changed, the session hands it to the library with {@code SetTokenGetterC}
   * first (IBM's client sets the token once and never again).
   *
   * @param parameters endpoint, unit, admin key file and passphrase
   * @param tokens where the session's tokens come from; may be shared by many sessions
   * @return the open session; close it when done
   * @throws NativeHsmException if the library opens no session (retryable)
   * @throws IllegalArgumentException if a value cannot be carried as a C string
   */
  public NativeSession openSession(SessionParameters parameters, SessionTokenRefresher tokens) {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(tokens, "tokens");
    return openSession(parameters, tokens.accessToken(), tokens);
  }

  private NativeSession openSession(SessionParameters parameters, String accessToken,
      SessionTokenRefresher tokens) {
    Objects.requireNonNull(parameters, "parameters");
    requireToken(accessToken);
    String keyFile = NativeStrings.checked(parameters.adminKeyFile().toAbsolutePath().toString(),
        "admin key file path");
    NativeStrings.checked(parameters.endpoint(), "endpoint");
    NativeStrings.checked(parameters.instanceId(), "instanceId");
    NativeStrings.checked(parameters.unitId(), "unitId");
    NativeStrings.checked(parameters.username(), "username");
    char[] pass = parameters.adminPassphrase() == null ? null
        : parameters.adminPassphrase().copyChars();
    char[] bearer = ("Bearer " + accessToken).toCharArray();
    byte[] passBytes = null;
    byte[] tokenBytes = null;
    try {
      passBytes = pass == null ? null : NativeStrings.cString(pass, "admin key passphrase");
      tokenBytes = NativeStrings.cString(bearer, "IAM token");
      byte[] p = passBytes;
      byte[] t = tokenBytes;
      long handle = guarded(() -> library.CreateSessionC(parameters.endpoint(), parameters.port(),
          parameters.instanceId(), parameters.unitId(), parameters.username(), keyFile, p, t));
      if (handle == 0) {
        throw new NativeHsmException(NativeCall.CREATE_SESSION, parameters.unitId(),
            "IBM's library opened no session on unit " + parameters.unitId() + " at "
                + parameters.endpoint() + ":" + parameters.port() + " (CreateSessionC returned 0)",
            "check network access to the endpoint, that " + keyFile + " is the admin key the unit "
                + "was claimed with and that its passphrase is right, and the IAM token",
            true);
      }
      return new NativeSession(this, handle, parameters.unitId(), tokens, accessToken);
    } finally {
      wipe(pass);
      wipe(bearer);
      wipe(passBytes);
      wipe(tokenBytes);
    }
  }

  /**
   * Writes a new admin key file with {@code GenerateRSAKeyC} (RSA-{@value #ADMIN_KEY_BITS}), makes
   * it owner-only (0600) and reads its public key back.
   *
   * @param instanceId the instance GUID
   * @param keyFile the file to create; it must not exist, its folder must
   * @param owner the owner name recorded in the file
   * @param passphrase the passphrase that encrypts the file, or null for none
   * @return the new key file with its public key
   * @throws KeyFileException {@code ALREADY_EXISTS} if the file exists (it is never overwritten),
   *     or as {@link AdminKeyFile#read(Path)}
   * @throws NativeHsmException if the library refuses
   */
  public AdminKeyFile generateAdminKey(String instanceId, Path keyFile, String owner,
      Passphrase passphrase) {
    return generateAdminKey(instanceId, keyFile, owner, passphrase, ADMIN_KEY_BITS);
  }

  /**
   * Like {@link #generateAdminKey(String, Path, String, Passphrase)} with another RSA key size.
   *
   * @param instanceId the instance GUID, or empty when not known yet (passed as C {@code NULL})
   * @param keyFile the file to create; it must not exist, its folder must
   * @param owner the owner name recorded in the file
   * @param passphrase the passphrase that encrypts the file, or null for none
   * @param bits 2048, 3072 or 4096
   * @return the new key file with its public key
   * @throws IllegalArgumentException if {@code bits} is not one of those
   * @throws KeyFileException as {@link #generateAdminKey(String, Path, String, Passphrase)}
   * @throws NativeHsmException if the library refuses
   */
  public AdminKeyFile generateAdminKey(String instanceId, Path keyFile, String owner,
      Passphrase passphrase, int bits) {
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      throw new IllegalArgumentException("bits must be 2048, 3072 or 4096, got " + bits);
    }
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(owner, "owner");
    Path file = keyFile.toAbsolutePath().normalize();
    if (Files.exists(file)) {
      throw new KeyFileException(KeyFileException.Reason.ALREADY_EXISTS, file,
          "admin key file " + file + " exists; it is never overwritten: choose another name or "
              + "load the existing one with its passphrase", null);
    }
    String path = NativeStrings.checked(file.toString(), "admin key file path");
    char[] pass = passphrase == null ? null : passphrase.copyChars();
    byte[] passBytes = null;
    try {
      passBytes = pass == null ? null : NativeStrings.cString(pass, "admin key passphrase");
      byte[] p = passBytes;
      callWithResult(NativeCall.GENERATE_RSA_KEY, null, secrets(pass),
          out -> library.GenerateRSAKeyC(NativeStrings.optional(instanceId, "instanceId"), path,
              bits, NativeStrings.optional(owner, "owner"), p, out));
    } finally {
      if (Files.exists(file)) {
        OwnerOnly.restrict(file);
      }
      wipe(pass);
      wipe(passBytes);
    }
    if (!Files.isRegularFile(file)) {
      throw new UnexpectedAnswerException(NativeCall.GENERATE_RSA_KEY, null,
          "the library reported success but wrote no file " + file, null);
    }
    return AdminKeyFile.read(file);
  }

  // ---- the one place that calls into the library ----

  /** A library call that writes a result string. */
  @FunctionalInterface
  interface ResultCall {
    int invoke(PointerByReference out);
  }

  /** A library call that returns a handle. */
  @FunctionalInterface
  interface HandleCall {
    long invoke();
  }

  long guarded(HandleCall call) {
    lock();
    try {
      return call.invoke();
    } finally {
      unlock();
    }
  }

  /**
   * Makes a call that returns only a status.
   *
   * @return nothing; throws for a status other than 0
   */
  void callStatus(NativeCall call, String unitId, IntSupplier invocation) {
    int rc;
    lock();
    try {
      rc = invocation.getAsInt();
    } finally {
      unlock();
    }
    StatusCode status = StatusCode.of(rc);
    if (!status.isSuccess()) {
      throw new NativeHsmException(call, unitId, status, null);
    }
  }

  /**
   * Makes a call that writes a result string, frees the string, and maps the status.
   *
   * @return the result text (null when the library set none)
   */
  String callWithResult(NativeCall call, String unitId, List<char[]> secrets,
      ResultCall invocation) {
    PointerByReference out = new PointerByReference();
    int rc;
    String text = null;
    NativeStrings.ReadException unreadable = null;
    lock();
    try {
      rc = invocation.invoke(out);
      // Ownership: the pointer is the library's memory. It is read here and released with
      // FreeStringC below, on success and on failure alike; free() is never used on it.
      Pointer result = out.getValue();
      if (result != null) {
        try {
          text = NativeStrings.read(result, MAX_ANSWER_BYTES);
        } catch (NativeStrings.ReadException e) {
          unreadable = e;
        } finally {
          library.FreeStringC(result);
        }
      }
    } finally {
      unlock();
    }
    StatusCode status = StatusCode.of(rc);
    if (!status.isSuccess()) {
      throw new NativeHsmException(call, unitId, status,
          NativeStrings.redact(text, secrets, MAX_MESSAGE));
    }
    if (unreadable != null) {
      throw new UnexpectedAnswerException(call, unitId, unreadable.getMessage(), null);
    }
    return text;
  }

  IbmKmsCryptoLibrary library() {
    return library;
  }

  private void lock() {
    if (lock != null) {
      lock.lock();
    }
  }

  private void unlock() {
    if (lock != null) {
      lock.unlock();
    }
  }

  static List<char[]> secrets(char[]... values) {
    List<char[]> out = new ArrayList<>();
    for (char[] v : values) {
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  static void requireToken(String accessToken) {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank() || accessToken.startsWith("Bearer ")
        || accessToken.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("accessToken must be the bare IAM access token (no "
          + "'Bearer ' prefix, no whitespace)");
    }
  }

  static void wipe(char[] chars) {
    if (chars != null) {
      Arrays.fill(chars, '\0');
    }
  }

  static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
