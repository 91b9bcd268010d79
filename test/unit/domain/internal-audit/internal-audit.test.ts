/**
 * The internal audit as a decider (9.2.1), given/when/then: independence (no auditor audits an area they
 * are responsible for or a record they authored), what each phase allows, and the closure rule (each
 * nonconformity closed or with an approved plan).
 */
import {
  decide,
  evolve,
  auditorAppointmentsOf,
  findingNonconformityId,
  INITIAL_INTERNAL_AUDIT_STATE,
  internalAuditEventReferences,
  INTERNAL_AUDIT_ISO_42001_REFERENCES,
  type AuditorAppointment,
  type InternalAuditCommand,
  type InternalAuditEvent,
  type SampledRecord,
} from '../../../../domain/internal-audit';
import { isAnnexAControlId, isClauseId } from '../../../../domain/catalogue';
import { INITIAL_PERSON_STATE } from '../../../../domain/people';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_INTERNAL_AUDIT_STATE });
const AT = '2026-03-02T09:00:00.000Z';
const ines: Actor = { id: 'ines', roles: ['internal_auditor'] };
const ivan: Actor = { id: 'ivan', roles: ['internal_auditor'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const audrey: Actor = { id: 'audrey', roles: ['auditor'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };

const planCommand = (overrides: Partial<Extract<InternalAuditCommand, { type: 'PlanAudit' }>> = {}): InternalAuditCommand => ({
  type: 'PlanAudit',
  auditId: 'IA-2026-1',
  title: 'Lifecycle controls, spring 2026',
  programmeId: null,
  scope: [
    { kind: 'control', id: 'A.6.2.4' },
    { kind: 'ai_system', id: 'credit-scoring' },
  ],
  criteria: [
    { criterionId: 'C1', text: 'Validation results are signed off before deployment (A.6.2.4)' },
    { criterionId: 'C2', text: 'Deployments are approved by an approver' },
  ],
  leadAuditor: 'ines',
  team: ['ivan'],
  plannedStart: '2026-03-01T00:00:00.000Z',
  plannedEnd: '2026-03-15T00:00:00.000Z',
  responsibilities: [
    { area: { kind: 'ai_system', id: 'credit-scoring' }, personIds: ['erin'] },
    { area: { kind: 'process', id: 'procurement' }, personIds: ['ivan'] },
  ],
  by: olivia,
  at: AT,
  ...overrides,
});

const record = (eventId: string, authorId: string | null, position = 10): SampledRecord => ({
  eventId,
  stream: 'ai-system-credit-scoring',
  type: 'ValidationSignedOff',
  position,
  authorId,
});

const planned = (): InternalAuditEvent[] =>
  given()
    .when(planCommand())
    .then([expect.objectContaining({ type: 'AuditPlanned' })]).events;
const inFieldwork = (): InternalAuditEvent[] => [
  ...planned(),
  { type: 'AuditFieldworkStarted', by: { id: 'ines', role: 'internal_auditor' }, at: AT },
  {
    type: 'AuditSampleRecorded',
    sampleId: 'S1',
    asOfPosition: 40,
    records: [record('ev-1', 'victor'), record('ev-2', 'ivan', 12)],
    by: { id: 'ines', role: 'internal_auditor' },
    at: AT,
  },
];
const finding = (findingId: string, findingType: string, by: Actor = ines, evidenceRefs = ['ev-1']): InternalAuditCommand =>
  ({
    type: 'RecordFinding',
    findingId,
    findingType,
    criterionId: 'C1',
    area: null,
    statement: 'What was seen',
    evidenceRefs,
    by,
    at: AT,
  }) as InternalAuditCommand;
const checklist = (criterionId: string): InternalAuditCommand => ({
  type: 'RecordChecklistResult',
  criterionId,
  result: 'conforms',
  evidenceRefs: ['ev-1'],
  note: '',
  by: ines,
  at: AT,
});
const fold = (events: InternalAuditEvent[], ...commands: InternalAuditCommand[]): InternalAuditEvent[] =>
  commands.reduce((past, c) => [...past, ...given(past).when(c).then([expect.anything()]).events], events);
const reported = (...findings: InternalAuditCommand[]): InternalAuditEvent[] =>
  fold(inFieldwork(), ...findings, checklist('C1'), checklist('C2'), {
    type: 'IssueReport',
    summary: 'Two criteria audited',
    conclusion: 'Conforms but for one finding',
    by: ines,
    at: AT,
  });

describe('planning (9.2.1 a, b)', () => {
  test('given nothing, when the AIMS owner plans an audit with independent auditors, then it is planned', () => {
    const { state } = given()
      .when(planCommand())
      .then([expect.objectContaining({ type: 'AuditPlanned', auditId: 'IA-2026-1', leadAuditor: 'ines', team: ['ivan'] })]);
    expect(state?.status).toBe('planned');
  });

  test('given nothing, when the lead auditor is responsible for an area of the scope, then AUDITOR_NOT_INDEPENDENT', () => {
    given()
      .when(planCommand({ leadAuditor: 'erin', team: [] }))
      .then(expectError('AUDITOR_NOT_INDEPENDENT', { conflicts: [{ auditorId: 'erin', area: 'ai_system:credit-scoring' }] }));
  });

  test('given nothing, when a team member is responsible for an area in scope, then AUDITOR_NOT_INDEPENDENT; an area out of scope is no conflict', () => {
    given()
      .when(planCommand({ scope: [{ kind: 'process', id: 'procurement' }] }))
      .then(expectError('AUDITOR_NOT_INDEPENDENT', { conflicts: [{ auditorId: 'ivan', area: 'process:procurement' }] }));
    // ivan owns procurement, which the default scope does not include
    given()
      .when(planCommand())
      .then([expect.objectContaining({ type: 'AuditPlanned' })]);
  });

  test('given nothing, when an engineer or a read-only auditor plans, then MISSING_ROLE; bad fields are VALIDATION_FAILED', () => {
    given()
      .when(planCommand({ by: erin }))
      .then(
        expectError('MISSING_ROLE', { step: 'plan an internal audit', actorId: 'erin', requiredRoles: ['internal_auditor', 'aims_owner'] }),
      );
    given()
      .when(planCommand({ by: audrey }))
      .then(expectError('MISSING_ROLE'));
    given()
      .when(planCommand({ scope: [{ kind: 'control', id: 'A.99.1' }], plannedEnd: '2026-02-01T00:00:00.000Z' }))
      .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'scope[0].id' }, { field: 'plannedEnd' }] }));
  });
});

