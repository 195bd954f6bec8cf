package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.SignedCommand;
import java.util.List;
import java.util.Objects;

/**
 * The HSM sessions of an {@link InMemoryDedicatedCloud} ({@link InMemoryDedicatedCloud#sessions()}):
 * the cloud's one session registry and the session commands that run on it. The in-process
 * {@link InMemoryTransport} and the loopback emulator both open, use and close their sessions
 * here, so whatever ends a session one way ends it for the other:
 *
 * <ul>
 *   <li>closing it ({@link #close});
 *   <li>zeroizing its unit, by a call ({@link InMemoryDedicatedCloud#zeroize}, over HTTP or in
 *       process) or an arranger ({@link UnitArranger#zeroized()});
 *   <li>reaching the crash point ({@link FaultInjector#crashAfter(int)}): the process that held the
 *       sessions is gone, so every session ends;
 *   <li>staying unused for the idle timeout (default 5 minutes on the cloud's clock,
 *       {@code sessionIdleTimeout} on the cloud's builder).
 * </ul>
 *
 * <p>At most 16 sessions per unit and 256 in all are open at once ({@code maxSessions} on the
 * cloud's builder); one more is refused with {@code 429 TOO_MANY_SESSIONS} or
 * {@code 503 SESSION_LIMIT_REACHED}, both with a {@code Retry-After}.
 *
 * <p>Every command checks, in this order: the fault queue, the unit (known, not in maintenance),
 * that the session is open on that unit ({@code 404 SESSION_NOT_FOUND} otherwise, and no nonce is
 * used up), then the administrator's signature over the body, as
 * {@link InMemoryDedicatedCloud#openSession} describes. Thread-safe.
 */
public final class CloudSessions {
  private final CloudState state;
  private final UnitModel units;

  /**
   * Creates the view.
   *
   * @param state the cloud's shared state, holding the registry
   * @param units the unit model that runs the commands
   */
  CloudSessions(CloudState state, UnitModel units) {
    this.state = state;
    this.units = units;
  }

  /**
   * Opens a session on a unit after checking the administrator's signature, and registers it.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the session, with the unit's import key
   * @throws ServiceException as {@link InMemoryDedicatedCloud#openSession} says
   */
  public SessionInfo open(String guid, String unitId, SignedCommand command, byte[] body) {
    return units.openSession(guid, unitId, command, body);
  }

  /**
   * Closes an open session. Closing needs no signature.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session
   * @return true if the session was open on that unit, false if not (never opened, closed, ended
   *     or expired, or opened on another unit)
   */
  public boolean close(String guid, String unitId, String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return units.closeSession(guid, unitId, sessionId);
  }

  /**
   * Returns whether a session is open on a unit, and counts this as a use of it (its idle time
   * starts again), as every command on it does.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session
   * @return false for a session never opened, closed, ended by a zeroize or the crash point,
   *     expired, or opened on another unit or instance
   */
  public boolean isOpen(String guid, String unitId, String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return state.sessions.use(sessionId, guid, unitId);
  }

  /** {@return how many sessions are open now (expired ones are not counted)} */
  public int count() {
    return state.sessions.size();
  }

  /**
   * Returns how many sessions are open on one unit now.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @return the count, 0 for an unknown unit
   */
  public int count(String guid, String unitId) {
    return state.sessions.size(guid, unitId);
  }

  /**
   * Lists a unit's users on an open session.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session, open on that unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the users (the administrator as {@value InMemoryDedicatedCloud#ADMIN_USER_NAME})
   * @throws ServiceException 404 {@code SESSION_NOT_FOUND} when the session is not open, and the
   *     failures of {@link InMemoryDedicatedCloud#listUsers}
   */
  public List<CryptoUser> listUsers(String guid, String unitId, String sessionId,
      SignedCommand command, byte[] body) {
    return units.listUsers(guid, unitId, Objects.requireNonNull(sessionId, "sessionId"), command,
        body);
  }

  /**
   * Adds a user on an open session.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session, open on that unit
   * @param user the user
   * @param command the signed command
   * @param body the body the command was signed over
   * @throws ServiceException 404 {@code SESSION_NOT_FOUND} when the session is not open, and the
   *     failures of {@link InMemoryDedicatedCloud#addUser}
   */
  public void addUser(String guid, String unitId, String sessionId, NewUser user,
      SignedCommand command, byte[] body) {
    units.addUser(guid, unitId, Objects.requireNonNull(sessionId, "sessionId"), user, command,
        body);
  }

  /**
   * Lists the master keys of a unit on an open session.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session, open on that unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the keys, empty or one
   * @throws ServiceException 404 {@code SESSION_NOT_FOUND} when the session is not open, and the
   *     failures of {@link InMemoryDedicatedCloud#listMasterKeys}
   */
  public List<MasterKeyInfo> listMasterKeys(String guid, String unitId, String sessionId,
      SignedCommand command, byte[] body) {
    return units.listMasterKeys(guid, unitId, Objects.requireNonNull(sessionId, "sessionId"),
        command, body);
  }

  /**
   * Imports a master key wrapped to the unit's import key on an open session.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session, open on that unit
   * @param keyName the key name, 1 to 8 characters
   * @param wrappedKey the wrapped AES-256 key
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the loaded key's name and check value
   * @throws ServiceException 404 {@code SESSION_NOT_FOUND} when the session is not open, and the
   *     failures of {@link InMemoryDedicatedCloud#importMasterKey}
   */
  public MasterKeyInfo importMasterKey(String guid, String unitId, String sessionId,
      String keyName, byte[] wrappedKey, SignedCommand command, byte[] body) {
    return units.importMasterKey(guid, unitId, Objects.requireNonNull(sessionId, "sessionId"),
        keyName, wrappedKey, command, body);
  }

  @Override
  public String toString() {
    return "CloudSessions[open=" + count() + "]";
  }
}
