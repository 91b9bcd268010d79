/**
 * Interoperability of the served C2SP tlog-tiles log with Go's reference client packages
 * (test/interop/tiles: golang.org/x/mod/sumdb/note and sumdb/tlog's TileHashReader, ProveRecord/CheckRecord,
 * ProveTree/CheckTree), over real HTTP against the real API. Skipped only when Go is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { cosign, generateWitnessKey, parseWitnessKey } from '../../infra/event-store/cosignature';
import { signCheckpoint } from '../../infra/event-store/evidence-checkpoints';
import { addWitnessCosignature, noteBody } from '../../infra/event-store/witness-cosignatures';
import { generateSignerKey, parseSignerKey } from '../../infra/event-store/signed-note';
import { startApiHarness, type ApiHarness } from './support/api-harness';

const GO = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
const INTEROP = path.join(__dirname, '../interop/tiles');
const ORIGIN = 'example.test/aims-evidence';

if (!GO) console.warn('tlog-interop: skipped because `go` is not installed');
(GO ? describe : describe.skip)('the tlog-tiles log read by Go’s sumdb/tlog', () => {
  let api: ApiHarness;
  let prefix: string;
  const key = generateSignerKey('aims-interop-log');
  const witness = generateWitnessKey('witness.example/w1');

  beforeAll(async () => {
    api = await startApiHarness({ AIMS_LOG_ORIGIN: ORIGIN, AIMS_WITNESS_KEYS: witness.verifierKey });
    await api.app.listen(0, '127.0.0.1');
    prefix = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    const signer = parseSignerKey(key.signerKey);
    // 613 events: two full level-0 tiles, a partial one of 101, and a partial level-1 tile of 2.
    for (let batch = 0; batch < 13; batch++) {
      const count = batch === 12 ? 13 : 50;
      await api.events.append(
        `ai-system-${batch}`,
        Array.from({ length: count }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(batch * 100 + i).padStart(12, '0')}`,
          type: 'AiSystemChanged',
          data: { batch, i, name: `Crédit ${i} 😀` },
        })),
      );
      if (batch === 5) await signCheckpoint(api.events, ORIGIN, signer);
    }
    const latest = await signCheckpoint(api.events, ORIGIN, signer);
    // A witness's cosignature under the served checkpoint: a signed-note reader keeps it as a signature
    // by a key it does not know, and still opens the note.
    const line = cosign(noteBody(latest.note), witness.signerKey, Math.floor(Date.now() / 1000));
    await addWitnessCosignature(api.events, [parseWitnessKey(witness.verifierKey)], latest.treeSize, line);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(path.join(os.tmpdir(), `aims-tiles-interop-${process.pid}`), { force: true });
  });

  it('then Go verifies the checkpoint, loads and checks every tile, proves every entry and the older checkpoint', async () => {
    const binary = path.join(os.tmpdir(), `aims-tiles-interop-${process.pid}`);
    await promisify(execFile)('go', ['build', '-o', binary, '.'], { cwd: INTEROP });
    const { stdout } = await promisify(execFile)(binary, [
      `${prefix}/v1/evidence/tlog`,
      api.tokens.auditor,
      key.verifierKey,
      `${prefix}/v1/evidence/checkpoints/300`,
    ]);
    const result = JSON.parse(stdout) as { ok: boolean; size: number; oldSize: number; recordsChecked: number; tilesRead: string[] };
    expect(result).toMatchObject({ ok: true, size: 613, oldSize: 300, recordsChecked: 613, otherSigs: ['witness.example/w1'] });
    expect(result.tilesRead).toEqual(expect.arrayContaining(['tile/0/000', 'tile/0/002.p/101', 'tile/1/000.p/2']));
  });

  it('then a checkpoint signed by another key is refused by Go', async () => {
    const binary = path.join(os.tmpdir(), `aims-tiles-interop-${process.pid}`);
    const stranger = generateSignerKey('aims-interop-log').verifierKey;
    const run = promisify(execFile)(binary, [
      `${prefix}/v1/evidence/tlog`,
      api.tokens.auditor,
      stranger,
      `${prefix}/v1/evidence/checkpoints/300`,
    ]);
    await expect(run).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/"ok":false,"error":"checkpoint: /) });
  });
});
