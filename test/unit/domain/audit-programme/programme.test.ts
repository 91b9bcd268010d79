/** The audit programme (9.2.2) as a decider: frequency by importance and previous results, approval, schedule. */
import {
  decideAuditProgramme,
  evolveAuditProgramme,
  nextProgrammeStep,
  requiredAudits,
  type AuditProgrammeCommand,
  type AuditProgrammeEvent,
} from '../../../../domain/audit-programme';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decideAuditProgramme, evolve: evolveAuditProgramme, initialState: null });
const AT = '2026-01-02T09:00:00.000Z';
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const omar: Actor = { id: 'omar', roles: ['aims_owner'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const control = { kind: 'control' as const, id: 'A.6.2.4' };
const process = { kind: 'process' as const, id: 'procurement' };

const draft = (extra: Partial<Extract<AuditProgrammeCommand, { type: 'DraftAuditProgramme' }>> = {}): AuditProgrammeCommand => ({
  type: 'DraftAuditProgramme',
  period: '2026',
  areas: [
    { area: control, importance: 'high', previousResult: 'not_audited' },
    { area: process, importance: 'low', previousResult: 'conforming' },
  ],
  methods: ['evidence sampling', 'interviews'],
  responsibilities: [{ area: control, personIds: ['vic'] }],
  audits: [
    { auditId: 'IA-1', areas: [control], leadAuditor: 'ines', plannedStart: '2026-03-01T00:00:00Z', plannedEnd: '2026-03-15T00:00:00Z' },
    { auditId: 'IA-2', areas: [control], leadAuditor: 'ines', plannedStart: '2026-09-01T00:00:00Z', plannedEnd: '2026-09-15T00:00:00Z' },
  ],
  by: olivia,
  at: AT,
  ...extra,
});
const drafted = (): AuditProgrammeEvent[] =>
  given()
    .when(draft())
    .then([expect.objectContaining({ type: 'AuditProgrammeDrafted' })]).events;
const approved = (): AuditProgrammeEvent[] => [
  ...drafted(),
  { type: 'AuditProgrammeApproved', by: { id: 'omar', role: 'aims_owner' }, at: AT },
];

test('frequency: important areas and areas with major nonconformities twice a period; a low one found conforming may skip', () => {
  expect(requiredAudits('high', 'conforming')).toBe(2);
  expect(requiredAudits('medium', 'major_nonconformities')).toBe(2);
  expect(requiredAudits('medium', 'conforming')).toBe(1);
  expect(requiredAudits('low', 'conforming')).toBe(0);
  expect(requiredAudits('low', 'minor_nonconformities')).toBe(1);
});

test('given nothing, when a high-importance area is planned once, then PROGRAMME_FREQUENCY_NOT_MET; an engineer may not draft', () => {
  given()
    .when(draft({ audits: (draft() as Extract<AuditProgrammeCommand, { type: 'DraftAuditProgramme' }>).audits.slice(0, 1) }))
    .then(expectError('PROGRAMME_FREQUENCY_NOT_MET', { gaps: [{ area: 'control:A.6.2.4', required: 2, planned: 1 }] }));
  given()
    .when(draft({ by: erin }))
    .then(expectError('MISSING_ROLE', { step: 'draft the audit programme', actorId: 'erin' }));
});

test('given a draft, when its drafter approves it, then SEGREGATION_OF_DUTIES; another AIMS owner approves it', () => {
  given(drafted()).when({ type: 'ApproveAuditProgramme', by: olivia, at: AT }).then(expectError('SEGREGATION_OF_DUTIES'));
  given(drafted())
    .when({ type: 'ApproveAuditProgramme', by: omar, at: AT })
    .then([expect.objectContaining({ type: 'AuditProgrammeApproved' })]);
});

test('given an approved programme, then the next step is the first audit falling due (telling its lead), then its escalation if it has not started', () => {
  expect(nextProgrammeStep(given(drafted()).state)).toBeNull();
  const next = nextProgrammeStep(given(approved()).state);
  expect(next?.at).toBe(Date.parse('2026-03-01T00:00:00Z'));
  const due = given(approved())
    .when(next!.command(AT))
    .then([
      { type: 'ProgrammedAuditDue', auditId: 'IA-1', notify: ['ines'], at: AT },
      expect.objectContaining({
        type: 'HumanTaskOpened',
        taskId: 'IA-1-conduct',
        requiredRoles: ['internal_auditor'],
        dueAt: '2026-03-15T00:00:00Z',
      }),
    ]).events;
  const afterDue = [...approved(), ...due];
  const late = nextProgrammeStep(given(afterDue).state);
  expect(late?.at).toBe(Date.parse('2026-03-15T00:00:00Z'));
  given(afterDue)
    .when(late!.command(AT))
    .then([
      expect.objectContaining({ type: 'ProgrammedAuditLate', auditId: 'IA-1', escalateTo: 'aims_owner' }),
      { type: 'HumanTaskEscalated', taskId: 'IA-1-conduct', escalatedTo: 'aims_owner', at: AT },
    ]);
  given(afterDue)
    .when({ type: 'NoteProgrammedAuditStarted', auditId: 'IA-1', at: AT })
    .then([
      expect.objectContaining({ type: 'ProgrammedAuditStarted' }),
      expect.objectContaining({ type: 'HumanTaskSuperseded', taskId: 'IA-1-conduct' }),
    ]);
  // once its fieldwork started, it is never escalated
  const started = [...afterDue, { type: 'ProgrammedAuditStarted', auditId: 'IA-1', at: AT } as AuditProgrammeEvent];
  given(started).when({ type: 'EscalateLateAudit', auditId: 'IA-1', at: AT }).then([]);
  expect(nextProgrammeStep(given(started).state)?.at).toBe(Date.parse('2026-09-01T00:00:00Z'));
});
