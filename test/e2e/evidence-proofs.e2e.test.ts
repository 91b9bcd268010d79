/**
 * Checkpoints, proofs and the C2SP tlog-tiles resources over HTTP (docs/evidence-format.md §9–10): who may
 * read them, what they answer, and that what they answer verifies on its own (RFC 6962, written out again
 * here from the returned bytes, not through the store).
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { canonicalize } from '../../domain/evidence/canonical-json';
import { verifyConsistency, verifyInclusion } from '../../domain/evidence/merkle';
import { signCheckpoint } from '../../infra/event-store/evidence-checkpoints';
import { RFC6962_SHA256 } from '../../infra/event-store/rfc6962-hasher';
import { generateSignerKey, openNote, parseCheckpoint, parseSignerKey, parseVerifierKey } from '../../infra/event-store/signed-note';
import type { RecordedEvidenceEvent } from '../../infra/ports/event-store.port';
import { startApiHarness, type ApiHarness } from './support/api-harness';

const ORIGIN = 'example.test/aims-evidence';
const key = generateSignerKey('aims-e2e-log');
const signer = parseSignerKey(key.signerKey);
const verifier = parseVerifierKey(key.verifierKey);
const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

function expectProblem(response: request.Response, status: number, code?: string): void {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  if (code) expect(response.body).toMatchObject({ code });
}

/** Binary bodies as Buffers (supertest parses only text and JSON by default). */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function appendEvents(api: ApiHarness, count: number, from: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await api.events.append(`ai-system-${(from + i) % 7}`, [
      {
        id: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`,
        type: 'AiSystemChanged',
        data: { step: from + i, name: 'é😀' },
      },
    ]);
  }
}

describe('evidence checkpoints, proofs and tlog tiles over HTTP', () => {
  let api: ApiHarness;
  let server: Server;
  let events: RecordedEvidenceEvent[];
  const get = (path: string, role: 'auditor' | 'engineer' | 'admin' | null = 'auditor'): request.Test => {
    const call = request(server).get(path);
    return role ? call.set('Authorization', `Bearer ${api.tokens[role]}`) : call;
  };

  beforeAll(async () => {
    api = await startApiHarness({ AIMS_LOG_ORIGIN: ORIGIN });
    server = api.server as Server;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('given no checkpoint yet, then the latest is 404 problem+json', async () => {
    expectProblem(await get('/v1/evidence/checkpoint'), 404, 'CHECKPOINT_NOT_FOUND');
    expectProblem(await get('/v1/evidence/tlog/checkpoint'), 404, 'CHECKPOINT_NOT_FOUND');
  });

  describe('given 300 events and checkpoints at 10 and 300', () => {
    beforeAll(async () => {
      await appendEvents(api, 10, 0);
      await signCheckpoint(api.events, ORIGIN, signer);
      await appendEvents(api, 290, 10);
      await signCheckpoint(api.events, ORIGIN, signer);
      events = [];
      for await (const e of api.events.readAll()) events.push(e);
    });

    it('when the latest checkpoint is read, then the signed note as text/plain, and as JSON on request', async () => {
      const note = await get('/v1/evidence/checkpoint').expect(200);
      expect(note.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(note.headers['cache-control']).toMatch(/max-age=5/);
      const opened = openNote(note.text, [verifier]);
      expect(parseCheckpoint(opened.text)).toMatchObject({ origin: ORIGIN, size: 300 });
      const json = await get('/v1/evidence/checkpoint?format=json').expect(200);
      expect(json.body).toMatchObject({ origin: ORIGIN, treeSize: 300, keyName: 'aims-e2e-log', note: note.text });
      expectProblem(await get('/v1/evidence/checkpoint?format=xml'), 400, 'VALIDATION_FAILED');
    });

    it('when past checkpoints are read, then by size, listed newest first in pages; an unknown size is 404', async () => {
      const ten = await get('/v1/evidence/checkpoints/10').expect(200);
      expect(parseCheckpoint(openNote(ten.text, [verifier]).text).size).toBe(10);
      expect(ten.headers['cache-control']).toMatch(/max-age=5/); // cosignatures may still be added
      expectProblem(await get('/v1/evidence/checkpoints/11'), 404, 'CHECKPOINT_NOT_FOUND');
      expectProblem(await get('/v1/evidence/checkpoints/-1'), 400, 'VALIDATION_FAILED');
      const first = await get('/v1/evidence/checkpoints?limit=1').expect(200);
      expect(first.body.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([300]);
      const second = await get(`/v1/evidence/checkpoints?limit=1&cursor=${first.body.nextCursor as string}`).expect(200);
      expect(second.body).toMatchObject({ items: [{ treeSize: 10 }], nextCursor: null });
      expectProblem(await get('/v1/evidence/checkpoints?cursor=abc'), 400, 'VALIDATION_FAILED');
    });

    it('when an inclusion proof is asked by event id, then it verifies against the latest checkpoint’s root', async () => {
      const target = events[122];
      const res = await get(`/v1/evidence/proofs/inclusion?eventId=${target.id}`).expect(200);
      expect(res.body).toMatchObject({ eventId: target.id, position: 123, leafIndex: 122, treeSize: 300, encoding: 'base64' });
      const root = parseCheckpoint(openNote(res.body.checkpoint as string, [verifier]).text).rootHash;
      const leaf = sha(Buffer.from([0]), Buffer.from(canonicalize(target), 'utf8'));
      expect(Buffer.from(res.body.leafHash as string, 'base64')).toEqual(leaf);
      const path = (res.body.auditPath as string[]).map((h) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(RFC6962_SHA256, 122, 300, leaf, path, root)).toBe(true);
    });

    it('when asked by position in a past tree size, in hex, then it verifies against that checkpoint', async () => {
      const res = await get('/v1/evidence/proofs/inclusion?position=7&treeSize=10&encoding=hex').expect(200);
      const root = parseCheckpoint(openNote(res.body.checkpoint as string, [verifier]).text).rootHash;
      expect(res.body.rootHash).toBe(root.toString('hex'));
      const path = (res.body.auditPath as string[]).map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(RFC6962_SHA256, 6, 10, Buffer.from(res.body.leafHash as string, 'hex'), path, root)).toBe(true);
      const unsigned = await get('/v1/evidence/proofs/inclusion?position=7&treeSize=12').expect(200);
      expect(unsigned.body).toMatchObject({ treeSize: 12, checkpoint: null });
    });

    it.each([
      ['', 400, 'VALIDATION_FAILED'],
      ['?eventId=x&position=1', 400, 'VALIDATION_FAILED'],
      ['?position=0', 400, 'VALIDATION_FAILED'],
      ['?position=abc', 400, 'VALIDATION_FAILED'],
      ['?position=11&treeSize=10', 400, 'PROOF_RANGE'],
      ['?position=1&treeSize=301', 400, 'PROOF_RANGE'],
      ['?position=301', 404, 'EVENT_NOT_FOUND'],
      ['?eventId=no-such-event', 404, 'EVENT_NOT_FOUND'],
      ['?position=1&encoding=base32', 400, 'VALIDATION_FAILED'],
    ])('when the inclusion query is %s, then %i %s', async (query, status, code) => {
      expectProblem(await get(`/v1/evidence/proofs/inclusion${query}`), status, code);
    });

    it('when a consistency proof is asked, then it links the two checkpoints’ roots; bad sizes are 400', async () => {
      const res = await get('/v1/evidence/proofs/consistency?first=10').expect(200);
      expect(res.body).toMatchObject({ first: 10, second: 300 });
      const r10 = parseCheckpoint(openNote(res.body.firstCheckpoint as string, [verifier]).text).rootHash;
      const r300 = parseCheckpoint(openNote(res.body.secondCheckpoint as string, [verifier]).text).rootHash;
      const proof = (res.body.proof as string[]).map((h) => Buffer.from(h, 'base64'));
      expect(verifyConsistency(RFC6962_SHA256, 10, 300, r10, r300, proof)).toBe(true);
      expectProblem(await get('/v1/evidence/proofs/consistency?first=20&second=10'), 400, 'PROOF_RANGE');
      expectProblem(await get('/v1/evidence/proofs/consistency?first=1&second=301'), 400, 'PROOF_RANGE');
      expectProblem(await get('/v1/evidence/proofs/consistency'), 400, 'VALIDATION_FAILED');
    });

    it('when tiles are read, then the level-0 tiles are the leaf hashes, the bundles the export lines, and they rebuild the root', async () => {
      const full = await get('/v1/evidence/tlog/tile/0/000').buffer(true).parse(binary).expect(200);
      expect(full.headers['content-type']).toBe('application/octet-stream');
      expect(full.headers['cache-control']).toMatch(/immutable/);
      const partial = await get('/v1/evidence/tlog/tile/0/001.p/44').buffer(true).parse(binary).expect(200);
      expect(partial.headers['cache-control']).toMatch(/max-age=5/);
      const top = await get('/v1/evidence/tlog/tile/1/000.p/1').buffer(true).parse(binary).expect(200);
      const leaves = Buffer.concat([full.body as Buffer, partial.body as Buffer]);
      expect(leaves.length).toBe(300 * 32);
      const bundle = (await get('/v1/evidence/tlog/tile/entries/001.p/44').buffer(true).parse(binary).expect(200)).body as Buffer;
      let offset = 0;
      for (let i = 256; i < 300; i++) {
        const length = bundle.readUInt16BE(offset);
        const line = bundle.subarray(offset + 2, offset + 2 + length);
        expect(line.toString('utf8')).toBe(canonicalize(events[i]));
        expect(sha(Buffer.from([0]), line)).toEqual(leaves.subarray(i * 32, (i + 1) * 32));
        offset += 2 + length;
      }
      expect(offset).toBe(bundle.length);
      // The level-1 hash is the root of the first 256 leaves; with the other 44 it makes the checkpoint's root.
      const mth = (hashes: Buffer[]): Buffer => {
        if (hashes.length === 1) return hashes[0];
        let k = 1;
        while (k * 2 < hashes.length) k *= 2;
        return sha(Buffer.from([1]), mth(hashes.slice(0, k)), mth(hashes.slice(k)));
      };
      const leafList = Array.from({ length: 300 }, (_, i) => leaves.subarray(i * 32, (i + 1) * 32));
      expect(top.body).toEqual(mth(leafList.slice(0, 256)));
      const latest = parseCheckpoint(openNote((await get('/v1/evidence/tlog/checkpoint').expect(200)).text, [verifier]).text);
      expect(mth(leafList)).toEqual(latest.rootHash);
    });

    it.each([
      ['/v1/evidence/tlog/tile/0/001', 404, 'TILE_NOT_FOUND'],
      ['/v1/evidence/tlog/tile/0/001.p/45', 404, 'TILE_NOT_FOUND'],
      ['/v1/evidence/tlog/tile/1/000', 404, 'TILE_NOT_FOUND'],
      ['/v1/evidence/tlog/tile/entries/002.p/1', 404, 'TILE_NOT_FOUND'],
      ['/v1/evidence/tlog/tile/0/1', 400, 'TILE_PATH_INVALID'],
      ['/v1/evidence/tlog/tile/00/000', 400, 'TILE_PATH_INVALID'],
      ['/v1/evidence/tlog/tile/0/000.p/256', 400, 'TILE_PATH_INVALID'],
      ['/v1/evidence/tlog/tile/entries/x000/001', 400, 'TILE_PATH_INVALID'],
    ])('when %s is asked, then %i %s', async (path, status, code) => {
      expectProblem(await get(path), status, code);
    });

    it('when a caller without an audit role or token asks, then 403 / 401 (tiles are not public by default)', async () => {
      for (const path of [
        '/v1/evidence/checkpoint',
        '/v1/evidence/proofs/inclusion?position=1',
        '/v1/evidence/tlog/tile/0/000',
        '/v1/evidence/tlog/tile/entries/000',
      ]) {
        expectProblem(await get(path, 'engineer'), 403);
        expectProblem(await get(path, null), 401);
      }
      await get('/v1/evidence/proofs/consistency?first=1', 'admin').expect(200);
    });
  });
});

describe('with AIMS_EVIDENCE_TLOG_PUBLIC=true', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness({ AIMS_LOG_ORIGIN: ORIGIN, AIMS_EVIDENCE_TLOG_PUBLIC: 'true' });
    await appendEvents(api, 3, 0);
    await signCheckpoint(api.events, ORIGIN, signer);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('then the tlog checkpoint and hash tiles need no token, but the entry bundles and the proof API still do', async () => {
    const server = api.server as Server;
    await request(server).get('/v1/evidence/tlog/checkpoint').expect(200);
    await request(server).get('/v1/evidence/tlog/tile/0/000.p/3').expect(200);
    expectProblem(await request(server).get('/v1/evidence/tlog/tile/entries/000.p/3'), 401);
    expectProblem(await request(server).get('/v1/evidence/checkpoint'), 401);
    await request(server).get('/v1/evidence/tlog/tile/entries/000.p/3').set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200);
  });
});
