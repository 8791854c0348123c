package dev.meshbone.registry.products.routing;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import jakarta.inject.Singleton;

/**
 * Makes the HTTP server listen on the port {@link InstanceAddress} chose when the configuration
 * asked for a random one, so the address Kafka Streams advertises is the one that answers.
 */
@Singleton
public class ServerPortBinding implements BeanCreatedEventListener<NettyHttpServerConfiguration> {
  private final InstanceAddress address;

  public ServerPortBinding(InstanceAddress address) {
    this.address = address;
  }

  @Override
  public NettyHttpServerConfiguration onCreated(
      BeanCreatedEvent<NettyHttpServerConfiguration> event) {
    NettyHttpServerConfiguration config = event.getBean();
    if (address.portChosenHere()) {
      config.setPort(address.serverPort());
    }
    return config;
  }
}
