/**
 * The content of a version of the organisation's AI risk criteria (ISO/IEC 42001 6.1.1, 6.1.2): the
 * likelihood and consequence scales, the level matrix, the risk appetite (which levels need acceptance by
 * whom; every level above appetite by the AIMS owner) and how often a risk at each level is reassessed.
 * Pure: scoring is a lookup in the matrix of the version a risk was scored with.
 */
import { parseFixedDuration } from '../shared/iso-time';
import type { AimsRole } from '../shared/roles';
import type { ValidationIssue } from '../shared/validation';

/** One step of a scale, lowest first. */
export interface ScaleStep {
  id: string;
  label: string;
  description: string;
}

/** One risk level, lowest first. */
export interface RiskLevelDefinition {
  id: string;
  label: string;
  /** Who accepts a residual risk at this level when it is within appetite (above appetite: the AIMS owner). */
  acceptedBy: AimsRole[];
  /** How long an accepted risk at this level stands before it is reassessed (fixed-length ISO 8601: P90D). */
  reassessmentInterval: string;
}

export interface RiskCriteriaContent {
  likelihood: ScaleStep[];
  consequence: ScaleStep[];
  levels: RiskLevelDefinition[];
  /** matrix[i][j]: the level id of likelihood step i and consequence step j. */
  matrix: string[][];
  /** The highest level within the organisation's risk appetite; every level above it needs the AIMS owner. */
  appetite: string;
}

/** A version as a risk records it: which version scored it and what that version said. */
export interface RiskCriteriaSnapshot {
  version: number;
  content: RiskCriteriaContent;
}

/** Who accepts every level above appetite (6.1.3: the organisation's appetite is its top's call). */
export const ABOVE_APPETITE_ACCEPTOR: AimsRole = 'aims_owner';
/** The roles a level may name as its acceptors (never a pipeline, an administrator or a read-only auditor). */
export const ACCEPTING_ROLES: readonly AimsRole[] = ['top_management', 'aims_owner', 'risk_owner', 'approver'];

const step = (id: string, label: string, description: string): ScaleStep => ({ id, label, description });

/** The set that ships: 5 x 5, four levels, appetite at `medium`. `aims demo` approves it as version 1. */
export const DEFAULT_RISK_CRITERIA: RiskCriteriaContent = {
  likelihood: [
    step('rare', 'Rare', 'Not expected in the life of the AI system'),
    step('unlikely', 'Unlikely', 'Could happen, not expected within a year'),
    step('possible', 'Possible', 'Might happen within a year'),
    step('likely', 'Likely', 'Expected within a year'),
    step('almost-certain', 'Almost certain', 'Expected within a month'),
  ],
  consequence: [
    step('negligible', 'Negligible', 'No noticeable effect on people or the organisation'),
    step('minor', 'Minor', 'Limited, reversible effect on a few people'),
    step('moderate', 'Moderate', 'Reversible harm to individuals or a group, or a breach of an obligation'),
    step('major', 'Major', 'Serious or lasting harm to individuals, or to a group or society'),
    step('severe', 'Severe', 'Irreversible harm, to life, rights or society at large'),
  ],
  levels: [
    { id: 'low', label: 'Low', acceptedBy: ['risk_owner'], reassessmentInterval: 'P365D' },
    { id: 'medium', label: 'Medium', acceptedBy: ['risk_owner', 'aims_owner'], reassessmentInterval: 'P180D' },
    { id: 'high', label: 'High', acceptedBy: ['aims_owner'], reassessmentInterval: 'P90D' },
    { id: 'critical', label: 'Critical', acceptedBy: ['aims_owner'], reassessmentInterval: 'P30D' },
  ],
  matrix: [
    ['low', 'low', 'low', 'medium', 'medium'],
    ['low', 'low', 'medium', 'medium', 'high'],
    ['low', 'medium', 'medium', 'high', 'high'],
    ['medium', 'medium', 'high', 'high', 'critical'],
    ['medium', 'high', 'high', 'critical', 'critical'],
  ],
  appetite: 'medium',
};

/** What a score comes to under a version of the criteria. */
export interface RiskScore {
  level: string;
  aboveAppetite: boolean;
  /** Who accepts a residual risk at this level. */
  acceptedBy: AimsRole[];
  reassessmentInterval: string;
}

const indexOf = (steps: readonly ScaleStep[], id: string): number => steps.findIndex((s) => s.id === id);

/** True when `level` lies above the appetite (levels are ordered lowest first). */
export function isAboveAppetite(content: RiskCriteriaContent, level: string): boolean {
  const i = content.levels.findIndex((l) => l.id === level);
  return i > content.levels.findIndex((l) => l.id === content.appetite);
}

