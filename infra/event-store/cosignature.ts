/**
 * Witness cosignatures of checkpoints, C2SP tlog-cosignature with Ed25519 (cosignature/v1;
 * https://c2sp.org/tlog-cosignature; docs/evidence-format.md §11):
 *   witness key     = name+<8 hex digits of key ID>+base64(0x04 ‖ 32-byte public key)    (a vkey)
 *   key ID          = first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)
 *   signature line  = "— name base64(key ID ‖ 8-byte big-endian timestamp ‖ 64-byte Ed25519 signature)"
 *   signed message  = "cosignature/v1\ntime <timestamp>\n" ‖ the checkpoint body (its three lines and any
 *                     extension lines, final \n included, no signature lines)
 * A cosignature says: as of that time, this is the largest tree the witness saw, consistent with all
 * earlier ones. The log stores what witnesses send, after checking it, and serves it under the checkpoint.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

const COSIGNATURE_V1 = 0x04;
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const EM_DASH = '\u2014';
/** Timestamps more than this far ahead of our clock are refused (the spec allows refusing future ones). */
const FUTURE_TOLERANCE_S = 300;

export type CosignatureErrorCode =
  'WITNESS_KEY_INVALID' | 'COSIGNATURE_MALFORMED' | 'COSIGNATURE_UNKNOWN_WITNESS' | 'COSIGNATURE_INVALID' | 'COSIGNATURE_IN_FUTURE';

export class CosignatureError extends Error {
  constructor(
    readonly code: CosignatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CosignatureError';
  }
}

export interface WitnessVerifier {
  name: string;
  keyId: number;
  /** The vkey as configured. */
  verifierKey: string;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface VerifiedCosignature {
  witness: string;
  keyId: number;
  /** POSIX seconds. */
  timestamp: number;
  /** The signature line, without its line feed, as it goes under the checkpoint. */
  line: string;
}

export function witnessKeyId(name: string, publicKey: Buffer): number {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([COSIGNATURE_V1]), publicKey]))
    .digest()
    .readUInt32BE(0);
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Parses a witness vkey (name+hash+base64(0x04 ‖ key)); the key ID must match the name and key. */
export function parseWitnessKey(text: string): WitnessVerifier {
  const all = text.trim().split('+');
  const [name, hashHex] = all;
  const encoded = all.slice(2).join('+');
  const raw = Buffer.from(encoded, 'base64');
  if (
    all.length < 3 ||
    !/^[^\s+]+$/u.test(name) ||
    !/^[0-9a-f]{8}$/.test(hashHex) ||
    raw.length !== 33 ||
    raw.toString('base64') !== encoded
  ) {
    throw new CosignatureError('WITNESS_KEY_INVALID', `not a witness key (name+hash+base64(0x04 ‖ Ed25519 key)): "${text.trim()}"`);
  }
  if (raw[0] !== COSIGNATURE_V1)
    throw new CosignatureError('WITNESS_KEY_INVALID', `witness key ${name} is not of type 0x04 (cosignature/v1)`);
  const publicKeyBytes = raw.subarray(1);
  const keyId = witnessKeyId(name, publicKeyBytes);
  if (hex8(keyId) !== hashHex)
    throw new CosignatureError('WITNESS_KEY_INVALID', `witness key ${name}: its hash does not match its name and key`);
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKeyBytes]), format: 'der', type: 'spki' });
  return { name, keyId, verifierKey: text.trim(), verify: (m, s) => s.length === 64 && verify(null, m, publicKey, s) };
}

/** The message a cosignature/v1 signs. */
export function cosignedMessage(checkpointBody: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`, 'utf8');
}

/**
 * Checks one signature line against a checkpoint body and the configured witnesses. Throws, with the reason:
 * MALFORMED (not a signature line), UNKNOWN_WITNESS (no configured key of that name and key ID),
 * INVALID (the signature does not verify: forged, or over another checkpoint), IN_FUTURE.
 */
export function verifyCosignature(
  line: string,
  checkpointBody: string,
  witnesses: readonly WitnessVerifier[],
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifiedCosignature {
  const match = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/]+=*)$`, 'u').exec(line.replace(/\n$/, ''));
  if (!match) throw new CosignatureError('COSIGNATURE_MALFORMED', 'a cosignature is one signature line: "— <witness name> <base64>"');
  const raw = Buffer.from(match[2], 'base64');
  if (raw.length !== 4 + 8 + 64) {
    throw new CosignatureError(
      'COSIGNATURE_MALFORMED',
      `a cosignature/v1 is 76 bytes (key ID, timestamp, Ed25519 signature), not ${raw.length}`,
    );
  }
  const keyId = raw.readUInt32BE(0);
  const witness = witnesses.find((w) => w.name === match[1] && w.keyId === keyId);
  if (!witness) {
    throw new CosignatureError(
      'COSIGNATURE_UNKNOWN_WITNESS',
      `no configured witness key is named ${match[1]} with key ID ${hex8(keyId)} (AIMS_WITNESS_KEYS)`,
    );
  }
  const big = raw.readBigUInt64BE(4);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new CosignatureError('COSIGNATURE_MALFORMED', 'the timestamp is out of range');
  const timestamp = Number(big);
  if (!witness.verify(cosignedMessage(checkpointBody, timestamp), raw.subarray(12))) {
    throw new CosignatureError('COSIGNATURE_INVALID', `the cosignature by ${witness.name} does not verify over this checkpoint`);
  }
  if (timestamp > nowSeconds + FUTURE_TOLERANCE_S) {
    throw new CosignatureError('COSIGNATURE_IN_FUTURE', `the cosignature by ${witness.name} is dated ${timestamp}, in the future`);
  }
  return { witness: witness.name, keyId, timestamp, line: match[0] };
}

/**
 * A witness key pair, for `aims keys generate --witness` and tests: the signer text
 * (PRIVATE+KEY+name+hash+base64(0x04 ‖ seed)) and the vkey to configure in AIMS_WITNESS_KEYS.
 */
export function generateWitnessKey(name: string): { signerKey: string; verifierKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  const hash = hex8(witnessKeyId(name, pub));
  const type = Buffer.from([COSIGNATURE_V1]);
  return {
    signerKey: `PRIVATE+KEY+${name}+${hash}+${Buffer.concat([type, seed]).toString('base64')}`,
    verifierKey: `${name}+${hash}+${Buffer.concat([type, pub]).toString('base64')}`,
  };
}

/** Cosigns a checkpoint body as a witness would (a witness's side, here for tests and tooling). */
export function cosign(checkpointBody: string, signerKey: string, timestamp: number): string {
  const all = signerKey.trim().split('+');
  const [, , name, hashHex] = all;
  const raw = Buffer.from(all.slice(4).join('+'), 'base64');
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_V1) throw new CosignatureError('WITNESS_KEY_INVALID', 'not a witness signer key');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw.subarray(1)]), format: 'der', type: 'pkcs8' });
  const head = Buffer.alloc(12);
  head.writeUInt32BE(parseInt(hashHex, 16), 0);
  head.writeBigUInt64BE(BigInt(timestamp), 4);
  const signature = sign(null, cosignedMessage(checkpointBody, timestamp), privateKey);
  return `${EM_DASH} ${name} ${Buffer.concat([head, signature]).toString('base64')}`;
}
