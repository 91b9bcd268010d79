/**
 * One internal audit's stored events (plan, sample, checklist, findings of every kind, a corrective action
 * heard back, the report), with hostile text in the places a person types, folded into the audit and the
 * ids that recorded it: what the report unit tests and the Chromium rendering test build a report from.
 */
import { evolve, type InternalAudit, type InternalAuditEvent, type InternalAuditState } from '../../domain/internal-audit';
import { internalAuditReport, noteInternalAuditRecord, NO_INTERNAL_AUDIT_RECORDS, type InternalAuditRecords } from '../../domain/report';
import type { ReportDocument } from '../../domain/report';
import type { ActorRef } from '../../domain/shared/roles';

export const HOSTILE = `<script>alert("x")</script> & 'quoted' "double" <img src="http://127.0.0.1:9/x.png"> | *bold* [l](http://x)`;

const ines: ActorRef = { id: 'ines', role: 'internal_auditor' };
const olivia: ActorRef = { id: 'olivia', role: 'aims_owner' };
const AT = '2026-03-02T09:00:00.000Z';

export const SAMPLED = [
  { eventId: 'ev-validation-1', stream: 'ai-system-credit-scoring', type: 'ValidationSignedOff', position: 40, authorId: 'erin' },
  { eventId: 'ev-deploy-1', stream: 'ai-system-credit-scoring', type: 'DeploymentApproved', position: 44, authorId: 'amara' },
];

export const AUDIT_EVENTS: InternalAuditEvent[] = [
  {
    type: 'AuditPlanned',
    auditId: 'IA-2026-1',
    title: `Lifecycle controls ${HOSTILE}`,
    programmeId: 'AP-2026',
    scope: [{ kind: 'control', id: 'A.6.2.4' }],
    criteria: [
      { criterionId: 'C1', text: 'Validation results are signed off before deployment' },
      { criterionId: 'C2', text: `Deployments are approved ${HOSTILE}` },
      { criterionId: 'C3', text: 'Monitoring runs within its interval' },
    ],
    leadAuditor: 'ines',
    team: ['ivan'],
    plannedStart: '2026-03-01T00:00:00.000Z',
    plannedEnd: '2026-03-15T00:00:00.000Z',
    responsibilities: [{ area: { kind: 'ai_system', id: 'credit-scoring' }, personIds: ['erin'] }],
    by: olivia,
    at: AT,
  },
  { type: 'AuditFieldworkStarted', by: ines, at: AT },
  { type: 'AuditSampleRecorded', sampleId: 'S1', asOfPosition: 45, records: SAMPLED, by: ines, at: AT },
  {
    type: 'AuditChecklistResultRecorded',
    criterionId: 'C1',
    result: 'conforms',
    evidenceRefs: ['ev-validation-1'],
    note: 'signed',
    by: ines,
    at: AT,
  },
  {
    type: 'AuditChecklistResultRecorded',
    criterionId: 'C2',
    result: 'does_not_conform',
    evidenceRefs: ['ev-deploy-1'],
    note: HOSTILE,
    by: ines,
    at: AT,
  },
  {
    type: 'AuditFindingRecorded',
    findingId: 'F1',
    findingType: 'major_nonconformity',
    criterionId: 'C2',
    area: { kind: 'control', id: 'A.6.2.4' },
    statement: `Deployment approved without sign-off ${HOSTILE}`,
    evidenceRefs: ['ev-deploy-1'],
    nonconformityId: 'IA-2026-1-F1',
    by: ines,
    at: AT,
  },
  {
    type: 'AuditFindingRecorded',
    findingId: 'F2',
    findingType: 'observation',
    criterionId: null,
    area: null,
    statement: 'Sign-off notes are terse',
    evidenceRefs: ['ev-validation-1'],
    nonconformityId: null,
    by: ines,
    at: AT,
  },
  {
    type: 'AuditFindingRecorded',
    findingId: 'F3',
    findingType: 'minor_nonconformity',
    criterionId: 'C1',
    area: null,
    statement: 'One validation record lacks its digest',
    evidenceRefs: ['ev-validation-1'],
    nonconformityId: 'IA-2026-1-F3',
    by: ines,
    at: AT,
  },
  { type: 'FindingCorrectiveActionNoted', nonconformityId: 'IA-2026-1-F3', findingId: 'F3', progress: 'closed', reason: null, at: AT },
  { type: 'AuditReportIssued', summary: 'Two nonconformities', conclusion: `Partly effective ${HOSTILE}`, by: ines, at: AT },
];

/** The audit folded from the first `n` events, with the stored ids `audit-ev-<i>` at positions 100 + i. */
export function foldAudit(n = AUDIT_EVENTS.length): { audit: InternalAudit; records: InternalAuditRecords } {
  let state: InternalAuditState = null;
  let records = NO_INTERNAL_AUDIT_RECORDS;
  AUDIT_EVENTS.slice(0, n).forEach((e, i) => {
    state = evolve(state, e);
    records = noteInternalAuditRecord(records, { id: `audit-ev-${i}`, stream: 'internal-audit-IA-2026-1', position: 100 + i }, e);
  });
  if (state === null) throw new Error('no AuditPlanned in the fixture');
  return { audit: state, records };
}

export const BASIS = { position: 109, recordedAt: '2026-03-02T09:00:00.123Z', hash: 'ab'.repeat(32), asOf: '2026-03-02' };

export function fixtureReport(n?: number, generatedAt = '2026-03-03T00:00:00.000Z'): ReportDocument {
  const { audit, records } = foldAudit(n);
  return internalAuditReport(audit, BASIS, { generatedAt, records });
}
