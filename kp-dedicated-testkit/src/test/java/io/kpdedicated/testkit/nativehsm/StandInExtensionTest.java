package io.kpdedicated.testkit.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.kpdedicated.nativehsm.IbmKmsCryptoLibrary;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The extension's after-each check catches leaked, double-freed and foreign result strings. */
class StandInExtensionTest {
  @RegisterExtension final StandInExtension standIn = new StandInExtension();

  @TempDir Path dir;

  /** Makes the library hand out one result string (the refusal to overwrite a key file). */
  private Pointer oneResultString(IbmKmsCryptoLibrary library) throws Exception {
    Path existing = Files.writeString(dir.resolve("exists.key"), "x");
    PointerByReference out = new PointerByReference();
    int rc = library.GenerateRSAKeyC("guid", existing.toString(), 2048, "o", null, out);
    assertThat(Integer.toUnsignedLong(rc)).isEqualTo(0xB9061006L);
    assertThat(out.getValue()).isNotNull();
    return out.getValue();
  }

  @Test
  void aLeakedResultStringFailsTheTestAndAReleasedOneDoesNot() throws Exception {
    standIn.register(InMemoryDedicatedCloud.create());
    IbmKmsCryptoLibrary library = StandInExtension.library();
    Pointer p = oneResultString(library);

    AssertionError leak = catchThrowableOfType(AssertionError.class,
        () -> standIn.afterEach(null));

    assertThat(leak).hasMessageContaining("1 result string(s) not released with FreeStringC");
    library.FreeStringC(p);
    standIn.afterEach(null);
  }

  @Test
  void aDoubleFreeAndAForeignPointerFailTheTest() throws Exception {
    standIn.register(InMemoryDedicatedCloud.create());
    IbmKmsCryptoLibrary library = StandInExtension.library();
    Pointer p = oneResultString(library);
    library.FreeStringC(p);
    library.FreeStringC(p);
    com.sun.jna.Memory foreign = new com.sun.jna.Memory(8);
    library.FreeStringC(foreign);

    AssertionError e = catchThrowableOfType(AssertionError.class, () -> standIn.afterEach(null));

    assertThat(e).hasMessageContaining("1 double free(s)")
        .hasMessageContaining("1 FreeStringC call(s) on pointers the library never returned");
    StandInExtension.control().StandInReset();
  }

  @Test
  void anErrorInsideTheModelFailsTheTest() {
    StandInHsmModel model = standIn.register(InMemoryDedicatedCloud.create());
    model.hook(c -> {
      throw new IllegalStateException("model bug");
    });
    PointerByReference out = new PointerByReference();

    int rc = StandInExtension.library().ListUsersC(1, out);

    assertThat(Integer.toUnsignedLong(rc)).isEqualTo(StandInHsmModel.MODEL_ERROR);
    AssertionError e = catchThrowableOfType(AssertionError.class, () -> standIn.afterEach(null));
    assertThat(e).hasMessageContaining("model bug");
    standIn.register(InMemoryDedicatedCloud.create());
  }
}
