package dev.meshbone.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * contract-validator stops between a proposal and its decision: the registry answers the write with
 * a clear timeout (50002), the proposal waits on its topic, and once the validator is back the
 * retried registration gets the id the validator allocated, with one version, not two.
 */
@WithKafka
class ValidatorOutageIT {
  private ApplicationContext validator;
  private ApplicationContext registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (validator != null) {
      validator.close();
    }
  }

  @Test
  void shouldTimeOutClearlyWhileTheValidatorIsDownAndGiveTheIdOnceItIsBack(KafkaBroker broker)
      throws Exception {
    Path stateDir = Files.createTempDirectory("validator-outage-it");
    String validatorId = KafkaBroker.unique("validator");
    validator = SchemaServices.validator(broker, stateDir.resolve("v"), validatorId);
    registry =
        SchemaServices.registry(
            broker,
            stateDir.resolve("r"),
            KafkaBroker.unique("registry"),
            Map.of(
                "meshbone.registry.schema-write-timeout", "3s",
                "meshbone.registry.schema-write-resend", "1s"));
    var http = new SchemaHttp(SchemaServices.url(registry));
    String domain = SchemaServices.uniqueDomain();
    String subject = domain + ".orders-value";
    String v1 =
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
            + domain
            + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    String v2 =
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
            + domain
            + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";
    assertThat(http.register(subject, v1).status()).isEqualTo(200);

    validator.close();
    validator = null;
    var timedOut = http.register(subject, v2);

    assertThat(timedOut.status()).as("%s", timedOut).isEqualTo(500);
    assertThat(timedOut.errorCode()).isEqualTo(50002);
    assertThat(timedOut.json().get("message").asText())
        .contains("did not decide")
        .contains("retrying is safe");

    validator = SchemaServices.validator(broker, stateDir.resolve("v"), validatorId);
    var retried = http.register(subject, v2);

    assertThat(retried.status()).as("%s", retried).isEqualTo(200);
    int id = retried.json().get("id").asInt();
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects/" + subject + "/versions/2").json().get("id").asInt())
        .isEqualTo(id);
  }
}