describe('fieldwork: samples, checklist, findings (9.2.1 c–e)', () => {
  test('given fieldwork, when the sampler authored a sampled record, then AUDITOR_NOT_INDEPENDENT; a record past the stated position is refused', () => {
    const past = [
      ...planned(),
      { type: 'AuditFieldworkStarted', by: { id: 'ines', role: 'internal_auditor' }, at: AT } as InternalAuditEvent,
    ];
    const sample = (by: Actor, records: SampledRecord[]): InternalAuditCommand => ({
      type: 'RecordSample',
      sampleId: 'S1',
      asOfPosition: 40,
      records,
      by,
      at: AT,
    });
    given(past)
      .when(sample(ivan, [record('ev-2', 'ivan')]))
      .then(expectError('AUDITOR_NOT_INDEPENDENT', { auditorId: 'ivan', records: ['ev-2'] }));
    given(past)
      .when(sample(ines, [record('ev-3', 'x', 41)]))
      .then(expectError('RECORD_AFTER_SAMPLE_POSITION', { later: ['ev-3'] }));
    const { state } = given(past)
      .when(sample(ines, [record('ev-2', 'ivan')]))
      .then([expect.objectContaining({ type: 'AuditSampleRecorded', asOfPosition: 40 })]);
    expect(state?.samples[0]).toMatchObject({ asOfPosition: 40, records: [{ eventId: 'ev-2', position: 10, authorId: 'ivan' }] });
  });

  test('given a sample, when an auditor cites a record they authored in a finding, then AUDITOR_NOT_INDEPENDENT; refs outside the sample are refused', () => {
    given(inFieldwork())
      .when(finding('F1', 'observation', ivan, ['ev-2']))
      .then(expectError('AUDITOR_NOT_INDEPENDENT', { records: ['ev-2'] }));
    given(inFieldwork())
      .when(finding('F1', 'observation', ines, ['ev-9']))
      .then(expectError('EVIDENCE_NOT_SAMPLED', { unknown: ['ev-9'] }));
    given(inFieldwork())
      .when(finding('F1', 'observation', ines, ['ev-2']))
      .then([expect.objectContaining({ nonconformityId: null })]);
  });

  test('given fieldwork, when someone off the team or a non-auditor records, then NOT_ON_AUDIT_TEAM or MISSING_ROLE', () => {
    given(inFieldwork())
      .when(finding('F1', 'observation', { id: 'ingo', roles: ['internal_auditor'] }))
      .then(expectError('NOT_ON_AUDIT_TEAM'));
    given(inFieldwork())
      .when(finding('F1', 'observation', olivia))
      .then(expectError('MISSING_ROLE', { step: 'record a finding', actorId: 'olivia' }));
  });

  test('given fieldwork, when a nonconformity finding is recorded, then it names its linked nonconformity; an OFI or observation does not', () => {
    const { events } = given(inFieldwork())
      .when(finding('F1', 'major_nonconformity'))
      .then([
        expect.objectContaining({
          type: 'AuditFindingRecorded',
          findingType: 'major_nonconformity',
          nonconformityId: findingNonconformityId('IA-2026-1', 'F1'),
        }),
      ]);
    expect(internalAuditEventReferences(events[0])).toEqual(['9.2.1', '10.2']);
    given(inFieldwork())
      .when(finding('F2', 'opportunity_for_improvement'))
      .then([expect.objectContaining({ nonconformityId: null })]);
  });

  test('given fieldwork without a result for every criterion, when the lead reports, then FIELDWORK_INCOMPLETE; a team member may not report', () => {
    const report: InternalAuditCommand = { type: 'IssueReport', summary: 's', conclusion: 'c', by: ines, at: AT };
    given(fold(inFieldwork(), checklist('C1')))
      .when(report)
      .then(expectError('FIELDWORK_INCOMPLETE', { missingCriteria: ['C2'] }));
    given(fold(inFieldwork(), checklist('C1'), checklist('C2')))
      .when({ ...report, by: ivan })
      .then(expectError('NOT_ON_AUDIT_TEAM'));
  });
});

