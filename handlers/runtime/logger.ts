// Structured JSON logs and CloudWatch EMF metrics for every AFU-9 function, built once per
// container inside the lambda.ts factories (closure rule: no Powertools objects at module level).
import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Logger } from "../shared/types";
import { METRICS_NAMESPACE } from "../../contract/conventions";

/** CloudWatch namespace of every AFU-9 metric (the Observability component's alarms use it). */

/** Counts something, split by a few low-cardinality dimensions (never ids, never user text). */
export interface MetricsSink {
  count(name: string, dimensions: Record<string, string>, value?: number): void;
}

/**
 * Powertools Logger: one JSON object per line, level from POWERTOOLS_LOG_LEVEL (default INFO).
 * `serviceName` is the fallback: POWERTOOLS_SERVICE_NAME, set by the component, wins.
 */
export function createLogger(serviceName: string): Logger {
  const logger = new PowertoolsLogger(process.env.POWERTOOLS_SERVICE_NAME ? {} : { serviceName });
  // Extra fields become top-level keys of the JSON line (Powertools merges attribute objects).
  return {
    debug: (message, extra) => logger.debug(message, ...(extra ? [extra] : [])),
    info: (message, extra) => logger.info(message, ...(extra ? [extra] : [])),
    warn: (message, extra) => logger.warn(message, ...(extra ? [extra] : [])),
    error: (message, extra) => logger.error(message, ...(extra ? [extra] : [])),
  };
}

/**
 * EMF metrics through Powertools: each count is flushed at once as its own EMF document, so its
 * dimensions cannot leak into another metric and nothing is lost when an invocation ends early.
 */
export function createMetrics(serviceName: string, namespace = METRICS_NAMESPACE): MetricsSink {
  const metrics = new Metrics(
    process.env.POWERTOOLS_SERVICE_NAME ? { namespace } : { namespace, serviceName },
  );
  return {
    count(name, dimensions, value = 1) {
      const single = metrics.singleMetric();
      for (const [key, dimensionValue] of Object.entries(dimensions)) {
        single.addDimension(key, dimensionValue);
      }
      single.addMetric(name, MetricUnit.Count, value);
    },
  };
}
