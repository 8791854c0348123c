/**
 * The domain SDK: what a domain service embeds to join the mesh. {@link
 * dev.meshbone.client.MeshClient} is the one entry point, built from {@link
 * dev.meshbone.client.MeshClientSettings}: declare products ({@link
 * dev.meshbone.client.ProductDeclaration}), register and evolve contracts ({@link
 * dev.meshbone.client.Contract}, {@link dev.meshbone.client.ContractRule}), publish records and
 * quality results ({@link dev.meshbone.client.QualityResult}), deprecate and retire; subscribe,
 * read validated records ({@link dev.meshbone.client.ProductConsumer}) and dead letters, and hear
 * notifications ({@link dev.meshbone.client.NotificationStream}). Every failure is a {@link
 * dev.meshbone.client.MeshClientException} subclass naming its remedy.
 *
 * <p>Implementation lives in {@code dev.meshbone.client.internal}, which is not API; the Micronaut
 * wiring in {@code dev.meshbone.client.micronaut}.
 */
package dev.meshbone.client;
