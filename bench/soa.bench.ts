/**
 * `npm run bench:soa` (issue 14 item 8): the status of every ruled control over 1,000 AI systems with
 * their evidence, beside a plain read of the same projection (the `ai_systems` read model, scanned with
 * its fold state). The lifecycles are made by the real decider (registered, assessed, validated, signed
 * off, deployed), appended to a real SQLite evidence store and projected by the real read-model store.
 * Rounds alternate the order of the two; the ratio of the medians goes to docs/benchmarks.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import {
  decide,
  evolve,
  eventData,
  INITIAL_AI_SYSTEM_STATE,
  aiSystemStreamName,
  type AiSystemCommand,
  type AiSystemRecord,
  type AiSystemState,
} from '../domain/ai-system';
import { controlJudge } from '../domain/soa/control-rules';
import type { Actor } from '../domain/shared/roles';
import { openEventStore } from '../infra/event-store/open-event-store';
import { openReadModelStore } from '../infra/projections/open-read-model-store';
import { AI_SYSTEM_INVENTORY } from '../infra/projections/read-models';
import { fmt, log, machineDescription, ratio, writeSection } from './bench-report';

const SYSTEMS = Number(process.env.AIMS_BENCH_SYSTEMS ?? 1000);
const ROUNDS = 5;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const at = (m: number): string => new Date(T0 + m * 60_000).toISOString();
const DIGEST = `sha256:${'a'.repeat(64)}`;
const owner: Actor = { id: 'olivia', roles: ['engineer'] };
const approver: Actor = { id: 'alice', roles: ['approver'] };
const approver2: Actor = { id: 'bob', roles: ['approver'] };
const validator: Actor = { id: 'victor', roles: ['validator'] };
const ci: Actor = { id: 'ci-main', roles: ['ci'] };

function lifecycle(systemId: string): AiSystemCommand[] {
  return [
    {
      type: 'RegisterAiSystem',
      systemId,
      name: systemId,
      purpose: 'Rank loan applications for human review',
      intendedUse: 'Decision support',
      owner: owner.id,
      provider: { kind: 'in_house', supplier: null },
      riskTier: 'high',
      acceptanceCriteria: [{ metric: 'auc', direction: 'higher_is_better', threshold: 0.8 }],
      by: owner,
      at: at(0),
    },
    {
      type: 'SubmitImpactAssessment',
      assessmentId: 'IA-1',
      content: {
        affectedParties: { individuals: 'Applicants', groups: 'Protected groups', society: 'Access to credit' },
        impacts: [{ impactId: 'I1', affects: 'individuals', description: 'Unfair refusal', severity: 'moderate', likelihood: 'possible' }],
        mitigations: [],
      },
      reviewTaskId: 'task-IA-1',
      by: owner,
      at: at(1),
    },
    { type: 'DecideHumanTask', taskId: 'task-IA-1', outcome: 'approved', reasons: [], by: approver, at: at(2) },
    {
      type: 'RecordDataset',
      datasetId: 'DS-1',
      name: 'Applications',
      purpose: 'validation',
      provenance: { source: 'export', custodian: null, licence: null, contentDigest: null },
      acquisition: { method: 'export', acquiredAt: null, notes: null },
      preparation: { steps: ['deduplicated'] },
      by: owner,
      at: at(3),
    },
    {
      type: 'RecordDataQualityCheck',
      checkId: 'QC-1',
      datasetId: 'DS-1',
      results: [{ dimension: 'completeness', measure: null, value: 0.99, passed: true, notes: null }],
      by: owner,
      at: at(4),
    },
    { type: 'ProposeModelVersion', modelVersion: '1.0.0', artifactDigest: DIGEST, description: 'v1', by: owner, at: at(5) },
    {
      type: 'RecordValidationResults',
      validationId: 'V-1',
      modelVersion: '1.0.0',
      artifactDigest: DIGEST,
      datasetIds: ['DS-1'],
      metrics: [{ metric: 'auc', value: 0.9 }],
      by: ci,
      at: at(6),
    },
    { type: 'EvaluateAcceptanceCriteria', validationId: 'V-1', signOffTaskId: 'task-signoff', at: at(7) },
    { type: 'DecideHumanTask', taskId: 'task-signoff', outcome: 'approved', reasons: [], by: validator, at: at(8) },
    {
      type: 'RequestDeployment',
      requestId: 'D-1',
      modelVersion: '1.0.0',
      artifactDigest: DIGEST,
      environment: 'production',
      commit: 'abc1234',
      approvalTaskId: 'task-deploy',
      by: ci,
      at: at(9),
    },
    { type: 'DecideHumanTask', taskId: 'task-deploy', outcome: 'approved', reasons: [], by: approver2, at: at(10) },
    { type: 'RecordDeploymentCompleted', requestId: 'D-1', by: ci, at: at(11) },
  ] as AiSystemCommand[];
}

function eventsOf(systemId: string) {
  let state: AiSystemState = INITIAL_AI_SYSTEM_STATE;
  const out = [];
  for (const c of lifecycle(systemId)) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(`${systemId} ${c.type}: ${r.error.code} ${r.error.message}`);
    for (const e of r.value) out.push({ id: randomUUID(), type: e.type, data: eventData(e) });
    state = r.value.reduce(evolve, state);
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-soa-'));
  const url = `sqlite:${path.join(dir, 'evidence.db')}`;
  const store = await openEventStore(url);
  const readModels = await openReadModelStore(url);
  try {
    log(`recording ${SYSTEMS} lifecycles`);
    for (let i = 0; i < SYSTEMS; i += 1) {
      const systemId = `system-${String(i).padStart(4, '0')}`;
      await store.append(aiSystemStreamName(systemId), eventsOf(systemId));
    }
    const lease = await readModels.tryLead('bench-soa');
    if (lease === null) throw new Error('no projector lease');
    let checkpoint = await lease.prepare();
    let batch = [];
    for await (const e of store.readAll({ fromPosition: checkpoint + 1 })) {
      batch.push(e);
      if (batch.length === 500) {
        checkpoint = (await lease.applyBatch(checkpoint, batch)).checkpoint;
        batch = [];
      }
    }
    if (batch.length > 0) checkpoint = (await lease.applyBatch(checkpoint, batch)).checkpoint;
    await lease.release();
    log(`projected up to position ${checkpoint}`);

    const plainRead = async (): Promise<number> => {
      let n = 0;
      for await (const p of readModels.scan(AI_SYSTEM_INVENTORY)) if (p.row.systemId !== '') n += 1;
      return n;
    };
    const soaStatus = async (): Promise<number> => {
      const judge = controlJudge(at(60));
      for await (const p of readModels.scan(AI_SYSTEM_INVENTORY)) judge.add(p.state as AiSystemRecord);
      const verdicts = judge.verdicts();
      if (verdicts.some((v) => v.status !== 'operates' || v.checked !== SYSTEMS)) throw new Error('bug: every system was run by the book');
      return verdicts.length;
    };
    const times = { read: [] as number[], soa: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? (['read', 'soa'] as const) : (['soa', 'read'] as const);
      for (const which of order) {
        const t = performance.now();
        await (which === 'read' ? plainRead() : soaStatus());
        times[which].push(performance.now() - t);
      }
    }
    const line = (xs: number[]): string => `${fmt(median(xs))} ms (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})`;
    const section = [
      '## SoA status from evidence (`npm run bench:soa`)',
      '',
      `Machine: ${machineDescription()}. ${SYSTEMS} AI systems in production, each with its full lifecycle evidence, projected into the \`ai_systems\` read model (SQLite); ${ROUNDS} rounds, alternating which runs first.`,
      '',
      '| what | median (min, max) |',
      '| --- | --- |',
      `| plain read of the projection (every row with its fold state) | ${line(times.read)} |`,
      `| the same read plus every control rule (A.5.2, A.6.2.4, A.6.2.5, A.6.2.6, A.7.4) | ${line(times.soa)} |`,
      `| ratio (SoA status / plain read, medians) | ${ratio(median(times.soa), median(times.read))} |`,
      '',
    ].join('\n');
    process.stdout.write(`${section}\n`);
    if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## SoA status from evidence', section);
  } finally {
    await readModels.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
