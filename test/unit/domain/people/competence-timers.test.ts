/**
 * The person's competence timer (7.2): a reminder before the record that keeps a competence current expires,
 * the lapse at expiry opening a training action for the AIMS owner, nothing for a record a newer one
 * outlasts, and a renewal closing the action. The timer's steps are refused unless due.
 */
import {
  COMPETENCE_REMINDER_LEAD_MS,
  decide,
  dueCompetenceStep,
  evolve,
  INITIAL_PERSON_STATE,
  nextCompetenceTimer,
  PERSON_ISO_42001_REFERENCES,
  trainingTaskId,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
} from '../../../../domain/people';
import { addMilliseconds } from '../../../../domain/shared/iso-time';
import type { Actor, ActorRef } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_PERSON_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const EXPIRES = '2026-06-01T00:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const system: ActorRef = { id: 'aims:person', role: 'system' };

const registered: PersonEvent = {
  type: 'PersonRegistered',
  personId: 'vera',
  name: 'Vera',
  contact: 'vera@example.com',
  unit: 'ml',
  identities: ['vera'],
  by: { id: 'amara', role: 'aims_owner' },
  at: AT,
};
const recorded = (recordId: string, expiresAt: string | null, at = AT): PersonEvent => ({
  type: 'CompetenceRecorded',
  recordId,
  competence: 'model validation',
  kind: 'course',
  obtainedAt: '2025-06-01T00:00:00.000Z',
  expiresAt,
  evidenceRef: `cert-${recordId}`,
  by: { id: 'amara', role: 'aims_owner' },
  at,
});
const fold = (events: PersonEvent[]): PersonState => events.reduce(evolve, INITIAL_PERSON_STATE);
const REMIND_AT = addMilliseconds(EXPIRES, -COMPETENCE_REMINDER_LEAD_MS);

describe('competence expiry timer', () => {
  test('the reminder falls due a lead before expiry, then the lapse at expiry; nothing is due before', () => {
    const s = fold([registered, recorded('mv-1', EXPIRES)]);
    expect(nextCompetenceTimer(s)).toBe(REMIND_AT);
    expect(dueCompetenceStep(s, AT)).toBeNull();
    expect(dueCompetenceStep(s, REMIND_AT)).toEqual({ type: 'RemindCompetenceExpiry', recordId: 'mv-1', at: REMIND_AT });
    given([registered, recorded('mv-1', EXPIRES)])
      .when({ type: 'LapseCompetence', recordId: 'mv-1', at: REMIND_AT })
      .then(expectError('COMPETENCE_TIMER_NOT_DUE', { recordId: 'mv-1' }));
    const { state } = given([registered, recorded('mv-1', EXPIRES)])
      .when({ type: 'RemindCompetenceExpiry', recordId: 'mv-1', at: REMIND_AT })
      .then([
        {
          type: 'CompetenceExpiryReminded',
          recordId: 'mv-1',
          competence: 'model validation',
          expiresAt: EXPIRES,
          by: system,
          at: REMIND_AT,
        },
      ]);
    expect(nextCompetenceTimer(state)).toBe(EXPIRES);
    expect(dueCompetenceStep(state, REMIND_AT)).toBeNull();
  });

  test('at expiry the lapse opens a training action in the AIMS owner inbox', () => {
    const { state } = given([registered, recorded('mv-1', EXPIRES)])
      .when({ type: 'LapseCompetence', recordId: 'mv-1', at: EXPIRES })
      .then([
        {
          type: 'CompetenceLapsed',
          recordId: 'mv-1',
          competence: 'model validation',
          expiredAt: EXPIRES,
          taskId: trainingTaskId('mv-1'),
          by: system,
          at: EXPIRES,
        },
        {
          type: 'HumanTaskOpened',
          taskId: 'competence-training-mv-1',
          kind: 'competence_training',
          requiredRoles: ['aims_owner'],
          subject: { personId: 'vera', competence: 'model validation', recordId: 'mv-1', expiredAt: EXPIRES },
          requestedBy: null,
          dueAt: '2026-07-01T00:00:00.000Z',
          by: system,
          at: EXPIRES,
        },
      ]);
    expect(nextCompetenceTimer(state)).toBeNull();
    expect(state.trainingTasks?.map((t) => t.status)).toEqual(['open']);
  });

  test('a timer that slept past expiry skips the reminder and records the lapse', () => {
    const s = fold([registered, recorded('mv-1', EXPIRES)]);
    expect(dueCompetenceStep(s, '2026-06-02T00:00:00.000Z')).toEqual({
      type: 'LapseCompetence',
      recordId: 'mv-1',
      at: '2026-06-02T00:00:00.000Z',
    });
  });

  test('only the record that lasts longest is timed; one that never expires times nothing; a person who left has no timer', () => {
    expect(nextCompetenceTimer(fold([registered, recorded('mv-1', EXPIRES), recorded('mv-2', '2027-06-01T00:00:00.000Z')]))).toBe(
      addMilliseconds('2027-06-01T00:00:00.000Z', -COMPETENCE_REMINDER_LEAD_MS),
    );
    expect(nextCompetenceTimer(fold([registered, recorded('mv-1', EXPIRES), recorded('mv-2', null)]))).toBeNull();
    const left: PersonEvent = { type: 'PersonLeft', reason: 'resigned', by: { id: 'amara', role: 'aims_owner' }, at: AT };
    expect(nextCompetenceTimer(fold([registered, recorded('mv-1', EXPIRES), left]))).toBeNull();
  });

  test('a current renewal closes the open training action; an already expired one does not', () => {
    const lapsed = decide({ type: 'LapseCompetence', recordId: 'mv-1', at: EXPIRES }, fold([registered, recorded('mv-1', EXPIRES)]));
    if (!lapsed.ok) throw new Error(lapsed.error.code);
    const before = [registered, recorded('mv-1', EXPIRES), ...lapsed.value];
    const renew = (expiresAt: string | null): PersonCommand => ({
      type: 'RecordCompetence',
      recordId: 'mv-2',
      competence: 'model validation',
      kind: 'assessment',
      obtainedAt: '2026-06-10T00:00:00.000Z',
      expiresAt,
      evidenceRef: 'assessment-2',
      by: owner,
      at: '2026-06-11T00:00:00.000Z',
    });
    const { state } = given(before)
      .when(renew('2028-06-10T00:00:00.000Z'))
      .then([
        expect.objectContaining({ type: 'CompetenceRecorded', recordId: 'mv-2' }),
        {
          type: 'HumanTaskSuperseded',
          taskId: 'competence-training-mv-1',
          reason: 'competence record mv-2 shows model validation again',
          by: { id: 'amara', role: 'aims_owner' },
          at: '2026-06-11T00:00:00.000Z',
        },
      ]);
    expect(state.trainingTasks?.map((t) => t.status)).toEqual(['superseded']);
    given(before)
      .when(renew('2026-06-10T12:00:00.000Z'))
      .then([expect.objectContaining({ type: 'CompetenceRecorded', recordId: 'mv-2' })]);
  });

  test('every timer event is 7.2 evidence', () => {
    expect([PERSON_ISO_42001_REFERENCES.CompetenceExpiryReminded, PERSON_ISO_42001_REFERENCES.CompetenceLapsed]).toEqual([
      ['7.2', 'A.4.6'],
      ['7.2', 'A.4.6'],
    ]);
  });
});