describe('closure (9.2.1, 10.2): each nonconformity closed or with an approved plan', () => {
  const nc = findingNonconformityId('IA-2026-1', 'F1');
  const close: InternalAuditCommand = { type: 'CloseAudit', by: ines, at: AT };
  const note = (progress: 'plan_approved' | 'closed' | 'not_started'): InternalAuditCommand => ({
    type: 'NoteCorrectiveAction',
    nonconformityId: nc,
    progress,
    reason: null,
    at: AT,
  });

  test('given a report with no nonconformity, when the lead closes, then it is closed', () => {
    given(reported(finding('F2', 'opportunity_for_improvement')))
      .when(close)
      .then([expect.objectContaining({ type: 'AuditClosed' })]);
  });

  test('given a major finding whose corrective action is open, when the lead closes, then CORRECTIVE_ACTION_PENDING', () => {
    given(reported(finding('F1', 'major_nonconformity')))
      .when(close)
      .then(expectError('CORRECTIVE_ACTION_PENDING', { pending: [{ nonconformityId: nc, progress: 'opened' }] }));
  });

  test('given its plan is approved (or it closed), when the lead closes, then it is closed; hearing the same news twice records nothing', () => {
    const approved = fold(reported(finding('F1', 'major_nonconformity')), note('plan_approved'));
    given(approved).when(note('plan_approved')).then([]);
    given(approved)
      .when(close)
      .then([expect.objectContaining({ type: 'AuditClosed' })]);
    const closed = fold(reported(finding('F1', 'minor_nonconformity')), note('closed'));
    given(closed).when(note('plan_approved')).then([]);
    given(closed)
      .when(close)
      .then([expect.objectContaining({ type: 'AuditClosed' })]);
  });

  test('given a corrective action that could not start, when the lead closes, then CORRECTIVE_ACTION_PENDING', () => {
    given(fold(reported(finding('F1', 'major_nonconformity')), note('not_started')))
      .when(close)
      .then(expectError('CORRECTIVE_ACTION_PENDING', { pending: [{ progress: 'not_started' }] }));
  });

  test('given fieldwork, when the lead closes before the report, then INVALID_TRANSITION', () => {
    given(inFieldwork())
      .when(close)
      .then(expectError('INVALID_TRANSITION', { status: 'fieldwork' }));
  });
});

