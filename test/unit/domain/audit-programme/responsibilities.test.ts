/**
 * An audit programme's responsibilities resolved against the people register (9.2.2, 5.3): each area's
 * responsible people are those the programme declares and those appointed to it, each with the appointment;
 * a lead auditor responsible for an area of their own audit is refused (AUDITOR_NOT_INDEPENDENT) at draft.
 */
import {
  decideAuditProgramme,
  evolveAuditProgramme,
  inheritedResponsibilities,
  programmeIndependenceConflicts,
  resolveResponsibilities,
  type AuditProgrammeCommand,
} from '../../../../domain/audit-programme';
import type { AuditorAppointment } from '../../../../domain/internal-audit';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decideAuditProgramme, evolve: evolveAuditProgramme, initialState: null });
const AT = '2026-01-02T09:00:00.000Z';
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const control = { kind: 'control' as const, id: 'A.6.2.4' };
const procurement = { kind: 'process' as const, id: 'procurement' };
const scoring = { kind: 'ai_system' as const, id: 'credit-scoring' };

const appointment = (
  personId: string,
  appointmentId: string,
  covers: Partial<AuditorAppointment['covers']>,
  role: AuditorAppointment['role'] = 'engineer',
): AuditorAppointment => ({
  personId,
  appointmentId,
  role,
  covers: { wholeAims: false, systemIds: [], units: [], ...covers },
});
const register: AuditorAppointment[] = [
  appointment('erin', 'app-erin-1', { systemIds: ['credit-scoring'] }),
  appointment('pat', 'app-pat-1', { units: ['procurement'] }, 'risk_owner'),
  appointment('ines', 'app-ines-1', { wholeAims: true }, 'internal_auditor'), // auditing is no responsibility for an area
];

const draft = (extra: Partial<Extract<AuditProgrammeCommand, { type: 'DraftAuditProgramme' }>> = {}): AuditProgrammeCommand => ({
  type: 'DraftAuditProgramme',
  period: '2026',
  areas: [
    { area: scoring, importance: 'medium', previousResult: 'not_audited' },
    { area: procurement, importance: 'medium', previousResult: 'not_audited' },
  ],
  methods: ['evidence sampling'],
  responsibilities: [{ area: scoring, personIds: ['vic'] }],
  audits: [
    {
      auditId: 'IA-1',
      areas: [scoring, procurement],
      leadAuditor: 'ines',
      plannedStart: '2026-03-01T00:00:00Z',
      plannedEnd: '2026-03-15T00:00:00Z',
    },
  ],
  by: olivia,
  at: AT,
  ...extra,
});

test('each area: the declared people and the appointed ones, with the appointment that makes them responsible', () => {
  expect(resolveResponsibilities([scoring, procurement, control], [{ area: scoring, personIds: ['vic', 'erin'] }], register)).toEqual([
    {
      area: scoring,
      personIds: ['vic', 'erin'],
      appointments: [{ personId: 'erin', appointmentId: 'app-erin-1', role: 'engineer' }],
      declaredOnly: ['vic'],
    },
    {
      area: procurement,
      personIds: ['pat'],
      appointments: [{ personId: 'pat', appointmentId: 'app-pat-1', role: 'risk_owner' }],
      declaredOnly: [],
    },
    { area: control, personIds: [], appointments: [], declaredOnly: [] },
  ]);
});

test('drafted with the register read: the draft and the resolved responsibilities are recorded; the state keeps them', () => {
  const done = given()
    .when(draft({ appointments: register }))
    .then([
      expect.objectContaining({ type: 'AuditProgrammeDrafted', responsibilities: [{ area: scoring, personIds: ['vic'] }] }),
      {
        type: 'AuditProgrammeResponsibilitiesResolved',
        responsibilities: [
          expect.objectContaining({ area: scoring, personIds: ['vic', 'erin'], declaredOnly: ['vic'] }),
          expect.objectContaining({ area: procurement, personIds: ['pat'] }),
        ],
        asOf: AT,
        by: { id: 'olivia', role: 'aims_owner' },
        at: AT,
      },
    ]);
  expect(done.events[0]).not.toHaveProperty('appointments'); // the draft's record keeps its shape
  expect(done.state?.resolvedResponsibilities?.responsibilities.map((r) => r.personIds)).toEqual([['vic', 'erin'], ['pat']]);
});

test('a lead auditor appointed to an area of their audit, or named responsible for it, cannot lead it: refused, naming why', () => {
  const erinLeads = draft({ appointments: register });
  const audits = (erinLeads as Extract<AuditProgrammeCommand, { type: 'DraftAuditProgramme' }>).audits.map((a) => ({
    ...a,
    leadAuditor: 'erin',
  }));
  given()
    .when({ ...erinLeads, audits } as AuditProgrammeCommand)
    .then(
      expectError('AUDITOR_NOT_INDEPENDENT', {
        conflicts: [
          { auditId: 'IA-1', auditorId: 'erin', area: 'ai_system:credit-scoring', appointmentId: 'app-erin-1', role: 'engineer' },
        ],
      }),
    );
  const vicLeads = audits.map((a) => ({ ...a, leadAuditor: 'vic' }));
  expect(programmeIndependenceConflicts(vicLeads, [{ area: scoring, personIds: ['vic'] }], register)).toEqual([
    { auditId: 'IA-1', auditorId: 'vic', area: 'ai_system:credit-scoring' },
  ]);
  given()
    .when({ ...erinLeads, audits: vicLeads } as AuditProgrammeCommand)
    .then(expectError('AUDITOR_NOT_INDEPENDENT'));
});

test('drafted without the register (a programme from before it was read): nothing resolved, nothing checked', () => {
  given()
    .when(draft())
    .then([expect.objectContaining({ type: 'AuditProgrammeDrafted' })]);
});

test("an audit of the programme inherits the programme's responsibilities for its scope, after its own", () => {
  const programme = given()
    .when(draft({ appointments: register }))
    .then([expect.anything(), expect.anything()]).state;
  if (programme === null) throw new Error('no programme');
  expect(
    inheritedResponsibilities(
      [scoring, control],
      [
        { area: scoring, personIds: ['ann'] },
        { area: control, personIds: [] },
      ],
      programme,
    ),
  ).toEqual([
    { area: scoring, personIds: ['ann', 'vic', 'erin'] },
    { area: control, personIds: [] },
  ]);
  // out of its scope, nothing is inherited
  expect(inheritedResponsibilities([control], [], programme)).toEqual([]);
});
