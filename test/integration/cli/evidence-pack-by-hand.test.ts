/**
 * docs/evidence-pack.md says an auditor can check a pack with standard tools. This runs the page's own
 * shell blocks (marked `<!-- shell:NAME -->`) on a real pack: the manifest digests with jq and sha256sum,
 * the checkpoint's signature with OpenSSL, and the worked example's proof with sha256sum and xxd; and
 * shows that each fails on a changed input. Skipped only when one of those tools is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckpointConfig } from '../../../infra/config/config';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { generateSignerKey } from '../../../infra/event-store/signed-note';
import { writeEvidencePack } from '../../../infra/evidence-pack/pack-writer';

const DOC = fs.readFileSync(path.resolve(__dirname, '../../../docs/evidence-pack.md'), 'utf8');
const TOOLS = ['bash', 'tar', 'jq', 'sha256sum', 'openssl', 'xxd', 'base64'];
const HAVE_TOOLS = TOOLS.every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0);

/** The shell block after `<!-- shell:NAME -->`, unindented, comments after `#  ` dropped. */
function shell(name: string): string {
  const match = new RegExp(`<!-- shell:${name} -->\\n(?:\\n)?( *)\`\`\`\\n([\\s\\S]*?)\\n *\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/evidence-pack.md has no shell block ${name}`);
  return match[2]
    .split('\n')
    .map((line) => line.slice(match[1].length).replace(/ {2,}# .*$/, ''))
    .join('\n');
}

function example(name: string): string {
  const match = new RegExp(`<!-- example:${name} -->\\n\`\`\`(?:json|text)\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`no example ${name}`);
  return match[1];
}

const run = (script: string, cwd: string, env: Record<string, string> = {}): { status: number | null; out: string } => {
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
};

(HAVE_TOOLS ? describe : describe.skip)('docs/evidence-pack.md, by hand with standard tools', () => {
  let dir: string;
  let x: string;
  const key = generateSignerKey('example.test/aims');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-pack-by-hand-'));
    const store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
    for (let i = 0; i < 5; i++) {
      await store.append('ai-system-42', [
        { id: randomUUID(), type: 'MonitoringReportRecorded', data: { i, note: 'naïve ✓' }, metadata: {} },
      ]);
    }
    const config: CheckpointConfig = {
      origin: 'example.test/aims',
      signerKey: { text: key.signerKey },
      verifierKeys: [],
      everyEvents: 1000,
      everyMs: 300_000,
    };
    await writeEvidencePack(store, config, {
      asOf: { position: 5 },
      requested: '5',
      systems: ['42'],
      streams: [],
      out: path.join(dir, 'pack.tar.gz'),
      gzip: true,
    });
    await store.close();
    x = path.join(dir, 'x');
    fs.mkdirSync(x);
    execFileSync('tar', ['-xzf', path.join(dir, 'pack.tar.gz'), '-C', x]);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('checks the manifest digests with jq and sha256sum, and catches a changed member', () => {
    const ok = run(shell('digests'), x);
    expect(ok).toMatchObject({ status: 0 });
    expect(ok.out).toMatch(/^events\.jsonl: OK$/m);
    fs.appendFileSync(path.join(x, 'index.md'), 'x');
    const bad = run(shell('digests'), x);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toMatch(/^index\.md: FAILED$/m);
  });

  it("checks the checkpoint's signature with OpenSSL, and refuses another key", () => {
    const ok = run(shell('signature'), x, { KEY: key.verifierKey });
    expect(ok).toMatchObject({ status: 0 });
    expect(ok.out).toMatch(/Signature Verified Successfully/);
    const other = run(shell('signature'), x, { KEY: generateSignerKey('example.test/aims').verifierKey });
    expect(other.status).not.toBe(0);
  });

  it("recomputes the worked example's root from event 3's line and its one-hash proof", () => {
    const line = example('event-3-line');
    expect(line).not.toContain("'");
    const script = shell('proof').replace("'<the line of event 3 above>'", `'${line}'`);
    const { status, out } = run(script, dir);
    expect(status).toBe(0);
    const [computed, signed] = out.trim().split('\n');
    expect(computed).toBe(Buffer.from(example('root'), 'base64').toString('hex'));
    expect(signed).toBe(computed);
    const changed = run(shell('proof').replace("'<the line of event 3 above>'", `'${line.replace('carla', 'carlo')}'`), dir);
    expect(changed.out.trim().split('\n')[0]).not.toBe(computed);
  });
});
