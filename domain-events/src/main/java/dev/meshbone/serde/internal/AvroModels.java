package dev.meshbone.serde.internal;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;

/** The Avro data models of the serde. */
public final class AvroModels {
  private AvroModels() {}

  /** A generic model with Avro's standard logical-type conversions. */
  public static GenericData genericWithConversions() {
    return withStandardConversions(new GenericData());
  }

  /** A specific model with Avro's standard logical-type conversions. */
  public static SpecificData specificWithConversions() {
    return withStandardConversions(new SpecificData());
  }

  public static <T extends GenericData> T withStandardConversions(T data) {
    data.addLogicalTypeConversion(new TimeConversions.DateConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.TimestampNanosConversion());
    data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    data.addLogicalTypeConversion(new TimeConversions.LocalTimestampNanosConversion());
    data.addLogicalTypeConversion(new Conversions.DecimalConversion());
    data.addLogicalTypeConversion(new Conversions.UUIDConversion());
    return data;
  }
}
