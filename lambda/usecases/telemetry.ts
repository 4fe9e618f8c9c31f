// Use-case ports: the small logging and metrics surfaces the use cases report through (Powertools satisfies
// them, see observability.ts), and the silent ones the CLI and tests use. Metric names come from the contract.
import type { MetricName } from '../contract';

/** Minimal logging surface (Powertools Logger satisfies it; the CLI passes a quiet one). */
export interface GuardLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  appendKeys?(keys: Record<string, unknown>): void;
}

export type MetricUnitName = 'Count' | 'Milliseconds' | 'Percent' | 'Seconds';

/** Minimal metrics surface (Powertools Metrics satisfies it): only the contract's metric names. */
export interface GuardMetrics {
  addMetric(name: MetricName, unit: MetricUnitName, value: number): void;
  /**
   * One data point with its own dimensions besides the default ones (Powertools `singleMetric`): the per-owner KPIs.
   * Optional: a surface without it does not get them.
   */
  addDimensionedMetric?(
    name: MetricName,
    unit: MetricUnitName,
    value: number,
    dimensions: Readonly<Record<string, string>>,
  ): void;
}

export const silentLogger: GuardLogger = { info() {}, warn() {}, error() {} };
export const noMetrics: GuardMetrics = { addMetric() {} };
