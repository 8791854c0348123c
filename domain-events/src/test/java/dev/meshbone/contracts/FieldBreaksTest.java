package dev.meshbone.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.contracts.FieldBreaks.Break;
import dev.meshbone.contracts.FieldBreaks.Kind;
import dev.meshbone.contracts.FieldBreaks.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class FieldBreaksTest {
  private static final String PATIENT = "{\"name\":\"patientId\",\"type\":\"string\"}";
  private static final String AGE = "{\"name\":\"age\",\"type\":\"int\"}";
  private static final String STATUS =
      "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
          + "\"symbols\":[\"ENROLLED\",\"WITHDRAWN\"]}}";
  private static final String SITE =
      "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":["
          + "{\"name\":\"code\",\"type\":\"string\"},{\"name\":\"country\",\"type\":\"string\"}]}}";
  private static final String VISITS =
      "{\"name\":\"visits\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
          + "\"name\":\"Visit\",\"fields\":[{\"name\":\"day\",\"type\":\"int\"},"
          + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}}}";
  private static final String CONSENT =
      "{\"name\":\"consent\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Consent\","
          + "\"fields\":[{\"name\":\"signedAt\",\"type\":\"long\"}]}],\"default\":null}";

  private static final Schema BEFORE = enrollment(PATIENT, AGE, STATUS, SITE, VISITS, CONSENT);

  private static Schema enrollment(String... fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Enrollment\",\"namespace\":\"pharma\",\"fields\":["
                + String.join(",", fields)
                + "]}");
  }

  private static Optional<Problem> check(Schema after, String field) {
    return FieldBreaks.check(BEFORE, after, field);
  }

  @Test
  void shouldFindNoBreakWhenNothingChanges() {
    for (String field : FieldBreaks.leafPaths(BEFORE)) {
      assertThat(check(BEFORE, field)).as(field).isEmpty();
    }
  }

  @Test
  void shouldReportARemovedField() {
    Schema after = enrollment(AGE, STATUS, SITE, VISITS, CONSENT);

    Problem p = check(after, "patientId").orElseThrow();

    assertThat(p.kind()).isEqualTo(Kind.REMOVED);
    assertThat(p.reason()).contains("record Enrollment no longer has a field patientId");
  }

  @Test
  void shouldReportAFieldRenamedWithoutAlias() {
    Schema after =
        enrollment("{\"name\":\"subjectId\",\"type\":\"string\"}", AGE, STATUS, SITE, VISITS);

    Problem p = check(after, "patientId").orElseThrow();

    assertThat(p.kind()).isEqualTo(Kind.RENAMED_WITHOUT_ALIAS);
    assertThat(p.reason()).contains("renamed to subjectId", "\"aliases\": [\"patientId\"]");
  }

  @Test
  void shouldKeepAFieldRenamedWithAnAlias() {
    Schema after =
        enrollment(
            "{\"name\":\"subjectId\",\"type\":\"string\",\"aliases\":[\"patientId\"]}",
            AGE,
            STATUS,
            SITE,
            VISITS,
            CONSENT);

    assertThat(check(after, "patientId")).isEmpty();
  }

  @Test
  void shouldReportATypeChangeTheOldReaderCannotRead() {
    Schema toLong = enrollment(PATIENT, "{\"name\":\"age\",\"type\":\"long\"}", STATUS, SITE);
    Schema toString = enrollment(PATIENT, "{\"name\":\"age\",\"type\":\"string\"}", STATUS, SITE);

    assertThat(check(toLong, "age").orElseThrow().kind()).isEqualTo(Kind.TYPE_CHANGED);
    assertThat(check(toString, "age").orElseThrow().reason())
        .contains("was int, is now string, which a reader of int cannot read");
  }

  @Test
  void shouldAcceptATypeChangeAvroResolutionReads() {
    Schema before = enrollment(PATIENT, "{\"name\":\"age\",\"type\":\"long\"}");
    Schema after = enrollment(PATIENT, AGE); // an int is read as a long: a promotion

    assertThat(FieldBreaks.check(before, after, "age")).isEmpty();
  }

  @Test
  void shouldReportANewEnumSymbolTheOldReaderDoesNotKnow() {
    Schema after =
        enrollment(
            PATIENT,
            AGE,
            "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                + "\"symbols\":[\"ENROLLED\",\"WITHDRAWN\",\"SCREENED\"]}}");

    assertThat(check(after, "status").orElseThrow().kind()).isEqualTo(Kind.TYPE_CHANGED);
  }

  @Test
  void shouldReportALeafThatMayNowBeNull() {
    Schema after =
        enrollment("{\"name\":\"patientId\",\"type\":[\"null\",\"string\"],\"default\":null}");

    Problem p = check(after, "patientId").orElseThrow();

    assertThat(p.kind()).isEqualTo(Kind.TYPE_CHANGED);
    assertThat(p.reason()).contains("was string, is now null or string");
  }

  @Test
  void shouldReportARemovedNestedField() {
    Schema after =
        enrollment(
            PATIENT,
            "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":["
                + "{\"name\":\"country\",\"type\":\"string\"}]}}");

    assertThat(check(after, "site.code").orElseThrow().kind()).isEqualTo(Kind.REMOVED);
    assertThat(check(after, "site.country")).isEmpty();
  }

  @Test
  void shouldReportANestedParentThatIsNoLongerARecord() {
    Schema after = enrollment(PATIENT, "{\"name\":\"site\",\"type\":\"string\"}");

    Problem p = check(after, "site.code").orElseThrow();

    assertThat(p.kind()).isEqualTo(Kind.TYPE_CHANGED);
    assertThat(p.reason()).contains("site was record, is now string");
  }

  @Test
  void shouldReportANestedParentThatMayNowBeNull() {
    Schema after =
        enrollment(
            PATIENT,
            "{\"name\":\"site\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Site\","
                + "\"fields\":[{\"name\":\"code\",\"type\":\"string\"}]}],\"default\":null}");

    Problem p = check(after, "site.code").orElseThrow();

    assertThat(p.kind()).isEqualTo(Kind.TYPE_CHANGED);
    assertThat(p.reason()).contains("site may now be null");
  }

  @Test
  void shouldReportARenamedNestedRecord() {
    Schema after =
        enrollment(
            PATIENT,
            "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Location\",\"fields\":["
                + "{\"name\":\"code\",\"type\":\"string\"}]}}");

    assertThat(check(after, "site.code").orElseThrow().reason())
        .contains("was record Site, is now record Location");
  }

  @Test
  void shouldWalkIntoNullableRecords() {
    Schema removed = enrollment(PATIENT, CONSENT.replace("signedAt", "signedOn"));
    Schema widened =
        enrollment(
            PATIENT,
            CONSENT.replace(
                "{\"name\":\"signedAt\",\"type\":\"long\"}",
                "{\"name\":\"signedAt\",\"type\":\"long\"},{\"name\":\"by\",\"type\":\"string\",\"default\":\"\"}"));

    assertThat(check(removed, "consent.signedAt").orElseThrow().kind())
        .isEqualTo(Kind.RENAMED_WITHOUT_ALIAS);
    assertThat(check(widened, "consent.signedAt")).isEmpty();
  }

  @Test
  void shouldWalkIntoArrays() {
    Schema dayRemoved =
        enrollment(
            PATIENT,
            "{\"name\":\"visits\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
                + "\"name\":\"Visit\",\"fields\":[{\"name\":\"note\",\"type\":[\"null\","
                + "\"string\"],\"default\":null}]}}}");
    Schema noLongerAnArray =
        enrollment(
            PATIENT,
            "{\"name\":\"visits\",\"type\":{\"type\":\"record\",\"name\":\"Visit\",\"fields\":["
                + "{\"name\":\"day\",\"type\":\"int\"}]}}");

    assertThat(check(dayRemoved, "visits.day").orElseThrow().kind()).isEqualTo(Kind.REMOVED);
    assertThat(check(dayRemoved, "visits.note")).isEmpty();
    assertThat(check(noLongerAnArray, "visits.day").orElseThrow().reason())
        .contains("visits was array of record, is now record");
  }

  @Test
  void shouldNotBlameAChangeForAPathTheLatestVersionLacks() {
    Schema after = enrollment(PATIENT);

    assertThat(check(after, "dateOfBirth")).isEmpty();
    assertThat(check(after, "site.building")).isEmpty();
  }

  @Test
  void shouldAttributeBreaksToEachConsumerThatReadsTheField() {
    Schema after = enrollment(AGE, STATUS, SITE, VISITS, CONSENT);

    List<Break> breaks =
        FieldBreaks.breaks(
            BEFORE,
            after,
            Map.of(
                "pharmacovigilance", List.of("patientId", "site.code"),
                "finance", List.of("site.country"),
                "audit", List.of("age", "patientId")));

    assertThat(breaks)
        .extracting(Break::consumer, Break::field, Break::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("audit", "patientId", Kind.REMOVED),
            org.assertj.core.groups.Tuple.tuple("pharmacovigilance", "patientId", Kind.REMOVED));
  }

  @Test
  void shouldDeriveLeafPathsFromAReaderSchema() {
    assertThat(FieldBreaks.leafPaths(BEFORE))
        .containsExactly(
            "patientId",
            "age",
            "status",
            "site.code",
            "site.country",
            "visits.day",
            "visits.note",
            "consent.signedAt");
  }

  @Test
  void shouldStopAtRecursiveTypes() {
    Schema tree =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"label\","
                    + "\"type\":\"string\"},{\"name\":\"children\",\"type\":{\"type\":\"array\","
                    + "\"items\":\"Node\"}}]}");

    assertThat(FieldBreaks.leafPaths(tree)).containsExactly("label", "children");
  }

  @Test
  void shouldNameWhatIsWrongWithAPath() {
    assertThat(FieldBreaks.pathProblem(BEFORE, "site.code")).isEmpty();
    assertThat(FieldBreaks.pathProblem(BEFORE, "visits.day")).isEmpty();
    assertThat(FieldBreaks.pathProblem(BEFORE, "site.zip").orElseThrow())
        .contains("\"site.zip\" does not exist");
    assertThat(FieldBreaks.pathProblem(BEFORE, "site..code").orElseThrow())
        .contains("not a path of Avro field names");
    assertThatThrownBy(() -> FieldBreaks.path(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
