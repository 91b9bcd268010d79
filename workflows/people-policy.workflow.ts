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
import { recordedOf, type Decider } from './runtime/decider';
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
  p.query(msg.peoplePolicyStateQuery, (s) => s);
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof peoplePolicy>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
