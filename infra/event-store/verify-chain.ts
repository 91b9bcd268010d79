/**
 * Recomputes the hash chain over a range of global positions, one page at a time (memory is bounded by the
 * page size, never by the store), and reports intact or the first broken position with what is wrong.
 * Hashes are recomputed from the stored text; that text is then parsed and canonicalised again, because
 * a hash over text that is not canonical (a duplicated member, say) proves nothing about what a reader
 * of it sees. The report says what was proved and what was not (domain/evidence/verify-scope.ts).
 */
import { EVIDENCE_GENESIS_HASH } from '../../domain/evidence/evidence-envelope';
import { isCanonicalObjectText, nonCanonicalObjectText } from '../../domain/evidence/canonical-json';
import { InvalidReadOptionsError } from '../../domain/evidence/evidence-errors';
import { MerkleFrontier } from '../../domain/evidence/merkle';
import { evidenceLeafHash, RFC6962_SHA256 } from './rfc6962-hasher';
import { describeVerifyScope, VerifyTrustSource } from '../../domain/evidence/verify-scope';
import type { VerifyOptions, VerifyReport } from '../ports/event-store.port';
import { hashEnvelope } from './evidence-hashing';
import { wholeNumber } from './read-options';
import type { StoredRow } from './stored-row';

/** What verification needs from a store; the diagnostic look-ups run only once a break is found. */
export interface ChainSource {
  headPosition(): Promise<number>;
  rowAt(position: number): Promise<StoredRow | undefined>;
  /** Rows with afterPosition < position <= toPosition, in position order, at most `limit`. */
  rowsAfter(afterPosition: number, toPosition: number, limit: number): Promise<StoredRow[]>;
  /** A position other than `exceptPosition` whose prevHash is `prevHash` (the event that follows it). */
  positionLinkingTo(prevHash: string, exceptPosition: number): Promise<number | undefined>;
}

const VERIFY_PAGE_SIZE = 2000;
/** How far back a renumbered event is looked for when diagnosing "event missing" (see diagnose). */
const MAX_RENUMBER_SHIFT = 16;

type Broken = Extract<VerifyReport, { intact: false }>;
/** Why a row's stored data or metadata is not canonical, or undefined when both are. */
function nonCanonical(row: StoredRow): string | undefined {
  // The one-pass scan clears nearly every row; the full check (parse and re-canonicalise) decides the rest.
  if (isCanonicalObjectText(row.data) && isCanonicalObjectText(row.metadata)) return undefined;
  const data = nonCanonicalObjectText(row.data);
  if (data !== undefined) return `its stored data is not canonical JSON: ${data}`;
  const metadata = nonCanonicalObjectText(row.metadata);
  return metadata === undefined ? undefined : `its stored metadata is not canonical JSON: ${metadata}`;
}

type Diagnosis = Pick<Broken, 'problem' | 'detail' | 'expectedPrevHash' | 'recordedHash' | 'recomputedHash' | 'foundAtPosition'>;

/** The hash the row's columns give; a row too damaged to serialise gives a value no hash can equal. */
function rowHash(row: StoredRow, position = row.position): string {
  try {
    return hashOf(row, position);
  } catch {
    return 'unhashable: a column holds a value that has no canonical JSON form';
  }
}

function hashOf(row: StoredRow, position: number): string {
  return hashEnvelope({
    id: row.id,
    stream: row.stream,
    type: row.type,
    revision: row.revision,
    position,
    recordedAt: row.recordedAt,
    dataJson: row.data,
    metadataJson: row.metadata,
    prevHash: row.prevHash,
  });
}

/**
 * Why the row at the expected position does not continue the chain. The row either fails its own hash,
 * or it does not link to the previous event, or both:
 *  - another row links to the previous event: the events were reordered (that row belongs here);
 *  - the row hashes correctly once given a later position: earlier events were deleted and the rest
 *    renumbered to hide it;
 *  - otherwise the row's content (a column, or its prevHash link) was changed.
 */
