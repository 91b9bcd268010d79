/**
 * The evidence a report cites, in the order a reader first meets it, each with a stable anchor, and how a
 * reader checks one: both renderers build their appendix from this, so the Markdown and the HTML cite the
 * same ids under the same anchors.
 */
import type { ReportDocument, ReportEvidence } from './model';

export interface CitedEvidence extends ReportEvidence {
  /** The anchor the report links to ("evidence-3"): numbered, so any id (whatever its characters) has one. */
  readonly anchor: string;
}

/** Every id the document cites (statements, then table rows, section by section), once, first seen first. */
export function citedEvidence(doc: ReportDocument): CitedEvidence[] {
  const known = new Map<string, ReportEvidence>();
  for (const e of doc.evidenceIndex ?? []) if (!known.has(e.id)) known.set(e.id, e);
  const order: string[] = [];
  const seen = new Set<string>();
  const cite = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    order.push(id);
  };
  for (const section of doc.sections) {
    for (const s of section.statements) s.evidence.forEach(cite);
    for (const row of section.table?.rows ?? []) row.evidence.forEach(cite);
  }
  return order.map((id, i) => ({ ...known.get(id), id, anchor: `evidence-${i + 1}` }));
}

/** id → anchor, for the links beside each statement and row. */
export const anchorsOf = (cited: readonly CitedEvidence[]): ReadonlyMap<string, string> => new Map(cited.map((c) => [c.id, c.anchor]));

/**
 * How to check one cited event against the log, with the commands and routes that exist: an inclusion
 * proof finds the event by id and proves it is in the hash-chained log; the stream's history as of the
 * report's position shows its content beside the records around it.
 */
export function howToCheck(e: ReportEvidence, position: number): string[] {
  const ways = [`aims evidence prove --event ${e.id}`, `GET /v1/evidence/proofs/inclusion?eventId=${encodeURIComponent(e.id)}`];
  if (e.stream !== undefined) {
    ways.push(`aims evidence replay --stream ${e.stream} --as-of ${position} --json`);
    ways.push(`GET /v1/audit/streams/${encodeURIComponent(e.stream)}?asOf=${position}`);
  }
  return ways;
}

/** The label a statement's tone shows (words, not only colour, so a black-and-white print keeps it). */
export const TONE_LABEL = { fact: '', ok: 'OK', gap: 'GAP', finding: 'FINDING' } as const;

export const KIND_LABEL = {
  'internal-audit': 'Internal audit report',
  'management-review': 'Management review record',
  readiness: 'Readiness check',
} as const;

/**
 * Control and bidirectional-override characters in a record's text are shown as their code (`\u001b`),
 * never passed on: in a terminal they would be commands, in a page they would reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const visibleControls = (text: string): string =>
  text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
