/**
 * The API's side of the `improvement` workflow: a proposal starts it (refusals decided first), decisions
 * and outcomes are Updates, and the register is read from the evidence (`improvement-*` streams).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import {
  decideImprovement,
  evolveImprovement,
  improvementStream,
  improvementWorkflowId,
  type Improvement,
  type ImprovementEvent,
  type ImprovementSource,
  type ImprovementState,
} from '../../../../domain/improvement/improvement';
import type { Actor } from '../../../../domain/shared/roles';
import type { EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';
import type { ImprovementInput, ImprovementStepResult } from '../../../../workflows/improvement.messages';
import { CommandSender, type Answered, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { IMPROVEMENTS } from '../../../../infra/projections/read-models';
import { equalTo, registerPage, type Page, type PageAsked } from '../internal-audits/register-page';

export type ImprovementFilters = { status?: string; owner?: string; source?: string };

const notProposed = (id: string) =>
  problem(404, 'IMPROVEMENT_NOT_PROPOSED', `There is no improvement ${id}.`, { details: { improvementId: id } });
const asEvent = (e: RecordedEvidenceEvent): ImprovementEvent => ({ type: e.type, ...e.data }) as unknown as ImprovementEvent;

@Injectable()
export class ImprovementProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  address(id: string): ProcessAddress {
    return {
      workflowId: improvementWorkflowId(id),
      evidencePath: `/v1/audit/streams/${improvementStream(id)}`,
      notRunning: async () =>
        (await this.read(id)) === null
          ? notProposed(id)
          : problem(409, 'IMPROVEMENT_CLOSED', `Improvement ${id} is implemented or rejected.`, { details: { improvementId: id } }),
    };
  }

  async propose(
    by: Actor,
    body: { improvementId: string; source: ImprovementSource; description: string; owner: string },
  ): Promise<Started & { improvementId: string }> {
    const decided = decideImprovement({ type: 'ProposeImprovement', ...body, by, at: new Date().toISOString() }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const input: ImprovementInput = { ...body, by };
    const started = await this.sender.start({
      workflowType: 'improvement',
      to: this.address(body.improvementId),
      args: [input],
      stream: improvementStream(body.improvementId),
      alreadyStarted: () => problem(409, 'IMPROVEMENT_ALREADY_PROPOSED', `Improvement ${body.improvementId} exists already`),
    });
    return { improvementId: body.improvementId, ...started };
  }

  send<A>(id: string, update: UpdateDefinition<ImprovementStepResult, [A]>, arg: A): Promise<Answered<ImprovementStepResult>> {
    return this.sender.update(this.address(id), update, arg);
  }

  async read(id: string): Promise<ImprovementState> {
    let state: ImprovementState = null;
    for await (const e of this.store.readStream(improvementStream(id))) state = evolveImprovement(state, asEvent(e));
    return state;
  }

  async show(id: string): Promise<Improvement> {
    const found = await this.read(id);
    if (found === null) throw notProposed(id);
    return found;
  }

  /** A page of the register the filters keep, in the order the opportunities were proposed (the `improvements` read model). */
  list(filters: ImprovementFilters, page: PageAsked): Promise<Page<Improvement>> {
    const where = equalTo([
      ['status', filters.status],
      ['owner', filters.owner?.toLowerCase()],
      ['source_kind', filters.source],
    ]);
    return registerPage(this.readModels, IMPROVEMENTS, where, page, (row) => this.read(row.improvementId));
  }
}