async function diagnose(source: ChainSource, row: StoredRow, expectedPrevHash: string, recomputed: string): Promise<Diagnosis> {
  const base = { expectedPrevHash, recordedHash: row.hash, recomputedHash: recomputed };
  if (row.prevHash !== expectedPrevHash) {
    const rightful = await source.positionLinkingTo(expectedPrevHash, row.position);
    if (rightful !== undefined) {
      return {
        ...base,
        problem: 'order-changed',
        foundAtPosition: rightful,
        detail: `the event at position ${row.position} (id ${row.id}) does not follow position ${row.position - 1}; the event that does is at position ${rightful}`,
      };
    }
    for (let shift = 1; shift <= MAX_RENUMBER_SHIFT; shift++) {
      if (rowHash(row, row.position + shift) === row.hash) {
        return {
          ...base,
          problem: 'event-missing',
          detail: `the event at position ${row.position} (id ${row.id}) was recorded at position ${row.position + shift}: ${shift} event(s) before it are gone and later positions renumbered`,
        };
      }
    }
  }
  if (recomputed !== row.hash) {
    return {
      ...base,
      problem: 'content-changed',
      detail: `the event at position ${row.position} (id ${row.id}) no longer hashes to its recorded hash: its content was changed`,
    };
  }
  return {
    ...base,
    problem: 'content-changed',
    detail: `the event at position ${row.position} (id ${row.id}) has a prevHash that does not link to position ${row.position - 1}: its link was changed`,
  };
}

