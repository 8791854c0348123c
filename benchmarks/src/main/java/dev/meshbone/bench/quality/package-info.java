/**
 * End-to-end harness of quality-monitor against an embedded broker: events per second through the
 * monitor and the latency from a failing check to its alert. See {@link
 * dev.meshbone.bench.quality.QualityMonitorBench}.
 */
package dev.meshbone.bench.quality;
