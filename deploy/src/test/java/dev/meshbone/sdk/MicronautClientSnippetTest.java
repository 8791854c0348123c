package dev.meshbone.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.client.MeshClient;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

/**
 * docs/sdk.md's Micronaut configuration ({@code application-sdk-snippet.yml}, shown verbatim, see
 * {@code ReadmeSnippetsTest}) makes an injectable {@link MeshClient} for the domain it names. The
 * client connects lazily, so no broker or registry is needed here.
 */
class MicronautClientSnippetTest {

  @Test
  void shouldMakeTheClientTheDocumentedConfigurationDescribes() {
    try (ApplicationContext context = ApplicationContext.run("sdk-snippet")) {
      MeshClient client = context.getBean(MeshClient.class);

      assertThat(client.domain()).isEqualTo("clinical-trials");
      assertThat(client.settings().bootstrapServers()).isEqualTo("localhost:9092");
      assertThat(client.settings().registryUrl()).hasToString("http://localhost:8081");
    }
  }
}
