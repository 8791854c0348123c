package dev.meshbone.runtime.http;

import dev.meshbone.topics.ProductId;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * Puts the request id, and the product id a request is about, in the logging MDC of everything the
 * request logs, on whichever thread it runs: {@value #REQUEST_ID} (the caller's {@value #HEADER}
 * when it is a plain token of up to 64 characters, else a new one, and answered in the same header)
 * and {@value #PRODUCT_ID} (from a {@code /products/{id}} path). The JSON log format ({@code
 * MESHBONE_LOG_FORMAT=json}) shows them as fields.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class RequestLogContext implements HttpServerFilter {
  public static final String HEADER = "X-Request-Id";
  public static final String REQUEST_ID = "requestId";
  public static final String PRODUCT_ID = "productId";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern PRODUCT_PATH = Pattern.compile("^/products/([^/?]+)");

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    String given = request.getHeaders().get(HEADER);
    String requestId =
        given != null && TOKEN.matcher(given).matches() ? given : UUID.randomUUID().toString();
    Map<String, String> context = new HashMap<>();
    context.put(REQUEST_ID, requestId);
    String product = productId(request.getPath());
    if (product != null) {
      context.put(PRODUCT_ID, product);
    }
    try (PropagatedContext.Scope ignored =
        PropagatedContext.getOrEmpty().plus(new MdcPropagationContext(context)).propagate()) {
      return Publishers.map(chain.proceed(request), response -> response.header(HEADER, requestId));
    }
  }

  /** The product id of a {@code /products/{id}...} path, when it is one; else null. */
  static String productId(String path) {
    Matcher m = PRODUCT_PATH.matcher(path);
    return m.find() && ProductId.isValid(m.group(1)) ? m.group(1) : null;
  }
}
