package io.kpdedicated.cli;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows an initialization's progress. On a terminal, one line per crypto unit event plus a live
 * status line (rewritten in place with {@code \r}) that shows every unit's current step; when output
 * is not a terminal, plain lines only. Instance-level steps print one line each. Events arrive one
 * at a time (the initializer serializes them), so no locking is needed beyond that.
 */
final class ProgressPrinter implements InitializationListener {
  private final PrintWriter out;
  private final boolean live;
  private final List<String> args;
  private final Map<String, String> unitStatus = new LinkedHashMap<>();
  private int statusWidth;

  private final int width;

  ProgressPrinter(PrintWriter out, boolean live, List<String> args, int width) {
    this.out = out;
    this.live = live;
    this.args = args;
    this.width = Math.max(20, width);
  }

  @Override
  public void onEvent(InitializationEvent event) {
    if (event instanceof InitializationEvent.StepStarted e) {
      if (e.unitId() != null) {
        unitStatus.put(e.unitId(), shortLabel(e.step()) + "...");
      } else if (live) {
        unitStatus.putIfAbsent("", "");
      }
      status();
    } else if (event instanceof InitializationEvent.StepSucceeded e) {
      if (e.unitId() == null) {
        unitStatus.remove("");
        line("  " + label(e.step()) + ": " + (e.detail().isEmpty() ? "OK" : e.detail()));
      } else {
        unitStatus.put(e.unitId(), shortLabel(e.step()) + " ok");
        line("Executing operation " + label(e.step()) + " against CryptoUnit with ID "
            + e.unitId() + ": OK" + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")"));
      }
    } else if (event instanceof InitializationEvent.StepSkipped e) {
      if (e.unitId() == null) {
        line("  " + label(e.step()) + ": " + e.reason());
      } else if (!live) {
        line("  " + label(e.step()) + " on " + e.unitId() + " not needed: " + e.reason());
      }
    } else if (event instanceof InitializationEvent.Retrying e) {
      String where = e.unitId() == null ? "" : " on " + e.unitId();
      line("  " + label(e.step()) + where + " failed (attempt " + e.attempt() + "), retrying in "
          + millis(e.delay().toMillis()) + ": "
          + Redactor.redact(CliWords.of(oneLine(e.cause().getMessage())), args));
    } else if (event instanceof InitializationEvent.Waiting e) {
      String what = e.unitId() == null ? "instance" : "crypto unit " + e.unitId();
      if (live) {
        unitStatus.put(e.unitId() == null ? "" : e.unitId(), "waiting: " + e.state());
        status();
      } else {
        line("  waiting for " + what + " (" + e.state() + "), next check in "
            + millis(e.delay().toMillis()));
      }
    } else if (event instanceof InitializationEvent.StepFailed e) {
      String subject = e.unitId() == null ? "" : " against CryptoUnit with ID " + e.unitId();
      line("Executing operation " + label(e.step()) + subject + ": FAILED: "
          + Redactor.redact(Failures.describe(e.cause()).line(), args));
    } else if (event instanceof InitializationEvent.UnitFinished e) {
      UnitOutcome u = e.outcome();
      unitStatus.put(u.unitId(), "done");
      status();
    } else if (event instanceof InitializationEvent.UnitFailed e) {
      unitStatus.put(e.outcome().unitId(), e.outcome().status().name().toLowerCase(Locale.ROOT));
      status();
    } else if (event instanceof InitializationEvent.Finished) {
      clearStatus();
    }
  }

  private static String shortLabel(Step step) {
    switch (step) {
      case IMPORT_MASTER_KEY:
        return "import";
      case ADD_CRYPTO_USER:
        return "crypto-user";
      default:
        return label(step);
    }
  }

  static String label(Step step) {
    switch (step) {
      case PROVISION:
        return "provision";
      case WAIT_ACTIVE:
        return "wait-active";
      case RESOLVE_ENDPOINT:
        return "endpoint";
      case ADMIN_IDENTITY:
        return "admin-identity";
      case KEYSHARES:
        return "keyshares";
      case LIST_UNITS:
        return "list-units";
      case CLAIM:
        return "claim";
      case IMPORT_MASTER_KEY:
        return "mk import";
      case ADD_CRYPTO_USER:
        return "user add kmsCryptoUser";
      case VERIFY:
        return "verify";
      default:
        return step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static String millis(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
  }

  private void line(String text) {
    clearStatus();
    out.println(text);
    status();
    out.flush();
  }

  private void status() {
    if (!live) {
      return;
    }
    StringBuilder b = new StringBuilder("  [");
    unitStatus.forEach((unit, st) -> {
      if (unit.isEmpty()) {
        if (!st.isEmpty()) {
          b.append(" instance: ").append(st).append(" |");
        }
        return;
      }
      b.append(' ').append(shortId(unit)).append(' ').append(st).append(" |");
    });
    if (b.length() <= 3) {
      return;
    }
    b.setLength(b.length() - 1);
    b.append(']');
    String text = b.toString();
    if (text.length() > width - 1) {
      text = text.substring(0, width - 4) + "...";
    }
    out.print("\r" + text + " ".repeat(Math.max(0, statusWidth - text.length())));
    statusWidth = text.length();
    out.flush();
  }

  private void clearStatus() {
    if (live && statusWidth > 0) {
      out.print("\r" + " ".repeat(statusWidth) + "\r");
      statusWidth = 0;
    }
  }

  private static String shortId(String unitId) {
    return unitId.length() <= 8 ? unitId : unitId.substring(0, 8);
  }
}
