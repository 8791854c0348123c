/** How the mesh behaves as products are added: a new product joining, onboarding in bulk. */
package dev.meshbone.bench.scale;
