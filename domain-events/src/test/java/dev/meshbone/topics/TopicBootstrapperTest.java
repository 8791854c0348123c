package dev.meshbone.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicBootstrapperTest {

  private static NewTopic topic(String name, int partitions, int configs) {
    var entries = new HashMap<String, String>();
    IntStream.range(0, configs).forEach(i -> entries.put("config." + i, "v"));
    return new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)).configs(entries);
  }

  private static int records(List<NewTopic> request) {
    return request.stream()
        .mapToInt(t -> 1 + t.numPartitions() + (t.configs() == null ? 0 : t.configs().size()))
        .sum();
  }

  @Test
  void shouldSplitAThousandProductsTopicsIntoRequestsTheControllerTakes() {
    // Three topics a product, one partition and two configs each: 4 records a topic, 12,000 in
    // all, more than the controller takes in one operation.
    List<NewTopic> topics =
        IntStream.range(0, 3_000).mapToObj(i -> topic("scale.p" + i, 1, 2)).toList();

    List<List<NewTopic>> requests = TopicBootstrapper.requests(topics);

    assertThat(requests).hasSize(3);
    assertThat(requests)
        .allSatisfy(
            r ->
                assertThat(records(r))
                    .isLessThanOrEqualTo(TopicBootstrapper.MAX_RECORDS_PER_REQUEST));
    List<NewTopic> rejoined = new ArrayList<>();
    requests.forEach(rejoined::addAll);
    assertThat(rejoined).containsExactlyElementsOf(topics);
  }

  @Test
  void shouldSendFewTopicsInOneRequest() {
    List<NewTopic> topics = List.of(topic("a", 3, 2), topic("b", 3, 0), topic("c", 1, 5));

    assertThat(TopicBootstrapper.requests(topics)).containsExactly(topics);
    assertThat(TopicBootstrapper.requests(List.of())).isEmpty();
  }

  @Test
  void shouldGiveATopicBiggerThanTheLimitARequestOfItsOwn() {
    NewTopic huge = topic("huge", 20_000, 0);
    NewTopic small = topic("small", 1, 0);
    NewTopic unsized = new NewTopic("unsized", Optional.empty(), Optional.empty());

    assertThat(TopicBootstrapper.requests(List.of(small, huge, small)))
        .containsExactly(List.of(small), List.of(huge), List.of(small));
    assertThat(TopicBootstrapper.requests(List.of(unsized, small)))
        .containsExactly(List.of(unsized, small));
  }
}
