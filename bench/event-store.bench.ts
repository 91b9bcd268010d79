/**
 * `npm run bench:event-store`: the evidence store's throughput on both adapters, beside raw baselines
 * measured in the same run (plain INSERTs of the same payloads without chain or checks; raw SHA-256 over
 * the same bytes that verify hashes) and beside Emmett's event stores as a peer (bench/peers/emmett.ts),
 * and verify's peak memory at two store sizes.
 *
 * Writers run each in a process of its own (better-sqlite3 is synchronous, so "8 concurrent writers" means
 * 8 processes, as 8 workers would be) or all in one process sharing its store. Results go to stdout as a
 * Markdown section and, with --write, into docs/benchmarks.md.
 *
 * Sizes come from the environment so a quick run is possible: BENCH_APPEND_EVENTS (per scenario, default
 * 20000), BENCH_APPEND_ROUNDS (default 3), BENCH_VERIFY_EVENTS (default 1000000), BENCH_SMALL_EVENTS (default
 * 10000); BENCH_ADAPTERS (default "sqlite,postgres") runs only some adapters, and BENCH_PEERS=none leaves
 * Emmett out (no install of bench/peers), for a quick look without --write; BENCH_SHARED (bench-report.ts).
 */
import { fmt, log, machineDescription, machineLoad, ratio, writeSection } from './bench-report';
import { AppendRow, SCENARIOS, scenarioName, targetsSummary, two } from './event-store-bench-report';
import {
  ADAPTERS,
  APPEND_EVENTS,
  APPEND_ROUNDS,
  appendScenario,
  child,
  durabilitySettings,
  eventsPerScenario,
  fill,
  freshStore,
  HUGE_EVENTS,
  memorySection,
  Mode,
  PEERS,
  rawCount,
  rawSha256Rate,
  readAllRate,
  SMALL_EVENTS,
  Store,
  VERIFY_EVENTS,
  verifyRound,
} from './event-store-bench-support';
import { emmettCount, ensurePeersInstalled, peerVersions } from './peers/emmett';
import { formatSpread, rotatingRounds, spread } from './rounds';

