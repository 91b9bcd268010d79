/**
 * `aims evidence verify-pack`: checks an evidence pack with nothing but the file (and, for trust, the
 * verifier keys an auditor already holds): no server, no database. It reads the archive as a stream: one
 * pass hashes every member and feeds events.jsonl line by line to the pure check
 * (domain/evidence/evidence-pack.ts), while a second reader of the same file walks proofs.jsonl in step,
 * so memory stays flat whatever the size of the pack. Every failure is named (member, position, reason).
 */
import { createHash, hash } from 'node:crypto';
import * as fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { describePackScope, PackEventCheck, type PackEventSummary } from '../../domain/evidence/evidence-pack-check';
import {
  digestToHex,
  PACK_MEMBERS,
  type PackFailure,
  PackFailures,
  type PackHashing,
  type PackManifest,
  parseManifest,
} from '../../domain/evidence/evidence-pack';
import { RFC6962_SHA256 } from '../event-store/rfc6962-hasher';
import { type NoteVerifier, openNote, parseCheckpoint, parseVerifierKey, SignedNoteError } from '../event-store/signed-note';
import { readTar, TarFormatError } from './ustar';

/** The verification could not start: the file cannot be read, or a --key is not a verifier key (exit 2). */
export class PackInputError extends Error {
  readonly code = 'PACK_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'PackInputError';
  }
}

export interface PackVerifyReport {
  intact: boolean;
  file: string;
  /** verifier-key: the checkpoint verified with a key given by the verifier; self-asserted: with the pack's own keys.txt. */
  trust: { kind: 'verifier-key' | 'self-asserted'; keyNames: string[] };
  checkpoint: { origin: string; size: number; rootHash: string; keyName: string | null } | null;
  asOf: PackManifest['asOf'] | null;
  selection: PackManifest['selection'] | null;
  events: number;
  proofsChecked: number;
  chainLinksChecked: number;
  failures: PackFailure[];
  /** Failures beyond the first 10,000, counted but not listed. */
  failuresOmitted: number;
  proves: string[];
  cannotExclude: string[];
}

const HASHING: PackHashing = {
  merkle: RFC6962_SHA256,
  sha256Hex: (text) => hash('sha256', text, 'hex'),
  leafHashOfLine: (line) => hash('sha256', `\u0000${line}`, 'buffer'),
  fromHex: (hex) => Buffer.from(hex, 'hex'),
};

/** Small members are read whole, up to this size. */
const MAX_SMALL_MEMBER = 1024 * 1024;
/** An event is at most 1 MiB of content; its line with envelope and escapes stays well below this. */
const MAX_LINE = 16 * 1024 * 1024;

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return fs.readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** The archive's bytes (gunzipped when it is gzip), with a cut-off or corrupt gzip stream as a TarFormatError. */
async function* archiveBytes(file: string): AsyncGenerator<Buffer> {
  const raw = fs.createReadStream(file);
  const stream = isGzip(file) ? raw.pipe(createGunzip()) : raw;
  if (stream !== raw) raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') throw new TarFormatError('truncated', 'the gzip stream ends early (the file was cut)');
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new TarFormatError('malformed', `the gzip stream is damaged: ${(error as Error).message}`);
    throw error;
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** The lines of a body (without their line feeds), as bytes. */
async function* lines(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const chunk of body) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingLength = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingLength += chunk.length - start;
      if (pendingLength > MAX_LINE) throw new TarFormatError('malformed', `a line longer than ${MAX_LINE} bytes`);
    }
  }
  if (pendingLength > 0) yield Buffer.concat(pending);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Each line as text, or undefined for a line that is not UTF-8 (reported by the check as malformed JSON). */
async function* textLines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  for await (const line of lines(body)) {
    try {
      yield UTF8.decode(line);
    } catch {
      yield '\u0000not UTF-8';
    }
  }
}

