package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.spi.Operation;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;

/**
 * The {@code kmsCryptoUser} identity every in-memory cloud reports (a fixed RSA public key, the
 * configured name and slot), and the check that a user added as {@code kmsCryptoUser} carries it.
 */
final class FixedCryptoUser {
  /** The PKCS#1 PEM of the {@code kmsCryptoUser} identity every in-memory cloud reports. */
  static final String PUBLIC_KEY_PEM = "-----BEGIN RSA PUBLIC KEY-----\n"
      + "MIIBCgKCAQEAjIjdyjLs86sYuuIyhVSQazqyVTxxXobgpnc+i/xtV4q6ra7f/7iu\n"
      + "CvcC6n0cxPLO+AnNJfS1NmTW0aMUgc+sQqcGo/UnGovUAGaICIUcbHHee8rRJJM+\n"
      + "5zb8n3bq1B/+EJ6wViL21g7FEiuCSkJB0toAJOFurH0sMcfkltsymN4CmizVgs6Q\n"
      + "ZGH90wqiwA2UbcyJ7XDQ7fIoFLr4Ms0whrC6poJGdelzS887w4aPFHQFPxZdoL13\n"
      + "rXuG/pRxtt9f64KrQUOJv0ybU+DwfpEd74dy7KVdP4me/9hHLgVY8apikuU51dD/\n"
      + "59nvfFk7mvomP9h4/kOl1QHQGIcBMOdizwIDAQAB\n"
      + "-----END RSA PUBLIC KEY-----\n";

  private final CloudState state;
  private final RSAPublicKey key = UnitCrypto.parsePublicKeyPem(PUBLIC_KEY_PEM);

  FixedCryptoUser(CloudState state) {
    this.state = state;
  }

  /** {@return the metadata the service reports for the crypto user} */
  CryptoUserMetadata metadata() {
    return new CryptoUserMetadata(state.settings.cryptoUserName(), PUBLIC_KEY_PEM,
        state.settings.cryptoUserSlot());
  }

  /** Refuses (400 {@code INVALID_CRYPTO_USER}) a {@code kmsCryptoUser} with another identity. */
  void check(String unitId, NewUser user) {
    String name = state.settings.cryptoUserName();
    if (!user.name().equals(name)) {
      throw state.error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser must be named '" + name + "' (see the crypto-user metadata),"
              + " got '" + user.name() + "'");
    }
    RSAPublicKey given;
    try {
      given = UnitCrypto.parsePublicKeyPem(user.publicKeyPem());
    } catch (IllegalArgumentException e) {
      given = null;
    }
    if (given == null || !UnitCrypto.sameKey(given, key)) {
      throw state.error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser's public key is not the one of the crypto-user metadata");
    }
    String expected = String.format(Locale.ROOT, "SLOT_%04d", state.settings.cryptoUserSlot());
    if (!expected.equals(user.attributes().get(NewUser.CXI_GROUP))) {
      throw state.error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser needs the attribute " + NewUser.CXI_GROUP + "=" + expected + ", got "
              + user.attributes().get(NewUser.CXI_GROUP));
    }
  }
}
