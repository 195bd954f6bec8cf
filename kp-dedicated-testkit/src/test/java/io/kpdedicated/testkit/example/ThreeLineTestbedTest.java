package io.kpdedicated.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.testkit.Testbed;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreeLineTestbedTest {
  @Test
  void initializesEveryUnit(@TempDir Path dir) {
    Testbed bed = Testbed.inMemory(3, dir);
    InitializationResult result = bed.initializer().run();
    assertThat(result.units()).allMatch(unit -> unit.finalState() == UnitState.KMS_INITIALIZED);
  }
}
