package io.kpdedicated.nativehsm;

import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.nativehsm.internal.NativeStrings;
import io.kpdedicated.nativehsm.internal.OwnerOnly;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * An admin session on one crypto unit, opened by {@link NativeHsm#openSession(SessionParameters,
 * String)}: a {@code uintptr_t} handle of IBM's library. Each method is one library call (see
 * {@link NativeHsm} for how results, statuses and secrets are handled). Use from one thread at a
 * time; close it when done.
 */
public final class NativeSession implements AutoCloseable {
  /** The longest master key name. */
  public static final int MAX_KEY_NAME = 8;

  private static final Logger LOG = System.getLogger(NativeSession.class.getName());
  private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,8}");

  private final NativeHsm hsm;
  private final long handle;
  private final String unitId;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SessionTokenRefresher tokens;
  private String tokenOnSession;

  NativeSession(NativeHsm hsm, long handle, String unitId, SessionTokenRefresher tokens,
      String tokenOnSession) {
    this.hsm = hsm;
    this.handle = handle;
    this.unitId = unitId;
    this.tokens = tokens;
    this.tokenOnSession = tokenOnSession;
  }

  /** {@return the unit this session was opened on} */
  public String unitId() {
    return unitId;
  }

  /**
   * Replaces the session's IAM token ({@code SetTokenGetterC}); call it before the token expires,
   * or open the session with a {@link SessionTokenRefresher}, which does it on use.
   *
   * @param accessToken the new access token, without {@code Bearer }
   * @throws NativeHsmException if the library refuses
   */
  public void setToken(String accessToken) {
    NativeHsm.requireToken(accessToken);
    long h = open();
    char[] bearer = ("Bearer " + accessToken).toCharArray();
    byte[] bytes = NativeStrings.cString(bearer, "IAM token");
    try {
      hsm.callStatus(NativeCall.SET_TOKEN, unitId, () -> hsm.library().SetTokenGetterC(h, bytes));
      tokenOnSession = accessToken;
    } finally {
      NativeHsm.wipe(bearer);
      NativeHsm.wipe(bytes);
    }
  }

  /**
   * Lists the unit's users ({@code ListUsersC}).
   *
   * @return the users
   * @throws NativeHsmException if the library refuses
   * @throws UnexpectedAnswerException if the table is not understood
   */
  public List<NativeUser> listUsers() {
    long h = use();
    String text = hsm.callWithResult(NativeCall.LIST_USERS, unitId, List.of(),
        out -> hsm.library().ListUsersC(h, out));
    return ResultTables.parseUsers(text, unitId);
  }

  /**
   * Adds a user ({@code AddUserC}) with the arguments exactly as given; empty strings pass C
   * {@code NULL}. A user that exists fails with status {@code 0xC7000C01}, whose remediation
   * says to check the user list.
   *
   * @param userName the user name
   * @param userType the user type, e.g. {@value CryptoUserCredential#USER_TYPE}
   * @param credential the credential argument
   * @param credHash the credential hash
   * @param attributes {@code K=V} pairs joined by {@code ;}
   * @param headers the request headers
   * @throws NativeHsmException if the library refuses
   */
  public void addUser(String userName, String userType, String credential, String credHash,
      String attributes, NativeHeaders headers) {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(userType, "userType");
    Objects.requireNonNull(headers, "headers");
    String name = NativeStrings.checked(userName, "userName");
    String type = NativeStrings.checked(userType, "userType");
    String cred = NativeStrings.optional(credential, "credential");
    String hash = NativeStrings.optional(credHash, "credHash");
    String attrs = NativeStrings.optional(attributes, "attributes");
    long h = use();
    byte[] hdrs = current(headers).encode();
    try {
      hsm.callWithResult(NativeCall.ADD_USER, unitId, List.of(),
          out -> hsm.library().AddUserC(h, name, type, cred, hash, attrs, hdrs, out));
    } finally {
      NativeHsm.wipe(hdrs);
    }
  }

  /**
   * Adds the {@code kmsCryptoUser}: writes its credential file (0600) into {@code tempDirectory},
   * calls {@code AddUserC} with {@code <file>#}, the {@code cred_hash} and
   * {@code CXI_GROUP=SLOT_%04d}, and deletes the file whatever happens.
   *
   * @param user the crypto user from the service's metadata
   * @param headers the request headers
   * @param tempDirectory where the credential file is written for the call
   * @throws NativeHsmException if the library refuses
   */
  public void addCryptoUser(CryptoUserCredential user, NativeHeaders headers,
      Path tempDirectory) {
    Objects.requireNonNull(user, "user");
    open();
    try (CryptoUserCredential.TemporaryFile file = user.writeTemporaryFile(tempDirectory)) {
      addUser(user.userName(), CryptoUserCredential.USER_TYPE, file.credentialArgument(),
          user.credHash(), user.attributes(), headers);
    }
  }

  /**
   * Lists the master keys loaded in the unit ({@code ListMBKKeysC}).
   *
   * @return the keys, empty when none is loaded
   * @throws NativeHsmException if the library refuses
   * @throws UnexpectedAnswerException if the table is not understood
   */
  public List<NativeMasterKey> listMasterKeys() {
    long h = use();
    String text = hsm.callWithResult(NativeCall.LIST_MASTER_KEYS, unitId, List.of(),
        out -> hsm.library().ListMBKKeysC(h, out));
    return ResultTables.parseMasterKeys(text, unitId);
  }

  /**
   * Generates the master key inside this unit ({@code GenerateMBKC}: {@code AES}, 32 bytes) and
   * lets the library write it as {@code shares.size()} share files, any {@code threshold} of which
   * rebuild it. The share files are made owner-only (0600) after the library wrote them, also when
   * the call failed part-way.
   *
   * @param shares the share files to create (none may exist; their folders must) with their
   *     passphrases; 2 to 255
   * @param threshold K, 2 to {@code shares.size()}
   * @param keyName the key name, 1 to 8 letters, digits, {@code -} or {@code _} (padded with
   *     spaces to 8 for the library)
   * @param headers the request headers
   * @throws IllegalArgumentException if a path or passphrase cannot be carried by the keyspec, or
   *     the counts or name are out of range (before any call)
   * @throws KeyFileException {@code ALREADY_EXISTS} if a share file exists (before any call)
   * @throws NativeHsmException if the library refuses
   */
  public void generateMasterKey(List<ShareFile> shares, int threshold, String keyName,
      NativeHeaders headers) {
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(headers, "headers");
    if (shares.size() < 2 || shares.size() > Keyspec.MAX_SHARES) {
      throw new IllegalArgumentException("the master key needs 2 to " + Keyspec.MAX_SHARES
          + " share files, got " + shares.size());
    }
    if (threshold < 2 || threshold > shares.size()) {
      throw new IllegalArgumentException("threshold must be 2.." + shares.size() + ", got "
          + threshold);
    }
    String padded = paddedKeyName(keyName);
    for (ShareFile s : shares) {
      Path f = s.file().toAbsolutePath().normalize();
      if (Files.exists(f)) {
        throw new KeyFileException(KeyFileException.Reason.ALREADY_EXISTS, f,
            "share file " + f + " exists; share files are never overwritten: choose new names",
            null);
      }
      if (f.getParent() == null || !Files.isDirectory(f.getParent())) {
        throw new IllegalArgumentException("the folder of share file " + f + " does not exist");
      }
    }
    long h = use();
    byte[] keyspec = Keyspec.encode(shares);
    byte[] hdrs = null;
    List<char[]> secrets = List.of();
    try {
      hdrs = current(headers).encode();
      secrets = passphrases(shares);
      byte[] hd = hdrs;
      hsm.callWithResult(NativeCall.GENERATE_MASTER_KEY, unitId, secrets,
          out -> hsm.library().GenerateMBKC(h, keyspec, NativeHsm.MASTER_KEY_TYPE,
              NativeHsm.MASTER_KEY_BYTES, (byte) shares.size(), (byte) threshold, padded, hd,
              out));
    } finally {
      NativeHsm.wipe(keyspec);
      NativeHsm.wipe(hdrs);
      secrets.forEach(NativeHsm::wipe);
      for (ShareFile s : shares) {
        if (Files.exists(s.file())) {
          OwnerOnly.restrict(s.file());
        }
      }
    }
    for (ShareFile s : shares) {
      if (!Files.isRegularFile(s.file())) {
        throw new UnexpectedAnswerException(NativeCall.GENERATE_MASTER_KEY, unitId,
            "the library reported success but wrote no share file " + s.file(), null);
      }
    }
  }

  /**
   * Loads the master key from its share files into slot {@value NativeHsm#MASTER_KEY_SLOT}
   * ({@code ImportMBKC}).
   *
   * @param shares at least K share files with their passphrases
   * @param headers the request headers
   * @throws IllegalArgumentException if a path or passphrase cannot be carried by the keyspec
   *     (before any call)
   * @throws KeyFileException {@code NOT_READABLE} if a share file is missing (before any call)
   * @throws NativeHsmException if the library refuses ({@code 0xB906100E}: a wrong passphrase)
   */
  public void importMasterKey(List<ShareFile> shares, NativeHeaders headers) {
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(headers, "headers");
    for (ShareFile s : shares) {
      if (!Files.isReadable(s.file())) {
        throw new KeyFileException(KeyFileException.Reason.NOT_READABLE, s.file(),
            "share file " + s.file() + " is missing or not readable", null);
      }
    }
    long h = use();
    byte[] keyspec = Keyspec.encode(shares);
    byte[] hdrs = null;
    List<char[]> secrets = List.of();
    try {
      hdrs = current(headers).encode();
      secrets = passphrases(shares);
      byte[] hd = hdrs;
      hsm.callWithResult(NativeCall.IMPORT_MASTER_KEY, unitId, secrets,
          out -> hsm.library().ImportMBKC(h, keyspec, NativeHsm.MASTER_KEY_SLOT, hd, out));
    } finally {
      NativeHsm.wipe(keyspec);
      NativeHsm.wipe(hdrs);
      secrets.forEach(NativeHsm::wipe);
    }
  }

  /**
   * Asks the library which unit this session talks to ({@code GetCryptoUnitIDC}).
   *
   * @return the unit id as the library reports it (trimmed)
   * @throws NativeHsmException if the library refuses
   * @throws UnexpectedAnswerException if it reports nothing
   */
  public String cryptoUnitId() {
    long h = use();
    String text = hsm.callWithResult(NativeCall.GET_CRYPTO_UNIT_ID, unitId, List.of(),
        out -> hsm.library().GetCryptoUnitIDC(h, out));
    if (text == null || text.isBlank() || text.strip().length() > 128) {
      throw new UnexpectedAnswerException(NativeCall.GET_CRYPTO_UNIT_ID, unitId,
          "expected a unit id", text);
    }
    return text.strip();
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes the session ({@code CloseSessionC}) once; later calls do nothing. Never throws: a
   * failure to close is logged.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      hsm.callStatus(NativeCall.CLOSE_SESSION, unitId,
          () -> hsm.library().CloseSessionC(handle));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing the HSM session on unit {0} failed: {1}", unitId,
          e.getMessage());
    }
  }

  /**
   * Returns the key name padded with spaces to {@value #MAX_KEY_NAME} characters.
   *
   * @param keyName 1 to 8 letters, digits, {@code -} or {@code _}
   * @return the padded name
   * @throws IllegalArgumentException for any other name
   */
  public static String paddedKeyName(String keyName) {
    Objects.requireNonNull(keyName, "keyName");
    if (!KEY_NAME.matcher(keyName).matches()) {
      throw new IllegalArgumentException("the master key name must have 1 to " + MAX_KEY_NAME
          + " letters, digits, '-' or '_', got '" + keyName + "'");
    }
    return String.format(java.util.Locale.ROOT, "%-" + MAX_KEY_NAME + "s", keyName);
  }

  @Override
  public String toString() {
    return "NativeSession[unit=" + unitId + (closed.get() ? ", closed" : "") + "]";
  }

  /**
   * Checks the session is open and, when it refreshes its token, hands the library a newer token
   * first if one is due.
   */
  private long use() {
    long h = open();
    if (tokens != null) {
      String t = tokens.accessToken();
      if (!t.equals(tokenOnSession)) {
        setToken(t);
      }
    }
    return h;
  }

  /** Returns the headers with the session's token in {@code Authorization}, when it refreshes. */
  private NativeHeaders current(NativeHeaders headers) {
    return tokens == null ? headers : headers.withBearer(tokenOnSession);
  }

  private long open() {
    if (closed.get()) {
      throw new IllegalStateException("the HSM session on unit " + unitId + " is closed");
    }
    return handle;
  }

  private static List<char[]> passphrases(List<ShareFile> shares) {
    List<char[]> out = new ArrayList<>();
    for (ShareFile s : shares) {
      out.add(s.passphrase().copyChars());
    }
    return out;
  }
}
