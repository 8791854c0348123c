package dev.meshbone.local.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** The demo domains' contracts, kept as .avsc resources as a domain team keeps them. */
final class Schemas {
  static final Schema ENROLLMENT_V1 = load("trial-enrollment-v1.avsc");
  static final Schema ENROLLMENT_V2 = load("trial-enrollment-v2.avsc");
  static final Schema BATCH_RELEASE = load("batch-release.avsc");
  static final Schema SHIPMENT_NOTICE = load("shipment-notice.avsc");
  static final Schema ADVERSE_EVENT = load("adverse-event-report.avsc");

  private Schemas() {}

  private static Schema load(String name) {
    try (InputStream in = Schemas.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("demo schema /demo/" + name + " is not on the classpath");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
