package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultTablesTest {

  @Test
  void usersWithHeaderLinesPaddedNamesAndExtraColumnsAreRead() {
    String table = "Found 2 users\n"
        + "Name              Permission  Mechanism  Attributes\n"
        + "----------------  ----------  ---------  ----------\n"
        + "ADMIN             22000000    RSA sign   Z[0]\n"
        + "   kms-user       00000002    RSA sign   I[0]A[CXI_GROUP=SLOT_0068]   extra 42\n"
        + "\n";
    List<NativeUser> users = ResultTables.parseUsers(table, "u1");
    assertThat(users).containsExactly(
        new NativeUser("ADMIN", "22000000", "RSA sign", "Z[0]", Map.of()),
        new NativeUser("kms-user", "00000002", "RSA sign", "I[0]A[CXI_GROUP=SLOT_0068]",
            Map.of("CXI_GROUP", "SLOT_0068")));
    assertThat(users.get(0).permissionBits()).isEqualTo(0x22000000L);
  }

  @Test
  void anEmptyOrNullAnswerIsNoUsers() {
    assertThat(ResultTables.parseUsers(null, "u1")).isEmpty();
    assertThat(ResultTables.parseUsers("", "u1")).isEmpty();
    assertThat(ResultTables.parseUsers("Found 0 users\n", "u1")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ADMIN 2200000G RSA sign Z[0]",
      "ADMIN 22000000 RSA sign",
      "ADMIN 22000000 Z[0]",
      "<html><body>502 Bad Gateway</body></html>",
      "ADMIN 22000000 RSA s!gn Z[0]",
      "error: session expired"
  })
  void anythingElseInTheUserTableIsAnUnexpectedAnswerWithTheRawLine(String line) {
    UnexpectedAnswerException e = catchThrowableOfType(UnexpectedAnswerException.class,
        () -> ResultTables.parseUsers("Name Permission Mechanism Attributes\n" + line, "u1"));
    assertThat(e.rawLine()).contains(line);
    assertThat(e.call()).isEqualTo(NativeCall.LIST_USERS);
    assertThat(e.unitId()).contains("u1");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).startsWith("unexpected answer from ListUsersC on unit u1: ");
  }

  @Test
  void masterKeysWithPaddedNamesAndExtraColumnsAreRead() {
    String table = "slot name     len algo type k date       time     kcv\n"
        + "3    KPMK      32 AES  MBK  2 2024-05-01 10:11:12 fdca29d11b2fff3b:caaf20ff34786279 x\n";
    assertThat(ResultTables.parseMasterKeys(table, "u1")).containsExactly(
        new NativeMasterKey(3, "KPMK", 32, "AES", "MBK", 2, "2024-05-01", "10:11:12",
            "fdca29d11b2fff3b:caaf20ff34786279"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "3 KPMK 32 AES MBK 2 2024-05-01 10:11:12 fdca29d11b2fff3b",
      "3 KPMK 32 AES MBK 2 2024-05-01 10:11:12 fdca29d11b2fff3b:caaf20ff3478627",
      "3 KPMK 32 AES MBK 2 2024-05-01 10:11:12 fdca29d11b2fff3g:caaf20ff34786279",
      "x KPMK 32 AES MBK 2 2024-05-01 10:11:12 fdca29d11b2fff3b:caaf20ff34786279",
      "3 KPMK 32 AES MBK 2 yesterday 10:11:12 fdca29d11b2fff3b:caaf20ff34786279",
      "no master key loaded"
  })
  void anythingElseInTheMasterKeyTableIsAnUnexpectedAnswer(String line) {
    UnexpectedAnswerException e = catchThrowableOfType(UnexpectedAnswerException.class,
        () -> ResultTables.parseMasterKeys(line + "\n", "u1"));
    assertThat(e.rawLine()).contains(line);
    assertThat(e.call()).isEqualTo(NativeCall.LIST_MASTER_KEYS);
  }

  @Test
  void answersAreBoundedInLinesAndLineLength() {
    assertThat(catchThrowableOfType(UnexpectedAnswerException.class,
        () -> ResultTables.parseUsers("\n".repeat(ResultTables.MAX_LINES + 1), null))
        .getMessage()).contains("more than 1024 lines");
    UnexpectedAnswerException longLine = catchThrowableOfType(UnexpectedAnswerException.class,
        () -> ResultTables.parseUsers("A".repeat(ResultTables.MAX_LINE + 1), null));
    assertThat(longLine.rawLine()).hasValueSatisfying(r ->
        assertThat(r).hasSize(UnexpectedAnswerException.MAX_RAW_LINE + 3).endsWith("..."));
  }

  @Test
  void controlCharactersInARawLineAreShownAsQuestionMarks() {
    UnexpectedAnswerException e = catchThrowableOfType(UnexpectedAnswerException.class,
        () -> ResultTables.parseUsers("bad\u0007line\u001b[31m", null));
    assertThat(e.rawLine()).contains("bad?line?[31m");
  }
}
