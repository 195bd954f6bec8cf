package io.kpdedicated.core.spi;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.crypto.AdminSigner;
import java.util.List;

/** The crypto-unit API of one instance endpoint. Implementations are thread-safe. */
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
   * a claimed unit fails with a {@link ServiceException}.
   *
   * @param target the instance
   * @param unitId the unit
   * @param adminPublicKeyPkcs1Pem the admin key as PKCS#1 PEM with {@code \n} line ends
   */
  void claim(InstanceTarget target, String unitId, String adminPublicKeyPkcs1Pem);

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

  /**
   * Opens an HSM session on one unit, authenticated as its administrator. Every state-changing
   * command of the session is signed with {@code admin}.
   *
   * @param target the instance
   * @param unitId the unit
   * @param admin the unit's administrator (the key it was claimed with)
   * @return an open session; close it when done
   */
  HsmSession openSession(InstanceTarget target, String unitId, AdminSigner admin);
}
