/** What HTTP security costs the registry: lookups and registrations, security on against off. */
package dev.meshbone.bench.security;
