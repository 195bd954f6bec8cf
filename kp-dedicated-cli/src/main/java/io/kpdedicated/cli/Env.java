package io.kpdedicated.cli;

import io.kpdedicated.http.DedicatedEnvironment;

/** The environment variables kpd reads: the REST transport's names (kp-dedicated-http). */
final class Env {
  /** The IBM Cloud API key; its presence makes {@code kpd init} target IBM Cloud. */
  static final String API_KEY = DedicatedEnvironment.API_KEY;
  /** The instance endpoint, e.g. {@code https://<guid>.api.us-south.kms.appdomain.cloud}. */
  static final String TARGET_ADDR = DedicatedEnvironment.TARGET_ADDR;
  /** The instance GUID. */
  static final String INSTANCE_ID = DedicatedEnvironment.INSTANCE_ID;
  /** The IAM endpoint (default IBM Cloud's); the REST transport's name. */
  static final String IAM_ENDPOINT = DedicatedEnvironment.IAM_ENDPOINT;
  /** The IAM endpoint under the Go client's name, read when {@link #IAM_ENDPOINT} is unset. */
  static final String IAM_API_ENDPOINT = DedicatedEnvironment.IAM_API_ENDPOINT;
  /** The Resource Controller endpoint (default IBM Cloud's). */
  static final String RC_ENDPOINT = DedicatedEnvironment.RC_ENDPOINT;

  private Env() {}
}
