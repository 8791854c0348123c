package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Notification;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.topics.ProductId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Drives DEPRECATED products with a {@code sunsetAt} to retirement, on the catalog processor's
 * wall-clock punctuation ({@link SunsetPolicy#checkInterval()}), in the catalog task that holds the
 * product, its subscriptions and its observed readers. At each check, for each such product:
 *
 * <ol>
 *   <li>each lead time whose moment has come (and came after the deprecation) that has no reminder
 *       yet: one {@code SUNSET_REMINDER} to each APPROVED subscriber, with its status;
 *   <li>once the sunset has come: if nobody blocks ({@link SunsetReadiness}), a RETIRED event on
 *       the owner's {@code <domain>.mesh.product-events}, which contract-validator judges like any
 *       other; if consumers still read, one {@code SUNSET_BLOCKED} to the owner and to each of
 *       them, and the product waits for the next checks.
 * </ol>
 *
 * What was done is written, in the same transaction as the notices, in {@value
 * CatalogStores#SUNSET_STORE} ({@link Facts}), so a restart neither repeats nor skips a reminder.
 */
public final class SunsetClock {
  /** Who the retirement event names as its actor. */
  public static final String ACTOR = "meshbone:sunset";

  private final ReadOnlyKeyValueStore<String, DataProductEvent> products;
  private final ReadOnlyKeyValueStore<String, ProductSubscriptions> subscriptions;
  private final ReadOnlyKeyValueStore<String, ReaderObservation> readers;
  private final ReadOnlyKeyValueStore<String, List<String>> successorReaders;
  private final KeyValueStore<String, List<String>> facts;
  private final SunsetPolicy policy;

  public SunsetClock(
      ReadOnlyKeyValueStore<String, DataProductEvent> products,
      ReadOnlyKeyValueStore<String, ProductSubscriptions> subscriptions,
      ReadOnlyKeyValueStore<String, ReaderObservation> readers,
      ReadOnlyKeyValueStore<String, List<String>> successorReaders,
      KeyValueStore<String, List<String>> facts,
      SunsetPolicy policy) {
    this.products = products;
    this.subscriptions = subscriptions;
    this.readers = readers;
    this.successorReaders = successorReaders;
    this.facts = facts;
    this.policy = policy;
  }

  /**
   * What the registry has done about a product's sunset: the sunset it was about, the deprecation
   * time (reminders due before it are not owed), the lead times reminded, whether the owner and
   * blockers were told it waits, and the id of the retirement event it published.
   */
  public record Facts(
      Instant sunsetAt,
      Instant since,
      List<Duration> reminded,
      boolean blockedTold,
      String retirementEventId) {
    static Facts start(Instant sunsetAt, Instant since) {
      return new Facts(sunsetAt, since, List.of(), false, null);
    }

    /** Read back from the store's list of {@code name=value} lines; null for none. */
    public static Facts parse(List<String> lines) {
      if (lines == null || lines.isEmpty()) {
        return null;
      }
      Instant sunset = null;
      Instant since = null;
      List<Duration> reminded = new ArrayList<>();
      boolean blocked = false;
      String retiring = null;
      for (String line : lines) {
        int eq = line.indexOf('=');
        String name = eq < 0 ? line : line.substring(0, eq);
        String value = eq < 0 ? "" : line.substring(eq + 1);
        switch (name) {
          case "sunset" -> sunset = Instant.parse(value);
          case "since" -> since = Instant.parse(value);
          case "reminded" -> reminded.add(Duration.parse(value));
          case "blocked" -> blocked = true;
          case "retiring" -> retiring = value;
          default -> {
            // a fact a later version wrote: kept out of this one's decisions
          }
        }
      }
      return new Facts(sunset, since, List.copyOf(reminded), blocked, retiring);
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add("sunset=" + sunsetAt);
      lines.add("since=" + since);
      reminded.forEach(d -> lines.add("reminded=" + d));
      if (blockedTold) {
        lines.add("blocked");
      }
      if (retirementEventId != null) {
        lines.add("retiring=" + retirementEventId);
      }
      return lines;
    }

    Facts remind(Duration lead) {
      List<Duration> all = new ArrayList<>(reminded);
      all.add(lead);
      return new Facts(sunsetAt, since, List.copyOf(all), blockedTold, retirementEventId);
    }
  }

  /** One check at wall-clock time {@code now}: what to send, keyed as the outputs go out. */
  public List<KeyValue<String, CatalogOutput>> check(Instant now) {
    List<KeyValue<String, CatalogOutput>> out = new ArrayList<>();
    try (var it = products.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        DataProductEvent p = kv.value;
        if (p == null || p.getStatus() != LifecycleStatus.DEPRECATED) {
          continue;
        }
        Instant sunsetAt = ProductState.sunsetAt(p);
        if (sunsetAt != null) {
          check(kv.key, p, sunsetAt, now, out);
        }
      }
    }
    return out;
  }

  private void check(
      String productId,
      DataProductEvent p,
      Instant sunsetAt,
      Instant now,
      List<KeyValue<String, CatalogOutput>> out) {
    Facts before = Facts.parse(facts.get(productId));
    Facts f =
        before != null && sunsetAt.equals(before.sunsetAt())
            ? before
            : Facts.start(sunsetAt, p.getOccurredAt());
    ProductSubscriptions subs = subscriptions.get(productId);
    if (subs == null) {
      subs = ProductSubscriptions.EMPTY;
    }
    var readiness =
        SunsetReadiness.of(
            productId,
            p,
            subs,
            readers.get(productId),
            successorReaders.get(productId),
            policy.quietPeriod(),
            now);
    for (Duration lead : policy.leadTimes()) {
      Instant due = sunsetAt.minus(lead);
      if (now.isBefore(due) || due.isBefore(f.since()) || f.reminded().contains(lead)) {
        continue;
      }
      for (SunsetReadiness.Consumer c : readiness.consumers()) {
        if (c.status() != SunsetReadiness.Status.MIGRATED) {
          notice(out, Notices.sunsetReminder(c.domain(), productId, sunsetAt, lead, c, now));
        }
      }
      f = f.remind(lead);
    }
    String owner = ProductId.parse(productId).domain();
    if (!now.isBefore(sunsetAt) && f.retirementEventId() == null) {
      if (readiness.ready()) {
        DataProductEvent retire = retirement(productId, owner, sunsetAt, now);
        out.add(KeyValue.pair(productId, new CatalogOutput.Retire(retire)));
        f = new Facts(f.sunsetAt(), f.since(), f.reminded(), f.blockedTold(), retire.getEventId());
      } else if (!f.blockedTold()) {
        List<String> told = new ArrayList<>();
        told.add(owner);
        readiness.blockers().stream().filter(b -> !b.equals(owner)).forEach(told::add);
        for (String recipient : told) {
          notice(
              out,
              Notices.sunsetBlocked(recipient, productId, sunsetAt, readiness.blockers(), now));
        }
        f = new Facts(f.sunsetAt(), f.since(), f.reminded(), true, f.retirementEventId());
      }
    }
    if (!f.equals(before)) {
      facts.put(productId, f.lines());
    }
  }

  /**
   * The RETIRED event the sunset publishes for the owner: its id is derived from the product and
   * the sunset, so publishing it again (after a crash before the commit) is dropped by the
   * validator as a duplicate.
   */
  static DataProductEvent retirement(
      String productId, String owner, Instant sunsetAt, Instant now) {
    return DataProductEvent.newBuilder()
        .setEventId(
            UUID.nameUUIDFromBytes(
                    ("sunset:" + productId + ":" + sunsetAt).getBytes(StandardCharsets.UTF_8))
                .toString())
        .setProductId(productId)
        .setDomain(owner)
        .setType(ChangeType.RETIRED)
        .setOccurredAt(now)
        .setReason("sunset " + sunsetAt + " reached and no consumer still reads")
        .setActor(ACTOR)
        .build();
  }

  private static void notice(List<KeyValue<String, CatalogOutput>> out, Notification n) {
    out.add(KeyValue.pair(n.getRecipientDomain(), new CatalogOutput.Notice(n)));
  }
}
