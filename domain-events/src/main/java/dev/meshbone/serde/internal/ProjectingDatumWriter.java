package dev.meshbone.serde.internal;

import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes a record under another schema than its own (the subject's latest version with {@code
 * use.latest.version}): each field of the target schema takes the record's field of the same name
 * (or an alias), else the target field's default; enum symbols are matched by name. Records the
 * target cannot take (a missing field without default, an unknown enum symbol) fail with a message
 * naming the field.
 */
public final class ProjectingDatumWriter extends SpecificDatumWriter<Object> {
  private final Schema target;

  public ProjectingDatumWriter(Schema target, SpecificData data) {
    super(target, data);
    this.target = target;
  }

  @Override
  protected void writeField(Object datum, Schema.Field field, Encoder out, Object state)
      throws IOException {
    Object value = valueOf((IndexedRecord) datum, field);
    try {
      write(field.schema(), value, out);
    } catch (NullPointerException | ClassCastException | AvroTypeException e) {
      throw new AvroTypeException(
          "field " + field.name() + " of " + target.getFullName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void writeEnum(Schema schema, Object datum, Encoder out) throws IOException {
    String symbol = datum.toString();
    if (!schema.hasEnumSymbol(symbol)) {
      throw new AvroTypeException(
          "enum symbol " + symbol + " is not in " + schema.getFullName() + " of the target schema");
    }
    out.writeEnum(schema.getEnumOrdinal(symbol));
  }

  private Object valueOf(IndexedRecord record, Schema.Field field) {
    Schema own = record.getSchema();
    Schema.Field match = own.getField(field.name());
    if (match == null) {
      for (String alias : field.aliases()) {
        match = own.getField(alias);
        if (match != null) {
          break;
        }
      }
    }
    if (match == null) {
      for (Schema.Field candidate : own.getFields()) {
        if (candidate.aliases().contains(field.name())) {
          match = candidate;
          break;
        }
      }
    }
    if (match != null) {
      return record.get(match.pos());
    }
    if (field.hasDefaultValue()) {
      return getData().getDefaultValue(field);
    }
    throw new AvroRuntimeException(
        "field "
            + field.name()
            + " of "
            + target.getFullName()
            + " has no value in a "
            + own.getFullName()
            + " and no default");
  }
}
