package io.kpdedicated.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LoopbackEmulatorExtension.class)
class LoopbackEmulatorExtensionTest {
  private static final AtomicReference<URI> FIRST_SEEN = new AtomicReference<>();

  private final URI constructorBase;

  LoopbackEmulatorExtensionTest(@EmulatorBaseUri URI base) {
    this.constructorBase = base;
  }

  @Test
  void handsTheTestTheEmulatorItsBaseUriAndItsApiKey(LoopbackEmulator emulator,
      @EmulatorBaseUri URI base, @EmulatorApiKey String apiKey) {
    assertThat(base).isEqualTo(emulator.baseUri()).isEqualTo(constructorBase);
    assertThat(base.getHost()).isEqualTo("127.0.0.1");
    assertThat(base.getPort()).isPositive();
    assertThat(apiKey).isEqualTo(emulator.apiKey());
    FIRST_SEEN.compareAndSet(null, base);
    assertThat(base).isEqualTo(FIRST_SEEN.get());
  }

  @Test
  void servesTheTransportOfTheTestWithTheSameEmulatorForTheWholeClass(LoopbackEmulator emulator) {
    ServiceInstance si = emulator.createActiveInstance("ext-" + System.nanoTime(), 2);
    HttpTransport transport = HttpTransport.fromEnvironment(emulator.environment(si));

    assertThat(transport.cryptoUnits().listUnits(HttpTransport.targetFromEnvironment(
        emulator.environment(si)).orElseThrow())).hasSize(2);
    FIRST_SEEN.compareAndSet(null, emulator.baseUri());
    assertThat(emulator.baseUri()).isEqualTo(FIRST_SEEN.get());
  }
}
