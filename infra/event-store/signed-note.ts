/**
 * C2SP signed-note with Ed25519 keys, and the C2SP tlog-checkpoint body it carries
 * (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint). Byte-compatible with Go's
 * golang.org/x/mod/sumdb/note (test/interop/checkpoint checks it with that package):
 *   key hash        = first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)
 *   verifier key    = name+<8 hex digits of key hash>+base64(0x01 ‖ public key)
 *   signer key      = PRIVATE+KEY+name+<hash>+base64(0x01 ‖ 32-byte seed)   (the file `aims keys generate` writes)
 *   note            = text (ending in \n) ‖ \n ‖ one line per signature: "— name base64(key hash ‖ signature)\n"
 *   signature       = Ed25519 over the text, its final \n included.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';

const ED25519 = 0x01;
/** DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const EM_DASH = '\u2014';

export class SignedNoteError extends Error {
  constructor(
    readonly code: 'NOTE_KEY_INVALID' | 'NOTE_MALFORMED' | 'NOTE_UNVERIFIED' | 'CHECKPOINT_MALFORMED',
    message: string,
  ) {
    super(message);
    this.name = 'SignedNoteError';
  }
}

/** A key name: non-empty, no whitespace, no "+" (signed-note). */
function assertKeyName(name: string): void {
  if (!/^[^\s+]+$/u.test(name))
    throw new SignedNoteError('NOTE_KEY_INVALID', `a key name has no spaces or "+" and is not empty: "${name}"`);
}

export function keyHash(name: string, publicKey: Buffer): number {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ED25519]), publicKey]))
    .digest()
    .readUInt32BE(0);
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

export interface NoteSigner {
  name: string;
  keyHash: number;
  /** The verifier key in its standard form, to publish. */
  verifierKey: string;
  sign(text: string): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyHash: number;
  verify(text: string, signature: Buffer): boolean;
}

function publicKeyOf(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

export function verifierKeyFor(name: string, publicKey: Buffer): string {
  assertKeyName(name);
  return `${name}+${hex8(keyHash(name, publicKey))}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

/** A new Ed25519 key named `name`: the signer key text (secret) and the verifier key (public). */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  assertKeyName(name);
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  const publicKey = publicKeyOf(privateKey);
  const encoded = Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64');
  return { signerKey: `PRIVATE+KEY+${name}+${hex8(keyHash(name, publicKey))}+${encoded}`, verifierKey: verifierKeyFor(name, publicKey) };
}

function splitKey(text: string, parts: number, what: string): string[] {
  // The base64 key may itself contain "+": only the first parts - 1 separators count.
  const all = text.trim().split('+');
  const fields = [...all.slice(0, parts - 1), all.slice(parts - 1).join('+')];
  if (all.length < parts) throw new SignedNoteError('NOTE_KEY_INVALID', `not a ${what} key (name+hash+base64)`);
  return fields;
}

function keyBytes(encoded: string, hashHex: string, what: string): Buffer {
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519 || raw.toString('base64') !== encoded || !/^[0-9a-f]{8}$/.test(hashHex)) {
    throw new SignedNoteError('NOTE_KEY_INVALID', `not an Ed25519 ${what} key`);
  }
  return raw.subarray(1);
}

export function parseSignerKey(text: string): NoteSigner {
  const [p1, p2, name, hashHex, encoded] = splitKey(text, 5, 'signer');
  if (p1 !== 'PRIVATE' || p2 !== 'KEY') throw new SignedNoteError('NOTE_KEY_INVALID', 'a signer key starts with PRIVATE+KEY+');
  assertKeyName(name);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, keyBytes(encoded, hashHex, 'signer')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = publicKeyOf(privateKey);
  const hash = keyHash(name, publicKey);
  if (hex8(hash) !== hashHex) throw new SignedNoteError('NOTE_KEY_INVALID', `the signer key's hash does not match its name and key`);
  return { name, keyHash: hash, verifierKey: verifierKeyFor(name, publicKey), sign: (t) => sign(null, Buffer.from(t, 'utf8'), privateKey) };
}

export function parseVerifierKey(text: string): NoteVerifier {
  const [name, hashHex, encoded] = splitKey(text, 3, 'verifier');
  assertKeyName(name);
  const raw = keyBytes(encoded, hashHex, 'verifier');
  const hash = keyHash(name, raw);
  if (hex8(hash) !== hashHex) throw new SignedNoteError('NOTE_KEY_INVALID', `the verifier key's hash does not match its name and key`);
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return { name, keyHash: hash, verify: (t, s) => s.length === 64 && verify(null, Buffer.from(t, 'utf8'), publicKey, s) };
}

export function signNote(text: string, signer: NoteSigner): string {
  // signed-note: the text is UTF-8 lines ending in \n, none empty, with no other control characters.
  const control = [...text].some((ch) => ch !== '\n' && ch.charCodeAt(0) < 0x20);
  if (!text.endsWith('\n') || text.includes('\n\n') || control) {
    throw new SignedNoteError('NOTE_MALFORMED', 'a note text is non-empty lines, each ending in a line feed');
  }
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(signer.keyHash, 0);
  return `${text}\n${EM_DASH} ${signer.name} ${Buffer.concat([prefix, signer.sign(text)]).toString('base64')}\n`;
}

export interface OpenedNote {
  text: string;
  /** Names of the known keys whose signatures verified. */
  verifiedBy: string[];
}

/** Splits a signed note and checks its signatures; throws NOTE_UNVERIFIED unless a known key signed it. */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new SignedNoteError('NOTE_MALFORMED', 'no signature block after a blank line');
  const text = note.slice(0, cut + 1);
  const verifiedBy: string[] = [];
  for (const line of note.slice(cut + 2, -1).split('\n')) {
    const match = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/=]+)$`, 'u').exec(line);
    if (!match) throw new SignedNoteError('NOTE_MALFORMED', `not a signature line: "${line}"`);
    const raw = Buffer.from(match[2], 'base64');
    if (raw.length < 5) throw new SignedNoteError('NOTE_MALFORMED', 'a signature too short for its key hash');
    const hash = raw.readUInt32BE(0);
    const verifier = verifiers.find((v) => v.name === match[1] && v.keyHash === hash);
    if (verifier && verifier.verify(text, raw.subarray(4))) verifiedBy.push(verifier.name);
    else if (verifier) throw new SignedNoteError('NOTE_UNVERIFIED', `the signature by ${verifier.name} does not verify`);
  }
  if (verifiedBy.length === 0) throw new SignedNoteError('NOTE_UNVERIFIED', 'no signature by a known key');
  return { text, verifiedBy };
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
}

export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || /[\n\r]/.test(c.origin)) throw new SignedNoteError('CHECKPOINT_MALFORMED', 'an origin is one non-empty line');
  if (c.rootHash.length !== 32) throw new SignedNoteError('CHECKPOINT_MALFORMED', 'a root hash is 32 bytes');
  return `${c.origin}\n${c.size}\n${c.rootHash.toString('base64')}\n`;
}

/** Parses a tlog-checkpoint body (extension lines after the third are allowed and ignored). */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (lines.length < 4 || !origin || !/^(0|[1-9]\d*)$/.test(size ?? '') || rootHash.length !== 32 || rootHash.toString('base64') !== root) {
    throw new SignedNoteError('CHECKPOINT_MALFORMED', 'not a tlog-checkpoint: origin, size, base64 root hash, one a line');
  }
  if (!Number.isSafeInteger(Number(size))) throw new SignedNoteError('CHECKPOINT_MALFORMED', `tree size ${size} is too large`);
  return { origin, size: Number(size), rootHash };
}
