/**
 * Workflow `person`: one person of the organisation, their identities and role appointments (5.3, A.3.2),
 * id and stream `person-<personId>`. The rules are the domain's (domain/people); the runtime queues,
 * decides, records and answers. What is the person's own here: a durable timer ends each appointment when
 * its `until` passes (AppointmentEnded, as the system). The enforcement reads the stream itself, not this
 * timer: an appointment stops counting at its `until` whether or not the timer has run yet
 * (domain/people/acting-roles.ts). The run never ends (a person's record is kept); it continues as new.
 * Messages: person.messages.ts.
 */
import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import {
  decide,
  dueAppointmentEnd,
  dueCompetenceStep,
  eventActor,
  eventData,
  eventReferences,
  evolve,
  INITIAL_PERSON_STATE,
  nextAppointmentEnd,
  nextAppointmentId,
  nextCompetenceTimer,
  PERSON_SYSTEM_ACTOR,
  personWorkflowId,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
} from '../domain/people';
import * as msg from './person.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { actorOf, now, signedStart, startProcess, type TimerRules } from './runtime/process';

export * from './person.messages';

const personDecider: Decider<PersonState, PersonCommand, PersonEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

/**
 * Runs recorded before the competence timer (issue 16 item 2) replay without it: it adds timers and steps.
 * New runs remind of a record's coming expiry and record its lapse (domain/people/competence-timers.ts).
 */
export const PERSON_COMPETENCE_TIMERS_PATCH = 'person-competence-timers';

function timerRules(competenceTimers: boolean): TimerRules<PersonState, PersonCommand> {
  return {
    finished: () => false,
    next: (s) => {
      const until = nextAppointmentEnd(s);
      const competence = competenceTimers ? nextCompetenceTimer(s) : null;
      if (competence !== null && (until === null || Date.parse(competence) < Date.parse(until)))
        return { at: Date.parse(competence), summary: `a competence record's reminder or expiry at ${competence}` };
      return until === null ? null : { at: Date.parse(until), summary: `end of an appointment at ${until}` };
    },
    due: (s, at) => dueAppointmentEnd(s, at) ?? (competenceTimers ? dueCompetenceStep(s, at) : null),
  };
}

export async function person(input: msg.PersonWorkflowInput): Promise<never> {
  const expectedId = personWorkflowId(input.personId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The workflow of person ${input.personId} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: personDecider,
    stream: expectedId,
    state: input.carried?.state ?? INITIAL_PERSON_STATE,
    causation: 'update',
    systemActor: PERSON_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const registering =
    input.carried === undefined
      ? p.begin(
          {
            type: 'RegisterPerson',
            personId: input.personId,
            name: input.name,
            contact: input.contact,
            unit: input.unit,
            identities: input.identities,
            by: actorOf(input.by),
            at: now(),
          },
          signedStart(input),
        )
      : null;

  const answered = (done: Step<PersonEvent>, s: PersonState, c: PersonCommand): msg.PersonStepResult => ({
    recorded: recordedOf([done]),
    person: s,
    appointmentId: 'appointmentId' in c ? c.appointmentId : null,
    lastPosition: done.lastPosition,
  });
  // Only the named fields reach the domain (and the evidence).
  p.update(msg.changePersonIdentitiesUpdate, {
    command: (a, { at, by }) => ({ type: 'ChangePersonIdentities', identities: a.identities, reason: a.reason, by, at }),
    answer: answered,
  });
  p.update(msg.appointRoleUpdate, {
    command: (a, { state, at, by }) => ({
      type: 'AppointRole',
      appointmentId: a.appointmentId ?? nextAppointmentId(state, String(a.role)),
      role: a.role,
      covers: a.covers,
      from: a.from,
      until: a.until ?? null,
      responsibilities: a.responsibilities,
      by,
      at,
    }),
    answer: answered,
  });
  p.update(msg.revokeAppointmentUpdate, {
    command: (a, { at, by }) => ({ type: 'RevokeAppointment', appointmentId: a.appointmentId, reason: a.reason, by, at }),
    answer: answered,
  });
  p.update(msg.recordPersonLeftUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordPersonLeft', reason: a.reason, by, at }),
    answer: answered,
  });
  p.update(msg.recordCompetenceUpdate, {
    command: (a, { at, by }) => ({
      type: 'RecordCompetence',
      recordId: a.recordId,
      competence: a.competence,
      kind: a.kind,
      obtainedAt: a.obtainedAt,
      expiresAt: a.expiresAt ?? null,
      evidenceRef: a.evidenceRef,
      by,
      at,
    }),
    answer: answered,
  });
  p.query(msg.personStateQuery, (s) => s);
  const competenceTimers = patched(PERSON_COMPETENCE_TIMERS_PATCH);

  if (registering !== null) await registering;
  await p.keepTime(timerRules(competenceTimers));
  return p.continueAsNew<typeof person>((carried) => ({ ...input, carried }));
}
