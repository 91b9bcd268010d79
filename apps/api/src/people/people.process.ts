/**
 * The API's side of the `person` workflows (one per person, `person-<id>`) and of `peoplePolicy` (the
 * appointment enforcement switch). Registering starts a person's workflow once the domain's own `decide`
 * accepted it (bad input starts nothing); every later step is an Update.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { decide, INITIAL_PERSON_STATE, PEOPLE_POLICY_STREAM, PEOPLE_POLICY_WORKFLOW_ID, personWorkflowId } from '../../../../domain/people';
import type { Actor } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  setAppointmentEnforcementUpdate,
  type PeoplePolicyInput,
  type PeoplePolicyStepResult,
} from '../../../../workflows/people-policy.messages';
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

export type RegisterPersonInput = Omit<PersonWorkflowInput, 'by' | 'carried' | 'continueAsNewAfterHistoryLength'>;

const POLICY: ProcessAddress = {
  workflowId: PEOPLE_POLICY_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${PEOPLE_POLICY_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'PEOPLE_POLICY_NOT_RUNNING', 'The people policy workflow has ended.')),
};

@Injectable()
export class PeopleProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
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
    const started = await this.sender.start({
      workflowType: 'person',
      to: this.address(body.personId),
      args: [{ ...body, by } satisfies PersonWorkflowInput],
      stream: personWorkflowId(body.personId),
      alreadyStarted: () =>
        problem(409, 'PERSON_ALREADY_REGISTERED', `${body.personId} is already registered.`, { details: { personId: body.personId } }),
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

  changeIdentities(personId: string, by: Actor, identities: string[], reason: string): Promise<Answered<PersonStepResult>> {
    return this.send(personId, changePersonIdentitiesUpdate, { by, identities, reason });
  }

  async setEnforcement(by: Actor, enforced: boolean, reason: string): Promise<Answered<PeoplePolicyStepResult>> {
    await this.ensurePolicyRunning();
    return this.sender.update(POLICY, setAppointmentEnforcementUpdate, { by, enforced, reason });
  }

  private send<A>(personId: string, update: UpdateDefinition<PersonStepResult, [A]>, arg: A, context: RefusalContext = {}) {
    return this.sender.update(this.address(personId), update, arg, context);
  }

  /** The one run starts empty, so a refused first command never fails it; started at most once. */
  async ensurePolicyRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('peoplePolicy', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: PEOPLE_POLICY_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies PeoplePolicyInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the people policy: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
