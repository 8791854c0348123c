/**
 * meshbone's data rules: the format ({@link dev.meshbone.rules.DataRules}), one rule's meaning
 * ({@link dev.meshbone.rules.DataRule}) and where a rule's path leads in an Avro schema ({@link
 * dev.meshbone.rules.RuleTargets}). The registry parses rules at registration and refuses bad ones;
 * contract-validator compiles them once per contract version and checks every record against them.
 */
package dev.meshbone.rules;
