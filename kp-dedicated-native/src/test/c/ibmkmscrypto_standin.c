/*
 * Test stand-in for IBM's HSM library (ibmkmscrypto). Built by the test build only.
 *
 * It exports the 17 functions of the library's C header (InitalizeCryptoUnitC spelled as there)
 * with the same C types, in the same order.
 * Each export packs its string arguments (NULL kept as NULL) and its numeric arguments into two
 * arrays and forwards them to one handler that the Java tests register with StandInRegister, so
 * the HSM's behaviour is modelled in Java. The handler answers with a status (or, for
 * CreateSessionC, a handle) and may set a result text with StandInReply; the export then allocates
 * the result string itself, as the real library does, and the caller must release it with
 * FreeStringC.
 *
 * Every allocation is recorded. FreeStringC marks a record freed instead of releasing the memory,
 * so a second FreeStringC on the same pointer is detected as a double free, and a pointer the
 * stand-in never returned is detected as a foreign free. StandInReset releases everything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

typedef int64_t (*standin_handler_fn)(const char *fn, uint64_t handle, const char *const *strs,
                                      int32_t nstrs, const int64_t *nums, int32_t nnums);

/* Library status when no handler is registered: "library not initialized". */
#define STANDIN_NOT_INITIALIZED ((int)0xC7000009u)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static standin_handler_fn handler;

struct record {
  char *ptr;
  int freed;
};
static struct record *records;
static size_t nrecords;
static size_t caprecords;
static int64_t allocations;
static int64_t frees;
static int64_t double_frees;
static int64_t foreign_frees;
static int64_t null_frees;

/* The reply the handler set during the current call on this thread. */
static __thread char *pending_text;
static __thread int pending_set;
static __thread int32_t pending_int;

static void clear_pending(void) {
  free(pending_text);
  pending_text = NULL;
  pending_set = 0;
  pending_int = 0;
}

/* Copies the pending reply into a tracked allocation, or returns NULL when there is none. */
static char *take_result(void) {
  if (!pending_set) {
    return NULL;
  }
  size_t len = strlen(pending_text);
  char *copy = malloc(len + 1);
  if (copy == NULL) {
    return NULL;
  }
  memcpy(copy, pending_text, len + 1);
  pthread_mutex_lock(&lock);
  if (nrecords == caprecords) {
    size_t cap = caprecords == 0 ? 256 : caprecords * 2;
    struct record *grown = realloc(records, cap * sizeof *grown);
    if (grown == NULL) {
      pthread_mutex_unlock(&lock);
      free(copy);
      return NULL;
    }
    records = grown;
    caprecords = cap;
  }
  records[nrecords].ptr = copy;
  records[nrecords].freed = 0;
  nrecords++;
  allocations++;
  pthread_mutex_unlock(&lock);
  return copy;
}

static int64_t forward(const char *fn, uint64_t handle, const char *const *strs, int32_t nstrs,
                       const int64_t *nums, int32_t nnums) {
  clear_pending();
  standin_handler_fn h;
  pthread_mutex_lock(&lock);
  h = handler;
  pthread_mutex_unlock(&lock);
  if (h == NULL) {
    return STANDIN_NOT_INITIALIZED;
  }
  return h(fn, handle, strs, nstrs, nums, nnums);
}

static int finish(int64_t status, char **result) {
  if (result != NULL) {
    *result = take_result();
  }
  clear_pending();
  return (int)status;
}

/* ---- the 17 exports of the library's header ---- */

uintptr_t CreateSessionC(const char *endpoint, int port, const char *instance_id,
                         const char *crypto_unit_id, const char *username, const char *keyfile,
                         const char *passphrase, const char *iam_token) {
  const char *strs[] = {endpoint, instance_id, crypto_unit_id, username, keyfile, passphrase,
                        iam_token};
  int64_t nums[] = {port};
  int64_t h = forward("CreateSessionC", 0, strs, 7, nums, 1);
  clear_pending();
  return (uintptr_t)h;
}

int CloseSessionC(uintptr_t session_id) {
  return finish(forward("CloseSessionC", session_id, NULL, 0, NULL, 0), NULL);
}

int SetTokenGetterC(uintptr_t session_id, const char *token_cstr) {
  const char *strs[] = {token_cstr};
  return finish(forward("SetTokenGetterC", session_id, strs, 1, NULL, 0), NULL);
}

int GetAuthStateC(uintptr_t session_id, int *auth_state_out) {
  int64_t status = forward("GetAuthStateC", session_id, NULL, 0, NULL, 0);
  if (auth_state_out != NULL) {
    *auth_state_out = pending_int;
  }
  return finish(status, NULL);
}

int ListUsersC(uintptr_t session_id, char **result) {
  return finish(forward("ListUsersC", session_id, NULL, 0, NULL, 0), result);
}

int AddUserC(uintptr_t session_id, const char *username, const char *user_type,
             const char *credential, const char *cred_hash, const char *attributes,
             const char *headers, char **result) {
  const char *strs[] = {username, user_type, credential, cred_hash, attributes, headers};
  return finish(forward("AddUserC", session_id, strs, 6, NULL, 0), result);
}

