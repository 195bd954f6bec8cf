package io.kpdedicated.nativehsm;

import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.http.TokenProvider;
import java.util.Objects;

/**
 * A {@link DedicatedTransport} that takes provisioning and the crypto-unit REST calls (claim,
 * zeroize, crypto-user metadata) from a REST transport and the HSM sessions from a
 * {@link NativeHsmBackend} over IBM's library: what initializing a real instance needs.
 *
 * <pre>{@code
 * IamTokenProvider tokens = IamTokenProvider.builder().apiKey(apiKey).build();
 * HttpTransport http = HttpTransport.builder().tokenProvider(tokens).build();
 * DedicatedTransport transport = NativeTransport.over(http, tokens, NativeHsm.load());
 * }</pre>
 *
 * Thread-safe when both halves are.
 */
public final class NativeTransport implements DedicatedTransport {
  private final DedicatedTransport rest;
  private final HsmBackend hsm;

  private NativeTransport(DedicatedTransport rest, HsmBackend hsm) {
    this.rest = Objects.requireNonNull(rest, "rest");
    this.hsm = Objects.requireNonNull(hsm, "hsm");
  }

  /**
   * Combines the REST half of any transport with a native backend.
   *
   * @param rest the transport whose provisioning and crypto-unit APIs are used (its own HSM
   *     backend is not)
   * @param backend the native backend
   * @return the transport
   */
  public static NativeTransport of(DedicatedTransport rest, NativeHsmBackend backend) {
    return new NativeTransport(rest, backend);
  }

  /**
   * Combines the REST transport with IBM's library, calls serialized, sessions' tokens from the
   * same provider as the REST transport's, the same correlation id on both halves.
   *
   * @param http the REST transport, built with {@code tokenProvider(tokens)}
   * @param tokens the token provider the REST transport uses
   * @param hsm the library's facade
   * @return the transport
   */
  public static NativeTransport over(HttpTransport http, TokenProvider tokens, NativeHsm hsm) {
    Objects.requireNonNull(http, "http");
    return new NativeTransport(http, NativeHsmBackend.builder().hsm(hsm).tokenProvider(tokens)
        .correlationId(http.correlationId()).build());
  }

  @Override
  public ProvisioningApi provisioning() {
    return rest.provisioning();
  }

  @Override
  public CryptoUnitApi cryptoUnits() {
    return rest.cryptoUnits();
  }

  @Override
  public HsmBackend hsm() {
    return hsm;
  }

  @Override
  public String toString() {
    return "NativeTransport[" + hsm.description() + "]";
  }
}
