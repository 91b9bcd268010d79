/**
 * Shape-and-content checks on command input. Callers (API DTOs, workflow updates) may pass anything at
 * run time, so the domain re-checks what its rules depend on and reports every issue at once, each under
 * the path of its field in the command (domain/shared/validation.ts).
 */
import { isSha256Digest } from '../shared/artifact-digest';
import { ValidationIssues, type ValidationIssue } from '../shared/validation';
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

export function checkDigest(v: ValidationIssues, field: string, value: unknown): void {
  if (value !== null && value !== undefined && !isSha256Digest(value)) v.add(field, 'must be sha256:<64 lowercase hex> or null');
}

export function checkCriteria(v: ValidationIssues, field: string, criteria: unknown, requireOne: boolean): void {
  if (!Array.isArray(criteria)) {
    v.add(field, 'must be a list of metric criteria');
    return;
  }
  if (requireOne && criteria.length === 0) v.add(field, 'needs at least one metric');
  (criteria as MetricCriterion[]).forEach((c, i) => {
    v.text(`${field}[${i}].metric`, c?.metric);
    v.oneOf(`${field}[${i}].direction`, c?.direction, METRIC_DIRECTIONS);
    v.finiteNumber(`${field}[${i}].threshold`, c?.threshold);
  });
  v.distinct(
    field,
    (criteria as MetricCriterion[]).map((c) => c?.metric),
    'metric',
  );
}

export function checkMetricValues(v: ValidationIssues, field: string, metrics: unknown): void {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    v.add(field, 'needs at least one metric value');
    return;
  }
  (metrics as MetricValue[]).forEach((m, i) => {
    v.text(`${field}[${i}].metric`, m?.metric);
    v.finiteNumber(`${field}[${i}].value`, m?.value);
  });
  v.distinct(
    field,
    (metrics as MetricValue[]).map((m) => m?.metric),
    'metric',
  );
}

export function checkProvider(v: ValidationIssues, field: string, provider: Provider | undefined): void {
  v.oneOf(`${field}.kind`, provider?.kind, PROVIDER_KINDS);
  if (provider && provider.kind !== 'in_house') {
    const supplier: unknown = provider.supplier;
    if (typeof supplier !== 'string' || supplier.trim() === '') {
      v.add(`${field}.supplier`, 'must name the supplier (a non-empty string) when the model is not built in house (A.10.3)');
    }
  } else v.optionalText(`${field}.supplier`, provider?.supplier);
}

export function checkRiskTier(v: ValidationIssues, field: string, tier: unknown): void {
  v.oneOf(field, tier, RISK_TIERS);
}

export function checkStringList(v: ValidationIssues, field: string, list: unknown, requireOne: boolean): void {
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x.trim() === '')) {
    v.add(field, 'must be a list of non-empty strings');
    return;
  }
  if (requireOne && list.length === 0) v.add(field, 'needs at least one entry');
  v.distinct(field, list);
}

/**
 * Structural issues of an impact assessment (IMPACT_ASSESSMENT_INCOMPLETE), under `field` (the content's
 * path in the command): each of individuals, groups and society described (A.5.4, A.5.5), at least one
 * impact, valid severity and likelihood, mitigations that point at real impacts.
 */
export function impactAssessmentIssues(content: ImpactAssessmentContent | undefined, field = 'content'): ValidationIssue[] {
  const v = new ValidationIssues();
  if (!content || typeof content !== 'object') {
    v.add(field, 'must describe the affected parties, the impacts and their mitigations');
    return v.list;
  }
  for (const party of AFFECTED_PARTIES) v.text(`${field}.affectedParties.${party}`, content.affectedParties?.[party]);
  if (!Array.isArray(content.impacts) || content.impacts.length === 0) v.add(`${field}.impacts`, 'needs at least one impact');
  const impacts = Array.isArray(content.impacts) ? content.impacts : [];
  impacts.forEach((im, i) => {
    const at = `${field}.impacts[${i}]`;
    v.text(`${at}.impactId`, im?.impactId);
    v.oneOf(`${at}.affects`, im?.affects, AFFECTED_PARTIES);
    v.text(`${at}.description`, im?.description);
    v.oneOf(`${at}.severity`, im?.severity, IMPACT_SEVERITIES);
    v.oneOf(`${at}.likelihood`, im?.likelihood, IMPACT_LIKELIHOODS);
  });
  const impactIds = impacts.map((im) => im?.impactId);
  v.distinct(`${field}.impacts`, impactIds, 'impactId');
  if (!Array.isArray(content.mitigations)) v.add(`${field}.mitigations`, 'must be a list (empty when nothing needs mitigating)');
  const mitigations = Array.isArray(content.mitigations) ? content.mitigations : [];
  mitigations.forEach((m, i) => {
    const at = `${field}.mitigations[${i}]`;
    v.text(`${at}.mitigationId`, m?.mitigationId);
    v.text(`${at}.description`, m?.description);
    v.optionalText(`${at}.owner`, m?.owner);
    if (!Array.isArray(m?.addressesImpactIds) || m.addressesImpactIds.length === 0) {
      v.add(`${at}.addressesImpactIds`, 'must name at least one impact');
    } else {
      const unknown = m.addressesImpactIds.filter((id) => !impactIds.includes(id));
      if (unknown.length > 0) v.add(`${at}.addressesImpactIds`, `names impacts the assessment does not list: ${unknown.join(', ')}`);
    }
  });
  v.distinct(
    `${field}.mitigations`,
    mitigations.map((m) => m?.mitigationId),
    'mitigationId',
  );
  return v.list;
}

export function checkDataRetention(v: ValidationIssues, r: DataRetention | undefined, field = 'dataRetention'): void {
  v.oneOf(`${field}.decision`, r?.decision, DATA_RETENTION_DECISIONS);
  v.text(`${field}.justification`, r?.justification);
  v.optionalTimestamp(`${field}.retainUntil`, r?.retainUntil);
  if (r?.decision === 'delete' && r.retainUntil !== null && r.retainUntil !== undefined) {
    v.add(`${field}.retainUntil`, 'must be null when the data is deleted');
  }
}
