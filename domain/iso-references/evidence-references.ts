/**
 * Which ISO/IEC 42001 clauses and Annex A controls a piece of evidence is evidence for, so an auditor can
 * ask for the evidence of one control (issue 14 item 5).
 *
 * Each process owns its table (event type → clause and control ids); this module only gathers them, keyed
 * by the stream category the process records under, because one event type can mean different things in
 * different processes (a `HumanTaskOpened` of a lifecycle is not one of a nonconformity). The workflow
 * runtime writes the tags into each event's metadata as `iso42001: { clauses, controls }`; evidence
 * recorded before that carries none, and `referencesOfEvidence` derives it from the same tables (the
 * tables only ever grow: an event's type never changes meaning).
 */
import { ISO_42001_REFERENCES as AI_SYSTEM_REFERENCES } from '../ai-system/events';
import { AIMS_SCOPE_CATEGORY } from '../aims-scope/model';
import { AIMS_CONTEXT_CATEGORY } from '../aims-context/model';
import { AIMS_CONTEXT_ISO_42001_REFERENCES } from '../aims-context/decide';
import { AIMS_SCOPE_ISO_42001_REFERENCES } from '../aims-scope/evolve';
import { isAnnexAControlId } from '../catalogue/annex-a-controls';
import { isClauseId } from '../catalogue/clauses';
import { AUDIT_PROGRAMME_CATEGORY, AUDIT_PROGRAMME_ISO_42001_REFERENCES } from '../audit-programme/programme';
import { IMPROVEMENT_CATEGORY, IMPROVEMENT_ISO_42001_REFERENCES } from '../improvement/improvement';
import { INTERNAL_AUDIT_CATEGORY } from '../internal-audit/model';
import { INTERNAL_AUDIT_ISO_42001_REFERENCES } from '../internal-audit/evolve';
import { MANAGEMENT_REVIEW_CATEGORY } from '../management-review/model';
import { MANAGEMENT_REVIEW_ISO_42001_REFERENCES } from '../management-review/decide';
import { LIFECYCLE_POLICY_CATEGORY, LIFECYCLE_POLICY_ISO_42001_REFERENCES } from '../lifecycle-policy/lifecycle-policy';
import { NONCONFORMITY_ISO_42001_REFERENCES } from '../nonconformity/events';
import { NOTIFICATION_ISO_42001_REFERENCES } from '../notifications/events';
import { OBJECTIVE_CATEGORY } from '../objective/model';
import { OBJECTIVE_ISO_42001_REFERENCES } from '../objective/evolve';
import { PERSONAL_DATA_CATEGORY, PERSONAL_DATA_ISO_42001_REFERENCES } from '../personal-data/events';
import { DOCUMENT_CATEGORY } from '../document/model';
import { DOCUMENT_ISO_42001_REFERENCES } from '../document/evolve';
import { PERSON_CATEGORY } from '../people/model';
import { PERSON_ISO_42001_REFERENCES } from '../people/evolve';
import { PEOPLE_POLICY_CATEGORY, PEOPLE_POLICY_ISO_42001_REFERENCES } from '../people/enforcement';
import { PEOPLE_IDENTITIES_CATEGORY, PEOPLE_IDENTITIES_ISO_42001_REFERENCES } from '../people/identity-register';
import { SOA_CATEGORY } from '../soa/model';
import { SOA_ISO_42001_REFERENCES } from '../soa/evolve';
import { RISK_CATEGORY, RISK_ISO_42001_REFERENCES } from '../risk/model';
import { RISK_CRITERIA_CATEGORY, RISK_CRITERIA_ISO_42001_REFERENCES } from '../risk-criteria/risk-criteria';

/** The metadata member that carries the tags. */
export const ISO_42001_METADATA_KEY = 'iso42001';

export interface Iso42001Tags {
  clauses: string[];
  controls: string[];
}

type ReferenceTable = Readonly<Record<string, readonly string[]>>;

/**
 * Stream category (a stream `ai-system-42` is in category `ai-system`) → the table of the process that
 * records under it. Processes are added here as they land. A stream takes the longest category it is in,
 * so `risk-criteria-…` is never read as a `risk-…`.
 */
