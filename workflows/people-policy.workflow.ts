/**
 * Workflow `peoplePolicy`: the organisation's switch that makes role appointments count (domain/people/
 * enforcement.ts). One run per organisation, id and stream `people-policy-organisation`; no timer. The API
 * reads the stream itself at request time to know whether to enforce. Messages: people-policy.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  decidePeoplePolicy,
  evolvePeoplePolicy,
  INITIAL_PEOPLE_POLICY,
  PEOPLE_POLICY_ISO_42001_REFERENCES,
  PEOPLE_POLICY_STREAM,
  PEOPLE_POLICY_SYSTEM_ACTOR,
  PEOPLE_POLICY_WORKFLOW_ID,
  peoplePolicyEventData,
  type PeoplePolicyCommand,
  type PeoplePolicyEvent,
  type PeoplePolicyState,
} from '../domain/people/enforcement';
import * as msg from './people-policy.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { startProcess, type TimerRules } from './runtime/process';

export * from './people-policy.messages';

const decider: Decider<PeoplePolicyState, PeoplePolicyCommand, PeoplePolicyEvent> = {
  decide: decidePeoplePolicy,
  evolve: evolvePeoplePolicy,
  eventData: peoplePolicyEventData,
  eventActor: (e) => e.by,
  references: (e) => PEOPLE_POLICY_ISO_42001_REFERENCES[e.type],
};

const noTimers: TimerRules<PeoplePolicyState, PeoplePolicyCommand> = { finished: () => false, next: () => null, due: () => null };

export async function peoplePolicy(input: msg.PeoplePolicyInput): Promise<never> {
  if (workflowInfo().workflowId !== PEOPLE_POLICY_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The people policy runs as ${PEOPLE_POLICY_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider,
    stream: PEOPLE_POLICY_STREAM,
    state: input.carried?.state ?? INITIAL_PEOPLE_POLICY,
    causation: 'update',
    systemActor: PEOPLE_POLICY_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  p.update(msg.setAppointmentEnforcementUpdate, {
    command: (a, { at, by }) => ({ type: 'SetAppointmentEnforcement', enforced: a.enforced, reason: a.reason, by, at }),
    answer: (done, s) => ({ recorded: recordedOf([done]), policy: s, lastPosition: done.lastPosition }),
  });
  // The competence policy (7.2): requirements per role and the per-role switch (domain/people/competence-policy.ts).
  // New Updates only: a run recorded before them replays unchanged.
  const answer = (done: Step<PeoplePolicyEvent>, s: PeoplePolicyState): msg.PeoplePolicyStepResult => ({
    recorded: recordedOf([done]),
    policy: s,
    lastPosition: done.lastPosition,
  });
  p.update(msg.setCompetenceRequirementUpdate, {
    command: (a, { at, by }) => ({
      type: 'SetCompetenceRequirement',
      role: a.role,
      competence: a.competence,
      withinMonths: a.withinMonths,
      reason: a.reason,
      by,
      at,
    }),
    answer,
  });
  p.update(msg.removeCompetenceRequirementUpdate, {
    command: (a, { at, by }) => ({ type: 'RemoveCompetenceRequirement', role: a.role, competence: a.competence, reason: a.reason, by, at }),
    answer,
  });
  p.update(msg.setCompetenceEnforcementUpdate, {
    command: (a, { at, by }) => ({ type: 'SetCompetenceEnforcement', role: a.role, enforced: a.enforced, reason: a.reason, by, at }),
    answer,
  });
  p.query(msg.peoplePolicyStateQuery, (s) => s);
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof peoplePolicy>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
