package dev.meshbone.serde.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.Order;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

  @Test
  void shouldStripAvroJavaStringFromAGeneratedClassSchema() {
    Schema generated = Order.getClassSchema();
    assertThat(generated.toString()).contains("\"avro.java.string\":\"String\"");

    Schema plain = AvroSchemas.withoutJavaProperties(generated);

    assertThat(plain.toString()).doesNotContain("avro.java");
    assertThat(plain.getField("placedAt").schema().getLogicalType().getName())
        .isEqualTo("timestamp-millis");
    assertThat(plain.getField("currency").defaultVal()).isEqualTo("EUR");
    assertThat(plain.getFullName()).isEqualTo("com.example.orders.Order");
  }

  @Test
  void shouldReturnTheSameInstanceWhenThereIsNothingToStrip() {
    Schema plain = AvroSchemas.withoutJavaProperties(Order.getClassSchema());

    assertThat(AvroSchemas.withoutJavaProperties(plain)).isSameAs(plain);
  }

  @Test
  void shouldStripEverywhereButKeepOtherPropertiesAndDefaultValues() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type":"record","name":"R","java-class":"x.Y","owner":"sales","fields":[
                  {"name":"tags","type":{"type":"map","values":
                      {"type":"string","avro.java.string":"String"},"avro.java.string":"String"},
                   "default":{"avro.java.string":"kept: a key of the default value"}},
                  {"name":"items","type":{"type":"array","items":
                      ["null",{"type":"string","avro.java.string":"String"}]}},
                  {"name":"nested","java-class":"x.Z","type":{"type":"record","name":"N",
                      "fields":[{"name":"s","type":{"type":"string","avro.java.string":"String"}}]}}
                ]}
                """);

    Schema plain = AvroSchemas.withoutJavaProperties(schema);

    String text = plain.toString();
    assertThat(text).doesNotContain("\"avro.java.string\":\"String\"").doesNotContain("java-class");
    assertThat(text).contains("kept: a key of the default value");
    assertThat(plain.getObjectProp("owner")).isEqualTo("sales");
  }
}
