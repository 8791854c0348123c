/** The local mesh launcher's start-up: cold start and restart to healthy. */
package dev.meshbone.bench.local;