async function main(): Promise<void> {
  const lines: string[] = [];
  const appendRows: AppendRow[] = [];
  if (PEERS) ensurePeersInstalled(log);
  let sqliteVerify: { events: number; ms: number } | undefined;
  let memory: Awaited<ReturnType<typeof memorySection>> | undefined;
  const started = new Date();
  lines.push(`## Event store (\`npm run bench:event-store\`)`);
  lines.push('');
  lines.push(`- Date: ${started.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; ${machineLoad()}`);
  const settings = [
    'BENCH_APPEND_EVENTS',
    'BENCH_APPEND_ROUNDS',
    'BENCH_VERIFY_EVENTS',
    'BENCH_SMALL_EVENTS',
    'BENCH_HUGE_EVENTS',
    'BENCH_ADAPTERS',
    'BENCH_PEERS',
  ]
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name] as string} `)
    .join('');
  lines.push(`- Command: \`${settings}npm run bench:event-store\``);
  lines.push(
    `- Sizes: ${fmt(APPEND_EVENTS)} events per append scenario and round; verify over ${fmt(VERIFY_EVENTS)} events (SQLite) and ${fmt(Math.min(VERIFY_EVENTS, 200_000))} (PostgreSQL); memory at ${[SMALL_EVENTS, VERIFY_EVENTS, ...(HUGE_EVENTS > VERIFY_EVENTS ? [HUGE_EVENTS] : [])].map(fmt).join(', ')} events`,
  );
  lines.push(
    `- Writers: each in a process of its own (as separate workers would be), or all 8 in one process sharing that process's store (one evidence store instance, whose concurrent appends are committed together; one Emmett PostgreSQL event store and its pool; one connection per writer where a connection runs one transaction at a time: raw PostgreSQL, Emmett SQLite). Each writer appends to 4 streams of its own. Rounds rotate which side runs first (${APPEND_ROUNDS} rounds, fresh databases each round).`,
  );
  lines.push(
    `- Checked after every round: the evidence store holds exactly the events appended and its chain verifies intact; the raw table${PEERS ? " and Emmett's messages table" : ''} hold exactly the events appended. Else the run fails.`,
  );
  if (PEERS) {
    const versions = peerVersions();
    lines.push(
      `- Peer: Emmett (${Object.entries(versions)
        .map(([n, v]) => `\`${n}\` ${v}`)
        .join(
          ', ',
        )}; bench/peers/package-lock.json), appending the same events (type, data, metadata) to the same stream names: PostgreSQL through \`getPostgreSQLEventStore(url).appendToStream\`, SQLite through the package's \`appendToStream\` on one long-lived connection per writer (bench/peers/emmett.ts says why). Its tables live in the same database (PostgreSQL) or in a file beside ours in the same directory (SQLite).`,
    );
  }
  lines.push('');

  for (const adapter of ['sqlite', 'postgres'] as const) {
    if (!ADAPTERS.includes(adapter)) continue;
    lines.push(`### ${adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
    lines.push('');
    lines.push(`- Durability in force: ${await durabilitySettings(adapter)}`);
    lines.push('');
    const peerHeader = PEERS ? ' Emmett, events/s |' : '';
    lines.push(
      `| scenario (${APPEND_ROUNDS} rounds; median (min–max)) | evidence store, events/s | raw INSERT, events/s |${peerHeader} evidence ÷ raw, per round |${PEERS ? ' evidence ÷ Emmett, per round |' : ''}`,
    );
    lines.push(`|---|---:|---:|${PEERS ? '---:|' : ''}---:|${PEERS ? '---:|' : ''}`);
    for (const { writers, batch, placement } of SCENARIOS) {
      // Rounds rotate which side goes first, each round on a fresh store, so a passing disturbance on this
      // shared machine hits every side and none always runs on the warmer database.
      const label = `${adapter}: ${writers} writer(s) ${placement === 'processes' ? 'in separate processes' : 'in one process'}, batches of ${batch}`;
      const expected = eventsPerScenario(writers, batch);
      const side =
        (mode: Mode, check: (url: string) => Promise<void>) =>
        async (store: Store, round: number): Promise<number> => {
          log(`${label}, round ${round}/${APPEND_ROUNDS}: ${mode}…`);
          const rate = await appendScenario(store, mode, writers, batch, placement);
          await check(store.url);
          return rate;
        };
      const sides = {
        evidence: side('evidence', (url) => verifyRound(url, expected)),
        raw: side('raw', (url) => rawCount(adapter, url, expected)),
        ...(PEERS
          ? {
              emmett: side('emmett', async (url) => {
                const n = await emmettCount(adapter, url);
                if (n !== expected) throw new Error(`Emmett after a round: ${n} events (expected ${expected})`);
              }),
            }
          : {}),
      };
      const runs = await rotatingRounds<Store, string>(
        APPEND_ROUNDS,
        (round) => freshStore(adapter, `a${writers}b${batch}${placement === 'processes' ? 'p' : 'i'}r${round}`),
        sides,
      );
      const row: AppendRow = {
        adapter,
        writers,
        batch,
        placement,
        evidence: spread(runs.evidence),
        raw: spread(runs.raw),
        vsRaw: spread(runs.evidence.map((e, i) => e / runs.raw[i])),
        ...(PEERS ? { emmett: spread(runs.emmett), vsEmmett: spread(runs.evidence.map((e, i) => e / runs.emmett[i])) } : {}),
      };
      appendRows.push(row);
      lines.push(
        `| ${scenarioName(row)} | ${formatSpread(row.evidence, fmt)} | ${formatSpread(row.raw, fmt)} |${row.emmett ? ` ${formatSpread(row.emmett, fmt)} |` : ''} ${formatSpread(row.vsRaw, two)} |${row.vsEmmett ? ` ${formatSpread(row.vsEmmett, two)} |` : ''}`,
      );
    }
    lines.push('');

    const size = adapter === 'sqlite' ? VERIFY_EVENTS : Math.min(VERIFY_EVENTS, 200_000);
    const store = await freshStore(adapter, 'read');
    try {
      log(`${adapter}: filling ${fmt(size)} events for read and verify…`);
      await fill(store.url, size, (n) => log(`${adapter}: filled ${fmt(n)}`));
      const read = await readAllRate(store.url);
      const verify = await child<{ intact: boolean; events: number; ms: number; maxRssMb: number }>({ role: 'verify', url: store.url });
      const sha = await rawSha256Rate(store.url, Math.min(size, 200_000));
      const verifyRate = verify.events / (verify.ms / 1000);
      lines.push(`| over ${fmt(size)} events | events/s | baseline | ratio |`);
      lines.push('|---|---:|---:|---:|');
      lines.push(`| readAll | ${fmt(read.perSecond)} | | |`);
      lines.push(
        `| verify (${verify.intact ? 'intact' : 'NOT INTACT'}; ${(verify.ms / 1000).toFixed(1)} s in all; peak RSS ${verify.maxRssMb.toFixed(0)} MB) | ${fmt(verifyRate)} | raw SHA-256 ${fmt(sha)} | ${ratio(verifyRate, sha)} |`,
      );
      lines.push('');
      if (adapter === 'sqlite') {
        sqliteVerify = { events: verify.events, ms: verify.ms };
        memory = await memorySection(store);
        lines.push(...memory.lines);
      }
    } finally {
      await store.drop();
    }
  }

  lines.push(...targetsSummary(appendRows, sqliteVerify, memory));
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## Event store', section);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
