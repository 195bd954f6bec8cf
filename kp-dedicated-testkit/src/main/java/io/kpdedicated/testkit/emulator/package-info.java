/**
 * The loopback emulator: {@link io.kpdedicated.testkit.emulator.LoopbackEmulator} serves a Key
 * Protect Dedicated look-alike over HTTP on {@code 127.0.0.1}, backed by an
 * {@link io.kpdedicated.testkit.InMemoryDedicatedCloud};
 * {@link io.kpdedicated.testkit.emulator.EmulatorMain} runs it standalone.
 *
 * <p>Routes (all answers JSON; errors in the style of the API family they belong to):
 *
 * <ul>
 *   <li>IAM: {@code POST /identity/token} (form {@code grant_type=urn:ibm:params:oauth:grant-type:apikey},
 *       {@code apikey}); tokens only for the emulator's API key.
 *   <li>Resource Controller: {@code GET /v2/resource_instances?name=&resource_plan_id=},
 *       {@code POST /v2/resource_instances}, {@code GET /v2/resource_instances/{id or guid}};
 *       Resource Manager: {@code GET /v2/resource_groups?name=}; Global Catalog:
 *       {@code GET /api/v1?q=}, {@code GET /api/v1/{service id}/plan}.
 *   <li>Crypto units (instance picked by {@code Instance-ID} / {@code Bluemix-Instance}):
 *       {@code GET /api/v1/cryptounits}, {@code POST /api/v1/cryptounits/claim},
 *       {@code POST /api/v1/crypto_units/{unit}/zeroize}, {@code GET /api/v1/cryptouser/metadata}.
 *   <li>Signed sessions ({@link io.kpdedicated.http.SessionProtocol}):
 *       {@code POST /api/v1/crypto_units/{unit}/sessions}, {@code GET|POST .../sessions/{s}/users},
 *       {@code GET .../sessions/{s}/master_keys}, {@code POST .../sessions/{s}/master_keys/import},
 *       {@code DELETE .../sessions/{s}}.
 *   <li>Control (no token needed): {@code POST /emulator/v1/faults} (one fault object or an array),
 *       {@code GET /emulator/v1/faults}, {@code DELETE /emulator/v1/faults},
 *       {@code GET /emulator/v1/state}, {@code POST /emulator/v1/chaos}
 *       ({@code {"probability":0.1,"seed":7}}), {@code POST /emulator/v1/tokens/revoke},
 *       {@code POST /emulator/v1/instances} ({@code {"name":"x","crypto_units":3}}).
 * </ul>
 *
 * <p>A fault: {@code {"operation": "claim", "unit": "<unit id or 0-based index>", "kind": "error",
 * "status": 503, "code": "SERVICE_UNAVAILABLE", "message": "...", "retry_after": 5, "times": 1}}.
 * {@code kind} is {@code error} (the default when {@code status} is given), {@code maintenance}
 * (needs a unit), {@code latency} (with {@code latency_ms}), {@code connection-drop},
 * {@code response-lost} (the call is performed, the answer dropped) or {@code malformed} (the call
 * is not served; a {@code 200} with a {@code truncated}, {@code wrong-types}, {@code html},
 * {@code empty} or {@code huge} {@code body} comes back instead). {@code operation} and
 * {@code unit} may be omitted or {@code "*"} for any; {@code times} is a count or
 * {@code "always"}. Operation names are {@link io.kpdedicated.core.spi.Operation#wireName()}:
 * {@code token}, {@code find-instance}, {@code create-instance}, {@code get-instance},
 * {@code list-units}, {@code claim}, {@code zeroize}, {@code crypto-user-metadata},
 * {@code open-session}, {@code list-users}, {@code add-user}, {@code list-master-keys},
 * {@code import-master-key}. Full description: the module's {@code EMULATOR.md}.
 *
 * <p>Inside, the emulator is a route table (method and path pattern to handler; an unknown path is
 * {@code 404}, a known path with another method {@code 405}) over one class per job: IAM,
 * provisioning, crypto units, HSM sessions, the control API, request reading and the error formats.
 * It serves the same model the in-process transport calls: the cloud's one session registry
 * ({@link io.kpdedicated.testkit.InMemoryDedicatedCloud#sessions()}) and its one fault queue
 * ({@link io.kpdedicated.testkit.InMemoryDedicatedCloud#faults()}).
 */
package io.kpdedicated.testkit.emulator;
