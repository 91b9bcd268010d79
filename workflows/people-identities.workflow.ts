/**
 * Workflow `peopleIdentities`: the organisation's register of which person each identity (token name, JWT
 * subject, e-mail address) acts for (domain/people/identity-register.ts). One run per organisation, id and
 * stream `people-identities-organisation`; no timer. Its Updates are decided one after another, which is
 * what makes two concurrent registrations claiming one identity impossible: the API reserves a person's
 * identities here before it starts or changes the person. Messages: people-identities.messages.ts.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import {
  decideIdentityRegister,
  evolveIdentityRegister,
  identityRegisterEventData,
  INITIAL_IDENTITY_REGISTER,
  PEOPLE_IDENTITIES_ISO_42001_REFERENCES,
  PEOPLE_IDENTITIES_STREAM,
  PEOPLE_IDENTITIES_SYSTEM_ACTOR,
  PEOPLE_IDENTITIES_WORKFLOW_ID,
  type IdentityRegisterCommand,
  type IdentityRegisterEvent,
  type IdentityRegisterState,
} from '../domain/people/identity-register';
import * as msg from './people-identities.messages';
import { recordedOf, type Decider, type Step } from './runtime/decider';
import { startProcess, type TimerRules } from './runtime/process';

export * from './people-identities.messages';

const decider: Decider<IdentityRegisterState, IdentityRegisterCommand, IdentityRegisterEvent> = {
  decide: decideIdentityRegister,
  evolve: evolveIdentityRegister,
  eventData: identityRegisterEventData,
  eventActor: (e) => e.by,
  references: (e) => PEOPLE_IDENTITIES_ISO_42001_REFERENCES[e.type],
};

const noTimers: TimerRules<IdentityRegisterState, IdentityRegisterCommand> = { finished: () => false, next: () => null, due: () => null };

export async function peopleIdentities(input: msg.PeopleIdentitiesInput): Promise<never> {
  if (workflowInfo().workflowId !== PEOPLE_IDENTITIES_WORKFLOW_ID) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The identity register runs as ${PEOPLE_IDENTITIES_WORKFLOW_ID}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider,
    stream: PEOPLE_IDENTITIES_STREAM,
    state: input.carried?.state ?? INITIAL_IDENTITY_REGISTER,
    causation: 'update',
    systemActor: PEOPLE_IDENTITIES_SYSTEM_ACTOR,
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
  });
  const answer = (done: Step<IdentityRegisterEvent>): msg.PeopleIdentitiesStepResult => ({
    recorded: recordedOf([done]),
    lastPosition: done.lastPosition,
  });
  p.update(msg.reserveIdentitiesUpdate, {
    command: (a, { at, by }) => ({ type: 'ReserveIdentities', personId: a.personId, identities: a.identities, by, at }),
    answer,
  });
  p.update(msg.releaseIdentitiesUpdate, {
    command: (a, { at, by }) => ({ type: 'ReleaseIdentities', personId: a.personId, identities: a.identities, reason: a.reason, by, at }),
    answer,
  });
  p.query(msg.peopleIdentitiesStateQuery, (s) => s);
  await p.keepTime(noTimers);
  return p.continueAsNew<typeof peopleIdentities>((carried) => ({
    continueAsNewAfterHistoryLength: input.continueAsNewAfterHistoryLength,
    carried,
  }));
}
