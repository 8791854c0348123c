package dev.meshbone.runtime.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestReactiveAuthenticationProvider;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Checks HTTP Basic credentials against the users files ({@code meshbone.security.users-file}),
 * read once at start (a malformed file stops the service, naming the file and line). The first file
 * naming a user counts. A check that needs a password hash computed runs on the blocking executor,
 * never on the event loop; a plaintext password or one already verified is checked at once.
 */
@Singleton
@Requires(property = SecuritySettings.USERS_FILE)
@Requires(property = SecuritySettings.ENABLED, notEquals = "false")
public class UsersFileAuthenticationProvider<B>
    implements HttpRequestReactiveAuthenticationProvider<B> {
  /** The attribute marking an authentication made here (its name is the domain). */
  static final String SOURCE = "meshbone.users-file";

  private final List<UsersFile> files;
  private final Scheduler blocking;

  public UsersFileAuthenticationProvider(
      SecuritySettings settings, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.files = settings.usersFiles().stream().map(f -> UsersFile.read(Path.of(f))).toList();
    this.blocking = Schedulers.fromExecutorService(blocking);
  }

  /** The users files, in order. */
  public List<UsersFile> files() {
    return files;
  }

  @Override
  public Publisher<AuthenticationResponse> authenticate(
      @Nullable HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
    String name = credentials.getIdentity();
    String password = credentials.getSecret();
    UsersFile file = fileOf(name);
    if (file == null || password == null) {
      return Mono.just(
          AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
    if (file.isCheap(name)) {
      return Mono.just(respond(file, name, password));
    }
    return Mono.fromCallable(() -> respond(file, name, password)).subscribeOn(blocking);
  }

  private UsersFile fileOf(String name) {
    if (name == null) {
      return null;
    }
    for (UsersFile file : files) {
      if (file.user(name).isPresent()) {
        return file;
      }
    }
    return null;
  }

  private static AuthenticationResponse respond(UsersFile file, String name, String password) {
    return file.verify(name, password)
        ? AuthenticationResponse.success(name, List.of(), Map.of(SOURCE, file.source()))
        : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
  }
}
