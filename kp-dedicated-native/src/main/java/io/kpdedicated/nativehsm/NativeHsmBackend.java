package io.kpdedicated.nativehsm;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.TokenProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HSM backend over IBM's native library: realizes the administrator as the library's
 * {@code .key} file and the master key as the library's share files, and opens admin sessions on
 * units through {@link NativeHsm}. Combine it with a REST transport's provisioning and crypto-unit
 * half with {@link NativeTransport}.
 *
 * <ul>
 *   <li>{@link #prepareAdmin}: {@code AdminIdentitySource.generate(file, passphrase, name)} writes
 *       a new {@code .key} file with {@code GenerateRSAKeyC} (owner-only, never overwritten) or, when
 *       the file exists (an earlier run wrote it), reads it; {@code load(file, passphrase)} reads
 *       one. Only the file's {@code MOD=}/{@code PEXP=} lines are read (keys under 2048 bits are
 *       refused); the claim sends them as PKCS#1 PEM. The passphrase is checked by the library when
 *       the first session opens. A JCA signer ({@code AdminIdentitySource.of}) is refused: the
 *       library signs with its own key files only.
 *   <li>{@link #prepareMasterKey}: {@code MasterKeySource.generate(name, k, targets)} names share
 *       files the library writes with {@code GenerateMBKC} inside the first unit's session (or
 *       reuses the complete set an earlier run left); {@code existing(shares)} imports from given
 *       files. Paths, passphrases and names the library's formats cannot carry are refused here,
 *       before any call. The files are opaque: nothing is checked offline and the check value
 *       ({@code 16hex:16hex}, IBM's text) is known once a unit holds the key.
 *   <li>{@link #openSession}: {@code CreateSessionC} with the admin key file and its passphrase and
 *       a token kept fresh by a {@link SessionTokenRefresher}; the session lists users and keys,
 *       adds the {@code kmsCryptoUser} ({@code AddUserC} with a temporary credential file) and
 *       generates ({@code GenerateMBKC}, then {@code ImportMBKC}) or imports ({@code ImportMBKC},
 *       slot 3) the master key.
 * </ul>
 *
 * <p>Every failure of the library is mapped in one place to the core's typed failures: connection,
 * timeout, internal-error and IAM-token statuses are retryable; authentication is
 * {@link FailureKind#NOT_ADMIN} (the unit was claimed with another key) or
 * {@link FailureKind#NOT_AUTHORIZED}; {@code 0xB1B39FC5} is {@link FailureKind#WRONG_STATE} (claim
 * first); {@code 0xC7000C01} on add-user is {@link FailureKind#ALREADY_EXISTS}; key-file statuses
 * ({@code 0xB906100E}: wrong passphrase) are {@link FailureKind#INVALID_REQUEST} and not retryable.
 * Thread-safe; calls into the library are serialized unless built otherwise.
 */
public final class NativeHsmBackend implements HsmBackend {
  /** The description prefix of this backend. */
  public static final String DESCRIPTION = "native: IBM's HSM library";

  private static final Pattern SLOT = Pattern.compile("SLOT_(\\d{1,4})");

  private final NativeHsm hsm;
  private final SessionTokenRefresher tokens;
  private final String correlationId;
  private final Path tempDirectory;
  private final String description;

  private NativeHsmBackend(Builder b) {
    this.hsm = b.hsm != null ? b.hsm : new NativeHsm(b.library.get(), b.serializeCalls);
    this.tokens = Objects.requireNonNull(b.tokens,
        "tokens: set tokenProvider(...) or tokens(...)");
    this.correlationId = b.correlationId != null ? b.correlationId : UUID.randomUUID().toString();
    this.tempDirectory = b.tempDirectory != null ? b.tempDirectory
        : Path.of(System.getProperty("java.io.tmpdir"));
    this.description = DESCRIPTION + (hsm.serializesCalls() ? " (calls serialized)"
        : " (parallel calls)");
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the facade the backend calls the library through.
   *
   * @return the facade
   */
  public NativeHsm hsm() {
    return hsm;
  }

  @Override
  public String description() {
    return description;
  }

  // ---------------------------------------------------------------- administrator

  @Override
  public AdminCredential prepareAdmin(AdminIdentitySource source, PrepareContext context) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(context, "context");
    if (source instanceof AdminIdentitySource.Provided) {
      throw new InitializationException("the native backend cannot use an administrator signer"
          + " given in memory", "IBM's library signs only with its own .key files: use"
          + " AdminIdentitySource.generate(file, passphrase, name) or load(file, passphrase)"
          + " (kpd: --admin-key FILE).");
    }
    if (source instanceof AdminIdentitySource.Load l) {
      AdminKeyFile key = AdminKeyFile.read(l.file());
      return new NativeCredential(l.file(), l.passphrase(), key.pkcs1Pem(), IdentityAction.LOAD,
          "loaded the administrator key file " + l.file() + " of IBM's library");
    }
    AdminIdentitySource.Generate g = (AdminIdentitySource.Generate) source;
    if (Files.exists(g.file())) {
      AdminKeyFile key;
      try {
        key = AdminKeyFile.read(g.file());
      } catch (KeyFileException e) {
        throw new KeyFileException(e.reason(), g.file(), "the administrator key file " + g.file()
            + " exists (an earlier run probably generated it) but was refused: " + e.getMessage()
            + ". Do not delete or replace it if any crypto unit was claimed with it", e);
      }
      return new NativeCredential(g.file(), g.passphrase(), key.pkcs1Pem(), IdentityAction.LOAD,
          "loaded the administrator key file an earlier run wrote to " + g.file());
    }
    if (context.dryRun()) {
      return new NativeCredential(null, g.passphrase(), inMemoryPublicKey(g.rsaBits(), context),
          IdentityAction.GENERATE, "would generate an administrator key file of IBM's library at "
              + g.file());
    }
    Path parent = g.file().toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InitializationException("the folder of the administrator key file " + g.file()
          + " does not exist", "Create the folder, or choose another path for the key file.");
    }
    AdminKeyFile key;
    try {
      key = hsm.generateAdminKey("", g.file(), g.adminName(), g.passphrase(), g.rsaBits());
    } catch (NativeHsmException e) {
      throw NativeFailures.map(Operation.OPEN_SESSION, e);
    }
    return new NativeCredential(g.file(), g.passphrase(), key.pkcs1Pem(), IdentityAction.GENERATE,
        "generated an administrator key file of IBM's library at " + g.file());
  }

  private static String inMemoryPublicKey(int bits, PrepareContext context) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits, context.random());
      return RsaKeys.toPkcs1Pem((RSAPublicKey) g.generateKeyPair().getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is missing from this JVM", e);
    }
  }

  // ---------------------------------------------------------------- master key

  @Override
  public PreparedMasterKey prepareMasterKey(MasterKeySource source, PrepareContext context) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(context, "context");
    List<ShareFile> shares = new ArrayList<>();
    for (KeyshareLocation l : source.locations()) {
      shares.add(new ShareFile(l.path().toAbsolutePath().normalize(), l.passphrase()));
    }
    try {
      Keyspec.check(shares);
    } catch (IllegalArgumentException e) {
      throw new InitializationException(e.getMessage(), "Every share file path and passphrase"
          + " must be one the library's keyspec (path#passphrase,...) can carry: no ',' or '#'.");
    }
    List<Path> present = new ArrayList<>();
    List<Path> missing = new ArrayList<>();
    for (ShareFile s : shares) {
      (Files.exists(s.file()) ? present : missing).add(s.file());
    }
    if (source instanceof MasterKeySource.Existing) {
      if (!missing.isEmpty()) {
        throw new KeyFileException(KeyFileException.Reason.NOT_READABLE, missing.get(0),
            "share file(s) " + join(missing) + " do not exist", null);
      }
      return new NativePreparedKey("?", shares, 0, false, KeysharesAction.USE_GIVEN,
          "importing the master key from " + shares.size() + " share files of IBM's library"
              + " (not checked offline: the library checks them when a unit imports them)");
    }
    MasterKeySource.Generate g = (MasterKeySource.Generate) source;
    try {
      NativeSession.paddedKeyName(g.keyName());
    } catch (IllegalArgumentException e) {
      throw new InitializationException(e.getMessage(), "Choose a key name of 1 to 8 letters,"
          + " digits, '-' or '_'.");
    }
    if (!present.isEmpty() && !missing.isEmpty()) {
      throw new InitializationException("only some of the share files exist: present "
          + join(present) + "; missing " + join(missing), "An earlier run may have been"
          + " interrupted, or the paths are wrong. Restore the missing files, or move the present"
          + " ones away if no crypto unit holds their key yet, then run again.");
    }
    if (missing.isEmpty()) {
      return new NativePreparedKey(g.keyName(), shares, g.minimum(), false,
          KeysharesAction.REUSE, "reusing the " + shares.size() + " share files an earlier run"
              + " wrote (not checked offline: the library checks them when a unit imports them)");
    }
    for (ShareFile s : shares) {
      Path parent = s.file().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new InitializationException("the folder of share file " + s.file()
            + " does not exist", "Create the folder, or choose another path.");
      }
    }
    return new NativePreparedKey(g.keyName(), shares, g.minimum(), true, KeysharesAction.GENERATE,
        (context.dryRun() ? "would generate" : "will generate") + " master key '" + g.keyName()
            + "' inside the first unit and let IBM's library write " + shares.size()
            + " share files (" + g.minimum() + " needed); its check value is known once a unit"
            + " holds it");
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  // ---------------------------------------------------------------- sessions

  @Override
  public HsmSession openSession(InstanceTarget target, String unitId, AdminCredential admin) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(unitId, "unitId");
    if (!(admin instanceof NativeCredential c)) {
      throw new IllegalArgumentException("the credential was not prepared by the native backend");
    }
    if (c.keyFile() == null) {
      throw ServiceException.builder(Operation.OPEN_SESSION, FailureKind.NOT_ADMIN,
          "no session on unit " + unitId + ": the administrator key file was not generated yet")
          .unitId(unitId).build();
    }
    SessionParameters p = SessionParameters.of(target.endpoint().toString(),
        target.instanceGuid(), unitId, c.keyFile(), c.passphrase());
    try {
      return new Session(target, hsm.openSession(p, tokens));
    } catch (NativeHsmException e) {
      throw NativeFailures.map(Operation.OPEN_SESSION, e);
    }
  }

  /** Adapts a {@link NativeSession} to the SPI. */
  private final class Session implements HsmSession {
    private final InstanceTarget target;
    private final NativeSession inner;

    Session(InstanceTarget target, NativeSession inner) {
      this.target = target;
      this.inner = inner;
    }

    @Override
    public String unitId() {
      return inner.unitId();
    }

    @Override
    public List<CryptoUser> listUsers() {
      return call(Operation.LIST_USERS, () -> inner.listUsers().stream()
          .map(NativeHsmBackend::toCryptoUser).toList());
    }

    @Override
    public void addUser(NewUser user) {
      Objects.requireNonNull(user, "user");
      if (user.type() != UserType.KMS_CRYPTO_USER) {
        throw ServiceException.builder(Operation.ADD_USER, FailureKind.INVALID_REQUEST,
            "the native backend adds only the kmsCryptoUser, not a user of type "
                + user.type().wireValue()).unitId(unitId()).build();
      }
      String group = user.attributes().get(NewUser.CXI_GROUP);
      Matcher m = group == null ? null : SLOT.matcher(group);
      if (m == null || !m.matches()) {
        throw ServiceException.builder(Operation.ADD_USER, FailureKind.INVALID_ANSWER,
            "the crypto user's " + NewUser.CXI_GROUP + " attribute is not SLOT_nnnn: " + group)
            .unitId(unitId()).build();
      }
      CryptoUserCredential credential = new CryptoUserCredential(user.name(),
          user.publicKeyPem(), Integer.parseInt(m.group(1)));
      call(Operation.ADD_USER, () -> {
        inner.addCryptoUser(credential, headers(), tempDirectory);
        return null;
      });
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      return call(Operation.LIST_MASTER_KEYS, () -> inner.listMasterKeys().stream()
          .map(k -> new MasterKeyInfo(k.name(), new CheckValue(k.checkValue()))).toList());
    }

    @Override
    public MasterKeyInfo generateMasterKey(PreparedMasterKey key) {
      NativePreparedKey k = ours(key);
      List<Path> present = k.shares().stream().map(ShareFile::file).filter(Files::exists)
          .toList();
      if (present.isEmpty()) {
        call(Operation.GENERATE_MASTER_KEY, () -> {
          inner.generateMasterKey(k.shares(), k.threshold(), k.keyName(), headers());
          return null;
        });
      } else if (present.size() != k.shares().size()) {
        throw new InitializationException("only some of the share files exist after generating"
            + " the master key: " + join(present), unitId(), "Do not delete share files. Move the"
            + " present ones away only if no crypto unit holds their key, then run again.", false,
            null);
      } // else: an earlier attempt generated them and lost the answer; import them.
      k.generated();
      return importMasterKey(k);
    }

    @Override
    public MasterKeyInfo importMasterKey(PreparedMasterKey key) {
      NativePreparedKey k = ours(key);
      call(Operation.IMPORT_MASTER_KEY, () -> {
        inner.importMasterKey(k.shares(), headers());
        return null;
      });
      List<MasterKeyInfo> keys = listMasterKeys();
      if (keys.isEmpty()) {
        throw ServiceException.builder(Operation.IMPORT_MASTER_KEY, FailureKind.INVALID_ANSWER,
            "ImportMBKC reported success on unit " + unitId() + " but ListMBKKeysC lists no key")
            .unitId(unitId()).build();
      }
      MasterKeyInfo info = keys.get(0);
      k.learned(info.checkValue());
      return info;
    }

    @Override
    public void close() {
      inner.close();
    }

    private NativeHeaders headers() {
      return NativeHeaders.forCommand(tokens.accessToken(), target.instanceGuid(),
          UUID.randomUUID().toString(), correlationId);
    }

    private NativePreparedKey ours(PreparedMasterKey key) {
      if (!(key instanceof NativePreparedKey k)) {
        throw new IllegalArgumentException("the master key was not prepared by the native"
            + " backend");
      }
      return k;
    }
  }

  private static <T> T call(Operation operation, Supplier<T> body) {
    try {
      return body.get();
    } catch (NativeHsmException e) {
      throw NativeFailures.map(operation, e);
    } catch (UnexpectedAnswerException e) {
      throw NativeFailures.map(operation, e);
    }
  }

  private static CryptoUser toCryptoUser(NativeUser u) {
    UserType type = u.name().equals(NativeHsm.ADMIN_USER) ? UserType.ADMIN
        : u.attributes().containsKey(NewUser.CXI_GROUP) ? UserType.KMS_CRYPTO_USER
        : UserType.OTHER;
    return new CryptoUser(u.name(), type, u.attributes());
  }

  @Override
  public String toString() {
    return "NativeHsmBackend[" + description + "]";
  }

  /** Builds a {@link NativeHsmBackend}. Not thread-safe. */
  public static final class Builder {
    private NativeHsm hsm;
    private Supplier<IbmKmsCryptoLibrary> library = () -> NativeLibraryLocator.system().load();
    private boolean serializeCalls = true;
    private SessionTokenRefresher tokens;
    private String correlationId;
    private Path tempDirectory;

    private Builder() {}

    /**
     * Uses a facade made elsewhere (its own serialization setting applies).
     *
     * @param hsm the facade
     * @return this builder
     */
    public Builder hsm(NativeHsm hsm) {
      this.hsm = Objects.requireNonNull(hsm, "hsm");
      return this;
    }

    /**
     * Uses a loaded library (default: {@link NativeLibraryLocator#system()}).
     *
     * @param library the library
     * @return this builder
     */
    public Builder library(IbmKmsCryptoLibrary library) {
      Objects.requireNonNull(library, "library");
      this.library = () -> library;
      return this;
    }

    /**
     * Sets whether calls into the library are made one at a time (default true: IBM documents
     * no thread safety). Ignored when {@link #hsm(NativeHsm)} is set.
     *
     * @param serialize whether to serialize
     * @return this builder
     */
    public Builder serializeCalls(boolean serialize) {
      this.serializeCalls = serialize;
      return this;
    }

    /**
     * Sets where the IAM tokens of sessions come from: the REST transport's provider, so both
     * halves use one token cache (required, or {@link #tokens(SessionTokenRefresher)}).
     *
     * @param provider the provider, e.g. an {@code IamTokenProvider}
     * @return this builder
     */
    public Builder tokenProvider(TokenProvider provider) {
      this.tokens = SessionTokenRefresher.of(provider);
      return this;
    }

    /**
     * Sets the refresher that keeps sessions' tokens fresh.
     *
     * @param tokens the refresher
     * @return this builder
     */
    public Builder tokens(SessionTokenRefresher tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Sets the correlation id sent in the headers argument (default: a random UUID).
     *
     * @param correlationId the id
     * @return this builder
     * @throws IllegalArgumentException if blank or not visible ASCII
     */
    public Builder correlationId(String correlationId) {
      Objects.requireNonNull(correlationId, "correlationId");
      if (correlationId.isBlank() || correlationId.length() > 128
          || !correlationId.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '%')) {
        throw new IllegalArgumentException("correlationId must be 1-128 visible ASCII characters"
            + " without '%'");
      }
      this.correlationId = correlationId;
      return this;
    }

    /**
     * Sets where the crypto user's temporary credential files are written (default:
     * {@code java.io.tmpdir}); they are owner-only and deleted after each call.
     *
     * @param directory an existing folder whose path holds no {@code #}
     * @return this builder
     */
    public Builder tempDirectory(Path directory) {
      this.tempDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Builds the backend, loading the library if no facade or library was given.
     *
     * @return the backend
     * @throws NullPointerException if no token source was set
     * @throws NativeLibraryException if the library must be loaded and cannot be
     */
    public NativeHsmBackend build() {
      if (tokens == null) {
        throw new IllegalStateException("set tokenProvider(...) or tokens(...): sessions need"
            + " IAM tokens");
      }
      return new NativeHsmBackend(this);
    }
  }
}
