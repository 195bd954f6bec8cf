package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Loads an administrator identity named on the command line: whatever the library loads, a
 * PKCS#12 file (from {@code kpd sig-key generate}, {@code keytool} or {@code openssl pkcs12
 * -export}) or a PEM private key (PKCS#8, encrypted with PBES2 as {@code openssl pkcs8 -topk8 -v2
 * aes-256-cbc} writes it, or unencrypted PKCS#8 / PKCS#1 as {@code openssl genrsa} writes it). A
 * PEM file without a certificate gets a new self-signed one naming the administrator. Stateless.
 */
final class AdminAuth {
  /** The administrator name in the certificate made for a PEM key without one. */
  static final String DEFAULT_PEM_NAME = "admin";
  /** How much of a file is read to tell PEM from PKCS#12. */
  private static final int SNIFF_BYTES = 64;

  private AdminAuth() {}

  /**
   * Loads {@code file}: with the passphrase named for it; when none is named, as an unprotected
   * file, else with the passphrase from the {@code --passphrases} file or the prompt.
   *
   * @param pemAdminName the administrator name for a PEM key that comes without a certificate
   */
  static AdminIdentity load(SecretFile file, PassphraseResolver resolver, String pemAdminName) {
    FileChecks.requireReadable(file.file(), "admin key file");
    Format format = format(file.file());
    if (format == Format.PEM_PUBLIC) {
      throw CliException.badInput("admin key file " + file.file() + " holds a public key only;"
          + " an administrator signs with the private key: give the PEM private key or the"
          + " PKCS#12 file");
    }
    boolean mayBeUnprotected = format != Format.PEM_ENCRYPTED;
    if (file.passphrase().specified() || resolver.hasFileEntry(file.file())
        || !mayBeUnprotected) {
      Optional<Passphrase> given = resolver.resolveOptional(file, PassphraseResolver.Use.OPEN);
      if (given.isEmpty()) {
        throw noPassphrase(file.file());
      }
      try (Passphrase p = given.get()) {
        return open(file.file(), format, p, pemAdminName);
      }
    }
    try {
      return read(file.file(), format, null, pemAdminName);
    } catch (KeyFileException e) {
      if (e.reason() != KeyFileException.Reason.WRONG_PASSPHRASE) {
        throw e;
      }
    }
    Optional<Passphrase> p = resolver.resolveOptional(file, PassphraseResolver.Use.OPEN);
    if (p.isEmpty()) {
      throw noPassphrase(file.file());
    }
    try (Passphrase pass = p.get()) {
      return open(file.file(), format, pass, pemAdminName);
    }
  }

  private static CliException noPassphrase(Path file) {
    return CliException.badInput("admin key file " + file + " is protected by a passphrase and"
        + " none was given: " + PassphraseResolver.howToGive());
  }

  /** Opens a protected admin key file; a wrong passphrase becomes one line saying what to do. */
  private static AdminIdentity open(Path file, Format format, Passphrase passphrase,
      String pemAdminName) {
    try {
      return read(file, format, passphrase, pemAdminName);
    } catch (KeyFileException e) {
      if (e.reason() != KeyFileException.Reason.WRONG_PASSPHRASE) {
        throw e;
      }
      throw CliException.badInput(e.getMessage() + "; give the passphrase it was saved with"
          + " (the one 'kpd sig-key generate' asked for, the one given to openssl, or its line in"
          + " passphrases.txt)", e);
    }
  }

  private static AdminIdentity read(Path file, Format format, Passphrase passphrase,
      String pemAdminName) {
    if (format == Format.PKCS12) {
      return AdminIdentity.load(file, passphrase);
    }
    if (pemHasCertificate(file)) {
      return AdminIdentity.loadPem(file, passphrase, (X509Certificate) null);
    }
    return AdminIdentity.loadPem(file, passphrase, pemAdminName);
  }

  /** What a key file looks like from its first bytes. */
  enum Format {
    /** Binary: PKCS#12 (anything that is not PEM text is handed to the PKCS#12 reader). */
    PKCS12,
    /** PEM with a private key that needs no passphrase. */
    PEM,
    /** PEM with an {@code ENCRYPTED PRIVATE KEY} block. */
    PEM_ENCRYPTED,
    /** PEM with a public key and no private key. */
    PEM_PUBLIC
  }

  /** Tells PEM from PKCS#12, and which kind of PEM; reads at most the library's file bound. */
  static Format format(Path file) {
    String head;
    try (InputStream in = Files.newInputStream(file)) {
      head = new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw CliException.badInput("cannot read key file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (!head.stripLeading().startsWith("-----BEGIN ")) {
      return Format.PKCS12;
    }
    String text = pemText(file);
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return Format.PEM_ENCRYPTED;
    }
    if (text.contains("PRIVATE KEY-----")) {
      return Format.PEM;
    }
    if (text.contains("PUBLIC KEY-----")) {
      return Format.PEM_PUBLIC;
    }
    return Format.PEM;
  }

  private static boolean pemHasCertificate(Path file) {
    return pemText(file).contains("-----BEGIN CERTIFICATE-----");
  }

  /** Reads a PEM file as text, refusing files larger than any key file (1 MiB). */
  static String pemText(Path file) {
    try {
      if (Files.size(file) > 1024 * 1024) {
        throw CliException.badInput("key file " + file + " is larger than 1 MiB: not a key file");
      }
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw CliException.badInput("cannot read key file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
