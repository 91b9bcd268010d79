/**
 * The contract every read-model store adapter passes, with the real projector and the real evidence store
 * of the same database (run by sqlite-read-model-store.test.ts and postgres-read-model-store.test.ts).
 */
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import type { AnyReadModel, Projected, ReadModelDefinition, ReadModelStore } from '../../../infra/ports/read-model-store.port';
import { ProjectionCheckpointMovedError } from '../../../infra/projections/projection-errors';
import { ProjectionRunner, rebuildProjections } from '../../../infra/projections/projection-runner';
import {
  AI_SYSTEM_INVENTORY,
  HUMAN_TASKS,
  NO_DUE_DATE,
  NONCONFORMITIES,
  READ_MODELS,
  type AiSystemInventoryRow,
  type HumanTaskRow,
  type NonconformityRow,
} from '../../../infra/projections/read-models';
import { appendSample, asNewEvents } from '../../support/sample-evidence';
import { analyse, approve, contain, history, plan, raise } from '../../unit/domain/nonconformity/nonconformity-fixtures';

export interface ReadModelHarness {
  openEvents(): Promise<EventStore>;
  openReadModels(models?: readonly AnyReadModel[]): Promise<ReadModelStore>;
  dispose(): Promise<void>;
}

/** Every row of every model, in key order, and the checkpoint: what "the same result" means. */
export async function dumpReadModels(store: ReadModelStore): Promise<{ checkpoint: number; rows: Record<string, unknown[]> }> {
  const rows: Record<string, unknown[]> = {};
  for (const model of store.models) {
    const items: unknown[] = [];
    let after: string | undefined;
    do {
      const page = await store.query(model, { limit: 2, after });
      items.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);
    rows[model.name] = items;
  }
  return { checkpoint: (await store.status()).checkpoint, rows };
}

