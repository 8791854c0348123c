package dev.meshbone.validator.control;

import static dev.meshbone.validator.control.ControlDriver.codes;
import static dev.meshbone.validator.control.Events.DOMAIN;
import static dev.meshbone.validator.control.Events.NOW;
import static dev.meshbone.validator.control.Events.OTHER_DOMAIN;
import static dev.meshbone.validator.control.Events.OTHER_PRODUCT;
import static dev.meshbone.validator.control.Events.PRODUCT;
import static dev.meshbone.validator.control.Events.created;
import static dev.meshbone.validator.control.Events.descriptor;
import static dev.meshbone.validator.control.Events.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.topics.DomainTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a product event alone must be: decodable, its domain's own, well formed. */
class ProductEventRulesTest {
  private static final String TOPIC = DomainTopics.productEvents(DOMAIN);

  private final ControlDriver mesh = new ControlDriver();

  @AfterEach
  void close() {
    mesh.close();
  }

  private ViolationReason onlyReason(ViolationCode code) {
    var violation = mesh.onlyViolation();
    assertThat(codes(violation)).containsExactly(code);
    assertThat(mesh.products()).isEmpty();
    return violation.getReasons().get(0);
  }

  // --- decoding and poison records

  @Test
  void shouldRefuseGarbageBytesAsDecodeFailedKeyedByTheRawKey() {
    byte[] garbage = new byte[64];
    new Random(7).nextBytes(garbage);

    mesh.pipe(TOPIC, "raw-key", garbage, new RecordHeaders(), NOW);

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo("raw-key");
    ContractViolation violation = violations.get(0).value;
    assertThat(codes(violation)).containsExactly(ViolationCode.DECODE_FAILED);
    assertThat(violation.getProductId()).isNull();
    assertThat(violation.getReasons().get(0).getMessage()).contains("64 bytes");
  }

  @Test
  void shouldRefuseTruncatedAvroAsDecodeFailed() {
    byte[] whole = mesh.bytes(created(PRODUCT).build());

    mesh.pipe(TOPIC, PRODUCT, Arrays.copyOf(whole, whole.length / 2), new RecordHeaders(), NOW);

    onlyReason(ViolationCode.DECODE_FAILED);
  }

  @Test
  void shouldRefuseAnotherContractsBytesAsDecodeFailed() {
    byte[] quality =
        dev.meshbone.serde.MeshEventSerde.of(dev.meshbone.events.QualityEvent.class)
            .serialize(null, Events.quality(PRODUCT).build());

    mesh.pipe(TOPIC, PRODUCT, quality, new RecordHeaders(), NOW);

    onlyReason(ViolationCode.DECODE_FAILED);
  }

  @Test
  void shouldRefuseANullValue() {
    mesh.pipe(TOPIC, PRODUCT, null, new RecordHeaders(), NOW);

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo(PRODUCT);
    assertThat(codes(violations.get(0).value)).containsExactly(ViolationCode.NULL_VALUE);
  }

