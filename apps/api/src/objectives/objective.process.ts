/**
 * The API's side of the `objective` workflow: setting one starts it (refusals decided first, so nothing is
 * stored on refusal), revisions, withdrawals and manual measurements are Updates, and the objectives are
 * read from the evidence (`objective-*` streams; memory per objective is bounded by its kept measurements).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import {
  decideObjective,
  evolveObjective,
  OBJECTIVE_CATEGORY,
  objectiveStream,
  objectiveWorkflowId,
  type Objective,
  type ObjectiveDefinition,
  type ObjectiveEvent,
  type ObjectiveState,
} from '../../../../domain/objective';
import type { Actor } from '../../../../domain/shared/roles';
import type { EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';
import type { ObjectiveInput, ObjectiveStepResult } from '../../../../workflows/objective.messages';
import { CommandSender, type Answered, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { parseAsOf } from '../common/ids';
import { EVENT_STORE } from '../stores/store.tokens';

const notSet = (id: string) => problem(404, 'OBJECTIVE_NOT_SET', `There is no objective ${id}.`, { details: { objectiveId: id } });
const asEvent = (e: RecordedEvidenceEvent): ObjectiveEvent => ({ type: e.type, ...e.data }) as unknown as ObjectiveEvent;

export type ObjectiveFilters = { status?: string; owner?: string; measureId?: string; onTarget?: 'true' | 'false'; asOf?: string };

/** A cursor is the position of the last listed objective's first evidence, so pages hold while objectives are added. */
const encodeCursor = (position: number): string => Buffer.from(String(position)).toString('base64url');
const decodeCursor = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0) throw problem(400, 'VALIDATION_FAILED', 'cursor must be a nextCursor returned by this API');
  return n;
};

@Injectable()
export class ObjectiveProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  address(id: string): ProcessAddress {
    return {
      workflowId: objectiveWorkflowId(id),
      evidencePath: `/v1/audit/streams/${objectiveStream(id)}`,
      notRunning: async () =>
        (await this.read(id)) === null
          ? notSet(id)
          : problem(409, 'OBJECTIVE_WITHDRAWN', `Objective ${id} was withdrawn.`, { details: { objectiveId: id } }),
    };
  }

  async set(by: Actor, objectiveId: string, definition: ObjectiveDefinition): Promise<Started & { objectiveId: string }> {
    const decided = decideObjective({ type: 'SetAiObjective', objectiveId, ...definition, by, at: new Date().toISOString() }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const input: ObjectiveInput = { objectiveId, ...definition, by };
    const started = await this.sender.start({
      workflowType: 'objective',
      to: this.address(objectiveId),
      args: [input],
      stream: objectiveStream(objectiveId),
      alreadyStarted: () => problem(409, 'OBJECTIVE_ALREADY_SET', `Objective ${objectiveId} exists already; revise it instead`),
    });
    return { objectiveId, ...started };
  }

  send<A>(id: string, update: UpdateDefinition<ObjectiveStepResult, [A]>, arg: A): Promise<Answered<ObjectiveStepResult>> {
    return this.sender.update(this.address(id), update, arg);
  }

  async read(id: string): Promise<ObjectiveState> {
    let state: ObjectiveState = null;
    for await (const e of this.store.readStream(objectiveStream(id))) state = evolveObjective(state, asEvent(e));
    return state;
  }

  async show(id: string): Promise<Objective> {
    const found = await this.read(id);
    if (found === null) throw notSet(id);
    return found;
  }

  /** The objectives in the order they were set, filtered, one page at a time (folded from the evidence). */
  async list(f: ObjectiveFilters, page: { limit: number; cursor?: string }): Promise<{ items: Objective[]; nextCursor: string | null }> {
    const after = decodeCursor(page.cursor);
    const byStream = new Map<string, { first: number; state: ObjectiveState }>();
    const asOf = f.asOf === undefined ? null : parseAsOf(f.asOf);
    for await (const e of this.store.readAll({ categories: [OBJECTIVE_CATEGORY] })) {
      // recordedAt never decreases along positions, so "as of" is a prefix of the log.
      if (asOf !== null && ('position' in asOf ? e.position > asOf.position : e.recordedAt > asOf.time)) break;
      const seen = byStream.get(e.stream);
      byStream.set(e.stream, { first: seen?.first ?? e.position, state: evolveObjective(seen?.state ?? null, asEvent(e)) });
    }
    const matching = [...byStream.values()].filter(({ first, state: s }) => {
      if (s === null || first <= after) return false;
      if (f.status !== undefined && s.status !== f.status) return false;
      if (f.owner !== undefined && s.definition.owner !== f.owner) return false;
      if (f.measureId !== undefined && s.definition.measureId !== f.measureId) return false;
      const latest = s.measurements[s.measurements.length - 1];
      if (f.onTarget !== undefined && (latest === undefined || String(latest.onTarget) !== f.onTarget)) return false;
      return true;
    });
    const pageItems = matching.slice(0, page.limit);
    const more = matching.length > page.limit;
    return {
      items: pageItems.map((x) => x.state as Objective),
      nextCursor: more ? encodeCursor(pageItems[pageItems.length - 1].first) : null,
    };
  }
}
