package io.kpdedicated.core.portable;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import java.util.List;
import java.util.Objects;

/**
 * The portable HSM backend, shared by every transport that speaks the signed-REST session protocol
 * (the REST transport, the in-memory transport): the administrator is a PKCS#12 or PEM file or any
 * JCA {@link AdminSigner}; the master key is generated locally, split with the crypto module's
 * Shamir sharing into JSON keyshare files and checked offline before any unit is touched; each unit
 * receives it encrypted to its import key by the transport's {@link PortableSession}. Check values
 * are the crypto module's {@link KeyCheckValue} hex ({@link #checkValueOf}).
 *
 * <p>A transport supplies only how to open a session with a signer ({@link SessionOpener}).
 * Thread-safe.
 */
public final class PortableHsmBackend implements HsmBackend {
  /** The description of the signed-REST session protocol backend. */
  public static final String SIGNED_REST = "portable: signed REST session protocol";

  private final String description;
  private final SessionOpener opener;

  /**
   * Opens admin-signed sessions on units: the one thing a portable transport provides.
   */
  @FunctionalInterface
  public interface SessionOpener {
    /**
     * Opens a session on one unit; every state-changing command is signed with {@code admin}.
     *
     * @param target the instance
     * @param unitId the unit
     * @param admin the unit's administrator
     * @return an open session
     */
    PortableSession open(InstanceTarget target, String unitId, AdminSigner admin);
  }

  /**
   * A session of the signed-REST protocol: like {@link HsmSession}, but the import takes the master
   * key itself (the session encrypts it to the unit's import key). Used by one thread at a time.
   */
  public interface PortableSession extends AutoCloseable {
    /**
     * Returns the unit.
     *
     * @return the unit id
     */
    String unitId();

    /**
     * Lists the unit's users.
     *
     * @return the users
     */
    List<CryptoUser> listUsers();

    /**
     * Adds a user.
     *
     * @param user the user
     */
    void addUser(NewUser user);

    /**
     * Lists the loaded master keys; check values are {@link #checkValueOf} texts.
     *
     * @return the keys
     */
    List<MasterKeyInfo> listMasterKeys();

    /**
     * Imports the master key, encrypted to the unit's import key. The caller keeps ownership.
     *
     * @param key the key
     * @return what the unit reports
     */
    MasterKeyInfo importMasterKey(MasterKey key);

    /** Ends the session. */
    @Override
    void close();
  }

  /**
   * Creates the backend.
   *
   * @param description what to call it, e.g. {@link #SIGNED_REST}
   * @param opener opens sessions
   */
  public PortableHsmBackend(String description, SessionOpener opener) {
    this.description = Objects.requireNonNull(description, "description");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /**
   * Returns the check value text of the portable backend: the key check value's hex digits.
   *
   * @param kcv the crypto module's check value
   * @return the check value
   */
  public static CheckValue checkValueOf(KeyCheckValue kcv) {
    return new CheckValue(Objects.requireNonNull(kcv, "kcv").hex());
  }

  /**
   * Wraps a signer the caller owns as a credential of this backend (it is never destroyed), for
   * programs that open sessions themselves.
   *
   * @param signer the administrator
   * @return the credential
   */
  public static AdminCredential credentialOf(AdminSigner signer) {
    return new PortableCredential(Objects.requireNonNull(signer, "signer"), null,
        IdentityAction.USE_GIVEN, "using the administrator signer given by the caller");
  }

  /**
   * Wraps a master key the caller owns as a prepared key of this backend (it is never destroyed),
   * for programs that import keys themselves.
   *
   * @param key the master key
   * @return the prepared key
   */
  public static PreparedMasterKey preparedKeyOf(MasterKey key) {
    return new PortableMasterKey(Objects.requireNonNull(key, "key"), false,
        KeysharesAction.USE_GIVEN, "using the master key given by the caller");
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public AdminCredential prepareAdmin(AdminIdentitySource source, PrepareContext context) {
    return PortableCredential.prepare(source, context);
  }

  @Override
  public PreparedMasterKey prepareMasterKey(MasterKeySource source, PrepareContext context) {
    return PortableMasterKey.prepare(source, context);
  }

  @Override
  public HsmSession openSession(InstanceTarget target, String unitId, AdminCredential admin) {
    if (!(admin instanceof PortableCredential p)) {
      throw new IllegalArgumentException("the credential was not prepared by the portable backend");
    }
    return new Session(opener.open(target, unitId, p.signer()));
  }

  /** Adapts a portable session to the SPI. */
  private static final class Session implements HsmSession {
    private final PortableSession inner;

    Session(PortableSession inner) {
      this.inner = Objects.requireNonNull(inner, "session");
    }

    @Override
    public String unitId() {
      return inner.unitId();
    }

    @Override
    public List<CryptoUser> listUsers() {
      return inner.listUsers();
    }

    @Override
    public void addUser(NewUser user) {
      inner.addUser(user);
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      return inner.listMasterKeys();
    }

    @Override
    public MasterKeyInfo importMasterKey(PreparedMasterKey key) {
      if (!(key instanceof PortableMasterKey p)) {
        throw new IllegalArgumentException("the master key was not prepared by the portable"
            + " backend");
      }
      return inner.importMasterKey(p.key());
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
