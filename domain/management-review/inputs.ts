/**
 * The management review's input pack (ISO/IEC 42001 9.3.2), compiled from the evidence up to one position.
 *
 * A fold over the log in order: it keeps only the records a review considers (other reviews' decisions and
 * the improvements that carry them, context entries, nonconformities, objective measurements, audits, risks,
 * the SoA, people), so its state grows with those records and never with the log; the activity streams the
 * store through it. Every item says what the evidence shows and lists the ids of the events it rests on;
 * where the evidence holds nothing for an item, the item says so as a gap and invents no value.
 *
 * The pack is plain JSON with no clock of its own (an action is overdue when due before the recordedAt of the
 * last event read): the same evidence up to the same position gives the same pack, and
 * the SHA-256 of its canonical JSON (`packCanonicalText`) is the hash a review records and a verifier
 * recomputes.
 */
import { canonicalize } from '../evidence/canonical-json';
import { dueInstant } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { MANAGEMENT_REVIEW_CATEGORY } from './identity';

/** The part of a recorded evidence event the compiler reads. */
export interface RecordedEvent {
  id: string;
  stream: string;
  type: string;
  position: number;
  /** When the store recorded it; the last one is the instant action due dates are judged against. */
  recordedAt?: string;
  data: JsonObject;
}

/** The inputs 9.3.2 lists, in its order. */
export const REVIEW_INPUT_KEYS = [
  'previous_actions',
  'context_issues',
  'interested_parties',
  'nonconformities',
  'monitoring_results',
  'audit_results',
  'objectives_attainment',
  'risks_and_opportunities',
  'statement_of_applicability',
  'resources',
  'interested_party_feedback',
] as const;
export type ReviewInputKey = (typeof REVIEW_INPUT_KEYS)[number];

export interface ReviewInputEntry {
  text: string;
  evidence: string[];
}

export interface ReviewInputItem {
  key: ReviewInputKey;
  clause: string;
  title: string;
  /** What the evidence shows, in sentences. */
  summary: string[];
  /** Set when the evidence holds nothing for this input: what is missing (never an invented value). */
  gap: string | null;
  entries: ReviewInputEntry[];
  /** Every event id the item rests on. */
  evidence: string[];
}

export interface ReviewInputPack {
  reviewId: string;
  /** The last log position the pack read (0: an empty log). */
  position: number;
  /** When the event at that position was recorded (null: an empty log); overdue means due before it. */
  recordedAt: string | null;
  /** The review whose inputs mark "since the previous review", when one was signed off before. */
  previousReview: { reviewId: string; position: number } | null;
  items: ReviewInputItem[];
}

export interface CompileOptions {
  /** The review the pack is for (its own stream and its later reviews are not its input). */
  reviewId: string;
}

type Tracked = { evidence: string[] };
type ReviewSeen = {
  inputsPosition: number | null;
  signedOffPosition: number | null;
  decisions: Map<string, { kind: string; owner: string; dueDate: string; text: string; actionId: string } & Tracked>;
};
type ContextChange = { position: number; id: string; entryId: string; register: string; what: string; label: string };