async function allPages<Row>(
  store: ReadModelStore,
  model: ReadModelDefinition<Row, unknown>,
  query: Omit<Parameters<ReadModelStore['query']>[1], 'after'>,
): Promise<Row[]> {
  const items: Row[] = [];
  let after: string | undefined;
  do {
    const page = await store.query<Row>(model, { ...query, after });
    items.push(...page.items);
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return items;
}

async function project(events: EventStore, readModels: ReadModelStore, holder = 'contract'): Promise<number> {
  const head = (await events.head())?.position ?? 0;
  const runner = new ProjectionRunner(events, readModels, { holder, retryMs: 50, pollIntervalMs: 20, batchSize: 7 });
  runner.start();
  try {
    if (!(await readModels.waitForCheckpoint(head, 20_000)))
      throw new Error(`projection did not reach ${head}: ${JSON.stringify(runner.status())}`);
  } finally {
    await runner.stop();
  }
  return head;
}

/** A model whose column refuses one event's row: lets a test make a batch fail half-way. */
const FRAGILE: ReadModelDefinition<{ stream: string; n: number }, null> = {
  name: 'fragile',
  version: 1,
  columns: [{ name: 'label', type: 'text', orderable: true, value: (r) => (r.n >= 3 ? null : `n${r.n}`) }],
  keyOf: (e: RecordedEvidenceEvent) => e.stream,
  apply: (current: Projected<{ stream: string; n: number }, null> | null, e: RecordedEvidenceEvent) => ({
    row: { stream: e.stream, n: (current?.row.n ?? 0) + 1 },
    state: null,
  }),
};

export function readModelStoreContract(name: string, makeHarness: () => Promise<ReadModelHarness>): void {
  describe(`${name} read models (contract)`, () => {
    let harness: ReadModelHarness;
    let events: EventStore;
    let readModels: ReadModelStore;

    beforeEach(async () => {
      harness = await makeHarness();
      events = await harness.openEvents();
      readModels = await harness.openReadModels();
    });

    afterEach(async () => {
      await readModels?.close();
      await events?.close();
      await harness?.dispose();
    });

    it('given evidence of three systems, when projected, then the inventory lists them with their stages and the checkpoint is the head', async () => {
      const head = await appendSample(events);
      await project(events, readModels);
      expect((await readModels.status()).checkpoint).toBe(head);
      const systems = await allPages<AiSystemInventoryRow>(readModels, AI_SYSTEM_INVENTORY, { limit: 10 });
      expect(systems.map((s) => [s.systemId, s.stage, s.riskTier, s.provider.kind])).toEqual([
        ['credit-scoring', 'in_production', 'high', 'in_house'],
        ['support-llm', 'impact_assessment', 'limited', 'third_party_api'],
        ['vision-qc', 'validation', 'minimal', 'deployed'],
      ]);
      expect(await readModels.get<AiSystemInventoryRow>(AI_SYSTEM_INVENTORY, 'credit-scoring')).toMatchObject({
        productionVersion: '1.0.0',
      });
      expect(await readModels.get(AI_SYSTEM_INVENTORY, 'nope')).toBeNull();
    });

    it('given projected evidence, when filtered and paged, then every filter applies and pages neither repeat nor skip', async () => {
      await appendSample(events);
      await project(events, readModels);
      const q = (where: Parameters<ReadModelStore['query']>[1]['where']) =>
        allPages<AiSystemInventoryRow>(readModels, AI_SYSTEM_INVENTORY, { where, limit: 1 });
      expect((await q([{ column: 'stage', op: 'eq', value: 'validation' }])).map((s) => s.systemId)).toEqual(['vision-qc']);
      expect((await q([{ column: 'risk_tier', op: 'in', values: ['high', 'limited'] }])).map((s) => s.systemId)).toEqual([
        'credit-scoring',
        'support-llm',
      ]);
      expect((await q([{ column: 'owner', op: 'eq', value: 'otto' }])).map((s) => s.systemId)).toEqual(['vision-qc']);
      expect((await q([{ column: 'provider_kind', op: 'eq', value: 'third_party_api' }])).map((s) => s.systemId)).toEqual(['support-llm']);
      const byName = await allPages<AiSystemInventoryRow>(readModels, AI_SYSTEM_INVENTORY, { orderBy: 'name', descending: true, limit: 2 });
      expect(byName.map((s) => s.name)).toEqual(['Vision quality inspection', 'Customer support assistant', 'Credit scoring assistant']);

      const open = await allPages<HumanTaskRow>(readModels, HUMAN_TASKS, {
        where: [
          { column: 'status', op: 'eq', value: 'open' },
          { column: 'eligible_roles', op: 'overlaps', values: ['risk_owner', 'ci'] },
        ],
        orderBy: 'due_at',
        limit: 1,
      });
      // The lifecycle's review, then the nonconformity's containment (no due date: after every dated task).
      expect(open.map((t) => [t.aiSystemId, t.taskId, t.kind])).toEqual([
        ['support-llm', 'task-IA-1', 'impact_assessment_review'],
        [null, 'nc-2025-002:containment', 'containment'],
      ]);
      const decided = await allPages<HumanTaskRow>(readModels, HUMAN_TASKS, {
        where: [{ column: 'status', op: 'eq', value: 'decided' }],
        orderBy: 'due_at',
        limit: 2,
      });
      expect(decided.length).toBeGreaterThanOrEqual(3);
      const dues = decided.map((t) => t.dueAt ?? NO_DUE_DATE);
      expect(dues).toEqual([...dues].sort());
      const erins = await allPages<HumanTaskRow>(readModels, HUMAN_TASKS, {
        where: [
          { column: 'status', op: 'eq', value: 'open' },
          { column: 'assignee', op: 'eq', value: 'erin' },
          { column: 'ai_system_ids', op: 'overlaps', values: ['credit-scoring'] },
        ],
        limit: 5,
      });
      expect(erins.map((t) => [t.taskId, t.kind])).toEqual([['nc-2025-001:action:act-retrain', 'corrective_action']]);

      const now = '2026-01-01T00:00:00.000Z';
      const nc = (where: Parameters<ReadModelStore['query']>[1]['where']) =>
        allPages<NonconformityRow>(readModels, NONCONFORMITIES, { where, orderBy: 'raised_at', limit: 1 }).then((rows) =>
          rows.map((r) => r.nonconformityId),
        );
      expect(await nc([{ column: 'ai_system_ids', op: 'overlaps', values: ['support-llm'] }])).toEqual(['nc-2025-002']);
      expect(await nc([{ column: 'next_action_due_at', op: 'lte', value: now }])).toEqual(['nc-2025-001']);
      expect(
        await nc([
          {
            op: 'or',
            conditions: [
              { column: 'next_action_due_at', op: 'isNull' },
              { column: 'next_action_due_at', op: 'gt', value: now },
            ],
          },
        ]),
      ).toEqual(['nc-2025-002']);
      expect(
        await nc([
          { column: 'severity', op: 'eq', value: 'major' },
          { column: 'status', op: 'eq', value: 'actions_in_progress' },
        ]),
      ).toEqual(['nc-2025-001']);
    });

    it('given a nonconformity moving on batch by batch, when projected, then its work items in the task list follow it: replaced, never repeated', async () => {
      const steps = history(
        raise({ nonconformityId: 'nc-moving' }),
        contain({ nonconformityId: 'nc-moving' }),
        analyse({ nonconformityId: 'nc-moving' }),
        plan({ nonconformityId: 'nc-moving' }),
        approve({ nonconformityId: 'nc-moving' }),
      );
      const tasks = async () =>
        (
          await allPages<HumanTaskRow>(readModels, HUMAN_TASKS, {
            where: [{ column: 'stream', op: 'eq', value: 'nonconformity-nc-moving' }],
            limit: 3,
          })
        ).map((t) => `${t.taskId} ${t.status}`);
      await events.append('nonconformity-nc-moving', asNewEvents(steps.slice(0, 1)));
      await project(events, readModels);
      expect(await tasks()).toEqual(['nc-moving:containment open']);
      await events.append('nonconformity-nc-moving', asNewEvents(steps.slice(1, -1)));
      await project(events, readModels);
      expect((await tasks()).sort()).toEqual(
        [
          'nc-moving:containment decided',
          'nc-moving:corrective-action-plan-1 decided',
          'nc-moving:plan-decision:plan-1 open',
          'nc-moving:root-cause-analysis-1 decided',
        ].sort(),
      );
      await events.append('nonconformity-nc-moving', asNewEvents(steps.slice(-1)));
      await project(events, readModels);
      expect(await tasks()).toHaveLength(6);
      expect(await tasks()).toEqual(
        expect.arrayContaining([
          'nc-moving:plan-decision:plan-1 decided',
          'nc-moving:action:act-retrain open',
          'nc-moving:action:act-drift-alert open',
        ]),
      );
      expect(await readModels.get<HumanTaskRow>(HUMAN_TASKS, 'nonconformity-nc-moving/nc-moving:action:act-retrain')).toMatchObject({
        assignee: 'erin',
        kind: 'corrective_action',
      });
      const before = await dumpReadModels(readModels);
      await rebuildProjections(events, readModels, { holder: 'rebuild', pollIntervalMs: 20 });
      expect(await dumpReadModels(readModels)).toEqual(before);
    });

    it('given projected evidence, when scanned a page at a time, then each matching row comes once, in key order, with the fold state it came from', async () => {
      await appendSample(events);
      await project(events, readModels);
      const scan = async <Row, State>(model: ReadModelDefinition<Row, State>, options: Parameters<ReadModelStore['scan']>[1]) => {
        const out: Projected<Row, State>[] = [];
        for await (const projected of readModels.scan(model, options)) out.push(projected);
        return out;
      };
      const systems = await scan(AI_SYSTEM_INVENTORY, { pageSize: 1 });
      expect(systems.map((p) => p.row)).toEqual(await allPages<AiSystemInventoryRow>(readModels, AI_SYSTEM_INVENTORY, { limit: 10 }));
      const ncs = await scan(NONCONFORMITIES, { pageSize: 2 });
      expect(ncs.map((p) => [p.row.nonconformityId, p.state?.id, p.state?.status])).toEqual([
        ['nc-2025-001', 'nc-2025-001', ncs[0]?.row.status],
        ['nc-2025-002', 'nc-2025-002', ncs[1]?.row.status],
      ]);
      expect(ncs[0]?.state?.rounds.length).toBeGreaterThan(0);
      const major = await scan(NONCONFORMITIES, { where: [{ column: 'severity', op: 'eq', value: 'major' }], pageSize: 1 });
      expect(major.map((p) => p.row.nonconformityId)).toEqual(['nc-2025-001']);
      await expect(scan(NONCONFORMITIES, { pageSize: 0 })).rejects.toMatchObject({ field: 'limit' });
    });

    it('given a tampered cursor or an unknown column, when queried, then the query is refused with the field at fault', async () => {
      await expect(readModels.query(AI_SYSTEM_INVENTORY, { limit: 1, after: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
        code: 'invalid-read-model-query',
        field: 'cursor',
      });
      await expect(
        readModels.query(AI_SYSTEM_INVENTORY, { limit: 1, where: [{ column: 'rm_doc; DROP TABLE x', op: 'eq', value: 1 }] }),
      ).rejects.toMatchObject({ field: 'where' });
      await expect(readModels.query(AI_SYSTEM_INVENTORY, { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    });

    it('given projected read models, when reset and rebuilt from position 0, then the rows are exactly the same', async () => {
      await appendSample(events);
      await project(events, readModels);
      const before = await dumpReadModels(readModels);
      expect(before.rows.ai_systems).toHaveLength(3);
      const result = await rebuildProjections(events, readModels, { holder: 'rebuild', pollIntervalMs: 20 });
      expect(result.checkpoint).toBe(before.checkpoint);
      expect(await dumpReadModels(readModels)).toEqual(before);
    });

    it('given an idle projector leading, when a rebuild is asked from elsewhere, then the leader notices the reset and rebuilds the same rows', async () => {
      await appendSample(events);
      const runner = new ProjectionRunner(events, readModels, {
        holder: 'idle-leader',
        pollIntervalMs: 20,
        retryMs: 50,
        watchIntervalMs: 50,
      });
      runner.start();
      const elsewhere = await harness.openReadModels();
      try {
        const head = (await events.head())?.position ?? 0;
        expect(await readModels.waitForCheckpoint(head, 20_000)).toBe(true);
        const before = await dumpReadModels(readModels);
        const result = await rebuildProjections(events, elsewhere, { holder: 'cli-rebuild', retryMs: 50, pollIntervalMs: 20 });
        expect(result).toEqual({ checkpoint: head, head });
        expect(await dumpReadModels(elsewhere)).toEqual(before);
      } finally {
        await elsewhere.close();
        await runner.stop();
      }
    });

    it('given a running projector, when more evidence arrives, then it is projected live', async () => {
      await appendSample(events);
      const runner = new ProjectionRunner(events, readModels, { holder: 'live', pollIntervalMs: 20, retryMs: 50 });
      runner.start();
      try {
        const head = (await events.head())?.position ?? 0;
        expect(await readModels.waitForCheckpoint(head, 20_000)).toBe(true);
        const more = await events.append('nonconformity-nc-live', asNewEvents(history(raise({ nonconformityId: 'nc-live' }))));
        expect(await readModels.waitForCheckpoint(more.lastPosition, 20_000)).toBe(true);
        expect(await readModels.get<NonconformityRow>(NONCONFORMITIES, 'nc-live')).toMatchObject({ status: 'raised' });
        expect(runner.status()).toMatchObject({ leading: true, lastError: null });
      } finally {
        await runner.stop();
      }
    });

    it('given one store leads, when another asks, then it is refused until the lease is released', async () => {
      const other = await harness.openReadModels();
      try {
        const lease = await readModels.tryLead('first');
        expect(lease).not.toBeNull();
        expect(await other.tryLead('second')).toBeNull();
        await lease?.release();
        const taken = await other.tryLead('second');
        expect(taken).not.toBeNull();
        await taken?.release();
      } finally {
        await other.close();
      }
    });

    it('given a batch whose rows cannot all be written, when applied, then neither rows nor checkpoint change', async () => {
      const fragile = await harness.openReadModels([FRAGILE]);
      try {
        for (let i = 0; i < 4; i++) await events.append('thing-1', asNewEvents([{ type: 'Happened', i }]));
        const recorded: RecordedEvidenceEvent[] = [];
        for await (const e of events.readAll()) recorded.push(e);
        const lease = await fragile.tryLead('fragile');
        if (!lease) throw new Error('no lease');
        try {
          expect(await lease.prepare()).toBe(0);
          await lease.applyBatch(0, recorded.slice(0, 2));
          await expect(lease.applyBatch(2, recorded.slice(2))).rejects.toThrow(/orderable column label is null/);
          expect((await fragile.status()).checkpoint).toBe(2);
          expect(await fragile.get(FRAGILE, 'thing-1')).toEqual({ stream: 'thing-1', n: 2 });
          await expect(lease.applyBatch(1, recorded.slice(1, 2))).rejects.toBeInstanceOf(ProjectionCheckpointMovedError);
        } finally {
          await lease.release();
        }
      } finally {
        await fragile.close();
      }
    });

    it('given a projector leading, when the read models are reset under it, then its next batch is refused and a new lead rebuilds', async () => {
      await appendSample(events);
      const recorded: RecordedEvidenceEvent[] = [];
      for await (const e of events.readAll()) recorded.push(e);
      const lease = await readModels.tryLead('before-reset');
      if (!lease) throw new Error('no lease');
      try {
        await lease.prepare();
        await lease.applyBatch(0, recorded.slice(0, 5));
        await readModels.reset();
        expect(await dumpReadModels(readModels)).toEqual({
          checkpoint: 0,
          rows: {
            ai_systems: [],
            audit_programmes: [],
            documents: [],
            human_tasks: [],
            improvements: [],
            internal_audits: [],
            nonconformities: [],
            people: [],
            risks: [],
            role_assignments: [],
          },
        });
        await expect(lease.applyBatch(5, recorded.slice(5, 6))).rejects.toBeInstanceOf(ProjectionCheckpointMovedError);
        expect(await lease.prepare()).toBe(0);
      } finally {
        await lease.release();
      }
    });

    it('given read models built with one set of definitions, when a new read model is added, then the projector rebuilds all from 0', async () => {
      await appendSample(events);
      const onlyInventory = await harness.openReadModels([AI_SYSTEM_INVENTORY]);
      try {
        const head = await project(events, onlyInventory);
        expect((await onlyInventory.status()).fingerprint).toBe('ai_systems@1');
        expect((await onlyInventory.status()).checkpoint).toBe(head);
      } finally {
        await onlyInventory.close();
      }
      await project(events, readModels);
      const status = await readModels.status();
      expect(status.fingerprint).toBe(
        'ai_systems@1,audit_programmes@1,documents@1,human_tasks@2,improvements@1,internal_audits@1,nonconformities@1,people@1,risks@2,role_assignments@1',
      );
      expect((await dumpReadModels(readModels)).rows.nonconformities).toHaveLength(2);
      expect(READ_MODELS).toHaveLength(10);
    });
  });
}
