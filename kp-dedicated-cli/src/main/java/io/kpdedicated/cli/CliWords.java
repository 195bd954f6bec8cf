package io.kpdedicated.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts messages of the library into the command line's words: a remediation written for Java
 * callers ("use AdminIdentitySource.load", "allowPrivateEndpoint(true)", "load it with loadPem")
 * names the kpd flag that does the same. Applied to every failure text kpd prints or writes as
 * JSON. Stateless.
 */
final class CliWords {
  /** Java API phrases and their CLI words, tried in order. */
  private static final Map<Pattern, String> PHRASES = new LinkedHashMap<>();

  static {
    phrase("\\(AdminIdentitySource\\.load\\)", "(--credential F, the key file the unit was claimed"
        + " with, and its passphrase)");
    phrase("allow it with allowPrivateEndpoint\\(true\\)", "allow it with --allow-private-endpoint");
    phrase("allowPrivateEndpoint\\(true\\)", "--allow-private-endpoint");
    phrase(" \\(it looks like PEM: load it with loadPem\\)", " (it looks like a PEM file; kpd"
        + " reads PEM private keys too: check that it holds an RSA private key)");
    phrase("Request (\\d+) crypto units to use this instance", "Give --crypto-units $1 to use this"
        + " instance");
    phrase("call supportedRegions\\(\\.\\.\\.\\) if IBM has added it", "the region list is built"
        + " into this kpd version");
    phrase("AdminIdentitySource\\.\\w+(\\([^)]*\\))?", "--credential");
    phrase("MasterKeySource\\.\\w+(\\([^)]*\\))?", "--keyshare-files");
    phrase("AdminIdentity\\.load(Pem)?(\\([^)]*\\))?", "--credential");
    phrase("\\bloadPem\\b", "--credential");
  }

  private CliWords() {}

  private static void phrase(String regex, String words) {
    PHRASES.put(Pattern.compile(regex), words);
  }

  /** Returns {@code text} in the command line's words; null stays null. */
  static String of(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Map.Entry<Pattern, String> e : PHRASES.entrySet()) {
      Matcher m = e.getKey().matcher(result);
      if (m.find()) {
        result = m.replaceAll(e.getValue());
      }
    }
    return result;
  }
}
