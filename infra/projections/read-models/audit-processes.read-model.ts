/**
 * The registers of the audit processes (9.2, 10.1), for their paged and filtered lists: one row per
 * internal audit (`internal-audit-<id>`), per audit programme (`audit-programme-<period>`) and per
 * opportunity for improvement (`improvement-<id>`), each folded with its domain's own `evolve`. A row holds
 * what the list filters and orders by; the API folds each listed record from its own stream, so a page
 * shows its latest state and memory is bounded by the page, not by the register.
 */
import {
  AUDIT_PROGRAMME_CATEGORY,
  evolveAuditProgramme,
  type AuditProgrammeEvent,
  type AuditProgrammeState,
} from '../../../domain/audit-programme';
import { evolveImprovement, IMPROVEMENT_CATEGORY, type ImprovementEvent, type ImprovementState } from '../../../domain/improvement';
import {
  evolve as evolveInternalAudit,
  INTERNAL_AUDIT_CATEGORY,
  pendingCorrectiveActions,
  type InternalAuditEvent,
  type InternalAuditState,
} from '../../../domain/internal-audit';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';

type Folded = { firstPosition: number; updatedAt: string; lastPosition: number };

const after = <E>(event: RecordedEvidenceEvent): E => ({ ...event.data, type: event.type }) as unknown as E;
const keyAfter = (prefix: string) => (event: RecordedEvidenceEvent) =>
  event.stream.startsWith(prefix) ? event.stream.slice(prefix.length) : null;
const folded = (event: RecordedEvidenceEvent, before: Folded | undefined): Folded => ({
  firstPosition: before?.firstPosition ?? event.position,
  updatedAt: event.recordedAt,
  lastPosition: event.position,
});

// ----- internal audits -----

export interface InternalAuditRow extends Folded {
  auditId: string;
  status: string;
  programmeId: string | null;
  leadAuditor: string;
  plannedStart: string;
  plannedEnd: string;
  findings: number;
  /** Nonconformity findings whose corrective action is neither closed nor has an approved plan. */
  pendingCorrectiveActions: number;
}

export const INTERNAL_AUDITS: ReadModelDefinition<InternalAuditRow, InternalAuditState> = {
  name: 'internal_audits',
  version: 1,
  columns: [
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'programme_id', type: 'text', value: (r) => r.programmeId },
    { name: 'lead_auditor', type: 'text', value: (r) => r.leadAuditor.toLowerCase() },
    { name: 'planned_start', type: 'text', value: (r) => r.plannedStart },
    { name: 'first_position', type: 'integer', orderable: true, value: (r) => r.firstPosition },
  ],
  indexes: [['status'], ['programme_id']],
  keyOf: keyAfter(`${INTERNAL_AUDIT_CATEGORY}-`),
  apply(current: Projected<InternalAuditRow, InternalAuditState> | null, event: RecordedEvidenceEvent) {
    if (current === null && event.type !== 'AuditPlanned') return null;
    const state = evolveInternalAudit(current?.state ?? null, after<InternalAuditEvent>(event));
    if (state === null || state === current?.state) return current;
    return {
      row: {
        auditId: state.auditId,
        status: state.status,
        programmeId: state.plan.programmeId,
        leadAuditor: state.plan.leadAuditor,
        plannedStart: state.plan.plannedStart,
        plannedEnd: state.plan.plannedEnd,
        findings: state.findings.length,
        pendingCorrectiveActions: pendingCorrectiveActions(state).length,
        ...folded(event, current?.row),
      },
      state,
    };
  },
};

// ----- audit programmes -----

export interface AuditProgrammeRow extends Folded {
  period: string;
  status: string;
  audits: number;
  /** Programmed audits escalated as late (fieldwork not started by their planned end). */
  late: number;
}

export const AUDIT_PROGRAMMES: ReadModelDefinition<AuditProgrammeRow, AuditProgrammeState> = {
  name: 'audit_programmes',
  version: 1,
  columns: [
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'late', type: 'integer', value: (r) => r.late },
    { name: 'first_position', type: 'integer', orderable: true, value: (r) => r.firstPosition },
  ],
  indexes: [['status']],
  keyOf: keyAfter(`${AUDIT_PROGRAMME_CATEGORY}-`),
  apply(current: Projected<AuditProgrammeRow, AuditProgrammeState> | null, event: RecordedEvidenceEvent) {
    if (current === null && event.type !== 'AuditProgrammeDrafted') return null;
    const state = evolveAuditProgramme(current?.state ?? null, after<AuditProgrammeEvent>(event));
    if (state === null || state === current?.state) return current;
    return {
      row: {
        period: state.period,
        status: state.status,
        audits: state.audits.length,
        late: Object.values(state.schedule).filter((s) => s === 'late').length,
        ...folded(event, current?.row),
      },
      state,
    };
  },
};

// ----- the improvement register -----

export interface ImprovementRow extends Folded {
  improvementId: string;
  status: string;
  owner: string;
  sourceKind: string;
  sourceReference: string | null;
}

export const IMPROVEMENTS: ReadModelDefinition<ImprovementRow, ImprovementState> = {
  name: 'improvements',
  version: 1,
  columns: [
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'owner', type: 'text', value: (r) => r.owner.toLowerCase() },
    { name: 'source_kind', type: 'text', value: (r) => r.sourceKind },
    { name: 'first_position', type: 'integer', orderable: true, value: (r) => r.firstPosition },
  ],
  indexes: [['status'], ['owner']],
  keyOf: keyAfter(`${IMPROVEMENT_CATEGORY}-`),
  apply(current: Projected<ImprovementRow, ImprovementState> | null, event: RecordedEvidenceEvent) {
    if (current === null && event.type !== 'ImprovementProposed') return null;
    const state = evolveImprovement(current?.state ?? null, after<ImprovementEvent>(event));
    if (state === null || state === current?.state) return current;
    return {
      row: {
        improvementId: state.improvementId,
        status: state.status,
        owner: state.owner,
        sourceKind: state.source.kind,
        sourceReference: state.source.reference,
        ...folded(event, current?.row),
      },
      state,
    };
  },
};