const category = (stream: string, c: string): string | null => (stream.startsWith(`${c}-`) ? stream.slice(c.length + 1) : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The fold; `add` each event in log order, then `pack()`. */
export class ReviewInputCompiler {
  private position = 0;
  private recordedAt: string | null = null;
  private readonly reviews = new Map<string, ReviewSeen>();
  private lastSignedOff: { reviewId: string } | null = null;
  private readonly actions = new Map<string, { status: string } & Tracked>();
  private readonly context: ContextChange[] = [];
  private readonly contextLabels = new Map<string, { register: string; label: string; active: boolean; requirements: number } & Tracked>();
  private readonly nonconformities = new Map<string, { severity: string; status: 'open' | 'closed'; overdue: boolean } & Tracked>();
  private correctiveActionsCompleted: Tracked & { count: number } = { count: 0, evidence: [] };
  private readonly measures = new Map<string, { count: number; onTarget: boolean | null; last: string } & Tracked>();
  private readonly audits = new Map<string, { status: string; findings: Record<string, number> } & Tracked>();
  private readonly risks = new Map<string, { level: string; accepted: string | null; reassessmentDue: boolean } & Tracked>();
  private soa: { approved: { revisionId: string; version: number; id: string } | null; pending: Map<string, string> } = {
    approved: null,
    pending: new Map(),
  };
  private readonly people = new Map<string, { left: boolean; competences: number } & Tracked>();

  constructor(private readonly options: CompileOptions) {}

  add(e: RecordedEvent): void {
    if (e.position >= this.position) {
      this.position = e.position;
      this.recordedAt = e.recordedAt ?? this.recordedAt;
    }
    const d = e.data;
    let id: string | null;
    if ((id = category(e.stream, MANAGEMENT_REVIEW_CATEGORY)) !== null) this.review(id, e);
    else if ((id = category(e.stream, 'improvement')) !== null) this.improvement(id, e);
    else if (category(e.stream, 'aims-context') !== null) this.contextEntry(e);
    else if ((id = category(e.stream, 'nonconformity')) !== null) this.nonconformity(id, e);
    else if ((id = category(e.stream, 'objective')) !== null && e.type === 'ObjectiveMeasured') {
      const m = this.measures.get(id) ?? { count: 0, onTarget: null, last: '', evidence: [] };
      m.count += 1;
      m.onTarget = typeof d.onTarget === 'boolean' ? d.onTarget : null;
      m.last = str(d.at, str(d.measuredAt));
      m.evidence.push(e.id);
      this.measures.set(id, m);
    } else if ((id = category(e.stream, 'internal-audit')) !== null) this.audit(id, e);
    else if ((id = category(e.stream, 'risk')) !== null && category(e.stream, 'risk-criteria') === null) this.risk(id, e);
    else if (e.stream === 'soa' || category(e.stream, 'soa') !== null) this.statementOfApplicability(e);
    else if ((id = category(e.stream, 'person')) !== null) this.person(id, e);
  }

  private review(reviewId: string, e: RecordedEvent): void {
    if (reviewId === this.options.reviewId) return; // its own record is not its input
    const r = this.reviews.get(reviewId) ?? { inputsPosition: null, signedOffPosition: null, decisions: new Map() };
    if (e.type === 'ManagementReviewInputsCompiled' && typeof e.data.position === 'number') r.inputsPosition = e.data.position;
    if (e.type === 'ManagementReviewDecisionRecorded') {
      const actionId = str(e.data.actionId);
      r.decisions.set(str(e.data.decisionId), {
        kind: str(e.data.kind),
        owner: str(e.data.owner),
        dueDate: str(e.data.dueDate),
        text: str(e.data.text),
        actionId,
        evidence: [e.id],
      });
      if (!this.actions.has(actionId)) this.actions.set(actionId, { status: 'not_started', evidence: [] });
    }
    if (e.type === 'ManagementReviewSignedOff') {
      r.signedOffPosition = e.position;
      this.lastSignedOff = { reviewId };
    }
    this.reviews.set(reviewId, r);
  }

  private improvement(improvementId: string, e: RecordedEvent): void {
    const a = this.actions.get(improvementId);
    if (a === undefined) return; // not an action of a review
    if (e.type === 'ImprovementProposed') a.status = 'proposed';
    if (e.type === 'ImprovementDecided') a.status = str(e.data.outcome, a.status);
    if (e.type === 'ImprovementOutcomeRecorded') a.status = 'implemented';
    a.evidence.push(e.id);
  }

  private contextEntry(e: RecordedEvent): void {
    const entryId = str(e.data.entryId);
    const known = this.contextLabels.get(entryId);
    if (e.type === 'ContextEntryRecorded') {
      const content = (e.data.content ?? {}) as JsonObject;
      const register = str(e.data.register);
      const label = register === 'interested_party' ? str(content.name) : `${str(content.origin)} issue: ${str(content.title)}`;
      const requirements = Array.isArray(content.requirements) ? content.requirements.length : 0;
      this.contextLabels.set(entryId, { register, label, active: true, requirements, evidence: [...(known?.evidence ?? []), e.id] });
      this.context.push({ position: e.position, id: e.id, entryId, register, what: known ? 'revised' : 'recorded', label });
    } else if (known !== undefined && (e.type === 'ContextEntryReviewed' || e.type === 'ContextEntryRetired')) {
      known.evidence.push(e.id);
      if (e.type === 'ContextEntryRetired') known.active = false;
      const what = e.type === 'ContextEntryRetired' ? 'retired' : 'reviewed';
      this.context.push({ position: e.position, id: e.id, entryId, register: known.register, what, label: known.label });
    }
  }

  private nonconformity(ncId: string, e: RecordedEvent): void {
    if (e.type === 'NonconformityRaised') {
      this.nonconformities.set(ncId, { severity: str(e.data.severity, 'unstated'), status: 'open', overdue: false, evidence: [e.id] });
      return;
    }
    const nc = this.nonconformities.get(ncId);
    if (nc === undefined) return;
    if (e.type === 'NonconformityClosed') nc.status = 'closed';
    else if (e.type === 'NonconformityReopened') nc.status = 'open';
    else if (e.type === 'CorrectiveActionOverdue') nc.overdue = true;
    else if (e.type === 'CorrectiveActionCompleted') {
      this.correctiveActionsCompleted.count += 1;
      this.correctiveActionsCompleted.evidence.push(e.id);
    } else return;
    nc.evidence.push(e.id);
  }

  private audit(auditId: string, e: RecordedEvent): void {
    const a = this.audits.get(auditId) ?? { status: 'planned', findings: {}, evidence: [] };
    if (e.type === 'AuditFindingRecorded') {
      const t = str(e.data.findingType, 'unstated');
      a.findings[t] = (a.findings[t] ?? 0) + 1;
    } else if (e.type === 'AuditReportIssued') a.status = 'reported';
    else if (e.type === 'AuditClosed') a.status = 'closed';
    else if (e.type !== 'AuditPlanned') return;
    a.evidence.push(e.id);
    this.audits.set(auditId, a);
  }

  private risk(riskId: string, e: RecordedEvent): void {
    const r = this.risks.get(riskId);
    if (e.type === 'RiskIdentified') {
      this.risks.set(riskId, { level: 'not assessed', accepted: null, reassessmentDue: false, evidence: [e.id] });
      return;
    }
    if (r === undefined) return;
    const level = (e.data.inherent as JsonObject | undefined)?.level ?? (e.data.residual as JsonObject | undefined)?.level;
    if (e.type === 'RiskAssessed' || e.type === 'ResidualRiskAssessed') {
      r.level = str(level, r.level);
      r.reassessmentDue = false;
    } else if (e.type === 'RiskAcceptanceDecided') r.accepted = str(e.data.outcome, null as unknown as string);
    else if (e.type === 'RiskReassessmentDue') r.reassessmentDue = true;
    else return;
    r.evidence.push(e.id);
  }

  private statementOfApplicability(e: RecordedEvent): void {
    const revisionId = str(e.data.revisionId);
    if (e.type === 'SoaRevisionProposed') this.soa.pending.set(revisionId, e.id);
    if (e.type === 'SoaRevisionRejected') this.soa.pending.delete(revisionId);
    if (e.type === 'SoaRevisionApproved') {
      this.soa.pending.delete(revisionId);
      this.soa.approved = { revisionId, version: typeof e.data.version === 'number' ? e.data.version : 0, id: e.id };
    }
  }

  private person(personId: string, e: RecordedEvent): void {
    if (e.type === 'PersonRegistered') this.people.set(personId, { left: false, competences: 0, evidence: [e.id] });
    const p = this.people.get(personId);
    if (p === undefined || e.type === 'PersonRegistered') return;
    if (e.type === 'PersonLeft') p.left = true;
    else if (e.type === 'CompetenceRecorded') p.competences += 1;
    else return;
    p.evidence.push(e.id);
  }

  pack(): ReviewInputPack {
    const previous = this.lastSignedOff === null ? null : this.reviews.get(this.lastSignedOff.reviewId);
    const since = previous?.inputsPosition ?? previous?.signedOffPosition ?? 0;
    const previousReview =
      this.lastSignedOff === null || previous === undefined ? null : { reviewId: this.lastSignedOff.reviewId, position: since };
    return {
      reviewId: this.options.reviewId,
      position: this.position,
      recordedAt: this.recordedAt,
      previousReview,
      items: [
        this.previousActions(),
        this.contextItem('context_issues', '9.3.2 b', 'Changes in external and internal issues', 'issue', since),
        this.contextItem(
          'interested_parties',
          '9.3.2 c',
          'Changes in the needs and expectations of interested parties',
          'interested_party',
          since,
        ),
        this.nonconformityItem(),
        this.monitoringItem(),
        this.auditItem(),
        this.objectivesItem(),
        this.riskItem(),
        this.soaItem(),
        this.resourcesItem(),
        this.feedbackItem(),
      ],
    };
  }

  private previousActions(): ReviewInputItem {
    const entries: ReviewInputEntry[] = [];
    let open = 0;
    let overdue = 0;
    const now = this.recordedAt === null ? null : Date.parse(this.recordedAt);
    for (const [reviewId, r] of this.reviews) {
      for (const [decisionId, dec] of r.decisions) {
        const action = this.actions.get(dec.actionId);
        const status = action?.status ?? 'not_started';
        const closed = status === 'implemented' || status === 'rejected';
        const due = dueInstant(dec.dueDate);
        const late = !closed && now !== null && due !== null && due <= now;
        if (!closed) open += 1;
        if (late) overdue += 1;
        entries.push({
          text: `${reviewId} ${decisionId} (${dec.kind.replace(/_/g, ' ')}, owner ${dec.owner}, due ${dec.dueDate}): action ${dec.actionId} is ${status.replace(/_/g, ' ')}${closed ? ' (closed)' : late ? ' and overdue' : ' (open)'}.`,
          evidence: [...dec.evidence, ...(action?.evidence ?? [])],
        });
      }
    }
    return item('previous_actions', '9.3.2 a', 'Status of actions from previous management reviews', entries, {
      summary: [`${plural(entries.length, 'action')} from earlier reviews: ${open} open, ${overdue} overdue.`],
      gap: entries.length === 0 ? 'No earlier management review recorded a decision: there is no action to follow up.' : null,
    });
  }

  private contextItem(key: ReviewInputKey, clause: string, title: string, register: string, since: number): ReviewInputItem {
    const changes = this.context.filter((c) => c.register === register && c.position > since);
    const entries = changes.map((c) => ({ text: `${c.entryId} ${c.what}: ${c.label}`, evidence: [c.id] }));
    const sinceText = since === 0 ? 'since the AIMS started' : `since position ${since} (the previous review's inputs)`;
    return item(key, clause, title, entries, {
      summary: [`${plural(entries.length, 'change')} ${sinceText}.`],
      gap: this.context.some((c) => c.register === register)
        ? null
        : `The AIMS context records no ${register.replace('_', ' ')} (4.1, 4.2).`,
    });
  }

  private nonconformityItem(): ReviewInputItem {
    const list = [...this.nonconformities.entries()];
    const open = list.filter(([, n]) => n.status === 'open');
    const entries = list.map(([id, n]) => ({
      text: `${id}: ${n.severity}, ${n.status}${n.overdue && n.status === 'open' ? ', corrective action overdue' : ''}`,
      evidence: n.evidence,
    }));
    const summary = [
      `${plural(list.length, 'nonconformity', 'nonconformities')} raised, ${open.length} open, ${list.length - open.length} closed; ` +
        `${plural(open.filter(([, n]) => n.overdue).length, 'open one')} with an overdue corrective action.`,
      `${plural(this.correctiveActionsCompleted.count, 'corrective action')} completed.`,
    ];
    return item('nonconformities', '9.3.2 d', 'Nonconformities and corrective actions', entries, {
      summary,
      gap: null,
      extra: this.correctiveActionsCompleted.evidence,
    });
  }

  private monitoringItem(): ReviewInputItem {
    const entries = [...this.measures.entries()].map(([id, m]) => ({
      text: `objective ${id}: ${plural(m.count, 'measurement')}, the last ${m.onTarget === null ? 'without a target judgement' : m.onTarget ? 'on target' : 'off target'}`,
      evidence: m.evidence,
    }));
    const total = [...this.measures.values()].reduce((n, m) => n + m.count, 0);
    return item('monitoring_results', '9.3.2 d', 'Monitoring and measurement results', entries, {
      summary: [`${plural(total, 'measurement')} of ${plural(entries.length, 'objective')}.`],
      gap: total === 0 ? 'No monitoring or measurement result is recorded (no ObjectiveMeasured evidence).' : null,
    });
  }

  private auditItem(): ReviewInputItem {
    const entries = [...this.audits.entries()].map(([id, a]) => {
      const f = Object.entries(a.findings)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([t, n]) => `${n} ${t.replace(/_/g, ' ')}`);
      return { text: `audit ${id}: ${a.status}; findings: ${f.length === 0 ? 'none' : f.join(', ')}`, evidence: a.evidence };
    });
    return item('audit_results', '9.3.2 d', 'Audit results', entries, {
      summary: [
        `${plural(entries.length, 'internal audit')}, ${[...this.audits.values()].filter((a) => a.status === 'closed').length} closed.`,
      ],
      gap: entries.length === 0 ? 'No internal audit is recorded (9.2).' : null,
    });
  }

  private objectivesItem(): ReviewInputItem {
    const judged = [...this.measures.entries()].filter(([, m]) => m.onTarget !== null);
    const met = judged.filter(([, m]) => m.onTarget === true).length;
    const entries = judged.map(([id, m]) => ({
      text: `objective ${id}: ${m.onTarget ? 'attained' : 'not attained'} at its last measurement`,
      evidence: m.evidence.slice(-1),
    }));
    return item('objectives_attainment', '9.3.2 d', 'Fulfilment of the AI objectives', entries, {
      summary: [`${met} of ${plural(judged.length, 'measured objective')} on target at the last measurement.`],
      gap:
        judged.length === 0
          ? 'No objective has a measurement judged against its target (no ObjectiveMeasured evidence with onTarget).'
          : null,
    });
  }

  private riskItem(): ReviewInputItem {
    const list = [...this.risks.entries()];
    const entries = list.map(([id, r]) => ({
      text: `risk ${id}: ${r.level}${r.accepted === null ? '' : `, acceptance ${r.accepted}`}${r.reassessmentDue ? ', reassessment due' : ''}`,
      evidence: r.evidence,
    }));
    return item('risks_and_opportunities', '9.3.2 e', 'Risks and opportunities', entries, {
      summary: [`${plural(list.length, 'risk')}; ${list.filter(([, r]) => r.reassessmentDue).length} due for reassessment.`],
      gap: list.length === 0 ? 'No AI risk is recorded (6.1.2).' : null,
    });
  }

  private soaItem(): ReviewInputItem {
    const a = this.soa.approved;
    const entries: ReviewInputEntry[] = [];
    if (a !== null) entries.push({ text: `approved revision ${a.revisionId} (version ${a.version})`, evidence: [a.id] });
    for (const [revisionId, id] of this.soa.pending) entries.push({ text: `revision ${revisionId} awaits its decision`, evidence: [id] });
    return item('statement_of_applicability', '6.1.3', 'The Statement of Applicability: status and gaps', entries, {
      summary: [a === null ? 'No Statement of Applicability is approved.' : `The SoA in force is version ${a.version}.`],
      gap: a === null ? 'No approved Statement of Applicability (6.1.3 d).' : null,
    });
  }

  private resourcesItem(): ReviewInputItem {
    const list = [...this.people.entries()].filter(([, p]) => !p.left);
    const entries = list.map(([id, p]) => ({ text: `person ${id}: ${plural(p.competences, 'competence record')}`, evidence: p.evidence }));
    return item('resources', '7.1', 'Adequacy of resources', entries, {
      summary: [
        `${plural(list.length, 'person', 'people')} registered, ${list.filter(([, p]) => p.competences > 0).length} with competence records.`,
      ],
      gap: list.length === 0 ? 'No people or competence records are registered (7.1, 7.2): resource adequacy cannot be shown.' : null,
    });
  }

  private feedbackItem(): ReviewInputItem {
    const parties = [...this.contextLabels.entries()].filter(([, c]) => c.register === 'interested_party' && c.active);
    const entries = parties.map(([id, c]) => ({
      text: `${id} ${c.label}: ${plural(c.requirements, 'requirement')} recorded`,
      evidence: c.evidence,
    }));
    return item('interested_party_feedback', '9.3.2 f', 'Feedback from interested parties', entries, {
      summary: [`${plural(parties.length, 'interested party', 'interested parties')} on record.`],
      gap: parties.length === 0 ? 'No interested party and no feedback from one is recorded (4.2).' : null,
    });
  }
}

function item(
  key: ReviewInputKey,
  clause: string,
  title: string,
  entries: ReviewInputEntry[],
  o: { summary: string[]; gap: string | null; extra?: string[] },
): ReviewInputItem {
  const evidence = [...new Set([...entries.flatMap((e) => e.evidence), ...(o.extra ?? [])])];
  return { key, clause, title, summary: o.summary, gap: o.gap, entries, evidence };
}

/** The pack from the events up to the last one given (in log order). */
export function compileReviewInputs(events: Iterable<RecordedEvent>, options: CompileOptions): ReviewInputPack {
  const c = new ReviewInputCompiler(options);
  for (const e of events) c.add(e);
  return c.pack();
}

/** The text whose SHA-256 is the pack's hash: RFC 8785 canonical JSON. */
export const packCanonicalText = (pack: ReviewInputPack): string => canonicalize(pack);

/** The pack's hash with the hash function given (the domain does no hashing of its own). */
export const packHashOf = (pack: ReviewInputPack, sha256Hex: (text: string) => string): string => sha256Hex(packCanonicalText(pack));