/** The level of a likelihood and a consequence, or null when either is not a step of its scale. */
export function scoreRisk(content: RiskCriteriaContent, likelihood: string, consequence: string): RiskScore | null {
  const i = indexOf(content.likelihood, likelihood);
  const j = indexOf(content.consequence, consequence);
  if (i < 0 || j < 0) return null;
  const level = content.matrix[i][j];
  const definition = content.levels.find((l) => l.id === level);
  if (definition === undefined) return null;
  const above = isAboveAppetite(content, level);
  return {
    level,
    aboveAppetite: above,
    acceptedBy: above ? [ABOVE_APPETITE_ACCEPTOR] : [...definition.acceptedBy],
    reassessmentInterval: definition.reassessmentInterval,
  };
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

function stepsIssues(steps: unknown, field: string, issues: ValidationIssue[]): ScaleStep[] {
  if (!Array.isArray(steps) || steps.length < 2 || steps.length > 10) {
    issues.push({ field, problem: 'must list 2 to 10 steps, lowest first' });
    return [];
  }
  const seen = new Set<string>();
  steps.forEach((s: unknown, i) => {
    const x = (typeof s === 'object' && s !== null ? s : {}) as Partial<ScaleStep>;
    if (typeof x.id !== 'string' || !ID.test(x.id))
      issues.push({ field: `${field}[${i}].id`, problem: 'must be 1-40 lower-case letters, digits or -' });
    else if (seen.has(x.id)) issues.push({ field: `${field}[${i}].id`, problem: `repeats ${x.id}` });
    else seen.add(x.id);
    if (typeof x.label !== 'string' || x.label.trim() === '' || x.label.length > 200)
      issues.push({ field: `${field}[${i}].label`, problem: 'must be a non-empty string of at most 200 characters' });
    if (typeof x.description !== 'string' || x.description.length > 2000)
      issues.push({ field: `${field}[${i}].description`, problem: 'must be a string of at most 2000 characters' });
  });
  return steps as ScaleStep[];
}

/**
 * Everything wrong with a proposed content, each issue under `prefix` (`content.matrix[2][4]`): the scales,
 * the levels (acceptors, intervals), a matrix that names a level for every cell and never ranks a higher
 * likelihood or consequence lower, and an appetite that is one of the levels.
 */
export function criteriaContentIssues(content: unknown, prefix = 'content'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return [{ field: prefix, problem: 'must be an object' }];
  const c = content as Partial<Record<keyof RiskCriteriaContent, unknown>>;
  const likelihood = stepsIssues(c.likelihood, `${prefix}.likelihood`, issues);
  const consequence = stepsIssues(c.consequence, `${prefix}.consequence`, issues);
  const levelIds: string[] = [];
  if (!Array.isArray(c.levels) || c.levels.length < 2 || c.levels.length > 10)
    issues.push({ field: `${prefix}.levels`, problem: 'must list 2 to 10 levels, lowest first' });
  else
    c.levels.forEach((l: unknown, i) => {
      const x = (typeof l === 'object' && l !== null ? l : {}) as Partial<RiskLevelDefinition>;
      const f = `${prefix}.levels[${i}]`;
      if (typeof x.id !== 'string' || !ID.test(x.id))
        issues.push({ field: `${f}.id`, problem: 'must be 1-40 lower-case letters, digits or -' });
      else if (levelIds.includes(x.id)) issues.push({ field: `${f}.id`, problem: `repeats ${x.id}` });
      else levelIds.push(x.id);
      if (typeof x.label !== 'string' || x.label.trim() === '' || x.label.length > 200)
        issues.push({ field: `${f}.label`, problem: 'must be a non-empty string of at most 200 characters' });
      if (!Array.isArray(x.acceptedBy) || x.acceptedBy.length === 0 || x.acceptedBy.some((r) => !ACCEPTING_ROLES.includes(r)))
        issues.push({ field: `${f}.acceptedBy`, problem: `must name at least one of ${ACCEPTING_ROLES.join(', ')}` });
      const ms = typeof x.reassessmentInterval === 'string' ? parseFixedDuration(x.reassessmentInterval) : null;
      if (ms === null || ms <= 0)
        issues.push({ field: `${f}.reassessmentInterval`, problem: 'must be a fixed-length ISO 8601 duration, e.g. P90D' });
    });
  if (typeof c.appetite !== 'string' || !levelIds.includes(c.appetite))
    issues.push({ field: `${prefix}.appetite`, problem: 'must be the id of one of the levels' });
  const rank = (level: string): number => levelIds.indexOf(level);
  if (!Array.isArray(c.matrix) || c.matrix.length !== likelihood.length)
    issues.push({ field: `${prefix}.matrix`, problem: 'must have one row per likelihood step' });
  else
    c.matrix.forEach((row: unknown, i) => {
      if (!Array.isArray(row) || row.length !== consequence.length) {
        issues.push({ field: `${prefix}.matrix[${i}]`, problem: 'must have one cell per consequence step' });
        return;
      }
      row.forEach((cell: unknown, j) => {
        const f = `${prefix}.matrix[${i}][${j}]`;
        if (typeof cell !== 'string' || !levelIds.includes(cell)) issues.push({ field: f, problem: 'must be the id of one of the levels' });
        // A more likely or graver risk is never a lower level: the matrix must be monotone.
        else {
          const left = j > 0 ? (row as unknown[])[j - 1] : null;
          const above = i > 0 ? (c.matrix as unknown[][])[i - 1]?.[j] : null;
          if ((typeof left === 'string' && rank(left) > rank(cell)) || (typeof above === 'string' && rank(above) > rank(cell)))
            issues.push({ field: f, problem: 'is lower than a cell of lesser likelihood or consequence' });
        }
      });
    });
  return issues;
}
