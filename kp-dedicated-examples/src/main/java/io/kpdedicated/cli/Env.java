package io.kpdedicated.cli;

/** The environment variables kpd reads. */
final class Env {
  /** The IBM Cloud API key; its presence makes {@code kpd init} target IBM Cloud. */
  static final String API_KEY = "IBMCLOUD_API_KEY";
  /** The instance endpoint, e.g. {@code https://<guid>.api.us-south.kms.appdomain.cloud}. */
  static final String TARGET_ADDR = "KP_TARGET_ADDR";
  /** The instance GUID. */
  static final String INSTANCE_ID = "KP_INSTANCE_ID";
  /** The IAM endpoint (default IBM Cloud's). */
  static final String IAM_ENDPOINT = "KP_IAM_ENDPOINT";
  /** The Resource Controller endpoint (default IBM Cloud's). */
  static final String RC_ENDPOINT = "KP_RC_ENDPOINT";

  private Env() {}
}
