package io.kpdedicated.testkit;

import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.http.SignedCommand;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A session command as the in-process transport makes it: the typed arguments of the call encoded
 * as length-prefixed fields (no HTTP path, no JSON), and a {@link SignedCommand} by the
 * administrator over those bytes, for the resource {@code /in-process/<operation>[/<session>]}.
 * The cloud checks it as it checks a command that came over HTTP: the body digest, the signer, the
 * timestamp window and the nonce. Immutable.
 *
 * @param command the signed command
 * @param body the bytes it was signed over
 */
record InProcessCommand(SignedCommand command, byte[] body) {
  /**
   * Copies the body.
   *
   * @param command the signed command
   * @param body the bytes it was signed over
   */
  InProcessCommand {
    Objects.requireNonNull(command, "command");
    body = Objects.requireNonNull(body, "body").clone();
  }

  /** {@return a copy of the bytes the command was signed over} */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * Signs one call.
   *
   * @param admin the administrator
   * @param op the operation
   * @param unitId the unit
   * @param sessionId the session, or null for opening one
   * @param body the encoded arguments
   * @param now the signing time
   * @param random the nonce source
   * @return the command
   */
  static InProcessCommand sign(AdminSigner admin, Operation op, String unitId, String sessionId,
      byte[] body, Instant now, SecureRandom random) {
    String resource = "/in-process/" + op.wireName() + (sessionId == null ? "" : "/" + sessionId);
    String verb = op == Operation.LIST_USERS || op == Operation.LIST_MASTER_KEYS ? "GET" : "POST";
    return new InProcessCommand(
        SignedCommand.sign(admin, verb, resource, unitId, body, now, random), body);
  }

  /** {@return the encoded arguments of a call that has none} */
  static byte[] noArguments() {
    return new byte[0];
  }

  /**
   * Encodes the arguments of adding a user: type, name, public key and the attributes in name
   * order.
   *
   * @param user the user
   * @return the bytes
   */
  static byte[] addUser(NewUser user) {
    Fields f = new Fields().text(user.type().wireValue()).text(user.name()).text(user.publicKeyPem());
    for (Map.Entry<String, String> e : new TreeMap<>(user.attributes()).entrySet()) {
      f.text(e.getKey()).text(e.getValue());
    }
    return f.bytes();
  }

  /**
   * Encodes the arguments of importing a master key: its name and the wrapped key.
   *
   * @param keyName the key name
   * @param wrappedKey the key wrapped to the unit's import key
   * @return the bytes
   */
  static byte[] importMasterKey(String keyName, byte[] wrappedKey) {
    return new Fields().text(keyName).raw(wrappedKey).bytes();
  }

  /** Length-prefixed fields: a 4-byte big-endian length, then the bytes. */
  private static final class Fields {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Fields text(String value) {
      return raw(value.getBytes(StandardCharsets.UTF_8));
    }

    Fields raw(byte[] value) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