  @Test
  void shouldRefuseGarbageWithANullKeyUnderANullKey() {
    mesh.pipe(TOPIC, null, "not avro".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), NOW);

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isNull();
  }

  @Test
  void shouldKeepProcessingAfterAPoisonRecord() {
    mesh.pipe(TOPIC, PRODUCT, new byte[] {(byte) 0xC3, 0x01, 0x02}, new RecordHeaders(), NOW);

    mesh.publish(created(PRODUCT).build());

    assertThat(mesh.violations()).hasSize(1);
    assertThat(mesh.products()).hasSize(1);
  }

  @Test
  void shouldCarryTheSourceTopicPartitionAndOffsetInTheViolation() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(updated(PRODUCT).setDescriptor(null).build());

    ContractViolation violation = mesh.onlyViolation();
    assertThat(violation.getSourceTopic()).isEqualTo(TOPIC);
    assertThat(violation.getSourceDomain()).isEqualTo(DOMAIN);
    assertThat(violation.getSourcePartition()).isEqualTo(0);
    assertThat(violation.getSourceOffset()).isEqualTo(1);
    assertThat(violation.getProductId()).isEqualTo(PRODUCT);
    assertThat(violation.getDetectedAt()).isEqualTo(NOW);
  }

  @Test
  void shouldNotTrustSourceHeadersSentByTheProducer() {
    var forged = new RecordHeaders();
    forged.add(Source.TOPIC_HEADER, "supply-chain.mesh.product-events".getBytes());
    forged.add(Source.PARTITION_HEADER, new byte[] {0, 0, 0, 9});
    forged.add(Source.OFFSET_HEADER, new byte[] {0, 0, 0, 0, 0, 0, 0, 9});

    mesh.pipe(TOPIC, PRODUCT, mesh.bytes(updated(PRODUCT).build()), forged, NOW);

    ContractViolation violation = mesh.onlyViolation();
    assertThat(violation.getSourceTopic()).isEqualTo(TOPIC);
    assertThat(violation.getSourcePartition()).isEqualTo(0);
  }

  @Test
  void shouldWriteNoHeadersToMeshProducts() {
    var headers = new RecordHeaders();
    headers.add("traceparent", "00-abc".getBytes());

    mesh.pipe(TOPIC, PRODUCT, mesh.bytes(created(PRODUCT).build()), headers, NOW);

    assertThat(mesh.products.readRecord().getHeaders().toArray()).isEmpty();
  }

  @Test
  void shouldGiveTheSameViolationIdEachTimeTheSameRecordIsRefused() {
    ContractViolation first = refuseGarbageAtOffsetZero();
    ContractViolation again = refuseGarbageAtOffsetZero();

    assertThat(first.getViolationId()).isEqualTo(again.getViolationId());
  }

  private static ContractViolation refuseGarbageAtOffsetZero() {
    try (var fresh = new ControlDriver()) {
      fresh.pipe(TOPIC, PRODUCT, new byte[] {1, 2, 3}, new RecordHeaders(), NOW);
      return fresh.onlyViolation();
    }
  }

  @Test
  void shouldRefuseAnOversizedEventWithItsOtherReasons() {
    var huge = descriptor().setOwner(null).setProperties(Map.of("blob", "x".repeat(300_000)));

    mesh.publish(created(PRODUCT).setDescriptor(huge.build()).build());

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(ViolationCode.MISSING_OWNER, ViolationCode.INVALID_EVENT);
    assertThat(mesh.products()).isEmpty();
    assertThat(mesh.lifecycleStore().get(PRODUCT)).isNull();
  }

  @Test
  void shouldRefuseAMegabyteOfGarbageWithASmallViolation() {
    byte[] garbage = new byte[1024 * 1024];
    new Random(11).nextBytes(garbage);

    mesh.pipe(TOPIC, PRODUCT, garbage, new RecordHeaders(), NOW);

    ContractViolation violation = mesh.onlyViolation();
    assertThat(codes(violation)).containsExactly(ViolationCode.DECODE_FAILED);
    assertThat(violation.toString()).hasSizeLessThan(2_000);
  }

  // --- ownership

  @Test
  void shouldRefuseAnEventForAnotherDomainsProduct() {
    var foreign = created(OTHER_PRODUCT).setDomain(DOMAIN).build();

    mesh.publish(DOMAIN, OTHER_PRODUCT, foreign);

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo(OTHER_PRODUCT);
    ContractViolation violation = violations.get(0).value;
    assertThat(codes(violation)).containsExactly(ViolationCode.WRONG_DOMAIN);
    assertThat(violation.getReasons().get(0).getField()).isEqualTo("productId");
    assertThat(violation.getSourceDomain()).isEqualTo(DOMAIN);
    assertThat(mesh.products()).isEmpty();
  }

  @Test
  void shouldNotLetAForeignEventTouchTheProductsState() {
    mesh.publish(created(OTHER_PRODUCT).build());
    mesh.products();

    mesh.publish(DOMAIN, OTHER_PRODUCT, Events.retired(OTHER_PRODUCT).setDomain(DOMAIN).build());
    mesh.publish(Events.updated(OTHER_PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.WRONG_DOMAIN);
    assertThat(mesh.products()).hasSize(1);
  }

  @Test
  void shouldRefuseAnEventWhoseDomainIsNotTheTopicsDomain() {
    mesh.publish(created(PRODUCT).setDomain(OTHER_DOMAIN).build());

    var reason = onlyReason(ViolationCode.WRONG_DOMAIN);
    assertThat(reason.getField()).isEqualTo("domain");
  }

  @Test
  void shouldRefuseAForeignEventWithEveryReason() {
    var foreign = created(OTHER_PRODUCT).setDescriptor(descriptor().setOwner(null).build()).build();

    mesh.publish(DOMAIN, OTHER_PRODUCT, foreign);

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(
            ViolationCode.WRONG_DOMAIN, ViolationCode.WRONG_DOMAIN, ViolationCode.MISSING_OWNER);
  }

  @Test
  void shouldRefuseEverythingOnAReservedDomainsTopic() {
    var event = created("kafka.brokers").setDomain("kafka").build();

    mesh.pipe(
        "kafka.mesh.product-events", "kafka.brokers", mesh.bytes(event), new RecordHeaders(), NOW);

    ContractViolation violation = mesh.onlyViolation();
    assertThat(codes(violation)).contains(ViolationCode.WRONG_DOMAIN);
    assertThat(violation.getSourceDomain()).isEqualTo("kafka");
    assertThat(mesh.products()).isEmpty();
  }

  @Test
  void shouldRefuseAMalformedProductIdKeyedByTheRawKey() {
    var event = created(PRODUCT).setProductId("Clinical_Trials/enrollments").build();

    mesh.publish(DOMAIN, "the-key", event);

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo("the-key");
    assertThat(codes(violations.get(0).value)).containsExactly(ViolationCode.INVALID_PRODUCT_ID);
    assertThat(violations.get(0).value.getProductId()).isEqualTo("Clinical_Trials/enrollments");
  }

  @Test
  void shouldRefuseAProductIdWithAReservedProductName() {
    mesh.publish(DOMAIN, "k", created(DOMAIN + ".ingest").build());

    onlyReason(ViolationCode.INVALID_PRODUCT_ID);
  }

  @Test
  void shouldCutAnOversizedProductIdInTheViolation() {
    String huge = DOMAIN + "." + "x".repeat(100_000);

    mesh.publish(DOMAIN, huge, created(PRODUCT).setProductId(huge).build());

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).hasSizeLessThanOrEqualTo(Violations.MAX_PRODUCT_ID);
    assertThat(violations.get(0).value.getProductId()).hasSizeLessThan(300);
    assertThat(violations.get(0).value.getReasons().get(0).getMessage()).hasSizeLessThan(1000);
  }

  // --- the event's own fields

  @Test
  void shouldRefuseAnEmptyEventId() {
    mesh.publish(created(PRODUCT).setEventId(" ").build());

    assertThat(onlyReason(ViolationCode.INVALID_EVENT).getField()).isEqualTo("eventId");
  }

  @Test
  void shouldRefuseAnOversizedEventId() {
    mesh.publish(created(PRODUCT).setEventId("e".repeat(201)).build());

    assertThat(onlyReason(ViolationCode.INVALID_EVENT).getField()).isEqualTo("eventId");
  }

  @Test
  void shouldRefuseAnUnknownChangeType() {
    mesh.publish(created(PRODUCT).setType(ChangeType.UNKNOWN).build());

    assertThat(onlyReason(ViolationCode.INVALID_EVENT).getField()).isEqualTo("type");
  }

  @Test
  void shouldRefuseAProductEventFromTheFarFuture() {
    mesh.publish(created(PRODUCT).setOccurredAt(NOW.plus(Duration.ofDays(1))).build());

    assertThat(onlyReason(ViolationCode.INVALID_EVENT).getField()).isEqualTo("occurredAt");
  }

  @Test
  void shouldAcceptAProductEventAheadWithinTheClockSkew() {
    mesh.publish(created(PRODUCT).setOccurredAt(NOW.plusSeconds(60)).build());

    assertThat(mesh.products()).hasSize(1);
  }

  // --- the descriptor

  @Test
  void shouldRefuseACreatedWithoutDescriptor() {
    mesh.publish(created(PRODUCT).setDescriptor(null).build());

    assertThat(onlyReason(ViolationCode.MISSING_DESCRIPTOR).getField()).isEqualTo("descriptor");
  }

  @Test
  void shouldRefuseAnUpdatedWithoutDescriptor() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();

    mesh.publish(updated(PRODUCT).setDescriptor(null).build());

    onlyReason(ViolationCode.MISSING_DESCRIPTOR);
  }

  @Test
  void shouldRefuseADescriptorWithoutName() {
    mesh.publish(created(PRODUCT).setDescriptor(descriptor().setName("").build()).build());

    assertThat(onlyReason(ViolationCode.INVALID_DESCRIPTOR).getField())
        .isEqualTo("descriptor.name");
  }

  @Test
  void shouldRefuseASuccessorThatIsNotAnotherProduct() {
    mesh.publish(
        created(PRODUCT).setDescriptor(descriptor().setSuccessor("not a product").build()).build());
    assertThat(onlyReason(ViolationCode.INVALID_DESCRIPTOR).getField())
        .isEqualTo("descriptor.successor");

    mesh.publish(
        created(PRODUCT).setDescriptor(descriptor().setSuccessor(PRODUCT).build()).build());
    assertThat(onlyReason(ViolationCode.INVALID_DESCRIPTOR).getMessage()).contains("itself");
  }

  @Test
  void shouldRefuseADescriptorWithoutOwner() {
    mesh.publish(created(PRODUCT).setDescriptor(descriptor().setOwner(null).build()).build());

    assertThat(onlyReason(ViolationCode.MISSING_OWNER).getField()).isEqualTo("descriptor.owner");
  }

  @Test
  void shouldRefuseAnOwnerWithoutTeam() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setOwner(Owner.newBuilder().setTeam(" ").build()).build())
            .build());

    assertThat(onlyReason(ViolationCode.MISSING_OWNER).getField())
        .isEqualTo("descriptor.owner.team");
  }

  @Test
  void shouldRefuseAMalformedDescriptorOnADeprecation() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();

    mesh.publish(
        Events.deprecated(PRODUCT).setDescriptor(descriptor().setOwner(null).build()).build());

    onlyReason(ViolationCode.MISSING_OWNER);
  }

  private ViolationReason sloReason(ServiceLevels.Builder slos) {
    mesh.publish(
        created(PRODUCT).setDescriptor(descriptor().setSlos(slos.build()).build()).build());
    return onlyReason(ViolationCode.INVALID_SLO);
  }

  private static ServiceLevels.Builder slos() {
    return ServiceLevels.newBuilder(descriptor().getSlos());
  }

  @Test
  void shouldRefuseAPassRateAboveOne() {
    assertThat(sloReason(slos().setMinPassRate(1.5)).getField())
        .isEqualTo("descriptor.slos.minPassRate");
  }

  @Test
  void shouldRefuseANegativePassRate() {
    assertThat(sloReason(slos().setMinPassRate(-0.1)).getField())
        .isEqualTo("descriptor.slos.minPassRate");
  }

  @Test
  void shouldRefuseANaNPassRate() {
    assertThat(sloReason(slos().setMinPassRate(Double.NaN)).getField())
        .isEqualTo("descriptor.slos.minPassRate");
  }

  @Test
  void shouldRefuseARejectionRateOutsideZeroToOne() {
    assertThat(sloReason(slos().setMaxRejectionRate(2.0)).getField())
        .isEqualTo("descriptor.slos.maxRejectionRate");
  }

  @Test
  void shouldRefuseANonPositiveStaleness() {
    assertThat(sloReason(slos().setMaxStalenessMs(0L)).getField())
        .isEqualTo("descriptor.slos.maxStalenessMs");
  }

  @Test
  void shouldRefuseANonPositiveVolumeWindow() {
    assertThat(sloReason(slos().setVolumeWindowMs(-1L)).getField())
        .isEqualTo("descriptor.slos.volumeWindowMs");
  }

  @Test
  void shouldRefuseANegativeMinVolume() {
    assertThat(sloReason(slos().setMinVolume(-5L)).getField())
        .isEqualTo("descriptor.slos.minVolume");
  }

  @Test
  void shouldAcceptBoundarySlos() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(
                descriptor()
                    .setSlos(
                        slos()
                            .setMinPassRate(1.0)
                            .setMaxRejectionRate(0.0)
                            .setMinVolume(0L)
                            .build())
                    .build())
            .build());

    assertThat(mesh.products()).hasSize(1);
  }

  @Test
  void shouldAcceptADescriptorWithoutSlos() {
    mesh.publish(created(PRODUCT).setDescriptor(descriptor().setSlos(null).build()).build());

    assertThat(mesh.products()).hasSize(1);
  }

  private ViolationReason inputReason(List<String> inputs) {
    mesh.publish(created(PRODUCT).setDescriptor(descriptor().setInputs(inputs).build()).build());
    return onlyReason(ViolationCode.INVALID_INPUT);
  }

  @Test
  void shouldRefuseAMalformedInput() {
    assertThat(inputReason(List.of(OTHER_PRODUCT, "not a product")).getField())
        .isEqualTo("descriptor.inputs[1]");
  }

  @Test
  void shouldRefuseASelfInput() {
    assertThat(inputReason(List.of(PRODUCT)).getMessage()).contains("itself");
  }

  @Test
  void shouldRefuseADuplicateInput() {
    var reason = inputReason(List.of(OTHER_PRODUCT, DOMAIN + ".visits", OTHER_PRODUCT));

    assertThat(reason.getField()).isEqualTo("descriptor.inputs[2]");
    assertThat(reason.getMessage()).contains("inputs[0]");
  }

  @Test
  void shouldAcceptAnotherDomainsProductAsInput() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setInputs(List.of(OTHER_PRODUCT)).build())
            .build());

    assertThat(mesh.products()).hasSize(1);
  }

  @Test
  void shouldRefuseAContractSubjectOfAnotherDomain() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setContractSubject(OTHER_PRODUCT + "-value").build())
            .build());

    assertThat(onlyReason(ViolationCode.INVALID_CONTRACT_SUBJECT).getField())
        .isEqualTo("descriptor.contractSubject");
  }

  @Test
  void shouldAcceptAContractSubjectOfItsOwnDomain() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setContractSubject(DOMAIN + ".enrollment-v2-value").build())
            .build());

    assertThat(mesh.products()).hasSize(1);
  }

  @Test
  void shouldCollectEveryReasonOfAnEvent() {
    mesh.publish(
        created(PRODUCT)
            .setEventId("")
            .setDescriptor(
                descriptor()
                    .setOwner(null)
                    .setSlos(slos().setMinPassRate(7.0).setMinVolume(-1L).build())
                    .setInputs(List.of(PRODUCT))
                    .build())
            .build());

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(
            ViolationCode.INVALID_EVENT,
            ViolationCode.MISSING_OWNER,
            ViolationCode.INVALID_SLO,
            ViolationCode.INVALID_SLO,
            ViolationCode.INVALID_INPUT);
  }

  @Test
  void shouldCollectDescriptorAndLifecycleReasonsTogether() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(Events.retired(PRODUCT).build());

    mesh.publish(updated(PRODUCT).setDescriptor(descriptor().setOwner(null).build()).build());

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(ViolationCode.MISSING_OWNER, ViolationCode.ILLEGAL_LIFECYCLE);
  }
}
