/**
 * What a verification of the evidence chain proves, and what it cannot exclude. A hash chain checked
 * against nothing but itself shows that the stored events are consistent with one another; it cannot show
 * that they are the events that were recorded: whoever can write to the database can rewrite the whole
 * chain with fresh hashes, or cut events off its end, and the result is consistent again. Only a value
 * kept outside the database (a trust source) excludes that, and only up to the point it covers.
 *
 * Trust sources are a tagged union so that others (signed checkpoints) can be added beside `anchor`.
 */

/** What the checked chain was compared with, from outside the database. */
export type VerifyTrustSource =
  /** Nothing: the chain was checked only against itself. */
  | { kind: 'none' }
  /** A head (position and hash) noted earlier, outside the database, and given to verify. */
  | { kind: 'anchor'; position: number; hash: string }
  /**
   * A signed checkpoint (C2SP tlog-checkpoint) whose signature verified with a configured key: the Merkle
   * root of the first `size` events, signed by `keyName` for the log `origin`.
   */
  | {
      kind: 'checkpoint';
      origin: string;
      size: number;
      keyName: string;
      rootHash: string;
      /** The configured witnesses whose cosignatures of it verified (C2SP tlog-cosignature), when any. */
      cosignedBy?: Array<{ witness: string; timestamp: number }>;
    };

export interface VerifyScope {
  trustSource: VerifyTrustSource;
  /** What this verification established, in plain words. */
  proves: string[];
  /** What it could not exclude, in plain words (with what would close each gap). */
  cannotExclude: string[];
}

export interface VerifyScopeFacts {
  fromPosition: number;
  toPosition: number;
  /** The last position of the store when verification started. */
  headPosition: number;
  trustSource: VerifyTrustSource;
  /** undefined: intact over fromPosition..toPosition, ending at lastHash. */
  brokenAt?: { position: number; lastIntactPosition: number };
  lastHash?: string;
}

const range = (from: number, to: number): string => (from === to ? `position ${from}` : `positions ${from} to ${to}`);

export function describeVerifyScope(facts: VerifyScopeFacts): VerifyScope {
  const { fromPosition, toPosition, headPosition, trustSource } = facts;
  const proves: string[] = [];
  const cannotExclude: string[] = [];
  const checkedTo = facts.brokenAt ? facts.brokenAt.lastIntactPosition : toPosition;
  const start = fromPosition === 1 ? 'the genesis value' : `the stored hash of position ${fromPosition - 1}`;

  if (checkedTo >= fromPosition) {
    proves.push(
      `every event at ${range(fromPosition, checkedTo)} is present, hashes to its recorded hash and links to the one before it, from ${start}`,
      `the data and metadata of those events are stored in their canonical form (RFC 8785), so every reader parses them alike`,
    );
  } else if (!facts.brokenAt) {
    proves.push('nothing: there was no event to check');
  }
  if (facts.brokenAt) {
    proves.push(`the chain is broken at position ${facts.brokenAt.position}: what is stored there is not what was recorded`);
    cannotExclude.push(
      `anything after position ${facts.brokenAt.position}: verification stops at the first break (verify again with --from ${facts.brokenAt.position + 1} to check the rest on its own)`,
    );
  } else if (checkedTo >= fromPosition && facts.lastHash) {
    proves.push(
      `the chain's head at position ${checkedTo} has hash ${facts.lastHash} (note it outside the database: it is an anchor for later checks)`,
    );
  }
  if (fromPosition > 1) {
    cannotExclude.push(
      `changes before position ${fromPosition}: verification started from the stored hash of position ${fromPosition - 1}, taken on trust`,
    );
  }

  const end = Math.max(checkedTo, fromPosition - 1);
  if (trustSource.kind === 'anchor' && !facts.brokenAt) {
    if (trustSource.position <= checkedTo) {
      proves.push(
        `the chain still reaches the anchor noted earlier (position ${trustSource.position}, hash ${trustSource.hash}) unchanged: nothing up to it was rewritten, reordered or deleted since it was noted`,
      );
    } else {
      proves.push(`the event at the anchor position ${trustSource.position} still has the anchored hash ${trustSource.hash}`);
      cannotExclude.push(
        `changes between position ${checkedTo} and the anchor (position ${trustSource.position}): the chain was checked only up to ${checkedTo}, so the anchor vouches for nothing before it`,
      );
    }
    if (end > trustSource.position) {
      cannotExclude.push(
        `a consistent rewrite of the events after the anchor (${range(trustSource.position + 1, end)}): nothing outside the database vouches for them yet`,
      );
    }
  }
  if (trustSource.kind === 'checkpoint' && !facts.brokenAt) {
    proves.push(
      `the Merkle root of the first ${trustSource.size} events, recomputed from them, equals the root signed by ${trustSource.keyName} in checkpoint ${trustSource.origin} (size ${trustSource.size}): none of those events was rewritten, reordered or deleted since it was signed`,
    );
    const witnesses = trustSource.cosignedBy ?? [];
    if (witnesses.length > 0) {
      proves.push(
        `the checkpoint was cosigned by ${witnesses.map((w) => `${w.witness} (at ${new Date(w.timestamp * 1000).toISOString()})`).join(', ')}: each vouches that it is consistent with every earlier tree of this log it saw, so a different history shown to others would need them to collude`,
      );
    }
    if (end > trustSource.size) {
      cannotExclude.push(
        `a consistent rewrite of the events after the checkpoint (${range(trustSource.size + 1, end)}): no signed checkpoint covers them yet`,
      );
    }
  }
  if (trustSource.kind === 'none') {
    cannotExclude.push(
      'a consistent rewrite of the whole chain (every event and hash recomputed by someone with write access to the database): nothing outside the database was compared; give an anchor (a head noted earlier) to exclude it',
    );
  }
  if (!facts.brokenAt) {
    const newest = Math.max(toPosition, headPosition, trustSource.kind === 'anchor' ? trustSource.position : 0);
    cannotExclude.push(
      trustSource.kind === 'anchor'
        ? `deletion of events recorded after the anchor (position ${trustSource.position}) from the end of the chain: cutting a chain at its end breaks no link`
        : trustSource.kind === 'checkpoint'
          ? `deletion of events recorded after the checkpoint (position ${trustSource.size}) from the end of the chain: the checkpoint covers only its first ${trustSource.size} events`
          : `deletion of the newest events from the end of the chain${newest > 0 ? ` (after position ${newest})` : ''}: cutting a chain at its end breaks no link; an anchor noted earlier would show it`,
    );
    if (toPosition < headPosition)
      cannotExclude.push(`changes after position ${toPosition}: not checked (the store's head is ${headPosition})`);
  }
  return { trustSource, proves, cannotExclude };
}
