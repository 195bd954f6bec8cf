package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.HttpServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What every part of an {@link InMemoryDedicatedCloud} shares: its lock, its instances, its fault
 * queue and call counts, id making and the service's error answers. Records are guarded by
 * {@link #lock}.
 */
final class CloudState {
  final Object lock = new Object();
  final CloudSettings settings;
  final FaultInjector faults = new FaultInjector();
  final CallStats stats = new CallStats();
  /** The one registry of open HSM sessions, for every way into the cloud. */
  final SessionRegistry sessions = new SessionRegistry(this);
  final List<InstanceRecord> instances = new ArrayList<>();
  private Random idRandom;
  private long requestCounter;

  CloudState(CloudSettings settings) {
    this.settings = settings;
    this.idRandom = new Random(settings.seed());
  }

  /**
   * Forgets every instance, ends every open session, clears the fault queue and the call counts
   * and restarts id making from the seed, so the cloud is as it was built (its clock keeps its
   * time).
   */
  void reset() {
    synchronized (lock) {
      instances.clear();
      sessions.endAll();
      idRandom = new Random(settings.seed());
      requestCounter = 0;
      faults.clear();
      stats.reset();
    }
  }

  /** {@return a fresh version-4 UUID from the seeded generator} */
  String newUuid() {
    synchronized (lock) {
      long hi = (idRandom.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (idRandom.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(hi, lo).toString();
    }
  }

  /** {@return the next request id the service reports in errors} */
  String nextRequestId() {
    synchronized (lock) {
      return "req-" + (++requestCounter);
    }
  }

  /** Finds an instance by GUID or CRN; the caller holds the lock. */
  InstanceRecord findInstance(String idOrGuid) {
    for (InstanceRecord i : instances) {
      if (i.guid.equals(idOrGuid) || i.crn.equals(idOrGuid)) {
        return i;
      }
    }
    return null;
  }

  /**
   * The one unit-index lookup: the index of {@code unitId} in instance {@code guid}, or -1 when
   * either is unknown (or null).
   */
  int unitIndex(String guid, String unitId) {
    if (guid == null || unitId == null) {
      return -1;
    }
    synchronized (lock) {
      InstanceRecord instance = findInstance(guid);
      if (instance != null) {
        for (UnitRecord u : instance.units) {
          if (u.id.equals(unitId)) {
            return u.index;
          }
        }
      }
      return -1;
    }
  }

  /** The service's 503 for a unit in maintenance. */
  HttpServiceException maintenance(Operation op, String unitId) {
    return HttpServiceException.builder(op, 503, "crypto unit " + unitId + " is in maintenance")
        .unitId(unitId).serviceCode("CRYPTO_UNIT_IN_MAINTENANCE").kind(FailureKind.MAINTENANCE)
        .requestId(nextRequestId()).build();
  }

  /** A service error with status and code. */
  HttpServiceException error(Operation op, String unitId, int status, String code,
      String message) {
    return HttpServiceException.builder(op, status, message).unitId(unitId).serviceCode(code)
        .requestId(nextRequestId()).build();
  }
}
