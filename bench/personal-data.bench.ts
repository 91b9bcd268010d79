/**
 * Crypto-shredding's cost (docs/personal-data.md): appends and reads of events with personal fields
 * through the sealing store, against the same store opened without the personal-data key, same run,
 * alternating rounds, fresh SQLite files each round, one writer. Each event has an actor, two people
 * in `data` (five subjects in rotation) and ordinary fields. Prints figures; no assertion.
 *   node -r ./test/integration/event-store/ts-register.cjs bench/personal-data.bench.ts [events] [rounds]
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEventStore } from '../infra/event-store/open-event-store';
import { generateKekText } from '../infra/personal-data/subject-cipher';
import type { EventStore, NewEvidenceEvent } from '../infra/ports/event-store.port';
import { alternatingRounds, formatSpread, spread } from './rounds';

const EVENTS = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'];

function event(i: number): NewEvidenceEvent {
  const who = (k: number): string => PEOPLE[(i + k) % PEOPLE.length];
  return {
    id: randomUUID(),
    type: 'ImpactAssessmentApproved',
    data: { systemId: `sys-${i % 50}`, requestedBy: who(1), approvedBy: who(2), riskLevel: 'high', notes: 'reviewed against the criteria' },
    metadata: { actor: { id: who(2), role: 'reviewer' }, workflowId: `ai-system-lifecycle-${i % 50}` },
  };
}

async function appendAll(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) await store.append(`ai-system-${i % 50}`, [event(i)]);
  return EVENTS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function readAll(store: EventStore): Promise<number> {
  const started = process.hrtime.bigint();
  let n = 0;
  for await (const e of store.readAll()) if (e.position > 0) n++;
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const key = generateKekText();
  const dirs: string[] = [];
  const fresh = async (): Promise<{ sealedUrl: string; plainUrl: string; drop(): Promise<void> }> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-shred-'));
    dirs.push(dir);
    return {
      sealedUrl: `sqlite:${path.join(dir, 'sealed.db')}`,
      plainUrl: `sqlite:${path.join(dir, 'plain.db')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  };
  const reads: { sealed: number[]; plain: number[] } = { sealed: [], plain: [] };
  const appends = await alternatingRounds(
    ROUNDS,
    fresh,
    async (s) => {
      const store = await openEventStore(s.sealedUrl, { personalData: { key } });
      try {
        const rate = await appendAll(store);
        reads.sealed.push(await readAll(store));
        return rate;
      } finally {
        await store.close();
      }
    },
    async (s) => {
      const store = await openEventStore(s.plainUrl);
      try {
        const rate = await appendAll(store);
        reads.plain.push(await readAll(store));
        return rate;
      } finally {
        await store.close();
      }
    },
  );
  const f = (n: number): string => n.toFixed(0);
  const r = (n: number): string => n.toFixed(2);
  console.log(`date ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`);
  console.log(`${EVENTS} events × ${ROUNDS} rounds, SQLite, 1 writer, one event per append`);
  console.log(
    `appends/s sealed ${formatSpread(spread(appends.engine), f)}, clear ${formatSpread(spread(appends.baseline), f)}, ratio ${formatSpread(spread(appends.ratios), r)}`,
  );
  const readRatios = reads.sealed.map((x, i) => x / reads.plain[i]);
  console.log(
    `reads/s opened ${formatSpread(spread(reads.sealed), f)}, stored ${formatSpread(spread(reads.plain), f)}, ratio ${formatSpread(spread(readRatios), r)}`,
  );
}

void main();
