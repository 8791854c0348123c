package dev.meshbone.registry.products.query;

import dev.meshbone.runtime.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Which page of a list: at most {@code limit} products in id order, either after the product a
 * cursor names (stable while products come and go) or after skipping {@code offset} matches.
 *
 * @param after the last product id of the previous page, or null for the first page
 * @param offset matches to skip, 0 with a cursor
 * @param limit products on the page
 */
public record Paging(String after, int offset, int limit) {
  private static final String CURSOR_PREFIX = "after:";

  /**
   * Reads {@code limit}, {@code cursor} and {@code offset}.
   *
   * @throws ApiException 400 when a value is not a number, out of range, or a cursor this registry
   *     did not make, or when both a cursor and an offset are given
   */
  public static Paging parse(
      String limit, String cursor, String offset, int defaultLimit, int maxLimit, int maxOffset) {
    int l = number("limit", limit, defaultLimit, 1, maxLimit);
    int o = number("offset", offset, 0, 0, maxOffset);
    String after = null;
    if (cursor != null && !cursor.isBlank()) {
      if (offset != null && !offset.isBlank()) {
        throw invalid("give either cursor or offset, not both");
      }
      after = decode(cursor.trim());
    }
    return new Paging(after, o, l);
  }

  /** The cursor that continues after {@code productId}. */
  public static String cursorAfter(String productId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + productId).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(CURSOR_PREFIX) && text.length() > CURSOR_PREFIX.length()) {
        return text.substring(CURSOR_PREFIX.length());
      }
    } catch (IllegalArgumentException notBase64) {
      // falls through to the error below
    }
    throw invalid("cursor is not one this registry made; pass back the nextCursor of a page");
  }

  private static int number(String name, String value, int dflt, int min, int max) {
    if (value == null || value.isBlank()) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(name + " must be a whole number from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw invalid(name + " must be from " + min + " to " + max + ", not " + n);
    }
    return n;
  }

  private static ApiException invalid(String message) {
    return ApiException.badRequest("INVALID_PAGING", message);
  }
}
