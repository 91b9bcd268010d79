/**
 * The API's side of competence (7.2): the policy's changes are Updates of the people policy's workflow
 * (`people-policy-organisation`, started once, empty, on first use), a record is an Update of the person's
 * own workflow (`person-<id>`). The rules are the domain's; a refusal records nothing.
 */
import { Injectable } from '@nestjs/common';
import { PEOPLE_POLICY_STREAM, PEOPLE_POLICY_WORKFLOW_ID } from '../../../../domain/people';
import type { Actor, AimsRole } from '../../../../domain/shared/roles';
import {
  removeCompetenceRequirementUpdate,
  setCompetenceEnforcementUpdate,
  setCompetenceRequirementUpdate,
  type PeoplePolicyStepResult,
} from '../../../../workflows/people-policy.messages';
import { recordCompetenceUpdate, type PersonStepResult, type RecordCompetenceInput } from '../../../../workflows/person.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem } from '../common/problems';
import { PeopleProcess } from '../people/people.process';

const POLICY: ProcessAddress = {
  workflowId: PEOPLE_POLICY_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${PEOPLE_POLICY_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'PEOPLE_POLICY_NOT_RUNNING', 'The people policy workflow has ended.')),
};

@Injectable()
export class CompetenceProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly people: PeopleProcess,
  ) {}

  async setRequirement(
    by: Actor,
    body: { role: AimsRole; competence: string; withinMonths: number | null; reason: string },
  ): Promise<Answered<PeoplePolicyStepResult>> {
    await this.people.ensurePolicyRunning();
    return this.sender.update(POLICY, setCompetenceRequirementUpdate, { by, ...body });
  }

  async removeRequirement(
    by: Actor,
    body: { role: AimsRole; competence: string; reason: string },
  ): Promise<Answered<PeoplePolicyStepResult>> {
    await this.people.ensurePolicyRunning();
    return this.sender.update(POLICY, removeCompetenceRequirementUpdate, { by, ...body }, { notFound: ['COMPETENCE_REQUIREMENT_UNKNOWN'] });
  }

  async setEnforcement(by: Actor, body: { role: AimsRole; enforced: boolean; reason: string }): Promise<Answered<PeoplePolicyStepResult>> {
    await this.people.ensurePolicyRunning();
    return this.sender.update(POLICY, setCompetenceEnforcementUpdate, { by, ...body });
  }

  record(personId: string, input: RecordCompetenceInput): Promise<Answered<PersonStepResult>> {
    return this.sender.update(this.people.address(personId), recordCompetenceUpdate, input);
  }
}
