package io.kpdedicated.core.spi;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import java.util.List;

/**
 * The crypto-unit API of one instance endpoint (the REST part; HSM sessions are the
 * {@link HsmBackend}'s). Implementations are thread-safe.
 */
public interface CryptoUnitApi {

  /**
   * Lists the instance's crypto units.
   *
   * @param target the instance endpoint and GUID
   * @return the units, in the service's order
   */
  List<CryptoUnit> listUnits(InstanceTarget target);

  /**
   * Installs an administrator's public key as the default admin of a unit. Not idempotent: claiming
   * a claimed unit fails with a {@link ServiceException} of kind
   * {@link FailureKind#ALREADY_EXISTS}.
   *
   * @param target the instance
   * @param unitId the unit
   * @param claimPublicKeyPem the admin key as the claim call sends it (PKCS#1 PEM, {@code \n} line
   *     ends), from {@link AdminCredential#claimPublicKeyPem()}
   */
  void claim(InstanceTarget target, String unitId, String claimPublicKeyPem);

  /**
   * Wipes a unit; it returns to {@code reserved}.
   *
   * @param target the instance
   * @param unitId the unit
   */
  void zeroize(InstanceTarget target, String unitId);

  /**
   * Reads the identity the {@code kmsCryptoUser} must be created with.
   *
   * @param target the instance
   * @return the metadata
   */
  CryptoUserMetadata cryptoUserMetadata(InstanceTarget target);
}
