/**
 * The cryptography of crypto-shredding (docs/personal-data.md):
 *  - the key-encryption key (KEK): 32 bytes from AIMS_PERSONAL_DATA_KEY(_FILE), never in the database;
 *  - a data key per data subject: 32 random bytes, stored only wrapped under the KEK (AES-256-GCM);
 *  - each personal field sealed with its subject's data key (AES-256-GCM), its associated data binding
 *    the event id, the field's path, the subject id and the key id. The IV is synthetic (HMAC of the key,
 *    the associated data and the plaintext), so sealing is deterministic: an activity retried by Temporal
 *    stores byte-identical ciphertext and the store recognises the retry. Distinct (path, event,
 *    plaintext) give distinct IVs; the same ones give the same ciphertext, which reveals only that a field
 *    was written twice identically.
 *  - identities are looked up by an HMAC under a key derived from the KEK, so the key table holds no
 *    names in clear.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

export const KEK_BYTES = 32;

export class PersonalDataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PersonalDataKeyError';
  }
}

/** The key-encryption key and what is derived from it. */
export interface Kek {
  readonly key: Buffer;
  /** First 8 bytes of SHA-256 over a label and the key, hex: which KEK wrapped a data key. */
  readonly id: string;
  readonly identityKey: Buffer;
}

export function kekFrom(raw: Buffer): Kek {
  if (raw.length !== KEK_BYTES) throw new PersonalDataKeyError(`the personal-data key must be ${KEK_BYTES} bytes, found ${raw.length}`);
  const id = createHash('sha256').update('aims-personal-data-kek-id\n').update(raw).digest('hex').slice(0, 16);
  const identityKey = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'aims-personal-data identity lookup v1', 32));
  return { key: Buffer.from(raw), id, identityKey };
}

/** Parses the key as configured: base64 or base64url of 32 bytes (what `aims keys personal-data` prints), or 64 hex digits. */
export function parseKek(text: string): Kek {
  const t = text.trim();
  const raw = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return kekFrom(raw);
}

export function loadKek(settings: { key?: string; keyFile?: string }): Kek | null {
  if (settings.key !== undefined && settings.key !== '') return parseKek(settings.key);
  if (settings.keyFile !== undefined && settings.keyFile !== '') {
    let text: string;
    try {
      text = fs.readFileSync(settings.keyFile, 'utf8');
    } catch (error) {
      throw new PersonalDataKeyError(`cannot read the personal-data key file ${settings.keyFile}: ${(error as Error).message}`);
    }
    return parseKek(text);
  }
  return null;
}

export function generateKekText(): string {
  return randomBytes(KEK_BYTES).toString('base64url');
}

export function identityDigest(kek: Kek, identity: string): string {
  return createHmac('sha256', kek.identityKey).update(identity, 'utf8').digest('hex');
}

export function newSubjectId(): string {
  return `ps-${randomBytes(16).toString('hex')}`;
}

export function newDataKey(): { keyId: string; key: Buffer } {
  return { keyId: randomBytes(8).toString('hex'), key: randomBytes(32) };
}

function wrapAad(subjectId: string, keyId: string): Buffer {
  return Buffer.from(`aims-data-key:v1\n${subjectId}\n${keyId}`, 'utf8');
}

export function wrapDataKey(kek: Kek, subjectId: string, keyId: string, dataKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  cipher.setAAD(wrapAad(subjectId, keyId));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64');
}

export function unwrapDataKey(kek: Kek, subjectId: string, keyId: string, wrapped: string): Buffer {
  const raw = Buffer.from(wrapped, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key, raw.subarray(0, 12));
    decipher.setAAD(wrapAad(subjectId, keyId));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  } catch {
    throw new PersonalDataKeyError(`the data key of subject ${subjectId} does not unwrap with the configured personal-data key`);
  }
}

/** Seals a field's plaintext (UTF-8 text): the IV and ciphertext‖tag, base64url. Deterministic. */
export function sealText(dataKey: Buffer, aad: string, plaintext: string): { iv: string; ciphertext: string } {
  const iv = createHmac('sha256', dataKey)
    .update('aims-sealed-iv:v1\n')
    .update(aad)
    .update('\n')
    .update(plaintext, 'utf8')
    .digest()
    .subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('base64url'), ciphertext: ct.toString('base64url') };
}

/** Opens a sealed field; null when it does not authenticate (altered, moved, or another key). */
export function openText(dataKey: Buffer, aad: string, iv: string, ciphertext: string): string | null {
  const raw = Buffer.from(ciphertext, 'base64url');
  if (raw.length < 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