export async function verifyChain(source: ChainSource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const fromPosition = wholeNumber('fromPosition', options.fromPosition, 1, 1);
  const progressInterval = wholeNumber('progressInterval', options.progressInterval, 1, 10_000);
  const anchor = options.anchor;
  if (anchor !== undefined) {
    wholeNumber('anchor.position', anchor.position, 1, 1);
    if (typeof anchor.hash !== 'string' || !/^[0-9a-f]{64}$/.test(anchor.hash)) {
      throw new InvalidReadOptionsError('anchor.hash', anchor.hash, 'must be 64 lower-case hex digits');
    }
  }
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined) {
    if (anchor) throw new InvalidReadOptionsError('checkpoint', checkpoint.origin, 'give an anchor or a checkpoint, not both');
    if (fromPosition !== 1) throw new InvalidReadOptionsError('fromPosition', fromPosition, 'must be 1 to check a checkpoint');
    wholeNumber('checkpoint.size', checkpoint.size, 0, 0);
    if (!/^[0-9a-f]{64}$/.test(checkpoint.rootHash)) {
      throw new InvalidReadOptionsError('checkpoint.rootHash', checkpoint.rootHash, 'must be 64 lower-case hex digits');
    }
  }
  const head = await source.headPosition();
  const toPosition = Math.max(
    wholeNumber('toPosition', options.toPosition, 0, Math.max(head, anchor?.position ?? 0)),
    checkpoint?.size ?? 0,
  );
  const genesisHash = EVIDENCE_GENESIS_HASH;
  const trustSource: VerifyTrustSource = anchor
    ? { kind: 'anchor', position: anchor.position, hash: anchor.hash }
    : checkpoint
      ? { kind: 'checkpoint', ...checkpoint }
      : { kind: 'none' };
  // The tree root at the checkpoint's size, recomputed from the events as they stream past.
  const tree = checkpoint ? new MerkleFrontier(RFC6962_SHA256) : undefined;

  let eventsChecked = 0;
  const broken = (position: number, diagnosis: Diagnosis): VerifyReport => ({
    intact: false,
    fromPosition,
    toPosition,
    eventsChecked,
    position,
    lastIntactPosition: position - 1,
    genesisHash,
    ...diagnosis,
    scope: describeVerifyScope({
      fromPosition,
      toPosition,
      headPosition: head,
      trustSource,
      brokenAt: { position, lastIntactPosition: position - 1 },
    }),
  });

  let expectedPrevHash = genesisHash;
  if (fromPosition > 1) {
    const before = await source.rowAt(fromPosition - 1);
    if (!before) {
      return broken(fromPosition - 1, {
        problem: 'event-missing',
        detail: `there is no event at position ${fromPosition - 1}, where verification starts from`,
      });
    }
    expectedPrevHash = before.hash;
  }

  let expectedPosition = fromPosition;
  let anchorHashSeen: string | undefined;
  const report = (): void => options.onProgress?.({ eventsChecked, position: expectedPosition - 1, toPosition });
  // One page is hashed while the next is read (two pages in memory at most).
  let next: Promise<StoredRow[]> | undefined =
    expectedPosition <= toPosition ? source.rowsAfter(expectedPosition - 1, toPosition, VERIFY_PAGE_SIZE) : undefined;
  try {
    while (next) {
      const rows = await next;
      next = undefined;
      if (rows.length === 0) break;
      const lastPosition = rows[rows.length - 1].position;
      if (lastPosition < toPosition) next = source.rowsAfter(lastPosition, toPosition, VERIFY_PAGE_SIZE);
      for (const row of rows) {
        if (row.position !== expectedPosition) {
          return broken(expectedPosition, {
            problem: 'event-missing',
            expectedPrevHash,
            detail: `there is no event at position ${expectedPosition}; the next recorded event is at position ${row.position}`,
          });
        }
        const recomputed = rowHash(row);
        if (recomputed !== row.hash || row.prevHash !== expectedPrevHash) {
          return broken(expectedPosition, await diagnose(source, row, expectedPrevHash, recomputed));
        }
        const notCanonical = nonCanonical(row);
        if (notCanonical !== undefined) {
          return broken(expectedPosition, {
            problem: 'not-canonical',
            expectedPrevHash,
            recordedHash: row.hash,
            detail: `the event at position ${row.position} (id ${row.id}) hashes as recorded, but ${notCanonical}; the store never writes such text`,
          });
        }
        if (anchor && row.position === anchor.position) anchorHashSeen = row.hash;
        if (tree && checkpoint && row.position <= checkpoint.size) {
          tree.push(evidenceLeafHash({ ...row, dataJson: row.data, metadataJson: row.metadata }));
        }
        expectedPrevHash = row.hash;
        expectedPosition++;
        eventsChecked++;
        if (eventsChecked % progressInterval === 0) report();
      }
    }
  } finally {
    // Verification that stops at a break leaves at most one page in flight; its outcome no longer matters.
    next?.catch(() => undefined);
  }
  if (expectedPosition <= toPosition) {
    return broken(expectedPosition, {
      problem: 'event-missing',
      expectedPrevHash,
      detail: `the chain ends at position ${expectedPosition - 1}, before position ${toPosition}${anchor ? ' (the anchor)' : ''}${
        checkpoint && toPosition === checkpoint.size ? ` (the size of the signed checkpoint ${checkpoint.origin})` : ''
      }`,
    });
  }
  if (tree && checkpoint) {
    const root = Buffer.from(tree.root()).toString('hex');
    if (root !== checkpoint.rootHash) {
      return broken(checkpoint.size, {
        problem: 'checkpoint-mismatch',
        detail: `the Merkle root of the first ${checkpoint.size} events is ${root}, not ${checkpoint.rootHash} as the checkpoint signed by ${checkpoint.keyName} says: events up to position ${checkpoint.size} were rewritten after it was signed`,
      });
    }
  }
  if (anchor) {
    const anchorHash = anchorHashSeen ?? (await source.rowAt(anchor.position))?.hash;
    if (anchorHash === undefined) {
      return broken(anchor.position, { problem: 'event-missing', detail: `there is no event at the anchor position ${anchor.position}` });
    }
    if (anchorHash !== anchor.hash) {
      return broken(anchor.position, {
        problem: 'content-changed',
        recordedHash: anchorHash,
        detail: `the event at the anchor position ${anchor.position} has hash ${anchorHash}, not the anchored ${anchor.hash}: the chain was rewritten`,
      });
    }
  }
  report();
  return {
    intact: true,
    fromPosition,
    toPosition,
    eventsChecked,
    lastHash: expectedPrevHash,
    genesisHash,
    scope: describeVerifyScope({ fromPosition, toPosition, headPosition: head, trustSource, lastHash: expectedPrevHash }),
  };
}
