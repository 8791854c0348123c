package dev.meshbone.runtime.http;

import dev.meshbone.topics.ProductId;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Puts the request id, and the product id a request is about, in the logging MDC of everything the
 * request logs, on whichever thread it runs: {@value #REQUEST_ID} (the caller's {@value #HEADER}
 * when it is a plain token of up to 64 characters, else a new one, and answered in the same header)
 * and {@value #PRODUCT_ID} (from a {@code /products/{id}} path). The JSON log format ({@code
 * MESHBONE_LOG_FORMAT=json}) shows them as fields.
 *
 * <p>It runs on every request, so it costs as little as it can: a request and a response filter
 * method rather than a reactive filter chain, no regular expressions, a new id drawn from {@link
 * ThreadLocalRandom} (a log correlation id needs no secure randomness, and {@link
 * UUID#randomUUID()} takes a lock), and only its two MDC keys set and restored on each thread the
 * request passes through.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLogContext implements Ordered {
  public static final String HEADER = "X-Request-Id";
  public static final String REQUEST_ID = "requestId";
  public static final String PRODUCT_ID = "productId";

  private static final String ATTRIBUTE = "meshbone.request-id";
  private static final String PRODUCTS = "/products/";

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }

  @RequestFilter
  public void request(HttpRequest<?> request, MutablePropagatedContext context) {
    String given = request.getHeaders().get(HEADER);
    String requestId = given != null && isToken(given) ? given : newId();
    request.setAttribute(ATTRIBUTE, requestId);
    context.add(new Mdc(requestId, productId(request.getPath())));
  }

  @ResponseFilter
  public void response(HttpRequest<?> request, MutableHttpResponse<?> response) {
    request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> response.header(HEADER, id));
  }

  /** The product id of a {@code /products/{id}...} path, when it is one; else null. */
  static String productId(String path) {
    if (path == null || !path.startsWith(PRODUCTS) || path.length() == PRODUCTS.length()) {
      return null;
    }
    int end = PRODUCTS.length();
    while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
      end++;
    }
    if (end == PRODUCTS.length()) {
      return null;
    }
    String id = path.substring(PRODUCTS.length(), end);
    return ProductId.isValid(id) ? id : null;
  }

  /** 1 to 64 of {@code A-Z a-z 0-9 . _ : -}. */
  static boolean isToken(String value) {
    int n = value.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A random (version 4) UUID, in its usual 36-character form. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * The request's two MDC keys on the thread it runs on, the thread's own values of them restored
   * after (other keys are left alone).
   */
  private record Mdc(String requestId, String productId)
      implements ThreadPropagatedContextElement<String[]> {
    @Override
    public String[] updateThreadContext() {
      String[] before = {MDC.get(REQUEST_ID), MDC.get(PRODUCT_ID)};
      MDC.put(REQUEST_ID, requestId);
      if (productId != null) {
        MDC.put(PRODUCT_ID, productId);
      } else if (before[1] != null) {
        MDC.remove(PRODUCT_ID);
      }
      return before;
    }

    @Override
    public void restoreThreadContext(String[] before) {
      restore(REQUEST_ID, before[0]);
      restore(PRODUCT_ID, before[1]);
    }

    private static void restore(String key, String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }
}
