/**
 * `aims evidence anchor` on a real SQLite store and a real local HTTP receiver: the latest checkpoint with
 * its cosignatures goes to a file or a URL, and the anchoring is recorded as evidence; a refused delivery
 * records nothing.
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import { UsageError } from '../../../apps/cli/src/usage-error';
import { cosign, generateWitnessKey, parseWitnessKey } from '../../../infra/event-store/cosignature';
import { signCheckpoint } from '../../../infra/event-store/evidence-checkpoints';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { generateSignerKey, parseSignerKey } from '../../../infra/event-store/signed-note';
import { addWitnessCosignature, noteBody } from '../../../infra/event-store/witness-cosignatures';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';

const ORIGIN = 'example.test/aims';

describe('aims evidence anchor', () => {
  let dir: string;
  let url: string;
  let store: EventStore;
  let server: Server;
  let received: Array<{ type: string | undefined; body: string }>;
  let status: number;
  let expectedNote: string;
  const saved = { ...process.env };
  const witness = generateWitnessKey('witness.example/w1');

  const anchor = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: EvidenceIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: false };
    const code = await evidenceCommand(['anchor', ...args, '--store', url], io);
    return { code, out: out.join(''), err: err.join('') };
  };
  const anchors = async (): Promise<RecordedEvidenceEvent[]> => {
    const events: RecordedEvidenceEvent[] = [];
    for await (const e of store.readStream('evidence-log-anchors')) events.push(e);
    return events;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-anchor-cli-'));
    url = `sqlite:${path.join(dir, 'evidence.db')}`;
    process.env.AIMS_LOG_ORIGIN = ORIGIN;
    process.env.AIMS_WITNESS_KEYS = witness.verifierKey;
    store = await openEventStore(url);
    for (let i = 0; i < 5; i++)
      await store.append('ai-system-1', [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'AiSystemChanged', data: { i } }]);
    const checkpoint = await signCheckpoint(store, ORIGIN, parseSignerKey(generateSignerKey('example.test/aims').signerKey));
    const line = cosign(noteBody(checkpoint.note), witness.signerKey, Math.floor(Date.now() / 1000));
    await addWitnessCosignature(store, [parseWitnessKey(witness.verifierKey)], 5, line);
    expectedNote = `${checkpoint.note}${line}\n`;
    received = [];
    status = 200;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given a URL, then the note with its cosignatures is POSTed as text/plain and the anchoring recorded', async () => {
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/anchors?token=secret`;
    const { code, out } = await anchor('--to', target);
    expect(code).toBe(0);
    expect(out).toMatch(/anchored checkpoint example\.test\/aims size 5 \(cosigned by witness\.example\/w1\)/);
    expect(received).toEqual([{ type: 'text/plain; charset=utf-8', body: expectedNote }]);
    const [event] = await anchors();
    expect(event).toMatchObject({
      type: 'EvidenceCheckpointAnchored',
      data: {
        kind: 'url',
        to: `http://127.0.0.1:${(server.address() as AddressInfo).port}/anchors`,
        httpStatus: 200,
        treeSize: 5,
        cosignedBy: ['witness.example/w1'],
      },
      metadata: { source: 'aims evidence anchor' },
    });
  });

  it('given a file, then written once (never overwritten) and recorded', async () => {
    const file = path.join(dir, 'anchor.note');
    expect((await anchor('--to', file, '--json')).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(expectedNote);
    await expect(anchor('--to', file)).rejects.toThrow(UsageError);
    expect(await anchors()).toHaveLength(1);
  });

  it('given a receiver that refuses, then exit 1 and nothing recorded', async () => {
    status = 503;
    const { code, err } = await anchor('--to', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(code).toBe(1);
    expect(err).toMatch(/answered 503/);
    expect(await anchors()).toEqual([]);
  });
});