int DeleteUserC(uintptr_t session_id, const char *username) {
  const char *strs[] = {username};
  return finish(forward("DeleteUserC", session_id, strs, 1, NULL, 0), NULL);
}

int GenerateRSAKeyC(const char *instance_id, const char *key_spec, uint32_t key_size_bits,
                    const char *owner, const char *passphrase, char **result) {
  const char *strs[] = {instance_id, key_spec, owner, passphrase};
  int64_t nums[] = {key_size_bits};
  return finish(forward("GenerateRSAKeyC", 0, strs, 4, nums, 1), result);
}

int GenerateECDSAKeyC(const char *instance_id, const char *key_spec, const char *curve,
                      const char *owner, const char *passphrase, char **result) {
  const char *strs[] = {instance_id, key_spec, curve, owner, passphrase};
  return finish(forward("GenerateECDSAKeyC", 0, strs, 5, NULL, 0), result);
}

int ListMBKKeysC(uintptr_t session_id, char **result) {
  return finish(forward("ListMBKKeysC", session_id, NULL, 0, NULL, 0), result);
}

int GenerateMBKC(uintptr_t session_id, const char *keyspec, const char *keytype, int keylen,
                 uint8_t n, uint8_t k, const char *keyname, const char *headers, char **result) {
  const char *strs[] = {keyspec, keytype, keyname, headers};
  int64_t nums[] = {keylen, n, k};
  return finish(forward("GenerateMBKC", session_id, strs, 4, nums, 3), result);
}

int ImportMBKC(uintptr_t session_id, const char *keyspec, int slot_no, const char *headers,
               char **result) {
  const char *strs[] = {keyspec, headers};
  int64_t nums[] = {slot_no};
  return finish(forward("ImportMBKC", session_id, strs, 2, nums, 1), result);
}

int ChangeUserPasswordC(uintptr_t session_id, const char *username, const char *old_password,
                        const char *new_password) {
  const char *strs[] = {username, old_password, new_password};
  return finish(forward("ChangeUserPasswordC", session_id, strs, 3, NULL, 0), NULL);
}

int GetCryptoUnitIDC(uintptr_t session_id, char **result) {
  return finish(forward("GetCryptoUnitIDC", session_id, NULL, 0, NULL, 0), result);
}

void FreeStringC(char *str) {
  pthread_mutex_lock(&lock);
  if (str == NULL) {
    null_frees++;
    pthread_mutex_unlock(&lock);
    return;
  }
  for (size_t i = nrecords; i-- > 0;) {
    if (records[i].ptr == str) {
      if (records[i].freed) {
        double_frees++;
      } else {
        records[i].freed = 1;
        frees++;
      }
      pthread_mutex_unlock(&lock);
      return;
    }
  }
  foreign_frees++;
  pthread_mutex_unlock(&lock);
}

int GetLastErrorC(uintptr_t session_id, char **result) {
  return finish(forward("GetLastErrorC", session_id, NULL, 0, NULL, 0), result);
}

/* The header spells it this way. */
int InitalizeCryptoUnitC(char **result) {
  return finish(forward("InitalizeCryptoUnitC", 0, NULL, 0, NULL, 0), result);
}

/* ---- stand-in only: control and accounting ---- */

void StandInRegister(standin_handler_fn fn) {
  pthread_mutex_lock(&lock);
  handler = fn;
  pthread_mutex_unlock(&lock);
}

/* Sets the result text of the current call (copied); NULL means "no result string". */
void StandInReply(const char *text) {
  free(pending_text);
  pending_text = NULL;
  pending_set = 0;
  if (text != NULL) {
    size_t len = strlen(text);
    pending_text = malloc(len + 1);
    if (pending_text != NULL) {
      memcpy(pending_text, text, len + 1);
      pending_set = 1;
    }
  }
}

/* Sets the value GetAuthStateC writes to its out parameter. */
void StandInReplyInt(int32_t value) {
  pending_int = value;
}

static int64_t read_counter(const int64_t *counter) {
  pthread_mutex_lock(&lock);
  int64_t v = *counter;
  pthread_mutex_unlock(&lock);
  return v;
}

int64_t StandInAllocations(void) { return read_counter(&allocations); }
int64_t StandInFrees(void) { return read_counter(&frees); }
int64_t StandInDoubleFrees(void) { return read_counter(&double_frees); }
int64_t StandInForeignFrees(void) { return read_counter(&foreign_frees); }
int64_t StandInNullFrees(void) { return read_counter(&null_frees); }

/* Releases every recorded allocation and zeroes the counters; the handler stays registered. */
void StandInReset(void) {
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < nrecords; i++) {
    free(records[i].ptr);
  }
  free(records);
  records = NULL;
  nrecords = 0;
  caprecords = 0;
  allocations = 0;
  frees = 0;
  double_frees = 0;
  foreign_frees = 0;
  null_frees = 0;
  pthread_mutex_unlock(&lock);
}
