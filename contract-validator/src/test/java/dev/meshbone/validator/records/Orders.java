package dev.meshbone.validator.records;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.serde.MeshEventSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;

/**
 * A product contract for tests, and records under it hand-encoded in the Confluent wire format, the
 * way a producer with Confluent's Avro serializer writes them.
 */
public final class Orders {
  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Order","namespace":"sales","fields":[
                {"name":"orderId","type":"string"},
                {"name":"customer","type":["null",{"type":"record","name":"Customer","fields":[
                  {"name":"id","type":"string"},
                  {"name":"email","type":["null","string"],"default":null}]}],"default":null},
                {"name":"amount","type":"double"},
                {"name":"quantity","type":"int"},
                {"name":"currency","type":{"type":"enum","name":"Currency",
                  "symbols":["EUR","USD","GBP","JPY"]}},
                {"name":"status","type":"string"},
                {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line",
                  "fields":[{"name":"sku","type":"string"},{"name":"qty","type":"int"}]}}},
                {"name":"tags","type":{"type":"map","values":"string"}},
                {"name":"createdAt","type":{"type":"long","logicalType":"timestamp-millis"}}
              ]}
              """);

  /** Rules on top-level, nested (through a nullable record) and array-item fields. */
  public static final String RULES =
      """
      {"domainRules":[
        {"name":"amount-range","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"amount","min":"0","max":"10000"}},
        {"name":"currency-known","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"currency","allowed":"EUR,USD,GBP"}},
        {"name":"order-id-format","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"orderId","pattern":"ORD-[0-9]{1,12}"}},
        {"name":"email-present","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"customer.email","required":"true","maxLength":"64"}},
        {"name":"line-qty","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"lines.qty","min":"1"}},
        {"name":"not-cel","kind":"CONDITION","mode":"WRITE","type":"CEL",
         "expr":"message.amount > 0"}
      ]}
      """;

  public static final Schema OTHER_SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Shipment","namespace":"logistics","fields":[
                {"name":"id","type":"string"}]}
              """);

  public static final Schema KEY_SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"OrderKey","namespace":"sales","fields":[
                {"name":"orderId","type":"string"}]}
              """);

  private Orders() {}

  /** A valid order. */
  public static GenericRecord order() {
    var customer = new GenericData.Record(SCHEMA.getField("customer").schema().getTypes().get(1));
    customer.put("id", "C-17");
    customer.put("email", "ada@example.com");
    Schema lineSchema = SCHEMA.getField("lines").schema().getElementType();
    var line = new GenericData.Record(lineSchema);
    line.put("sku", "SKU-1");
    line.put("qty", 2);
    var order = new GenericData.Record(SCHEMA);
    order.put("orderId", "ORD-1001");
    order.put("customer", customer);
    order.put("amount", 129.5);
    order.put("quantity", 2);
    order.put("currency", new GenericData.EnumSymbol(SCHEMA.getField("currency").schema(), "EUR"));
    order.put("status", "NEW");
    order.put("lines", List.of(line));
    order.put("tags", Map.of("channel", "web"));
    order.put("createdAt", 1_700_000_000_000L);
    return order;
  }

  public static GenericRecord orderKey(String id) {
    var key = new GenericData.Record(KEY_SCHEMA);
    key.put("orderId", id);
    return key;
  }

  public static GenericRecord shipment() {
    var s = new GenericData.Record(OTHER_SCHEMA);
    s.put("id", "S-1");
    return s;
  }

  /** Magic byte 0, the 4-byte big-endian schema id, the Avro binary encoding. */
  public static byte[] confluent(int schemaId, GenericRecord record) {
    try {
      var out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
      var encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ContractEntry version(
      String subject, int version, int id, Schema schema, String rules) {
    return version(subject, version, id, schema, rules, false);
  }

  public static ContractEntry version(
      String subject, int version, int id, Schema schema, String rules, boolean deleted) {
    return ContractEntry.newBuilder()
        .setVersion(
            ContractVersion.newBuilder()
                .setSubject(subject)
                .setVersion(version)
                .setSchemaId(id)
                .setSchema$(schema.toString())
                .setRuleSetJson(rules)
                .setDeleted(deleted)
                .setRegisteredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build())
        .build();
  }

  public static String versionKey(String subject, int version) {
    return "version:" + subject + ":" + version;
  }

  public static byte[] encode(ContractEntry entry) {
    return MeshEventSerde.of(ContractEntry.class).serialize("mesh.contracts", entry);
  }

  public static DataProductEvent product(
      String id, String contractSubject, LifecycleStatus status) {
    String domain = id.substring(0, id.indexOf('.'));
    return DataProductEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain(domain)
        .setType(status == LifecycleStatus.RETIRED ? ChangeType.RETIRED : ChangeType.CREATED)
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName(id)
                .setOwner(Owner.newBuilder().setTeam("team").build())
                .setContractSubject(contractSubject)
                .build())
        .setStatus(status)
        .setVersion(1)
        .build();
  }
}
