/**
 * The API's side of the `person` workflows (one per person, `person-<id>`) and of `peoplePolicy` (the
 * appointment enforcement switch). Registering starts a person's workflow once the domain's own `decide`
 * accepted it (bad input starts nothing); every later step is an Update.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  claimedIdentities,
  decide,
  INITIAL_PERSON_STATE,
  PEOPLE_IDENTITIES_STREAM,
  PEOPLE_IDENTITIES_WORKFLOW_ID,
  PEOPLE_POLICY_STREAM,
  PEOPLE_POLICY_WORKFLOW_ID,
  personWorkflowId,
} from '../../../../domain/people';
import { normaliseIdentity } from '../../../../domain/shared/actor-identity';
import type { Actor } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  setAppointmentEnforcementUpdate,
  type PeoplePolicyInput,
  type PeoplePolicyStepResult,
} from '../../../../workflows/people-policy.messages';
import {
  releaseIdentitiesUpdate,
  reserveIdentitiesUpdate,
  type PeopleIdentitiesInput,
} from '../../../../workflows/people-identities.messages';
import {
  appointRoleUpdate,
  changePersonIdentitiesUpdate,
  recordPersonLeftUpdate,
  revokeAppointmentUpdate,
  type AppointRoleInput,
  type PersonStepResult,
  type PersonWorkflowInput,
} from '../../../../workflows/person.messages';
import { CommandSender, type Answered, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem, type RefusalContext } from '../common/problem-mapper';
import { problem, unavailable } from '../common/problems';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';
import { AppointmentEnforcement } from './appointment-enforcement';

export type RegisterPersonInput = Omit<PersonWorkflowInput, 'by' | 'carried' | 'continueAsNewAfterHistoryLength'>;

const POLICY: ProcessAddress = {
  workflowId: PEOPLE_POLICY_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${PEOPLE_POLICY_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'PEOPLE_POLICY_NOT_RUNNING', 'The people policy workflow has ended.')),
};

const IDENTITY_REGISTER: ProcessAddress = {
  workflowId: PEOPLE_IDENTITIES_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${PEOPLE_IDENTITIES_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'IDENTITY_REGISTER_NOT_RUNNING', 'The identity register workflow has ended.')),
};

@Injectable()
export class PeopleProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
    private readonly people: AppointmentEnforcement,
  ) {}

  address(personId: string): ProcessAddress {
    return {
      workflowId: personWorkflowId(personId),
      evidencePath: `/v1/audit/streams/${personWorkflowId(personId)}`,
      notRunning: () => Promise.resolve(problem(404, 'PERSON_UNKNOWN', `There is no person ${personId}.`, { details: { personId } })),
    };
  }

  async register(by: Actor, body: RegisterPersonInput): Promise<Started & { personId: string }> {
    const decided = decide({ type: 'RegisterPerson', ...body, by, at: new Date().toISOString() }, INITIAL_PERSON_STATE);
    if (!decided.ok) throw refusalProblem(decided.error);
    // A registered id answers as before, and reserves nothing for it.
    if ((await this.people.person(body.personId)) !== null) throw alreadyRegistered(body.personId);
    // One identity, one person: the register reserves them (one Update after another, so two concurrent
    // registrations cannot both get one) before the person's workflow starts.
    await this.reserve(by, body.personId, claimedIdentities(body.identities, body.contact));
    const started = await this.sender.start({
      workflowType: 'person',
      to: this.address(body.personId),
      args: [{ ...body, by } satisfies PersonWorkflowInput],
      stream: personWorkflowId(body.personId),
      alreadyStarted: () => alreadyRegistered(body.personId),
    });
    return { personId: body.personId, ...started };
  }

  appoint(personId: string, input: AppointRoleInput): Promise<Answered<PersonStepResult>> {
    return this.send(personId, appointRoleUpdate, input);
  }

  revoke(personId: string, by: Actor, appointmentId: string, reason: string): Promise<Answered<PersonStepResult>> {
    return this.send(personId, revokeAppointmentUpdate, { by, appointmentId, reason }, { notFound: ['APPOINTMENT_UNKNOWN'] });
  }

  leave(personId: string, by: Actor, reason: string): Promise<Answered<PersonStepResult>> {
    return this.send(personId, recordPersonLeftUpdate, { by, reason });
  }

  /**
   * Reserves the new identities first (refused IDENTITY_TAKEN when someone else holds one), then changes
   * the person, then releases what they no longer have. A refused change leaves its reservations with the
   * person: over-reserved, never claimed twice.
   */
  async changeIdentities(personId: string, by: Actor, identities: string[], reason: string): Promise<Answered<PersonStepResult>> {
    const before = await this.people.person(personId);
    if (before === null) throw problem(404, 'PERSON_UNKNOWN', `There is no person ${personId}.`, { details: { personId } });
    const claimed = claimedIdentities(identities, before.contact);
    await this.reserve(by, personId, claimed);
    const changed = await this.send(personId, changePersonIdentitiesUpdate, { by, identities, reason });
    const dropped = claimedIdentities(before.identities, before.contact).filter((id) => !claimed.includes(id));
    if (dropped.length > 0)
      await this.sender.update(IDENTITY_REGISTER, releaseIdentitiesUpdate, { by, personId, identities: dropped, reason });
    return changed;
  }

  /** Reserves `identities` for the person in the organisation's register; refused (409) when another holds one. */
  private async reserve(by: Actor, personId: string, identities: string[]): Promise<void> {
    // People registered before the register existed are only in the read model: their identities count too.
    const legacy = await this.people.othersHolding(identities, personId);
    const clash = legacy.flatMap((p) =>
      p.identities.filter((id) => identities.includes(normaliseIdentity(id))).map((id) => ({ id, p })),
    )[0];
    if (clash !== undefined)
      throw problem(409, 'IDENTITY_TAKEN', `${clash.id} already acts for ${clash.p.personId}; one identity acts for one person.`, {
        details: { identity: clash.id, heldBy: clash.p.personId, personId },
      });
    await this.ensureRunning('peopleIdentities', PEOPLE_IDENTITIES_WORKFLOW_ID, {} satisfies PeopleIdentitiesInput);
    await this.sender.update(IDENTITY_REGISTER, reserveIdentitiesUpdate, { by, personId, identities });
  }

  async setEnforcement(by: Actor, enforced: boolean, reason: string): Promise<Answered<PeoplePolicyStepResult>> {
    await this.ensureRunning('peoplePolicy', PEOPLE_POLICY_WORKFLOW_ID, {} satisfies PeoplePolicyInput);
    return this.sender.update(POLICY, setAppointmentEnforcementUpdate, { by, enforced, reason });
  }

  private send<A>(personId: string, update: UpdateDefinition<PersonStepResult, [A]>, arg: A, context: RefusalContext = {}) {
    return this.sender.update(this.address(personId), update, arg, context);
  }

  /** The people policy's one run (competence requirements and switches are recorded on it too). */
  ensurePolicyRunning(): Promise<void> {
    return this.ensureRunning('peoplePolicy', PEOPLE_POLICY_WORKFLOW_ID, {} satisfies PeoplePolicyInput);
  }

  /** An organisation's one run (the policy, the identity register) starts empty, so a refused first command never fails it; started at most once. */
  private async ensureRunning(workflowType: string, workflowId: string, input: object): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start(workflowType, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start ${workflowId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function alreadyRegistered(personId: string) {
  return problem(409, 'PERSON_ALREADY_REGISTERED', `${personId} is already registered.`, { details: { personId } });
}
