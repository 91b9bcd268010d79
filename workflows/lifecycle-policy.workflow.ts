/**
 * Workflow `lifecyclePolicy`: the organisation's lifecycle policy, changed only through proposals that
 * someone else decides (5.2, 5.3, 6.1.3). One run per organisation, id and stream
 * `lifecycle-policy-organisation`. The rules are the domain's (domain/lifecycle-policy); the runtime
 * queues, decides, records and answers. No timer: an undecided proposal waits in the inbox with its due
 * date. Messages: lifecycle-policy.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  INITIAL_LIFECYCLE_POLICY_STATE,
  LIFECYCLE_POLICY_WORKFLOW_ID,
  LIFECYCLE_POLICY_STREAM,
  LIFECYCLE_POLICY_SYSTEM_ACTOR,
  decide,
  eventActor,
  eventReferences,
  eventData,
  evolve,
  nextChangeIds,
  type LifecyclePolicyCommand,
  type LifecyclePolicyEvent,
  type LifecyclePolicyState,
} from '../domain/lifecycle-policy';
import * as msg from './lifecycle-policy.messages';
import { eventOfType, recordedOf, type Decider, type Step } from './runtime/decider';
import { startProcess, type TimerRules } from './runtime/process';

export * from './lifecycle-policy.messages';

const policyDecider: Decider<LifecyclePolicyState, LifecyclePolicyCommand, LifecyclePolicyEvent> = {
  decide,
  evolve,
  eventData,
  eventActor,
  references: eventReferences,
};

/** Nothing happens by itself: only people move a policy change. */
const noTimers: TimerRules<LifecyclePolicyState, LifecyclePolicyCommand> = { finished: () => false, next: () => null, due: () => null };

const proposal = (
  a: msg.ProposePolicyChangeInput,
  s: LifecyclePolicyState,
  by: LifecyclePolicyCommand['by'],
  at: string,
): LifecyclePolicyCommand => ({
  type: 'ProposeLifecyclePolicyChange',
  ...nextChangeIds(s),
  scope: a.scope,
  ...(a.tiers === undefined ? {} : { tiers: a.tiers }),
  ...(a.overrides === undefined ? {} : { overrides: a.overrides }),
  justification: a.justification,
  by,
  at,
});

export async function lifecyclePolicy(input: msg.LifecyclePolicyInput): Promise<never> {
  // One policy per organisation: a second run under another id would fork its versions.
  if (workflowInfo().workflowId !== LIFECYCLE_POLICY_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The organisation's lifecycle policy runs as ${LIFECYCLE_POLICY_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: policyDecider,
    stream: LIFECYCLE_POLICY_STREAM,
    state: input.carried?.state ?? INITIAL_LIFECYCLE_POLICY_STATE,
    causation: 'update',
    systemActor: LIFECYCLE_POLICY_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });

  const answered = (done: Step<LifecyclePolicyEvent>, s: LifecyclePolicyState, changeId: string, taskId: string): msg.PolicyStepResult => ({
    recorded: recordedOf([done]),
    changeId,
    taskId,
    version: s.version,
    lastPosition: done.lastPosition,
  });

  // ----- the message table -----
  p.update(msg.proposePolicyChangeUpdate, {
    command: (a, { state, at, by }) => proposal(a, state, by, at),
    answer: (done, s) => {
      const proposed = eventOfType(done, 'LifecyclePolicyChangeProposed');
      return answered(done, s, proposed.changeId, eventOfType(done, 'HumanTaskOpened').taskId);
    },
  });
  p.update(msg.decidePolicyChangeUpdate, {
    command: (a, { at, by }) => ({
      type: 'DecideLifecyclePolicyChange',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons ?? [],
      by,
      at,
    }),
    answer: (done, s, c) => {
      const taskId = c.type === 'DecideLifecyclePolicyChange' ? c.taskId : '';
      const change = s.changes.find((x) => x.reviewTaskId === taskId);
      return answered(done, s, change?.changeId ?? '', taskId);
    },
  });
  p.query(msg.lifecyclePolicyStateQuery, (s) => s);

  // ----- the process -----
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof lifecyclePolicy>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
