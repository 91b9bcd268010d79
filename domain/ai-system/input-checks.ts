/**
 * Shape-and-content checks on command input. Callers (API DTOs, workflow updates) may pass anything at
 * run time, so the domain re-checks what its rules depend on and reports every problem at once.
 */
import { isIsoTimestamp } from '../shared/iso-time';
import { isSha256Digest } from '../shared/artifact-digest';
import {
  AFFECTED_PARTIES,
  DATA_RETENTION_DECISIONS,
  IMPACT_LIKELIHOODS,
  IMPACT_SEVERITIES,
  METRIC_DIRECTIONS,
  PROVIDER_KINDS,
  RISK_TIERS,
  type DataRetention,
  type ImpactAssessmentContent,
  type MetricCriterion,
  type MetricValue,
  type Provider,
} from './model';

export class Problems {
  readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
  }
  text(field: string, value: unknown): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(`${field} must be a non-empty string`);
  }
  optionalText(field: string, value: unknown): void {
    if (value !== null && value !== undefined && typeof value !== 'string') this.add(`${field} must be a string or null`);
  }
  timestamp(field: string, value: unknown): void {
    if (!isIsoTimestamp(value)) this.add(`${field} must be an ISO-8601 timestamp`);
  }
  optionalTimestamp(field: string, value: unknown): void {
    if (value !== null && value !== undefined && !isIsoTimestamp(value)) this.add(`${field} must be an ISO-8601 timestamp or null`);
  }
  oneOf(field: string, value: unknown, allowed: readonly string[]): void {
    if (typeof value !== 'string' || !allowed.includes(value)) this.add(`${field} must be one of ${allowed.join(', ')}`);
  }
  digest(field: string, value: unknown): void {
    if (value !== null && value !== undefined && !isSha256Digest(value)) this.add(`${field} must be sha256:<64 lowercase hex> or null`);
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

export function checkCriteria(p: Problems, field: string, criteria: unknown, requireOne: boolean): void {
  if (!Array.isArray(criteria)) {
    p.add(`${field} must be a list`);
    return;
  }
  if (requireOne && criteria.length === 0) p.add(`${field} needs at least one metric`);
  (criteria as MetricCriterion[]).forEach((c, i) => {
    p.text(`${field}[${i}].metric`, c?.metric);
    p.oneOf(`${field}[${i}].direction`, c?.direction, METRIC_DIRECTIONS);
    if (typeof c?.threshold !== 'number' || !Number.isFinite(c.threshold)) p.add(`${field}[${i}].threshold must be a finite number`);
  });
  const dup = duplicates((criteria as MetricCriterion[]).map((c) => c?.metric));
  if (dup.length > 0) p.add(`${field} names ${dup.join(', ')} more than once`);
}

export function checkMetricValues(p: Problems, field: string, metrics: unknown): void {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    p.add(`${field} needs at least one metric value`);
    return;
  }
  (metrics as MetricValue[]).forEach((m, i) => {
    p.text(`${field}[${i}].metric`, m?.metric);
    if (typeof m?.value !== 'number' || !Number.isFinite(m.value)) p.add(`${field}[${i}].value must be a finite number`);
  });
  const dup = duplicates((metrics as MetricValue[]).map((m) => m?.metric));
  if (dup.length > 0) p.add(`${field} names ${dup.join(', ')} more than once`);
}

export function checkProvider(p: Problems, field: string, provider: Provider | undefined): void {
  p.oneOf(`${field}.kind`, provider?.kind, PROVIDER_KINDS);
  if (provider && provider.kind !== 'in_house') p.text(`${field}.supplier (required for a third-party model)`, provider.supplier);
  else p.optionalText(`${field}.supplier`, provider?.supplier);
}

export function checkRiskTier(p: Problems, field: string, tier: unknown): void {
  p.oneOf(field, tier, RISK_TIERS);
}

export function checkStringList(p: Problems, field: string, list: unknown, requireOne: boolean): void {
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x.trim() === '')) {
    p.add(`${field} must be a list of non-empty strings`);
    return;
  }
  if (requireOne && list.length === 0) p.add(`${field} needs at least one entry`);
  const dup = duplicates(list as string[]);
  if (dup.length > 0) p.add(`${field} names ${dup.join(', ')} more than once`);
}

/**
 * Structural problems of an impact assessment (IMPACT_ASSESSMENT_INCOMPLETE): each of individuals, groups
 * and society described (A.5.4, A.5.5), at least one impact, valid severity and likelihood, mitigations
 * that point at real impacts.
 */
export function impactAssessmentProblems(content: ImpactAssessmentContent | undefined): string[] {
  const p = new Problems();
  if (!content || typeof content !== 'object') return ['content is missing'];
  for (const party of AFFECTED_PARTIES) p.text(`affectedParties.${party}`, content.affectedParties?.[party]);
  if (!Array.isArray(content.impacts) || content.impacts.length === 0) p.add('impacts needs at least one impact');
  const impacts = Array.isArray(content.impacts) ? content.impacts : [];
  impacts.forEach((im, i) => {
    p.text(`impacts[${i}].impactId`, im?.impactId);
    p.oneOf(`impacts[${i}].affects`, im?.affects, AFFECTED_PARTIES);
    p.text(`impacts[${i}].description`, im?.description);
    p.oneOf(`impacts[${i}].severity`, im?.severity, IMPACT_SEVERITIES);
    p.oneOf(`impacts[${i}].likelihood`, im?.likelihood, IMPACT_LIKELIHOODS);
  });
  const impactIds = impacts.map((im) => im?.impactId);
  const dupImpacts = duplicates(impactIds);
  if (dupImpacts.length > 0) p.add(`impacts use the id ${dupImpacts.join(', ')} more than once`);
  if (!Array.isArray(content.mitigations)) p.add('mitigations must be a list');
  const mitigations = Array.isArray(content.mitigations) ? content.mitigations : [];
  mitigations.forEach((m, i) => {
    p.text(`mitigations[${i}].mitigationId`, m?.mitigationId);
    p.text(`mitigations[${i}].description`, m?.description);
    p.optionalText(`mitigations[${i}].owner`, m?.owner);
    if (!Array.isArray(m?.addressesImpactIds) || m.addressesImpactIds.length === 0) {
      p.add(`mitigations[${i}].addressesImpactIds must name at least one impact`);
    } else {
      const unknown = m.addressesImpactIds.filter((id) => !impactIds.includes(id));
      if (unknown.length > 0) p.add(`mitigations[${i}] addresses unknown impacts ${unknown.join(', ')}`);
    }
  });
  const dupMitigations = duplicates(mitigations.map((m) => m?.mitigationId));
  if (dupMitigations.length > 0) p.add(`mitigations use the id ${dupMitigations.join(', ')} more than once`);
  return p.list;
}

export function checkDataRetention(p: Problems, r: DataRetention | undefined): void {
  p.oneOf('dataRetention.decision', r?.decision, DATA_RETENTION_DECISIONS);
  p.text('dataRetention.justification', r?.justification);
  p.optionalTimestamp('dataRetention.retainUntil', r?.retainUntil);
  if (r?.decision === 'delete' && r.retainUntil !== null && r.retainUntil !== undefined) {
    p.add('dataRetention.retainUntil must be null when the data is deleted');
  }
}
