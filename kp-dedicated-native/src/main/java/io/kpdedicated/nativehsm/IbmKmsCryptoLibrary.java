package io.kpdedicated.nativehsm;

import com.sun.jna.Library;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * IBM's HSM library ({@code ibmkmscrypto}) as its public C header declares it: the 17 exports, in
 * the header's order, with the header's names and C types.
 *
 * <p>Type mapping (64-bit ABI only; {@link NativeLibraryLocator} refuses anything else):
 * {@code uintptr_t} session handles are {@code long} (0 means "no session"); {@code int} and
 * {@code uint32_t} are {@code int} (a status is read as unsigned through {@link StatusCode});
 * {@code uint8_t} is {@code byte}; {@code int*} is {@link IntByReference}; a {@code char**} result
 * is a {@link PointerByReference} whose value is the library's memory, released only with
 * {@link #FreeStringC(com.sun.jna.Pointer)}. A {@code const char*} that carries a secret
 * (passphrase, keyspec, headers with the bearer token, the token itself) is a NUL-terminated
 * UTF-8 {@code byte[]} that the caller wipes after the call; every other {@code const char*} is a
 * {@code String}, encoded as UTF-8 (the locator loads the library with that encoding). {@code null}
 * passes C {@code NULL}, which the library expects for an empty optional string.
 *
 * <p>Use {@link NativeHsm} rather than this interface: it frees every result, maps every status and
 * serializes calls. IBM documents no thread safety for the library.
 */
public interface IbmKmsCryptoLibrary extends Library {

  /**
   * {@code uintptr_t CreateSessionC(const char* endpoint, int port, const char* instance_id,
   * const char* crypto_unit_id, const char* username, const char* keyfile, const char* passphrase,
   * const char* iam_token)}.
   *
   * @param endpoint the instance URL with scheme
   * @param port the port, 443
   * @param instanceId the instance GUID
   * @param cryptoUnitId the unit id
   * @param username the admin user name, {@code ADMIN}
   * @param keyfile the admin {@code .key} file
   * @param passphrase the key file's passphrase, NUL-terminated UTF-8, or null
   * @param iamToken {@code Bearer <token>}, NUL-terminated UTF-8
   * @return the session handle, 0 on failure
   */
  long CreateSessionC(String endpoint, int port, String instanceId, String cryptoUnitId,
      String username, String keyfile, byte[] passphrase, byte[] iamToken);

  /**
   * {@code int CloseSessionC(uintptr_t session_id)}.
   *
   * @param sessionId the handle
   * @return the status
   */
  int CloseSessionC(long sessionId);

  /**
   * {@code int SetTokenGetterC(uintptr_t session_id, const char* token_cstr)}.
   *
   * @param sessionId the handle
   * @param token {@code Bearer <token>}, NUL-terminated UTF-8
   * @return the status
   */
  int SetTokenGetterC(long sessionId, byte[] token);

  /**
   * {@code int GetAuthStateC(uintptr_t session_id, int* auth_state_out)}.
   *
   * @param sessionId the handle
   * @param authStateOut receives the authentication state bit mask
   * @return the status
   */
  int GetAuthStateC(long sessionId, IntByReference authStateOut);

  /**
   * {@code int ListUsersC(uintptr_t session_id, char** result)}.
   *
   * @param sessionId the handle
   * @param result receives the user table (library memory)
   * @return the status
   */
  int ListUsersC(long sessionId, PointerByReference result);

  /**
   * {@code int AddUserC(uintptr_t session_id, const char* username, const char* user_type,
   * const char* credential, const char* cred_hash, const char* attributes, const char* headers,
   * char** result)}.
   *
   * @param sessionId the handle
   * @param username the user name
   * @param userType the user type, e.g. {@code kmsCryptoUser}
   * @param credential {@code <file>#}
   * @param credHash lowercase hex SHA-256 of the public key text
   * @param attributes {@code K=V} pairs joined by {@code ;}
   * @param headers {@code K=V} pairs joined by {@code %}, NUL-terminated UTF-8
   * @param result receives a status message (library memory)
   * @return the status
   */
  int AddUserC(long sessionId, String username, String userType, String credential,
      String credHash, String attributes, byte[] headers, PointerByReference result);

  /**
   * {@code int DeleteUserC(uintptr_t session_id, const char* username)}.
   *
   * @param sessionId the handle
   * @param username the user name
   * @return the status
   */
  int DeleteUserC(long sessionId, String username);

  /**
   * {@code int GenerateRSAKeyC(const char* instance_id, const char* key_spec, uint32_t
   * key_size_bits, const char* owner, const char* passphrase, char** result)}.
   *
   * @param instanceId the instance GUID
   * @param keySpec the {@code .key} file to write
   * @param keySizeBits the key size, 2048
   * @param owner the owner name
   * @param passphrase the passphrase, NUL-terminated UTF-8, or null
   * @param result receives a status message (library memory)
   * @return the status
   */
  int GenerateRSAKeyC(String instanceId, String keySpec, int keySizeBits, String owner,
      byte[] passphrase, PointerByReference result);

  /**
   * {@code int GenerateECDSAKeyC(const char* instance_id, const char* key_spec, const char* curve,
   * const char* owner, const char* passphrase, char** result)}.
   *
   * @param instanceId the instance GUID
   * @param keySpec the key file to write
   * @param curve the curve name
   * @param owner the owner name
   * @param passphrase the passphrase, NUL-terminated UTF-8, or null
   * @param result receives a status message (library memory)
   * @return the status
   */
  int GenerateECDSAKeyC(String instanceId, String keySpec, String curve, String owner,
      byte[] passphrase, PointerByReference result);

  /**
   * {@code int ListMBKKeysC(uintptr_t session_id, char** result)}.
   *
   * @param sessionId the handle
   * @param result receives the master key table (library memory)
   * @return the status
   */
  int ListMBKKeysC(long sessionId, PointerByReference result);

  /**
   * {@code int GenerateMBKC(uintptr_t session_id, const char* keyspec, const char* keytype, int
   * keylen, uint8_t n, uint8_t k, const char* keyname, const char* headers, char** result)}.
   *
   * @param sessionId the handle
   * @param keyspec share files {@code path#passphrase} joined by {@code ,}, NUL-terminated UTF-8
   * @param keytype {@code AES}
   * @param keylen the key length in bytes, 32
   * @param n the number of shares
   * @param k the threshold
   * @param keyname the key name padded with spaces to 8 characters
   * @param headers {@code K=V} pairs joined by {@code %}, NUL-terminated UTF-8
   * @param result receives a status message (library memory)
   * @return the status
   */
  int GenerateMBKC(long sessionId, byte[] keyspec, String keytype, int keylen, byte n, byte k,
      String keyname, byte[] headers, PointerByReference result);

  /**
   * {@code int ImportMBKC(uintptr_t session_id, const char* keyspec, int slot_no, const char*
   * headers, char** result)}.
   *
   * @param sessionId the handle
   * @param keyspec share files {@code path#passphrase} joined by {@code ,}, NUL-terminated UTF-8
   * @param slotNo the slot, 3
   * @param headers {@code K=V} pairs joined by {@code %}, NUL-terminated UTF-8
   * @param result receives a status message (library memory)
   * @return the status
   */
  int ImportMBKC(long sessionId, byte[] keyspec, int slotNo, byte[] headers,
      PointerByReference result);

  /**
   * {@code int ChangeUserPasswordC(uintptr_t session_id, const char* username, const char*
   * old_password, const char* new_password)}.
   *
   * @param sessionId the handle
   * @param username the user name
   * @param oldPassword the old password, NUL-terminated UTF-8
   * @param newPassword the new password, NUL-terminated UTF-8
   * @return the status
   */
  int ChangeUserPasswordC(long sessionId, String username, byte[] oldPassword,
      byte[] newPassword);

  /**
   * {@code int GetCryptoUnitIDC(uintptr_t session_id, char** result)}.
   *
   * @param sessionId the handle
   * @param result receives the unit id (library memory)
   * @return the status
   */
  int GetCryptoUnitIDC(long sessionId, PointerByReference result);

  /**
   * {@code void FreeStringC(char* str)}: releases a result string; NULL is allowed.
   *
   * @param str a pointer this library returned, or null
   */
  void FreeStringC(com.sun.jna.Pointer str);

  /**
   * {@code int GetLastErrorC(uintptr_t session_id, char** result)} (a stub in the library).
   *
   * @param sessionId the handle
   * @param result receives a message (library memory)
   * @return the status
   */
  int GetLastErrorC(long sessionId, PointerByReference result);

  /**
   * {@code int InitalizeCryptoUnitC(char** result)} (spelled as in the header; a no-op stub).
   *
   * @param result receives a message (library memory)
   * @return the status
   */
  int InitalizeCryptoUnitC(PointerByReference result);
}
