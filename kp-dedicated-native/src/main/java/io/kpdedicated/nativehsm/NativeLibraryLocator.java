package io.kpdedicated.nativehsm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.File;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds IBM's HSM library and loads it, lazily and once per locator.
 *
 * <p>Lookup order, for each of the platform's {@linkplain NativePlatform#fileNames() file names}:
 * <ol>
 *   <li>{@code $KEYPROTECT_LIB_PATH}: a folder holding the library, or the library file itself;
 *   <li>beside the running jar (the "executable" of a Java program): {@code .}, {@code lib/},
 *       {@code lib/<os>-<arch>/}, {@code ../lib/}, {@code ../lib/<os>-<arch>/};
 *   <li>the working directory: {@code .}, {@code lib/}, {@code lib/<os>-<arch>/};
 *   <li>each folder of the {@code jna.library.path} system property;
 *   <li>the operating system's loader path ({@code LD_LIBRARY_PATH}, {@code DYLD_LIBRARY_PATH},
 *       {@code PATH}), by file name.
 * </ol>
 * The first file that exists is loaded; when none exists the loader path is tried last. Failure is
 * a {@link NativeLibraryException} naming every place tried, the platform,
 * {@code KEYPROTECT_LIB_PATH} and, on Linux, the {@code LD_PRELOAD} requirement.
 *
 * <p>Only 64-bit Linux x86-64, macOS arm64 and Windows x86-64 are supported, as IBM ships them.
 * Thread-safe; {@link #load()} loads at most once and then returns the same library (or throws
 * the same failure).
 */
public final class NativeLibraryLocator {
  /** The environment variable that names the library's folder (or file). */
  public static final String LIB_PATH_VARIABLE = "KEYPROTECT_LIB_PATH";

  private static final Logger LOG = System.getLogger(NativeLibraryLocator.class.getName());

  private final Function<String, String> environment;
  private final Function<String, String> properties;
  private final Path jarDirectory;
  private final Path workingDirectory;
  private final Function<String, IbmKmsCryptoLibrary> loader;

  private IbmKmsCryptoLibrary loaded;
  private NativeLibraryException failure;

  private NativeLibraryLocator(Builder b) {
    this.environment = b.environment;
    this.properties = b.properties;
    this.jarDirectory = b.jarDirectory;
    this.workingDirectory = b.workingDirectory;
    this.loader = b.loader;
  }

  /**
   * Returns the locator for this process: real environment, system properties, the jar this class
   * was loaded from and the working directory. The same instance every time, so the library is
   * loaded once per process.
   *
   * @return the process-wide locator
   */
  public static NativeLibraryLocator system() {
    return SystemHolder.INSTANCE;
  }

