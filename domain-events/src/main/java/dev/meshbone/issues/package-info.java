/**
 * What the mesh's services share about product issues: {@link dev.meshbone.issues.Accountability},
 * the one definition of a product's accountability figures.
 */
package dev.meshbone.issues;
