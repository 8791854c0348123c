package dev.meshbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.client.BrokerUnavailableException;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.ProductChangeRefusedException;
import dev.meshbone.client.RegistryUnavailableException;
import dev.meshbone.client.UnknownProductException;
import dev.meshbone.client.VerdictPendingException;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.Names;
import java.time.Duration;
import java.util.Map;

/**
 * The CLI's way to the mesh: the SDK's registry HTTP (retries on no answer, credentials, the acting
 * domain in {@code X-Mesh-Domain}) for the registry's and quality-monitor's APIs, and the SDK's
 * {@link MeshClient} for writes that wait for contract-validator's verdict. Every failure becomes a
 * {@link CliException} with its exit code.
 */
public final class Api {
  /** The domain named in a settings object when no one acts (the SDK's settings need one). */
  private static final String NOBODY = "cli";

  private final CliConfig config;

  public Api(CliConfig config) {
    this.config = config;
  }

  public CliConfig config() {
    return config;
  }

  /**
   * Who a command acts as: {@code --as} when given, else the domain the command is about (a
   * product's domain, an ODCS contract's {@code domain}), else null (nobody: reads).
   */
  public String acting(String domainOfCommand) {
    String as = config.as();
    String domain = as != null ? as : domainOfCommand;
    if (domain != null) {
      try {
        Names.requireDomain(domain);
      } catch (InvalidNameException e) {
        throw CliException.badInput("--as " + domain + ": " + e.getMessage());
      }
    }
    return domain;
  }

  private MeshClientSettings settings(String url, String domain) {
    var b =
        MeshClientSettings.builder()
            .domain(domain == null ? NOBODY : domain)
            .registryUrl(url)
            .bootstrapServers(config.bootstrapServers())
            .requestTimeout(Duration.ofSeconds(10))
            .verdictTimeout(Duration.ofSeconds(30));
    config.credentials().forEach(b::registry);
    config.kafka().forEach(b::kafka);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          e.getMessage().replace("meshbone.client.registry-url", "--registry-url"));
    }
  }

  /** The registry's HTTP, acting as {@code domain} (null: no domain header). */
  public Http registry(String domain) {
    return new Http(
        new MeshHttp(config.registryUrl(), domain, config.credentials()),
        "mesh-registry",
        "--registry-url");
  }

  /** quality-monitor's HTTP. */
  public Http quality() {
    return new Http(
        new MeshHttp(config.qualityUrl(), null, config.credentials()),
        "quality-monitor",
        "--quality-url");
  }

  /** The SDK client of {@code domain}, for writes that wait for a verdict. Close it. */
  public MeshClient client(String domain) {
    return MeshClient.create(settings(config.registryUrl(), domain));
  }

  /** Runs an SDK call, turning its exceptions into the CLI's. */
  public static <T> T sdk(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (UnknownProductException e) {
      throw new CliException(CliException.NOT_FOUND, e.getMessage(), e);
    } catch (ProductChangeRefusedException e) {
      throw new CliException(CliException.REFUSED, e.getMessage(), e);
    } catch (VerdictPendingException e) {
      throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
    } catch (RegistryUnavailableException | BrokerUnavailableException e) {
      throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
    } catch (MeshRequestException e) {
      throw new CliException(exitCode(e.status()), e.getMessage(), e);
    } catch (MeshClientException e) {
      throw new CliException(CliException.REFUSED, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.BAD_INPUT, e.getMessage(), e);
    }
  }

  /** The exit code of an HTTP status that is not a success. */
  public static int exitCode(int status) {
    return switch (status) {
      case 400 -> CliException.BAD_INPUT;
      case 401, 403 -> CliException.DENIED;
      case 404 -> CliException.NOT_FOUND;
      default -> status >= 500 ? CliException.UNREACHABLE : CliException.REFUSED;
    };
  }

  /** One service's HTTP API; answers are JSON trees, failures {@link CliException}s. */
  public static final class Http {
    private final MeshHttp http;
    private final String service;
    private final String flag;

    Http(MeshHttp http, String service, String flag) {
      this.http = http;
      this.service = service;
      this.flag = flag;
    }

    public JsonNode get(String path) {
      return ok(answer("GET", path, null));
    }

    public JsonNode post(String path, Object body) {
      return ok(answer("POST", path, body));
    }

    public JsonNode delete(String path) {
      return ok(answer("DELETE", path, null));
    }

    /** The answer whatever its status (for callers that read refusals themselves). */
    public MeshHttp.Answer answer(String method, String path, Object body) {
      try {
        return switch (method) {
          case "GET" -> http.get(path);
          case "POST" -> http.post(path, body);
          case "DELETE" -> http.delete(path);
          default -> throw new IllegalArgumentException(method);
        };
      } catch (MeshHttp.Unreachable e) {
        throw unreachable(e);
      }
    }

    private CliException unreachable(MeshHttp.Unreachable e) {
      return new CliException(
          CliException.UNREACHABLE,
          service
              + " at "
              + http.base()
              + " did not answer ("
              + e.getMessage()
              + "): is it running? ("
              + flag
              + ", or a context in ~/.meshbone/config)",
          e);
    }

    /** A POST answered whatever its status, waiting up to {@code timeout} for it. */
    public MeshHttp.Answer answerPost(String path, Object body, Duration timeout) {
      try {
        return http.post(path, body, timeout);
      } catch (MeshHttp.Unreachable e) {
        throw unreachable(e);
      }
    }

    public JsonNode ok(MeshHttp.Answer answer) {
      if (answer.ok()) {
        return answer.body();
      }
      throw failure(answer);
    }

    public CliException failure(MeshHttp.Answer answer) {
      int status = answer.status();
      String message = answer.message();
      if (status == 401) {
        message = service + " refused the credentials (401): " + message;
      } else if (status == 403) {
        message = "not allowed (403): " + message;
      }
      return new CliException(exitCode(status), message);
    }
  }

  /** Path segment encoding. */
  public static String seg(String value) {
    return MeshHttp.segment(value);
  }

  /** A query string of the non-null parameters. */
  public static String query(Map<String, Object> params) {
    var q = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (v != null && !v.toString().isBlank()) {
            q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(seg(v.toString()));
          }
        });
    return q.toString();
  }
}
