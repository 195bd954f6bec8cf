package io.kpdedicated.core.spi;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.model.InstanceTarget;

/**
 * How a transport realizes the HSM side: the administrator credential, the master key and admin
 * sessions on units. Each backend owns its formats. The portable backend
 * ({@link io.kpdedicated.core.portable.PortableHsmBackend}) keeps the administrator as a PKCS#12 or
 * PEM file (or any JCA signer), generates the master key locally, splits it into JSON keyshare
 * files and checks them offline; a native backend over IBM's library keeps the administrator as the
 * library's {@code .key} file and generates the key inside the first unit's session.
 *
 * <p>The initializer's reconciler, its retries, resume, events and final verification are the same
 * for every backend. Implementations are thread-safe.
 */
public interface HsmBackend {

  /**
   * Describes the backend for progress output and plans, e.g.
   * {@code portable: signed REST session protocol}.
   *
   * @return the description
   */
  String description();

  /**
   * Generates or loads the administrator identity locally, in the backend's own format. With
   * {@link PrepareContext#dryRun()} nothing is written: an identity that would be generated is
   * made in memory only.
   *
   * @param source where the identity comes from
   * @param context randomness, time, cost and whether files may be written
   * @return the credential; the caller closes it
   * @throws io.kpdedicated.crypto.KeyFileException if a file is refused (wrong passphrase,
   *     damaged, not a key file), in every mode
   * @throws io.kpdedicated.core.InitializationException if the source cannot be used
   */
  AdminCredential prepareAdmin(AdminIdentitySource source, PrepareContext context);

  /**
   * Prepares the master key: generates and writes new keyshares, or opens and checks existing
   * ones, where the backend can do so before any unit holds the key; otherwise records what will be
   * generated or imported ({@link PreparedMasterKey#checkedOffline()} false). With
   * {@link PrepareContext#dryRun()} nothing is written.
   *
   * @param source where the master key comes from
   * @param context randomness, time, cost and whether files may be written
   * @return the prepared key; the caller closes it
   * @throws io.kpdedicated.crypto.KeyFileException if a keyshare file is refused, in every mode
   * @throws io.kpdedicated.core.InitializationException if the files do not match the request
   */
  PreparedMasterKey prepareMasterKey(MasterKeySource source, PrepareContext context);

  /**
   * Opens an administrator session on one unit.
   *
   * @param target the instance
   * @param unitId the unit
   * @param admin the credential from {@link #prepareAdmin}
   * @return an open session; close it when done
   * @throws ServiceException of kind {@link FailureKind#NOT_ADMIN} when the unit was claimed with
   *     another administrator key
   * @throws IllegalArgumentException if {@code admin} was not prepared by this backend
   */
  HsmSession openSession(InstanceTarget target, String unitId, AdminCredential admin);
}
