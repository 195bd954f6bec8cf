package io.kpdedicated.testkit.emulator;

import io.kpdedicated.http.SessionProtocol;

/**
 * Who may call and for which instance: the bearer token every call but the token and control
 * routes needs, and the instance and unit headers of the crypto-unit API. Thread-safe.
 */
final class AccessChecks {
  private final IssuedTokens tokens;

  /**
   * Creates the checks.
   *
   * @param tokens the tokens the emulator issued
   */
  AccessChecks(IssuedTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Requires a valid, unexpired, unrevoked bearer token.
   *
   * @param r the request
   * @throws Refusal 401 {@code BXNIM0308E} without a bearer token, {@code BXNIM0408E} for an
   *     unknown, revoked or expired one
   */
  void authenticate(EmulatorRequest r) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refusal(401, "BXNIM0308E", "no bearer token: send Authorization: Bearer <IAM token>");
    }
    if (!tokens.valid(auth.substring(7).trim())) {
      throw new Refusal(401, "BXNIM0408E", "the bearer token is unknown, revoked or expired; get a new"
          + " one from the IAM endpoint");
    }
  }

  /**
   * Authenticates a crypto-unit call and returns the instance GUID its headers name.
   *
   * @param r the request
   * @return the instance GUID
   * @throws Refusal 401 as {@link #authenticate}; 400 when {@code Instance-ID} and
   *     {@code Bluemix-Instance} are both missing or name different instances
   */
  String instanceGuid(EmulatorRequest r) {
    authenticate(r);
    String a = r.header("Instance-ID");
    String b = r.header("Bluemix-Instance");
    if (a == null && b == null) {
      throw new Refusal(400, "B1B39C46", "missing header Bluemix-Instance / Instance-ID (the instance GUID)");
    }
    if (a != null && b != null && !a.equals(b)) {
      throw new Refusal(400, "B1B39C46", "headers Bluemix-Instance and Instance-ID name different instances");
    }
    return a != null ? a : b;
  }

  /**
   * Authenticates a call on {@code /api/v1/crypto_units/{unit}/...} and returns the instance GUID,
   * after checking that a {@code Crypto-Unit-ID} header, when sent, names the unit of the path.
   *
   * @param r the request
   * @param unitId the unit of the path
   * @return the instance GUID
   * @throws Refusal as {@link #instanceGuid}; 400 when the header names another unit
   */
  String unitCall(EmulatorRequest r, String unitId) {
    String guid = instanceGuid(r);
    String headerUnit = r.header(SessionProtocol.HEADER_CRYPTO_UNIT_ID);
    if (headerUnit != null && !headerUnit.equals(unitId)) {
      throw new Refusal(400, "B1B39C46", "header Crypto-Unit-ID (" + headerUnit
          + ") does not match the unit in the path (" + unitId + ")");
    }
    return guid;
  }
}