/** proofs.jsonl's lines, read by a second reader of the file; ends quietly where that reader cannot go on (the main pass reports why). */
async function* proofLines(file: string): AsyncGenerator<string> {
  try {
    for await (const entry of readTar(archiveBytes(file))) {
      if (entry.name === 'proofs.jsonl') {
        yield* textLines(entry.body);
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
  }
}

async function readWhole(
  body: AsyncIterable<Buffer>,
  sha: ReturnType<typeof createHash>,
): Promise<{ text: string; size: number; tooLarge: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    sha.update(chunk);
    size += chunk.length;
    if (size <= MAX_SMALL_MEMBER) parts.push(chunk);
  }
  return { text: Buffer.concat(parts).toString('utf8'), size, tooLarge: size > MAX_SMALL_MEMBER };
}

function parseKeys(texts: string[], what: string): NoteVerifier[] {
  return texts.map((text) => {
    try {
      return parseVerifierKey(text);
    } catch (error) {
      throw new PackInputError(`${what} "${text}" is not a verifier key (name+hash+base64): ${(error as Error).message}`);
    }
  });
}

export async function verifyEvidencePack(file: string, options: { keys?: string[] } = {}): Promise<PackVerifyReport> {
  const given = parseKeys(options.keys ?? [], '--key');
  try {
    if (!fs.statSync(file).isFile()) throw new PackInputError(`${file} is not a file`);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    if (error instanceof PackInputError) throw error;
    throw new PackInputError(`cannot read ${file}: ${(error as Error).message}`);
  }

  const failures = new PackFailures();
  const digests = new Map<string, { sha256: string; size: number }>();
  let manifest: PackManifest | undefined;
  let note: string | undefined;
  let keysText: string | undefined;
  let checkpoint: { origin: string; size: number; rootHash: Buffer } | undefined;
  let keyNames: string[] = [];
  let summary: PackEventSummary | undefined;
  let current = 'archive';

  /** Once manifest, note and keys are in: the checkpoint's signature and facts. */
  const openCheckpoint = (): void => {
    if (checkpoint || note === undefined) return;
    const cut = note.lastIndexOf('\n\n');
    try {
      checkpoint = parseCheckpoint(cut < 0 ? note : note.slice(0, cut + 1));
    } catch (error) {
      failures.add({ member: 'checkpoint.note', reason: 'checkpoint-malformed', detail: (error as Error).message });
      return;
    }
    let verifiers = given;
    if (given.length === 0) {
      verifiers = [];
      for (const [i, text] of (keysText ?? '').split('\n').entries()) {
        if (text.trim() === '') continue;
        try {
          verifiers.push(parseVerifierKey(text));
        } catch (error) {
          failures.add({ member: 'keys.txt', line: i + 1, reason: 'keys-malformed', detail: (error as Error).message });
        }
      }
    }
    try {
      keyNames = openNote(note, verifiers).verifiedBy;
    } catch (error) {
      const reason = error instanceof SignedNoteError && error.code === 'NOTE_MALFORMED' ? 'checkpoint-malformed' : 'checkpoint-unverified';
      const source = given.length > 0 ? 'the key(s) given with --key' : "the pack's own keys.txt";
      failures.add({ member: 'checkpoint.note', reason, detail: `${(error as Error).message} (checked with ${source})` });
    }
    if (manifest) {
      const m = manifest.checkpoint;
      if (m.size !== checkpoint.size || m.rootHash !== checkpoint.rootHash.toString('hex') || manifest.origin !== checkpoint.origin) {
        failures.add({
          member: 'manifest.json',
          reason: 'checkpoint-mismatch',
          detail: `the manifest names checkpoint ${manifest.origin} size ${m.size} root ${m.rootHash}; checkpoint.note holds ${checkpoint.origin} size ${checkpoint.size} root ${checkpoint.rootHash.toString('hex')}`,
        });
      }
    }
  };

  try {
    for await (const entry of readTar(archiveBytes(file))) {
      current = entry.name;
      if (digests.has(entry.name)) {
        failures.add({ member: entry.name, reason: 'member-duplicate', detail: 'the archive holds this member more than once' });
        continue;
      }
      const sha = createHash('sha256');
      let size = 0;
      if (entry.name === 'manifest.json' || entry.name === 'checkpoint.note' || entry.name === 'keys.txt') {
        const whole = await readWhole(entry.body, sha);
        size = whole.size;
        if (whole.tooLarge)
          failures.add({ member: entry.name, reason: 'archive-malformed', detail: `larger than ${MAX_SMALL_MEMBER} bytes` });
        else if (entry.name === 'manifest.json') {
          const parsed = parseManifest(whole.text);
          if ('problem' in parsed) failures.add({ member: entry.name, reason: 'manifest-malformed', detail: parsed.problem });
          else manifest = parsed.manifest;
        } else if (entry.name === 'checkpoint.note') note = whole.text;
        else keysText = whole.text;
      } else if (entry.name === 'events.jsonl') {
        openCheckpoint();
        if (!manifest || note === undefined || keysText === undefined) {
          failures.add({
            member: entry.name,
            reason: 'archive-malformed',
            detail: 'manifest.json, checkpoint.note and keys.txt must come before events.jsonl',
          });
        }
        const check = new PackEventCheck(HASHING, failures, checkpoint, manifest);
        const proofs = proofLines(file)[Symbol.asyncIterator]();
        const counted = async function* (): AsyncGenerator<Buffer> {
          for await (const chunk of entry.body) {
            sha.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        };
        try {
          for await (const line of textLines(counted())) {
            const proof = await proofs.next();
            check.add(line, proof.done ? undefined : proof.value);
          }
          for (let proof = await proofs.next(); !proof.done; proof = await proofs.next()) check.add(undefined, proof.value);
        } finally {
          await proofs.return?.(undefined);
        }
        summary = check.finish();
      } else {
        for await (const chunk of entry.body) {
          sha.update(chunk);
          size += chunk.length;
        }
        if (!(PACK_MEMBERS as readonly string[]).includes(entry.name)) {
          failures.add({ member: entry.name, reason: 'member-unexpected', detail: 'not a member of an evidence pack' });
        }
      }
      digests.set(entry.name, { sha256: sha.digest('hex'), size });
    }
    current = 'archive';
    openCheckpoint();
    checkMembers(failures, digests, manifest);
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    failures.add({
      member: current,
      reason: error.problem === 'truncated' ? 'archive-truncated' : 'archive-malformed',
      detail: error.message,
    });
  }

  const intact = failures.count === 0;
  const trust = { kind: given.length > 0 ? ('verifier-key' as const) : ('self-asserted' as const), keyNames };
  const scope = describePackScope({
    intact,
    trust: trust.kind,
    keyNames,
    checkpoint: checkpoint && { origin: checkpoint.origin, size: checkpoint.size, rootHash: digestToHex(checkpoint.rootHash) },
    manifest,
    summary,
  });
  return {
    intact,
    file,
    trust,
    checkpoint: checkpoint
      ? { origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash.toString('hex'), keyName: keyNames[0] ?? null }
      : null,
    asOf: manifest?.asOf ?? null,
    selection: manifest?.selection ?? null,
    events: summary?.events ?? 0,
    proofsChecked: summary?.proofsChecked ?? 0,
    chainLinksChecked: summary?.chainLinksChecked ?? 0,
    failures: failures.list,
    failuresOmitted: failures.omitted,
    ...scope,
  };
}

/** Every member present and listed, each with the listed digest and size. */
function checkMembers(
  failures: PackFailures,
  digests: Map<string, { sha256: string; size: number }>,
  manifest: PackManifest | undefined,
): void {
  for (const name of PACK_MEMBERS) {
    if (!digests.has(name)) failures.add({ member: name, reason: 'member-missing', detail: 'the archive does not hold it' });
  }
  if (!manifest) return;
  const listed = new Map(manifest.members.map((m) => [m.name, m]));
  for (const [name, found] of digests) {
    // A member that is no pack member at all was named already, whether listed or not.
    if (name === 'manifest.json' || !(PACK_MEMBERS as readonly string[]).includes(name)) continue;
    const expected = listed.get(name);
    if (!expected) {
      failures.add({ member: name, reason: 'member-unexpected', detail: 'the manifest does not list it' });
    } else if (expected.sha256 !== found.sha256 || expected.size !== found.size) {
      failures.add({
        member: name,
        reason: 'digest-mismatch',
        detail: `the manifest lists SHA-256 ${expected.sha256} (${expected.size} bytes); the member has ${found.sha256} (${found.size} bytes)`,
      });
    }
  }
  for (const name of listed.keys()) {
    if (!digests.has(name) && !(PACK_MEMBERS as readonly string[]).includes(name)) {
      failures.add({ member: name, reason: 'member-missing', detail: 'the manifest lists it, the archive does not hold it' });
    }
  }
}
