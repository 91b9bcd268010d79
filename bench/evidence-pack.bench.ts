/**
 * Evidence packs: the cost of packing one AI system out of stores of growing size (it should follow the
 * system's history, not the store), of verifying that pack, and of a whole-store pack and its
 * verification with peak memory. SQLite only (the pack reads through the port; PostgreSQL differs only in
 * round trips). Sizes from the environment: BENCH_PACK_SIZES (store sizes, default "20000,200000"),
 * BENCH_PACK_SYSTEM_EVENTS (the packed system's events, default 200).
 *
 *   npm run build && node dist/bench/evidence-pack.bench.js
 *   (or, from the sources: node -r ./test/integration/event-store/ts-register.cjs bench/evidence-pack.bench.ts)
 *
 * Memory is the process's peak RSS (getrusage maxrss), measured in a child process per step so that one
 * step's peak does not hide another's.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand } from '../apps/cli/src/commands/evidence.command';
import { generateSignerKey } from '../infra/event-store/signed-note';
import { openEventStore } from '../infra/event-store/open-event-store';
import type { NewEvidenceEvent } from '../infra/ports/event-store.port';

interface Step {
  args: string[];
}

const quiet = { stdout: () => undefined, stderr: () => undefined, progress: false };

async function child(step: Step): Promise<void> {
  const started = process.hrtime.bigint();
  const code = await evidenceCommand(step.args, quiet);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.send?.({ code, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 });
}

function runStep(step: Step): Promise<{ code: number; ms: number; peakRssMiB: number }> {
  return new Promise((resolve, reject) => {
    const execArgv = __filename.endsWith('.ts') ? ['-r', path.join(__dirname, '../test/integration/event-store/ts-register.cjs')] : [];
    const p = fork(__filename, ['--child', JSON.stringify(step)], { execArgv, env: process.env });
    p.once('message', (m) => resolve(m as { code: number; ms: number; peakRssMiB: number }));
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`step exited ${code}`))));
  });
}

const event = (type: string, data: Record<string, unknown>): NewEvidenceEvent => ({
  id: randomUUID(),
  type,
  data: data as never,
  metadata: { actor: { id: 'bench', role: 'ai-system-owner' } },
});

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_PACK_SIZES ?? '20000,200000').split(',').map(Number);
  const systemEvents = Number(process.env.BENCH_PACK_SYSTEM_EVENTS ?? 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-pack-bench-'));
  const key = generateSignerKey('bench.example/aims');
  fs.writeFileSync(path.join(dir, 'signer.key'), key.signerKey, { mode: 0o600 });
  process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'signer.key');
  process.env.AIMS_LOG_ORIGIN = 'bench.example/aims';
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      const url = `sqlite:${path.join(dir, `store-${size}.db`)}`;
      const store = await openEventStore(url);
      const noisePerSystemEvent = Math.floor((size - systemEvents) / systemEvents);
      let written = 0;
      for (let i = 0; i < systemEvents; i++) {
        // Other systems' evidence in batches, then one event of the packed system: spread over the whole log.
        for (let left = noisePerSystemEvent; left > 0;) {
          const n = Math.min(500, left);
          await store.append(
            `ai-system-other${(i % 50) + 1}`,
            Array.from({ length: n }, (_, j) => event('MonitoringReportRecorded', { window: j })),
          );
          left -= n;
          written += n;
        }
        await store.append('ai-system-42', [event('MonitoringReportRecorded', { window: i, artifactDigest: `sha256:${'a'.repeat(64)}` })]);
        written++;
      }
      await store.close();
      expectCode(await evidenceCommand(['checkpoint', '--store', url], quiet));
      const out = path.join(dir, `system-${size}.tar`);
      const packed = await runStep({ args: ['pack', '--store', url, '--as-of', String(written), '--system', '42', '--out', out] });
      const verified = await runStep({ args: ['verify-pack', out, '--key', key.verifierKey] });
      rows.push(
        `| ${written} | one system (${systemEvents} events) | ${fmt(packed.ms)} ms | ${fmt(packed.peakRssMiB)} MiB | ${fmt(verified.ms)} ms | ${fmt(verified.peakRssMiB)} MiB | ${fmt(fs.statSync(out).size / 1024)} KiB |`,
      );
      expectCode(packed.code, verified.code);
      if (size === sizes[sizes.length - 1]) {
        const all = path.join(dir, `all-${size}.tar.gz`);
        const packedAll = await runStep({ args: ['pack', '--store', url, '--as-of', String(written), '--out', all] });
        const verifiedAll = await runStep({ args: ['verify-pack', all, '--key', key.verifierKey] });
        expectCode(packedAll.code, verifiedAll.code);
        rows.push(
          `| ${written} | every event (gzip) | ${fmt(packedAll.ms)} ms | ${fmt(packedAll.peakRssMiB)} MiB | ${fmt(verifiedAll.ms)} ms | ${fmt(verifiedAll.peakRssMiB)} MiB | ${fmt(fs.statSync(all).size / 1024)} KiB |`,
        );
      }
      fs.rmSync(path.join(dir, `store-${size}.db`), { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `| store events | pack of | pack time | pack peak RSS | verify-pack time | verify-pack peak RSS | pack size |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}

function expectCode(...codes: number[]): void {
  if (codes.some((c) => c !== 0)) throw new Error(`a step failed: exit codes ${codes.join(', ')}`);
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3]) as Step).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(2);
    },
  );
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
