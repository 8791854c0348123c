package dev.meshbone.registry.products.lineage;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.LineageEdgeDto;
import dev.meshbone.registry.products.view.Dto.LineageGraph;
import dev.meshbone.registry.products.view.Dto.LineageNodeDto;
import dev.meshbone.registry.products.view.Dto.NodeInfo;
import dev.meshbone.registry.products.view.Dto.NodeInfos;
import dev.meshbone.registry.products.view.Dto.NodeRequest;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A product's lineage, walked breadth first to a chosen depth. Upstream follows each product's
 * declared inputs; downstream follows the reverse index that the topology keeps beside each
 * product. The products of one level may live on several instances, so each level is fetched with
 * one call per instance. A product is visited once, so a cycle ends the walk instead of looping;
 * the edge that closes it is still shown.
 */
@Singleton
public class LineageService {
  /** Which way to walk. */
  public enum Direction {
    UPSTREAM,
    DOWNSTREAM,
    BOTH;

    public static Direction parse(String value) {
      if (value == null || value.isBlank()) {
        return BOTH;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "INVALID_PARAMETER",
            "direction '"
                + printable(value)
                + "' is invalid: expected upstream, downstream or both");
      }
    }

    boolean up() {
      return this != DOWNSTREAM;
    }

    boolean down() {
      return this != UPSTREAM;
    }
  }

  private final RegistryRouter router;
  private final CatalogQueries queries;

  public LineageService(RegistryRouter router, CatalogQueries queries) {
    this.router = router;
    this.queries = queries;
  }

  /** Reads a depth parameter: 1 to {@code max}, 3 when absent. */
  public static int parseDepth(String value, int max) {
    if (value == null || value.isBlank()) {
      return Math.min(3, max);
    }
    try {
      int depth = Integer.parseInt(value.trim());
      if (depth >= 1 && depth <= max) {
        return depth;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw ApiException.badRequest(
        "INVALID_PARAMETER",
        "depth '" + printable(value) + "' is invalid: expected a whole number from 1 to " + max);
  }

  public LineageGraph lineage(String root, Direction direction, int depth) {
    Map<String, NodeInfo> known = new LinkedHashMap<>(fetch(List.of(root)));
    NodeInfo rootNode = known.get(root);
    if (rootNode == null || !rootNode.registered()) {
      throw CatalogQueries.notFound(root);
    }
    Map<String, Integer> distance = new LinkedHashMap<>();
    distance.put(root, 0);
    Set<LineageEdgeDto> edges = new LinkedHashSet<>();
    List<String> frontier = List.of(root);
    for (int d = 1; d <= depth && !frontier.isEmpty(); d++) {
      List<String> next = new ArrayList<>();
      for (String id : frontier) {
        NodeInfo node = known.get(id);
        if (node == null) {
          continue;
        }
        if (direction.up()) {
          for (String input : node.inputs()) {
            edges.add(new LineageEdgeDto(input, id));
            visit(input, d, distance, next);
          }
        }
        if (direction.down()) {
          for (String reader : node.downstream()) {
            edges.add(new LineageEdgeDto(id, reader));
            visit(reader, d, distance, next);
          }
        }
      }
      known.putAll(fetch(next));
      frontier = next;
    }
    List<LineageNodeDto> nodes = new ArrayList<>();
    for (var entry : distance.entrySet()) {
      NodeInfo n = known.get(entry.getKey());
      nodes.add(
          new LineageNodeDto(
              entry.getKey(),
              n != null && n.registered(),
              n == null ? null : n.name(),
              n == null ? null : n.status(),
              entry.getValue()));
    }
    nodes.sort(Comparator.comparingInt(LineageNodeDto::distance).thenComparing(LineageNodeDto::id));
    List<LineageEdgeDto> edgeList =
        edges.stream()
            .sorted(Comparator.comparing(LineageEdgeDto::from).thenComparing(LineageEdgeDto::to))
            .toList();
    return new LineageGraph(
        root, direction.name().toLowerCase(Locale.ROOT), depth, nodes, edgeList);
  }

  private static void visit(String id, int d, Map<String, Integer> distance, List<String> next) {
    if (!distance.containsKey(id)) {
      distance.put(id, d);
      next.add(id);
    }
  }

  /** The nodes of these products, each read on the instance that holds it. */
  Map<String, NodeInfo> fetch(List<String> ids) {
    Map<HostInfo, List<String>> remote = new LinkedHashMap<>();
    Map<String, NodeInfo> found = new LinkedHashMap<>();
    for (String id : ids) {
      var location = router.locate(CatalogStores.PRODUCTS_STORE, id);
      if (location.local()) {
        found.put(id, queries.node(location.partition(), id));
      } else {
        remote.computeIfAbsent(location.host(), h -> new ArrayList<>()).add(id);
      }
    }
    for (var entry : remote.entrySet()) {
      NodeInfos infos =
          router.call(
              entry.getKey(),
              "/internal/lineage/nodes",
              new NodeRequest(entry.getValue()),
              Argument.of(NodeInfos.class));
      for (NodeInfo n : infos.nodes() == null ? List.<NodeInfo>of() : infos.nodes()) {
        found.put(
            n.id(),
            new NodeInfo(
                n.id(),
                n.registered(),
                n.name(),
                n.status(),
                n.inputs() == null ? List.of() : n.inputs(),
                n.downstream() == null ? List.of() : n.downstream()));
      }
    }
    return found;
  }

  /** Answers another instance's {@link #fetch} for the products this instance holds. */
  public NodeInfos localNodes(List<String> ids) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (String id : ids) {
      var location = router.locate(CatalogStores.PRODUCTS_STORE, id);
      if (!location.local()) {
        throw new ApiException(
            io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE,
            "REGISTRY_REBALANCING",
            "this instance no longer holds " + id + " (its partitions are moving); retry shortly");
      }
      nodes.add(queries.node(location.partition(), id));
    }
    return new NodeInfos(nodes);
  }

  static String printable(String value) {
    String v = value.replaceAll("\\p{Cntrl}", "?");
    return v.length() > 40 ? v.substring(0, 40) + "..." : v;
  }
}
