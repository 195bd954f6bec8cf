package io.kpdedicated.testkit;

import io.kpdedicated.core.model.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Mutable state of one instance; guarded by the cloud's lock. */
final class InstanceRecord {
  final String guid;
  final String crn;
  final String name;
  final String region;
  final Instant createdAt;
  final List<UnitRecord> units = new ArrayList<>();
  InstanceState state = InstanceState.PROVISIONING;
  int polls;

  InstanceRecord(String guid, String crn, String name, String region, Instant createdAt) {
    this.guid = guid;
    this.crn = crn;
    this.name = name;
    this.region = region;
    this.createdAt = createdAt;
  }
}

