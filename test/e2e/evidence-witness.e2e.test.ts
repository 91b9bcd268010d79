/**
 * Witness cosignatures over HTTP (docs/evidence-format.md §11): a configured witness's cosignature is
 * verified, stored once and served under the checkpoint; an unknown witness, a forged cosignature and one
 * over another checkpoint are each refused with their reason, and nothing is stored.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { cosign, generateWitnessKey } from '../../infra/event-store/cosignature';
import { signCheckpoint } from '../../infra/event-store/evidence-checkpoints';
import { generateSignerKey, openNote, parseSignerKey, parseVerifierKey } from '../../infra/event-store/signed-note';
import { noteBody } from '../../infra/event-store/witness-cosignatures';
import { startApiHarness, type ApiHarness } from './support/api-harness';

const ORIGIN = 'example.test/aims-evidence';
const logKey = generateSignerKey('aims-e2e-log');
const witness = generateWitnessKey('witness.example/w1');
const now = (): number => Math.floor(Date.now() / 1000);

describe('witness cosignatures of checkpoints', () => {
  let api: ApiHarness;
  let server: Server;
  let note10: string;
  let note20: string;
  const post = (size: number, cosignature: unknown, role: 'admin' | 'aims_owner' | 'auditor' | 'engineer' = 'admin'): request.Test =>
    request(server)
      .post(`/v1/evidence/checkpoints/${size}/cosignatures`)
      .set('Authorization', `Bearer ${api.tokens[role]}`)
      .send({ cosignature });
  const expectProblem = (response: request.Response, status: number, code: string): void => {
    expect({
      status: response.status,
      type: response.headers['content-type'],
      code: (response.body as { code?: string }).code,
    }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
      code,
    });
  };

  beforeAll(async () => {
    api = await startApiHarness({
      AIMS_LOG_ORIGIN: ORIGIN,
      AIMS_WITNESS_KEYS: witness.verifierKey,
      AIMS_CHECKPOINT_VERIFIER_KEYS: logKey.verifierKey,
    });
    server = api.server as Server;
    const signer = parseSignerKey(logKey.signerKey);
    for (let i = 0; i < 20; i++) {
      await api.events.append('ai-system-1', [
        { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'AiSystemChanged', data: { i } },
      ]);
      if (i === 9) note10 = (await signCheckpoint(api.events, ORIGIN, signer)).note;
    }
    note20 = (await signCheckpoint(api.events, ORIGIN, signer)).note;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('given a configured witness’s cosignature, then 201, stored once, and served under the checkpoint (which still opens)', async () => {
    const line = cosign(noteBody(note20), witness.signerKey, now());
    const added = await post(20, line).expect(201);
    expect(added.body).toMatchObject({ treeSize: 20, alreadyStored: false, cosignature: { witness: 'witness.example/w1', line } });
    expect((await post(20, line, 'aims_owner').expect(201)).body).toMatchObject({ alreadyStored: true });
    const served = await request(server).get('/v1/evidence/checkpoint').set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200);
    expect(served.text).toBe(`${note20}${line}\n`);
    expect(openNote(served.text, [parseVerifierKey(logKey.verifierKey)]).verifiedBy).toEqual(['aims-e2e-log']);
    const tlog = await request(server).get('/v1/evidence/tlog/checkpoint').set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200);
    expect(tlog.text).toBe(served.text);
    const json = await request(server)
      .get('/v1/evidence/checkpoints/20?format=json')
      .set('Authorization', `Bearer ${api.tokens.auditor}`)
      .expect(200);
    expect(json.body.cosignatures).toEqual([expect.objectContaining({ witness: 'witness.example/w1', line })]);
  });

  it('given an unknown witness, a forged cosignature, one over another checkpoint, or a malformed line, then refused with the reason, nothing stored', async () => {
    const before = (await api.events.cosignatures((await api.events.checkpoint({ treeSize: 10 }))!.id)).length;
    const stranger = generateWitnessKey('witness.example/w1');
    expectProblem(await post(10, cosign(noteBody(note10), stranger.signerKey, now())), 422, 'COSIGNATURE_UNKNOWN_WITNESS');
    const genuine = cosign(noteBody(note10), witness.signerKey, now());
    const raw = Buffer.from(genuine.split(' ')[2], 'base64');
    raw[50] ^= 0x80;
    expectProblem(await post(10, `\u2014 witness.example/w1 ${raw.toString('base64')}`), 422, 'COSIGNATURE_INVALID');
    expectProblem(await post(10, cosign(noteBody(note20), witness.signerKey, now())), 422, 'COSIGNATURE_INVALID');
    expectProblem(await post(10, cosign(noteBody(note10), witness.signerKey, now() + 86_400)), 422, 'COSIGNATURE_IN_FUTURE');
    expectProblem(await post(10, 'not a signature line'), 400, 'COSIGNATURE_MALFORMED');
    expectProblem(await post(10, 42), 400, 'VALIDATION_FAILED');
    expectProblem(await post(11, genuine), 404, 'CHECKPOINT_NOT_FOUND');
    expect((await api.events.cosignatures((await api.events.checkpoint({ treeSize: 10 }))!.id)).length).toBe(before);
  });

  it('when the chain is verified, then the report names the checkpoint checked, its signer and its verified cosigners only', async () => {
    // A cosignature row written around the API (forged: it does not verify) is stored but never reported.
    const forged = Buffer.from(cosign(noteBody(note20), witness.signerKey, now()).split(' ')[2], 'base64');
    forged[70] ^= 1;
    const checkpoint = (await api.events.checkpoint({ treeSize: 20 }))!;
    await api.events.addCosignature({
      checkpointId: checkpoint.id,
      witness: 'witness.example/w1',
      keyId: forged.readUInt32BE(0),
      timestamp: now(),
      line: `\u2014 witness.example/w1 ${forged.toString('base64')}`,
    });
    const report = await request(server).post('/v1/audit/verify').set('Authorization', `Bearer ${api.tokens.auditor}`).send({}).expect(200);
    expect(report.body).toMatchObject({
      intact: true,
      scope: { trustSource: { kind: 'checkpoint', origin: ORIGIN, size: 20, keyName: 'aims-e2e-log' } },
    });
    expect(report.body.scope.trustSource.cosignedBy).toEqual([{ witness: 'witness.example/w1', timestamp: expect.any(Number) }]);
    expect((report.body.scope.proves as string[]).join('\n')).toMatch(/the checkpoint was cosigned by witness\.example\/w1 \(at /);
  });

  it('given a caller who is not the AIMS owner or an admin, then 403', async () => {
    const line = cosign(noteBody(note10), witness.signerKey, now());
    expect((await post(10, line, 'auditor')).status).toBe(403);
    expect((await post(10, line, 'engineer')).status).toBe(403);
  });
});
