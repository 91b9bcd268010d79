/**
 * Signed checkpoints (C2SP signed-note + tlog-checkpoint): the formats byte for byte, tampering refused,
 * and interoperability with Go's reference packages golang.org/x/mod/sumdb/note and .../tlog
 * (test/interop/checkpoint, run with `go run`; skipped only when Go is not installed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendLeaves, lookupIn, rootAt, TreeNode } from '../../../domain/evidence/merkle';
import { RFC6962_SHA256 as H } from '../../../infra/event-store/rfc6962-hasher';
import {
  formatCheckpoint,
  generateSignerKey,
  keyHash,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../../infra/event-store/signed-note';

const INTEROP = path.join(__dirname, '../../interop/checkpoint');
const GO = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

describe('signed-note and tlog-checkpoint', () => {
  const key = generateSignerKey('aims.example/log');
  const signer = parseSignerKey(key.signerKey);
  const verifier = parseVerifierKey(key.verifierKey);
  const body = formatCheckpoint({ origin: 'aims.example/log', size: 42, rootHash: Buffer.alloc(32, 7) });

  it('writes keys in the standard forms, the key hash per the spec', () => {
    expect(key.signerKey).toMatch(/^PRIVATE\+KEY\+aims\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const [name, hash, ...rest] = key.verifierKey.split('+');
    const raw = Buffer.from(rest.join('+'), 'base64');
    expect(name).toBe('aims.example/log');
    expect(raw).toHaveLength(33);
    expect(raw[0]).toBe(1);
    expect(parseInt(hash, 16)).toBe(keyHash(name, raw.subarray(1)));
    expect(signer.verifierKey).toBe(key.verifierKey);
  });

  it('signs a checkpoint as text, blank line, "— name base64(hash ‖ sig)", and opens it again', () => {
    expect(body).toBe(`aims.example/log\n42\n${Buffer.alloc(32, 7).toString('base64')}\n`);
    const note = signNote(body, signer);
    const signature = note.slice(body.length);
    expect(signature).toMatch(/^\n\u2014 aims\.example\/log [A-Za-z0-9+/]+=*\n$/);
    const raw = Buffer.from(signature.trim().split(' ')[2], 'base64');
    expect(raw).toHaveLength(4 + 64);
    expect(raw.readUInt32BE(0)).toBe(signer.keyHash);
    expect(openNote(note, [verifier])).toEqual({ text: body, verifiedBy: ['aims.example/log'] });
    expect(parseCheckpoint(body)).toEqual({ origin: 'aims.example/log', size: 42, rootHash: Buffer.alloc(32, 7) });
  });

  it('refuses a changed text, an unknown key, a bad key hash and a malformed checkpoint', () => {
    const note = signNote(body, signer);
    expect(() => openNote(note.replace('\n42\n', '\n43\n'), [verifier])).toThrow(/does not verify/);
    expect(() => openNote(note, [parseVerifierKey(generateSignerKey('other').verifierKey)])).toThrow(/no signature by a known key/);
    expect(() => parseVerifierKey(key.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/hash does not match/);
    expect(() => parseCheckpoint('aims.example/log\n042\nAAAA\n')).toThrow(/not a tlog-checkpoint/);
    expect(() => signNote('two\n\nparagraphs\n', signer)).toThrow(/non-empty lines/);
  });

  if (!GO) console.warn('signed-checkpoint: the Go interop test is skipped because `go` is not installed');
  (GO ? it : it.skip)(
    "verifies with Go's golang.org/x/mod/sumdb/note, and the root equals sumdb/tlog's (test/interop/checkpoint)",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-interop-'));
      const run = (): ReturnType<typeof spawnSync> =>
        spawnSync('go', ['run', '.', key.verifierKey, path.join(dir, 'checkpoint'), path.join(dir, 'export.jsonl')], {
          cwd: INTEROP,
          encoding: 'utf8',
        });
      try {
        // Leaf data one a line, as in an export, with multi-byte UTF-8 in them.
        const lines = Array.from({ length: 37 }, (_, i) => JSON.stringify({ position: i + 1, data: { name: `Crédit ${i} 😀` } }));
        fs.writeFileSync(path.join(dir, 'export.jsonl'), lines.map((l) => `${l}\n`).join(''));
        const stored: TreeNode[] = [];
        lines.forEach((line, i) => stored.push(...appendLeaves(H, lookupIn(stored), i, [H.hashLeaf(Buffer.from(line, 'utf8'))])));
        execFileSync('go', ['build', '-o', path.join(dir, 'interop'), '.'], { cwd: INTEROP });
        for (const size of [1, 8, 37]) {
          const root = Buffer.from(rootAt(H, lookupIn(stored), size)).toString('base64');
          const note = signNote(formatCheckpoint({ origin: 'aims.example/log', size, rootHash: Buffer.from(root, 'base64') }), signer);
          fs.writeFileSync(path.join(dir, 'checkpoint'), note);
          const result = run();
          expect(result.status).toBe(0);
          expect(JSON.parse(String(result.stdout))).toEqual({
            ok: true,
            origin: 'aims.example/log',
            size,
            signer: 'aims.example/log',
            goRoot: root,
            noteRoot: root,
          });
        }
        // Go refuses what it should: the size changed after signing.
        fs.writeFileSync(path.join(dir, 'checkpoint'), fs.readFileSync(path.join(dir, 'checkpoint'), 'utf8').replace('\n37\n', '\n36\n'));
        const refused = run();
        expect(refused.status).toBe(1);
        expect(JSON.parse(String(refused.stdout))).toMatchObject({ ok: false, error: expect.stringMatching(/^note: /) });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