test('every event type cites clauses of the catalogue', () => {
  for (const [type, refs] of Object.entries(INTERNAL_AUDIT_ISO_42001_REFERENCES)) {
    expect({ type, unknown: refs.filter((r) => !isClauseId(r) && !isAnnexAControlId(r)) }).toEqual({ type, unknown: [] });
    expect(refs.length).toBeGreaterThan(0);
  }
});

describe('independence from appointments (9.2.1 objectivity; 5.3 appointments)', () => {
  const appointment = (
    personId: string,
    appointmentId: string,
    role: AuditorAppointment['role'],
    covers: Partial<AuditorAppointment['covers']>,
  ): AuditorAppointment => ({
    personId,
    appointmentId,
    role,
    covers: { wholeAims: false, systemIds: [], units: [], ...covers },
  });

  test('given nothing, when the register appoints a team member to an AI system in scope, then AUDITOR_NOT_INDEPENDENT naming the appointment', () => {
    const refusal = given()
      .when(
        planCommand({
          responsibilities: [],
          appointments: [
            appointment('ivan', 'ivan-engineer-1', 'engineer', { systemIds: ['credit-scoring'] }),
            // ines's own appointment to audit is no responsibility for what she audits
            appointment('ines', 'ines-internal_auditor-1', 'internal_auditor', { wholeAims: true }),
          ],
        }),
      )
      .then(
        expectError('AUDITOR_NOT_INDEPENDENT', {
          conflicts: [{ auditorId: 'ivan', area: 'ai_system:credit-scoring', appointmentId: 'ivan-engineer-1', role: 'engineer' }],
        }),
      );
    expect(refusal.message).toContain('ivan-engineer-1');
  });

  test('given nothing, when appointments cover other systems, other units or only audit, then the plan stands and records no appointments', () => {
    const { events } = given()
      .when(
        planCommand({
          responsibilities: [],
          appointments: [
            appointment('ivan', 'a1', 'engineer', { systemIds: ['fraud-detection'] }),
            appointment('ivan', 'a2', 'risk_owner', { units: ['procurement'] }),
            appointment('ines', 'a3', 'internal_auditor', { wholeAims: true }),
          ],
        }),
      )
      .then([expect.objectContaining({ type: 'AuditPlanned' })]);
    expect(events[0]).not.toHaveProperty('appointments');
  });

  test('given nothing, when an auditor holds a whole-AIMS appointment or one over the unit of a process in scope, then AUDITOR_NOT_INDEPENDENT', () => {
    given()
      .when(planCommand({ responsibilities: [], appointments: [appointment('ines', 'own-1', 'aims_owner', { wholeAims: true })] }))
      .then(
        expectError('AUDITOR_NOT_INDEPENDENT', {
          conflicts: [
            { auditorId: 'ines', area: 'control:A.6.2.4', appointmentId: 'own-1' },
            { auditorId: 'ines', area: 'ai_system:credit-scoring', appointmentId: 'own-1' },
          ],
        }),
      );
    given()
      .when(
        planCommand({
          scope: [{ kind: 'process', id: 'procurement' }],
          responsibilities: [],
          appointments: [appointment('ivan', 'proc-1', 'risk_owner', { units: ['procurement'] })],
        }),
      )
      .then(
        expectError('AUDITOR_NOT_INDEPENDENT', {
          conflicts: [{ auditorId: 'ivan', area: 'process:procurement', appointmentId: 'proc-1' }],
        }),
      );
  });

  test('given fieldwork, when the sampler or a finding’s recorder has since been appointed to an area of it, then AUDITOR_NOT_INDEPENDENT', () => {
    const past = [
      ...planned(),
      { type: 'AuditFieldworkStarted', by: { id: 'ines', role: 'internal_auditor' }, at: AT } as InternalAuditEvent,
    ];
    const appointedToSystem = [appointment('ivan', 'ivan-cs', 'engineer', { systemIds: ['credit-scoring'] })];
    given(past)
      .when({
        type: 'RecordSample',
        sampleId: 'S1',
        asOfPosition: 40,
        records: [record('ev-1', 'victor')],
        appointments: appointedToSystem,
        by: ivan,
        at: AT,
      })
      .then(
        expectError('AUDITOR_NOT_INDEPENDENT', {
          conflicts: [{ auditorId: 'ivan', area: 'ai_system:credit-scoring', appointmentId: 'ivan-cs' }],
        }),
      );
    // Appointments are the acting person's: another auditor's appointment does not refuse the sampler.
    given(past)
      .when({
        type: 'RecordSample',
        sampleId: 'S1',
        asOfPosition: 40,
        records: [record('ev-1', 'victor')],
        appointments: appointedToSystem,
        by: { id: 'ines', roles: ['internal_auditor'] },
        at: AT,
      })
      .then([expect.objectContaining({ type: 'AuditSampleRecorded' })]);
    const onArea = (area: { kind: 'ai_system' | 'control'; id: string }): InternalAuditCommand => ({
      ...(finding('F1', 'observation', ivan) as Extract<InternalAuditCommand, { type: 'RecordFinding' }>),
      area,
      appointments: appointedToSystem,
    });
    given(inFieldwork())
      .when(onArea({ kind: 'ai_system', id: 'credit-scoring' }))
      .then(expectError('AUDITOR_NOT_INDEPENDENT', { conflicts: [{ appointmentId: 'ivan-cs' }] }));
    // A finding on an area the appointment does not cover stands.
    given(inFieldwork())
      .when(onArea({ kind: 'control', id: 'A.6.2.4' }))
      .then([expect.objectContaining({ type: 'AuditFindingRecorded', findingId: 'F1' })]);
  });
});

