package dev.meshbone.bench;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client the benchmarks call the mesh with: HTTP/1.1, as curl and most services speak. */
public final class BenchHttp {
  private BenchHttp() {}

  /** A new HTTP/1.1 client that gives up connecting after {@code connectTimeout}. */
  public static HttpClient client(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
  }
}
