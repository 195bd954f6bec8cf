package io.kpdedicated.cli;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.SecureFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code kpd init} and {@code kpd plan} decide before any change: the instance, the
 * output folder, the administrator identity, the keyshares and every passphrase. {@link #prepare}
 * validates all input and touches nothing; {@link #writeFiles()} then creates the folder and the
 * passphrases file of generated passphrases (0600). Close it to wipe the passphrases.
 */
final class InitSetup implements AutoCloseable {
  static final String DEMO_INSTANCE = "kpd-demo";
  static final String ADMIN_FILE = "admin.p12";
  static final String PASSPHRASES_FILE = "passphrases.txt";
  /** Most attempts per call {@code --max-attempts} allows: a CLI bound, beyond it a run hangs. */
  static final int MAX_ATTEMPTS = 20;

  private final CliContext ctx;
  private final InitOptions o;
  private final boolean embedded;
  private final List<Passphrase> owned = new ArrayList<>();
  /** Generated passphrases by file, to be written into the passphrases file. */
  private final Map<Path, Passphrase> generated = new LinkedHashMap<>();
  private final Set<Path> filesToWrite = new LinkedHashSet<>();

  private InstanceSelector instance;
  private Path outDir;
  private boolean outDirExists;
  private AdminIdentity loadedAdmin;
  private AdminIdentitySource adminSource;
  private MasterKeySource masterKeySource;
  private Path passphrasesFile;
  private boolean usesOutDir;

  private InitSetup(CliContext ctx, InitOptions o, boolean embedded) {
    this.ctx = ctx;
    this.o = o;
    this.embedded = embedded;
  }

  /** Validates the options and decides everything; changes nothing on disk or in the cloud. */
  static InitSetup prepare(CliContext ctx, InitOptions o, boolean embedded) {
    InitSetup s = new InitSetup(ctx, o, embedded);
    try {
      s.decide();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void decide() {
    instance = selectInstance();
    if (o.maxAttempts < 1 || o.maxAttempts > MAX_ATTEMPTS) {
      throw CliException.badInput("--max-attempts must be 1 to " + MAX_ATTEMPTS + ", got "
          + o.maxAttempts);
    }
    if (o.concurrency != null) {
      try {
        // The initializer owns the bound; ask it rather than copying its number.
        DedicatedInitializer.builder().concurrency(o.concurrency);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--concurrency: " + e.getMessage(), e);
      }
    }
    outDir = chooseOutDir();
    try (PassphraseResolver resolver = o.passphrases.resolver(ctx)) {
      decideAdmin(resolver);
      decideKeyshares(resolver);
    }
    if (!generated.isEmpty()) {
      passphrasesFile = outDir.resolve(PASSPHRASES_FILE);
      if (Files.exists(passphrasesFile, LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.badInput(passphrasesFile + " exists already and kpd would have to"
            + " overwrite it with new passphrases: resume with --passphrases " + passphrasesFile
            + ", or choose another --out folder");
      }
    } else if (o.passphrases.passphrasesFile != null) {
      passphrasesFile = ctx.resolve(o.passphrases.passphrasesFile);
    }
  }

  private InstanceSelector selectInstance() {
    InstanceRequest request = InstanceCommand.request(
        o.name != null ? o.name : DEMO_INSTANCE, o.placement, o.cryptoUnits.count());
    if (embedded) {
      return InstanceSelector.createOrReuse(request);
    }
    CloudSettings s = o.target.settings(ctx);
    if (s.instanceId() != null && o.name != null) {
      throw CliException.badInput("give either --name (create or reuse by name) or "
          + Env.INSTANCE_ID + " / --instance-id (an existing instance), not both");
    }
    if (s.instanceId() != null) {
      return s.targetAddr() != null
          ? InstanceSelector.target(new InstanceTarget(s.targetAddr(), s.instanceId()))
          : InstanceSelector.existing(s.instanceId());
    }
    if (o.name == null) {
      throw CliException.badInput("on IBM Cloud, name the instance: --name NAME creates it (or"
          + " reuses the one with that name), or set " + Env.INSTANCE_ID + " to an existing one");
    }
    // An instance reused by name keeps its unit count unless --crypto-units was given (then a
    // different count is the initializer's error).
    return o.cryptoUnits.given() ? InstanceSelector.createOrReuse(request)
        : InstanceSelector.createOrReuseAnyUnitCount(request);
  }

  private Path chooseOutDir() {
    if (o.out != null) {
      Path dir = ctx.resolve(o.out);
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw CliException.badInput("--out " + dir + " is a file, not a folder");
      }
      outDirExists = Files.isDirectory(dir);
      return dir;
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneId.systemDefault()).format(ctx.clock().instant());
    Path dir = ctx.workingDirectory().resolve("kpd-out-" + stamp);
    for (int i = 2; Files.exists(dir, LinkOption.NOFOLLOW_LINKS); i++) {
      dir = ctx.workingDirectory().resolve("kpd-out-" + stamp + "-" + i);
    }
    return dir;
  }

  private void decideAdmin(PassphraseResolver resolver) {
    if (o.credential.given()) {
      SecretFile file = o.credential.file(ctx);
      loadedAdmin = AdminAuth.load(file, resolver, o.adminName);
      adminSource = AdminIdentitySource.of(loadedAdmin);
      return;
    }
    if (o.adminName.isBlank() || o.adminName.length() > AdminIdentity.MAX_NAME_LENGTH) {
      throw CliException.badInput("--admin-name must have 1 to " + AdminIdentity.MAX_NAME_LENGTH
          + " characters");
    }
    Path file = outDir.resolve(ADMIN_FILE);
    Passphrase p = passphraseForOwnFile(file, resolver);
    adminSource = AdminIdentitySource.generate(file, p, o.adminName);
  }

  private void decideKeyshares(PassphraseResolver resolver) {
    String keyName = o.masterKey.keyName(InitOptions.DEFAULT_KEY_NAME);
    if (o.keyshareFiles.given()) {
      List<SecretFile> files = o.keyshareFiles.files(ctx);
      long existing = files.stream().filter(f -> Files.exists(f.file())).count();
      if (existing == files.size()) {
        masterKeySource = MasterKeySource.existing(locations(files, resolver,
            PassphraseResolver.Use.OPEN));
        return;
      }
      if (existing > 0) {
        throw CliException.badInput("some --keyshare-files exist and some do not: give only"
            + " existing files (to load that master key) or only new ones (to generate one)");
      }
      int minimum = minimum(files.size());
      for (SecretFile f : files) {
        FileChecks.requireNew(f.file(), "keyshare file");
      }
      masterKeySource = MasterKeySource.generate(keyName, minimum, locations(files, resolver,
          PassphraseResolver.Use.CREATE));
      files.forEach(f -> filesToWrite.add(f.file()));
      return;
    }
    int minimum = minimum(o.keyshares);
    List<KeyshareLocation> targets = new ArrayList<>();
    for (int i = 1; i <= o.keyshares; i++) {
      Path file = outDir.resolve("keyshare-" + i + ".json");
      targets.add(new KeyshareLocation(file, passphraseForOwnFile(file, resolver)));
    }
    masterKeySource = MasterKeySource.generate(keyName, minimum, targets);
  }

  /** Checks the keyshare count (--keyshares or the files) and returns K. */
  private int minimum(int count) {
    return o.masterKey.minimum(InitOptions.DEFAULT_MINIMUM, count,
        "--keyshares or the number of --keyshare-files is " + count);
  }

  private List<KeyshareLocation> locations(List<SecretFile> files, PassphraseResolver resolver,
      PassphraseResolver.Use use) {
    List<KeyshareLocation> out = new ArrayList<>();
    for (SecretFile f : files) {
      Passphrase p = resolver.resolve(f, use);
      owned.add(p);
      out.add(new KeyshareLocation(f.file(), p));
    }
    return out;
  }

  /** A file kpd writes into the output folder: its passphrase from --passphrases, else random. */
  private Passphrase passphraseForOwnFile(Path file, PassphraseResolver resolver) {
    usesOutDir = true;
    if (resolver.hasFileEntry(file)) {
      Passphrase p = resolver.resolve(new SecretFile(file, PassphraseSource.UNSPECIFIED),
          PassphraseResolver.Use.OPEN);
      owned.add(p);
      return p;
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw CliException.badInput(file + " exists already (from an earlier run?) and kpd never"
          + " overwrites it: resume that run with --passphrases " + outDir.resolve(PASSPHRASES_FILE)
          + ", or choose another --out folder");
    }
    Passphrase p = Passphrase.generate(ctx.random());
    owned.add(p);
    generated.put(file, p);
    filesToWrite.add(file);
    return p;
  }

  /** Creates the output folder (0700) and writes the generated passphrases (0600, atomically). */
  void writeFiles() {
    if (usesOutDir) {
      createOutDir();
    }
    if (generated.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder(
        "# Passphrases kpd generated, one line FILE#PASSPHRASE (split at the first '#').\n"
            + "# Anyone with this file and the key files can act as administrator and rebuild the"
            + " master key.\n");
    List<char[]> wipe = new ArrayList<>();
    for (Map.Entry<Path, Passphrase> e : generated.entrySet()) {
      char[] c = e.getValue().copyChars();
      wipe.add(c);
      text.append(outDir.relativize(e.getKey())).append('#').append(c).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    try {
      SecureFiles.writeAtomically(passphrasesFile, bytes, false);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      wipe.forEach(c -> Arrays.fill(c, '\0'));
    }
  }

  private void createOutDir() {
    SecureFiles.createOwnerOnlyFolder(outDir);
  }

  /** Returns a builder configured with everything decided, the transport and the listener. */
  DedicatedInitializer.Builder builder(DedicatedTransport transport,
      InitializationListener listener) {
    DedicatedInitializer.Builder b = DedicatedInitializer.builder()
        .transport(transport)
        .instance(instance)
        .adminIdentity(adminSource)
        .masterKey(masterKeySource)
        .keyshareWriteOptions(o.kdf.writeOptions(ctx))
        .retryPolicy(RetryPolicy.defaults().withMaxAttempts(o.maxAttempts))
        .listener(listener)
        .clock(ctx.clock())
        .sleeper(ctx.sleeper())
        .random(ctx.random())
        .allowPrivateEndpoint(o.allowPrivateEndpoint);
    if (embedded) {
      b.waitPolicy(new WaitPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 1.5,
          Duration.ofMinutes(2)));
    }
    if (o.concurrency != null) {
      b.concurrency(o.concurrency);
    }
    if (!o.units.ids.isEmpty()) {
      b.targetUnits(new LinkedHashSet<>(o.units.ids));
    }
    return b;
  }

  Path outDir() {
    return outDir;
  }

  boolean outDirExisted() {
    return outDirExists;
  }

  /** Returns whether kpd writes files into the output folder in this run. */
  boolean usesOutDir() {
    return usesOutDir;
  }

  /** The passphrases file: the one written with generated passphrases, or the one given. */
  Path passphrasesFile() {
    return passphrasesFile;
  }

  boolean generatedPassphrases() {
    return !generated.isEmpty();
  }

  /** Files kpd may create in this run. */
  Set<Path> filesToWrite() {
    return filesToWrite;
  }

  boolean generatesAdmin() {
    return adminSource instanceof AdminIdentitySource.Generate;
  }

  @Override
  public void close() {
    owned.forEach(Passphrase::close);
    if (loadedAdmin != null) {
      loadedAdmin.close();
    }
  }
}
