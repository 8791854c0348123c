package dev.meshbone.bench.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 GET client over one kept-alive connection, so the load generator, which shares
 * the two cores with the broker and the registry, costs as little as possible. It reads the status
 * line, the headers it needs (Content-Length) and skips the body. Not thread-safe: one per worker.
 */
final class KeepAliveClient implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  KeepAliveClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** GETs {@code path} and returns the status code. */
  int get(String path) throws IOException {
    try {
      return attempt(path);
    } catch (IOException closedByServer) {
      close();
      return attempt(path);
    }
  }

  private int attempt(String path) throws IOException {
    if (socket == null) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      for (long chunk = Long.parseLong(line().trim(), 16);
          chunk > 0;
          chunk = Long.parseLong(line().trim(), 16)) {
        skip(chunk);
        line();
      }
      line();
    } else if (length > 0) {
      skip(length);
    }
    return code;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long skipped = in.skip(n);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed in a body");
        }
        skipped = 1;
      }
      n -= skipped;
    }
  }

  private String line() throws IOException {
    var sb = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
