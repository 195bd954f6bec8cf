package io.kpdedicated.core.internal;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The local work before the first call to the cloud: the administrator credential and the master
 * key (keyshares). In a run both are prepared at once, the master key on a second thread: they
 * share nothing but the random source, and each is mostly key derivation (the PKCS#12 file's
 * PBKDF2 and MAC, the keyshares' Argon2id), so on two cores the slower one sets the time. A dry
 * run prepares them one after the other (it derives nothing).
 *
 * <p>Events stay in the order of a sequential run: the administrator identity's step, then the
 * keyshares' step (its {@code StepStarted} comes when this thread turns to it). Whatever fails,
 * the second thread has ended before {@link #prepare} returns or throws, and a prepared part is
 * closed (its secrets wiped) when the other part failed: no file is written after the run ended.
 */
final class LocalPreparation {
  /** The name of the thread that prepares the master key. */
  static final String THREAD_NAME = "kp-dedicated-master-key";

  private LocalPreparation() {}

  /** Both prepared parts; the caller closes them. */
  record Prepared(AdminCredential admin, PreparedMasterKey key) {}

  /**
   * Prepares the administrator credential and the master key.
   *
   * @param hsm the backend that prepares them
   * @param admin where the administrator identity comes from
   * @param masterKey where the master key comes from
   * @param context dry run, randomness, clock and KDF costs
   * @param steps publishes the two steps' events
   * @return both parts
   * @throws RuntimeException the failure of the administrator identity (first) or of the master
   *     key, as the backend threw it
   */
  static Prepared prepare(HsmBackend hsm, AdminIdentitySource admin, MasterKeySource masterKey,
      PrepareContext context, StepRunner steps) {
    Objects.requireNonNull(hsm, "hsm");
    if (context.dryRun()) {
      AdminCredential credential = steps.run(Step.ADMIN_IDENTITY, null,
          () -> hsm.prepareAdmin(admin, context), AdminCredential::description);
      try {
        return new Prepared(credential, steps.run(Step.KEYSHARES, null,
            () -> hsm.prepareMasterKey(masterKey, context), PreparedMasterKey::description));
      } catch (RuntimeException | Error e) {
        credential.close();
        throw e;
      }
    }
    FutureTask<PreparedMasterKey> keyTask =
        new FutureTask<>(() -> hsm.prepareMasterKey(masterKey, context));
    Thread thread = new Thread(keyTask, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    AdminCredential credential;
    try {
      credential = steps.run(Step.ADMIN_IDENTITY, null, () -> hsm.prepareAdmin(admin, context),
          AdminCredential::description);
    } catch (RuntimeException | Error e) {
      closeWhenDone(keyTask, e);
      throw e;
    }
    try {
      return new Prepared(credential, steps.run(Step.KEYSHARES, null, () -> await(keyTask),
          PreparedMasterKey::description));
    } catch (RuntimeException | Error e) {
      credential.close();
      throw e;
    }
  }

  /** Waits for the master key; its failure is rethrown as the backend threw it. */
  private static PreparedMasterKey await(FutureTask<PreparedMasterKey> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          // The derivation cannot be stopped halfway without leaving a partial share set
          // behind; finish it, then report the interruption.
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the master key after the credential failed and wipes it if it was prepared. */
  private static void closeWhenDone(FutureTask<PreparedMasterKey> task, Throwable primary) {
    try {
      PreparedMasterKey key = await(task);
      key.close();
    } catch (RuntimeException | Error e) {
      if (e != primary) {
        primary.addSuppressed(e);
      }
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("preparing the master key failed", cause);
  }
}
