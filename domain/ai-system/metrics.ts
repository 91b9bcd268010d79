/**
 * Pure checks of metric values against criteria: acceptance at validation (A.6.2.4) and thresholds in
 * monitoring (9.1). A value exactly at its threshold meets it.
 */
import type { AcceptanceEvaluation, CriterionResult, MetricCriterion, MetricValue } from './model';

export function meetsCriterion(criterion: MetricCriterion, value: number): boolean {
  return criterion.direction === 'higher_is_better' ? value >= criterion.threshold : value <= criterion.threshold;
}

function valueOf(metrics: readonly MetricValue[], metric: string): number | null {
  const found = metrics.find((m) => m.metric === metric);
  return found === undefined ? null : found.value;
}

/**
 * Pass/fail per criterion; a criterion the results do not measure fails (no evidence, no pass). The whole
 * evaluation passes only when every criterion does. Metrics without a criterion are ignored here.
 */
export function evaluateAcceptanceCriteria(criteria: readonly MetricCriterion[], metrics: readonly MetricValue[]): AcceptanceEvaluation {
  const results: CriterionResult[] = criteria.map((c) => {
    const value = valueOf(metrics, c.metric);
    return { metric: c.metric, direction: c.direction, threshold: c.threshold, value, passed: value !== null && meetsCriterion(c, value) };
  });
  return { passed: results.length > 0 && results.every((r) => r.passed), results };
}

export type ThresholdBreach = MetricCriterion & { value: number };
export type ThresholdCheck = { breaches: ThresholdBreach[]; unmeasured: string[] };

/** Which thresholds a monitoring report breaches, and which it did not measure (not a breach). */
export function checkMonitoringThresholds(thresholds: readonly MetricCriterion[], metrics: readonly MetricValue[]): ThresholdCheck {
  const breaches: ThresholdBreach[] = [];
  const unmeasured: string[] = [];
  for (const t of thresholds) {
    const value = valueOf(metrics, t.metric);
    if (value === null) unmeasured.push(t.metric);
    else if (!meetsCriterion(t, value)) breaches.push({ metric: t.metric, direction: t.direction, threshold: t.threshold, value });
  }
  return { breaches, unmeasured };
}