describe('the appointments a person holds in force (auditorAppointmentsOf)', () => {
  test('revoked, ended and not yet started appointments do not count', () => {
    const base = {
      appointedBy: { id: 'olivia', role: 'aims_owner' as const },
      appointedAt: '2026-01-01T00:00:00.000Z',
      responsibilities: 'r',
    };
    const covers = { wholeAims: false, systemIds: ['credit-scoring'], units: [] };
    const person = {
      ...INITIAL_PERSON_STATE,
      personId: 'ivan',
      registeredAt: '2026-01-01T00:00:00.000Z',
      appointments: [
        {
          ...base,
          appointmentId: 'live',
          role: 'engineer' as const,
          covers,
          from: '2026-01-01T00:00:00.000Z',
          until: null,
          status: 'active' as const,
          endedAt: null,
          endedBy: null,
          endReason: null,
        },
        {
          ...base,
          appointmentId: 'later',
          role: 'engineer' as const,
          covers,
          from: '2026-06-01T00:00:00.000Z',
          until: null,
          status: 'active' as const,
          endedAt: null,
          endedBy: null,
          endReason: null,
        },
        {
          ...base,
          appointmentId: 'gone',
          role: 'risk_owner' as const,
          covers,
          from: '2026-01-01T00:00:00.000Z',
          until: null,
          status: 'revoked' as const,
          endedAt: '2026-02-01T00:00:00.000Z',
          endedBy: base.appointedBy,
          endReason: 'moved',
        },
      ],
    };
    expect(auditorAppointmentsOf(person, AT)).toEqual([{ personId: 'ivan', appointmentId: 'live', role: 'engineer', covers }]);
  });
});