  /**
   * Starts a builder that looks at the real process by default; tests replace the parts.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the library, loading it on the first call.
   *
   * @return the loaded library
   * @throws NativeLibraryException if the platform is unsupported or the library cannot be found
   *     or loaded (the same exception on every later call)
   */
  public synchronized IbmKmsCryptoLibrary load() {
    if (loaded != null) {
      return loaded;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      loaded = locateAndLoad();
      return loaded;
    } catch (NativeLibraryException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Lists the places this locator looks at, in order, without loading anything. The last entry is
   * the operating system's loader path.
   *
   * @return the candidate places, as shown in error messages
   * @throws NativeLibraryException if the platform is unsupported
   */
  public List<String> placesToTry() {
    NativePlatform platform = platform();
    List<String> places = new ArrayList<>();
    for (Candidate c : candidates(platform)) {
      places.add(c.describe());
    }
    return places;
  }

  private IbmKmsCryptoLibrary locateAndLoad() {
    NativePlatform platform = platform();
    List<Candidate> candidates = candidates(platform);
    List<String> tried = new ArrayList<>();
    for (Candidate c : candidates) {
      tried.add(c.describe());
      if (c.file != null && Files.isRegularFile(c.file)) {
        return loadFrom(platform, c.file.toAbsolutePath().normalize().toString(), tried);
      }
    }
    // Nothing on disk: let the operating system's loader search its own path, by file name.
    UnsatisfiedLinkError lastError = null;
    for (String name : platform.fileNames()) {
      try {
        return loader.apply(name);
      } catch (UnsatisfiedLinkError e) {
        lastError = e;
      }
    }
    throw notFound(platform, tried, lastError);
  }

  private IbmKmsCryptoLibrary loadFrom(NativePlatform platform, String file, List<String> tried) {
    if (platform.needsPreload() && !preloaded(file)) {
      LOG.log(Level.WARNING, "IBM''s HSM library {0} is not in LD_PRELOAD; if loading or the first "
          + "call fails, start java as: LD_PRELOAD={0} java ...", file);
    }
    try {
      return loader.apply(file);
    } catch (UnsatisfiedLinkError e) {
      String message = "IBM's HSM library was found at " + file + " but could not be loaded on "
          + platform.directoryName() + ": " + e.getMessage() + "\nPlaces tried, in order:\n"
          + list(tried) + howTo(platform);
      throw new NativeLibraryException(NativeLibraryException.Reason.LOAD_FAILED, message,
          remediation(platform), tried, e);
    }
  }

  private boolean preloaded(String file) {
    String preload = environment.apply("LD_PRELOAD");
    if (preload == null) {
      return false;
    }
    for (String entry : preload.split("[ :]")) {
      if (!entry.isEmpty() && (entry.equals(file) || file.endsWith("/" + entry))) {
        return true;
      }
    }
    return false;
  }

  private NativePlatform platform() {
    String osName = properties.apply("os.name");
    String osArch = properties.apply("os.arch");
    Optional<NativePlatform> platform = NativePlatform.detect(osName, osArch);
    String dataModel = properties.apply("sun.arch.data.model");
    if (platform.isEmpty() || "32".equals(dataModel)) {
      String message = "IBM's HSM library is not available for "
          + NativePlatform.describe(osName, osArch) + ("32".equals(dataModel) ? " (32-bit JVM)" : "")
          + ": IBM ships it for linux-amd64, darwin-arm64 and windows-amd64 only (64-bit JVM). "
          + "Use the portable backend on this machine, or run on a supported platform.";
      throw new NativeLibraryException(NativeLibraryException.Reason.UNSUPPORTED_PLATFORM, message,
          "run on linux-amd64, darwin-arm64 or windows-amd64 with a 64-bit JVM", List.of(), null);
    }
    return platform.get();
  }

  private List<Candidate> candidates(NativePlatform platform) {
    List<Candidate> out = new ArrayList<>();
    String os = platform.directoryName();
    String libPath = environment.apply(LIB_PATH_VARIABLE);
    if (libPath != null && !libPath.isBlank()) {
      Optional<Path> p = path(libPath);
      if (p.isPresent() && Files.isRegularFile(p.get())) {
        out.add(new Candidate(p.get(), LIB_PATH_VARIABLE));
      } else if (p.isPresent()) {
        for (String name : platform.fileNames()) {
          out.add(new Candidate(p.get().resolve(name), LIB_PATH_VARIABLE));
        }
      }
    }
    if (jarDirectory != null) {
      for (String name : platform.fileNames()) {
        out.add(new Candidate(jarDirectory.resolve(name), "beside the jar"));
        out.add(new Candidate(jarDirectory.resolve("lib").resolve(name), "beside the jar"));
        out.add(new Candidate(jarDirectory.resolve("lib").resolve(os).resolve(name),
            "beside the jar"));
        out.add(new Candidate(jarDirectory.resolve("..").resolve("lib").resolve(name),
            "beside the jar"));
        out.add(new Candidate(jarDirectory.resolve("..").resolve("lib").resolve(os).resolve(name),
            "beside the jar"));
      }
    }
    if (workingDirectory != null) {
      for (String name : platform.fileNames()) {
        out.add(new Candidate(workingDirectory.resolve(name), "working directory"));
        out.add(new Candidate(workingDirectory.resolve("lib").resolve(name), "working directory"));
        out.add(new Candidate(workingDirectory.resolve("lib").resolve(os).resolve(name),
            "working directory"));
      }
    }
    String jnaPath = properties.apply("jna.library.path");
    if (jnaPath != null && !jnaPath.isBlank()) {
      for (String dir : jnaPath.split(File.pathSeparator)) {
        Optional<Path> p = dir.isBlank() ? Optional.empty() : path(dir);
        if (p.isPresent()) {
          for (String name : platform.fileNames()) {
            out.add(new Candidate(p.get().resolve(name), "jna.library.path"));
          }
        }
      }
    }
    out.add(new Candidate(null, "the operating system's loader path ("
        + loaderVariable(platform) + ") for " + String.join(" or ", platform.fileNames())));
    return out;
  }

  private static Optional<Path> path(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static String loaderVariable(NativePlatform platform) {
    switch (platform) {
      case LINUX_AMD64:
        return "LD_LIBRARY_PATH";
      case MACOS_ARM64:
        return "DYLD_LIBRARY_PATH";
      default:
        return "PATH";
    }
  }

  private NativeLibraryException notFound(NativePlatform platform, List<String> tried,
      Throwable cause) {
    String message = "IBM's HSM library (" + String.join(" or ", platform.fileNames())
        + ") was not found for " + platform.directoryName() + ". Places tried, in order:\n"
        + list(tried) + howTo(platform);
    return new NativeLibraryException(NativeLibraryException.Reason.NOT_FOUND, message,
        remediation(platform), tried, cause);
  }

  private static String list(List<String> tried) {
    StringBuilder sb = new StringBuilder();
    for (String t : tried) {
      sb.append("  ").append(t).append('\n');
    }
    return sb.toString();
  }

  private static String howTo(NativePlatform platform) {
    String file = platform.fileNames().get(0);
    String text = "Set " + LIB_PATH_VARIABLE + " to the folder that holds " + file
        + " (or to the file itself).";
    if (platform.needsPreload()) {
      text += " On Linux the library must also be preloaded into the JVM: start java as\n"
          + "  " + LIB_PATH_VARIABLE + "=/opt/ibmkms LD_PRELOAD=/opt/ibmkms/" + file
          + " java -jar kpd.jar ...";
    }
    return text;
  }

  private static String remediation(NativePlatform platform) {
    String r = "set " + LIB_PATH_VARIABLE + " to the folder holding "
        + platform.fileNames().get(0);
    return platform.needsPreload() ? r + " and start java with LD_PRELOAD=<that file>" : r;
  }

  /**
   * Loads a library file with JNA, strings encoded as UTF-8.
   *
   * @param nameOrPath an absolute path or a bare file name for the operating system's loader
   * @return the library
   */
  static IbmKmsCryptoLibrary jnaLoad(String nameOrPath) {
    return Native.load(nameOrPath, IbmKmsCryptoLibrary.class,
        Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
  }

  private static Path jarDirectoryOf(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isDirectory(p) ? p : p.getParent();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }

  private static final class Candidate {
    final Path file;
    final String origin;

    Candidate(Path file, String origin) {
      this.file = file;
      this.origin = origin;
    }

    String describe() {
      return file == null ? origin : file + " (" + origin + ")";
    }
  }

  private static final class SystemHolder {
    static final NativeLibraryLocator INSTANCE = builder().build();
  }

  /** Builds a {@link NativeLibraryLocator}. Not thread-safe. */
  public static final class Builder {
    private Function<String, String> environment = System::getenv;
    private Function<String, String> properties = System::getProperty;
    private Path jarDirectory = jarDirectoryOf(NativeLibraryLocator.class);
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Function<String, IbmKmsCryptoLibrary> loader = NativeLibraryLocator::jnaLoad;

    private Builder() {}

    /**
     * Replaces the environment (default: the process environment).
     *
     * @param variables the variables; missing names read as unset
     * @return this builder
     */
    public Builder environment(Map<String, String> variables) {
      Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
      this.environment = copy::get;
      return this;
    }

    /**
     * Replaces the system properties read ({@code os.name}, {@code os.arch},
     * {@code sun.arch.data.model}, {@code jna.library.path}); default: the JVM's.
     *
     * @param values the properties; missing names read as unset
     * @return this builder
     */
    public Builder systemProperties(Map<String, String> values) {
      Map<String, String> copy = Map.copyOf(Objects.requireNonNull(values, "values"));
      this.properties = copy::get;
      return this;
    }

    /**
     * Sets the folder treated as "beside the jar" (default: the folder of the jar holding this
     * class); null to skip.
     *
     * @param directory the folder, or null
     * @return this builder
     */
    public Builder jarDirectory(Path directory) {
      this.jarDirectory = directory;
      return this;
    }

    /**
     * Sets the working directory (default: {@code user.dir}); null to skip.
     *
     * @param directory the folder, or null
     * @return this builder
     */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    /**
     * Builds the locator.
     *
     * @return the locator
     */
    public NativeLibraryLocator build() {
      return new NativeLibraryLocator(this);
    }
  }
}
