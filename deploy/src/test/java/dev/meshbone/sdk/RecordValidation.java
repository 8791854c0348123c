package dev.meshbone.sdk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether this build has contract-validator's record validation (ingest topics validated to the
 * product topic or its dead-letter topic, and the provisioner that creates a declared product's
 * topics). Tests of the record path skip with this message on a build without it, and run on one
 * with it.
 */
final class RecordValidation {
  static final String PROVISIONER = "dev.meshbone.validator.records.ProductTopicProvisioner";

  private RecordValidation() {}

  static boolean present() {
    try {
      Class.forName(PROVISIONER, false, RecordValidation.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static void assumePresent() {
    assumeTrue(
        present(),
        "record validation ("
            + PROVISIONER
            + ") is not on this build: the record path of the SDK"
            + " needs contract-validator to create product topics and validate ingest records");
  }
}
