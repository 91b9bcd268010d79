/**
 * C2SP tlog-cosignature (Ed25519, cosignature/v1): a cosignature built here by hand from the spec with
 * node:crypto verifies; each way of getting it wrong is refused with its reason.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cosign, CosignatureError, generateWitnessKey, parseWitnessKey, verifyCosignature } from '../../../infra/event-store/cosignature';

const BODY = `example.test/aims\n42\n${Buffer.alloc(32, 7).toString('base64')}\n`;
const NOW = 1_767_225_600;

/** Written from the spec, independently of infra/event-store/cosignature.ts. */
function handMade(name: string, timestamp: number): { vkey: string; line: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const id = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([4]), pub]))
    .digest()
    .subarray(0, 4);
  const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${BODY}`);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  const sig = sign(null, message, privateKey);
  return {
    vkey: `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([4]), pub]).toString('base64')}`,
    line: `\u2014 ${name} ${Buffer.concat([id, ts, sig]).toString('base64')}`,
  };
}

const reason = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as CosignatureError).code;
  }
  return 'accepted';
};

describe('witness cosignatures (cosignature/v1)', () => {
  it('given a cosignature made from the spec, then it verifies, with its witness and time', () => {
    const { vkey, line } = handMade('witness.example/w1', NOW - 10);
    expect(verifyCosignature(line, BODY, [parseWitnessKey(vkey)], NOW)).toEqual({
      witness: 'witness.example/w1',
      keyId: parseWitnessKey(vkey).keyId,
      timestamp: NOW - 10,
      line,
    });
  });

  it('given our own witness tooling, then what it signs is what the spec describes', () => {
    const key = generateWitnessKey('witness.example/w2');
    const line = cosign(BODY, key.signerKey, NOW);
    expect(line).toMatch(/^\u2014 witness\.example\/w2 [A-Za-z0-9+/]{102}==$/);
    expect(verifyCosignature(line, BODY, [parseWitnessKey(key.verifierKey)], NOW).timestamp).toBe(NOW);
  });

  it('refuses an unknown witness, a forged signature, another checkpoint, a future time and a malformed line, each with its reason', () => {
    const { vkey, line } = handMade('witness.example/w1', NOW);
    const known = [parseWitnessKey(vkey)];
    const stranger = handMade('witness.example/w1', NOW);
    expect(reason(() => verifyCosignature(stranger.line, BODY, known, NOW))).toBe('COSIGNATURE_UNKNOWN_WITNESS');
    const raw = Buffer.from(line.split(' ')[2], 'base64');
    raw[40] ^= 1;
    expect(reason(() => verifyCosignature(`\u2014 witness.example/w1 ${raw.toString('base64')}`, BODY, known, NOW))).toBe(
      'COSIGNATURE_INVALID',
    );
    const later = Buffer.from(line.split(' ')[2], 'base64');
    later.writeBigUInt64BE(BigInt(NOW + 1), 4);
    expect(reason(() => verifyCosignature(`\u2014 witness.example/w1 ${later.toString('base64')}`, BODY, known, NOW))).toBe(
      'COSIGNATURE_INVALID',
    );
    expect(reason(() => verifyCosignature(line, BODY.replace('\n42\n', '\n43\n'), known, NOW))).toBe('COSIGNATURE_INVALID');
    const future = handMade('witness.example/w3', NOW + 3600);
    expect(reason(() => verifyCosignature(future.line, BODY, [parseWitnessKey(future.vkey)], NOW))).toBe('COSIGNATURE_IN_FUTURE');
    expect(reason(() => verifyCosignature('— witness.example/w1', BODY, known, NOW))).toBe('COSIGNATURE_MALFORMED');
    expect(reason(() => verifyCosignature(`\u2014 witness.example/w1 ${raw.subarray(0, 68).toString('base64')}`, BODY, known, NOW))).toBe(
      'COSIGNATURE_MALFORMED',
    );
  });

  it('refuses a witness key of the wrong type or with a wrong hash', () => {
    const { vkey } = handMade('witness.example/w1', NOW);
    expect(reason(() => parseWitnessKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')))).toBe('WITNESS_KEY_INVALID');
    const [name, hash, b64] = [vkey.split('+')[0], vkey.split('+')[1], vkey.split('+').slice(2).join('+')];
    const asNoteKey = Buffer.from(b64, 'base64');
    asNoteKey[0] = 1;
    expect(() => parseWitnessKey(`${name}+${hash}+${asNoteKey.toString('base64')}`)).toThrow(/not of type 0x04/);
  });
});