const TABLES: ReadonlyArray<{ category: string; table: ReferenceTable }> = [
  { category: 'ai-system', table: AI_SYSTEM_REFERENCES },
  { category: 'nonconformity', table: NONCONFORMITY_ISO_42001_REFERENCES },
  { category: 'notification', table: NOTIFICATION_ISO_42001_REFERENCES },
  { category: LIFECYCLE_POLICY_CATEGORY, table: LIFECYCLE_POLICY_ISO_42001_REFERENCES },
  { category: SOA_CATEGORY, table: SOA_ISO_42001_REFERENCES },
  { category: RISK_CATEGORY, table: RISK_ISO_42001_REFERENCES },
  { category: RISK_CRITERIA_CATEGORY, table: RISK_CRITERIA_ISO_42001_REFERENCES },
  { category: PERSONAL_DATA_CATEGORY, table: PERSONAL_DATA_ISO_42001_REFERENCES },
  { category: DOCUMENT_CATEGORY, table: DOCUMENT_ISO_42001_REFERENCES },
  { category: AIMS_SCOPE_CATEGORY, table: AIMS_SCOPE_ISO_42001_REFERENCES },
  { category: AIMS_CONTEXT_CATEGORY, table: AIMS_CONTEXT_ISO_42001_REFERENCES },
  { category: INTERNAL_AUDIT_CATEGORY, table: INTERNAL_AUDIT_ISO_42001_REFERENCES },
  { category: IMPROVEMENT_CATEGORY, table: IMPROVEMENT_ISO_42001_REFERENCES },
  { category: AUDIT_PROGRAMME_CATEGORY, table: AUDIT_PROGRAMME_ISO_42001_REFERENCES },
  { category: PERSON_CATEGORY, table: PERSON_ISO_42001_REFERENCES },
  { category: PEOPLE_POLICY_CATEGORY, table: PEOPLE_POLICY_ISO_42001_REFERENCES },
  { category: MANAGEMENT_REVIEW_CATEGORY, table: MANAGEMENT_REVIEW_ISO_42001_REFERENCES },
  { category: PEOPLE_IDENTITIES_CATEGORY, table: PEOPLE_IDENTITIES_ISO_42001_REFERENCES },
  { category: OBJECTIVE_CATEGORY, table: OBJECTIVE_ISO_42001_REFERENCES },
].sort((a, b) => b.category.length - a.category.length);

function tableOf(stream: string): ReferenceTable | null {
  return TABLES.find((t) => stream.startsWith(`${t.category}-`))?.table ?? null;
}

/** Splits a list of citations into clause ids and Annex A control ids (sorted, unique); unknown ids are a bug. */
export function iso42001Tags(references: readonly string[]): Iso42001Tags {
  const clauses = new Set<string>();
  const controls = new Set<string>();
  for (const ref of references) {
    if (isAnnexAControlId(ref)) controls.add(ref);
    else if (isClauseId(ref)) clauses.add(ref);
    else throw new Error(`bug: ${ref} is neither a clause nor an Annex A control of the catalogue`);
  }
  return { clauses: [...clauses].sort(compareIds), controls: [...controls].sort(compareIds) };
}

/** Orders ids as the standard numbers them: 4.1 < 6.1.2 < 10.2, A.2.2 < A.10.2. */
export function compareIds(a: string, b: string): number {
  const pa = a.replace(/^A\./, '').split('.').map(Number);
  const pb = b.replace(/^A\./, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** What the process's table says an event of this type on this stream is evidence for (empty if nothing). */
export function tabledReferences(stream: string, type: string): Iso42001Tags {
  const table = tableOf(stream);
  const refs = table !== null && Object.prototype.hasOwnProperty.call(table, type) ? table[type] : [];
  return iso42001Tags(refs);
}

function tagsIn(metadata: unknown): Iso42001Tags | null {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const tags = (metadata as Record<string, unknown>)[ISO_42001_METADATA_KEY];
  if (typeof tags !== 'object' || tags === null) return null;
  const { clauses, controls } = tags as Record<string, unknown>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return strings(clauses) && strings(controls) ? { clauses, controls } : null;
}

/**
 * What a recorded event is evidence for: the tags in its metadata when it carries them (what was true
 * when it was recorded), else what its process's table says (evidence recorded before tagging).
 */
export function referencesOfEvidence(event: {
  stream: string;
  type: string;
  metadata?: unknown;
}): Iso42001Tags & { from: 'metadata' | 'table' } {
  const recorded = tagsIn(event.metadata);
  if (recorded !== null) return { ...recorded, from: 'metadata' };
  return { ...tabledReferences(event.stream, event.type), from: 'table' };
}

/** True when the event is evidence for the clause or control (a clause also covers its sub-clauses: 6.1 covers 6.1.2). */
export function isEvidenceFor(event: { stream: string; type: string; metadata?: unknown }, reference: string): boolean {
  const tags = referencesOfEvidence(event);
  if (isAnnexAControlId(reference)) return tags.controls.includes(reference);
  return tags.clauses.some((c) => c === reference || c.startsWith(`${reference}.`));
}

/**
 * Where evidence for a clause or control can be: the stream categories and event types whose tables cite
 * it, so a reader can let the store narrow the scan before checking each event with `isEvidenceFor`.
 * Null when nothing cites it (the answer is empty).
 */
export function evidenceCandidates(reference: string): { categories: string[]; types: string[] } | null {
  const categories = new Set<string>();
  const types = new Set<string>();
  const cites = (refs: readonly string[]): boolean =>
    isAnnexAControlId(reference) ? refs.includes(reference) : refs.some((c) => c === reference || c.startsWith(`${reference}.`));
  for (const t of TABLES) {
    for (const [type, refs] of Object.entries(t.table)) {
      if (!cites(refs)) continue;
      categories.add(t.category);
      types.add(type);
    }
  }
  return types.size === 0 ? null : { categories: [...categories].sort(), types: [...types].sort() };
}
