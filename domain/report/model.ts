/**
 * A report an auditor reads (ISO/IEC 42001 9.2.2 e, 9.3; issue 17 item 6): an internal audit's report, a
 * management review's record, a readiness check. One shape for all of them, so one pair of renderers
 * (Markdown and self-contained HTML) serves every report, and every statement carries the evidence it rests
 * on: an auditor follows a line of the report to the events (`aims evidence show ID`) and checks them.
 *
 * A report is a pure value computed from the records as of one position of the evidence log; rendering it
 * twice from the same records gives the same bytes.
 */

/** Where in the evidence log a report was computed: the records up to and including `position`. */
export interface ReportBasis {
  /** Global position of the last event the report read (0 when the log was empty). */
  readonly position: number;
  /** recordedAt of that event, ISO 8601; absent when the log was empty. */
  readonly recordedAt?: string;
  /** The date the reader asked for (`--as-of`), when the position was chosen from a date. */
  readonly asOf?: string;
  /** Hex SHA-256 of the event at `position` (the chain's hash), so the basis itself can be checked. */
  readonly hash?: string;
}

/** A sentence of the report and the ids of the evidence events it rests on (none for an absence). */
export interface ReportStatement {
  readonly text: string;
  readonly evidence: readonly string[];
  /** How a reader should take it: a gap or a nonconformity is shown apart from plain facts. */
  readonly tone?: 'fact' | 'gap' | 'finding' | 'ok';
  /** The clause or Annex A control it concerns, in the standard's numbering ("9.3.2", "A.6.2.4"). */
  readonly clause?: string;
}

/** A table row; `evidence` are the event ids behind the row as a whole. */
export interface ReportRow {
  readonly cells: readonly string[];
  readonly evidence: readonly string[];
}

export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: readonly ReportRow[];
}

export interface ReportSection {
  /** Stable anchor, kebab-case ("inputs", "findings", "stage-1"): tests and links find sections by it. */
  readonly id: string;
  readonly title: string;
  readonly clause?: string;
  readonly statements: readonly ReportStatement[];
  readonly table?: ReportTable;
}

export type ReportKind = 'internal-audit' | 'management-review' | 'readiness';

export interface ReportDocument {
  readonly kind: ReportKind;
  readonly title: string;
  /** What the report is about: the audit's id, the review's id, "stage 1". */
  readonly subject: string;
  readonly basis: ReportBasis;
  /** When the report was generated (ISO 8601); the only field that may differ between two renderings. */
  readonly generatedAt: string;
  readonly sections: readonly ReportSection[];
  /**
   * What the report knows about the evidence ids it cites (their stream, position, type), listed in the
   * appendix so a reader can look each one up; an id cited but not described here is listed by id alone.
   */
  readonly evidenceIndex?: readonly ReportEvidence[];
}

/** One evidence event a report cites, as far as the report's builder knows it. */
export interface ReportEvidence {
  readonly id: string;
  readonly stream?: string;
  readonly position?: number;
  readonly type?: string;
}
