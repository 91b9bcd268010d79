/**
 * The evidence envelope as hashed and exported (docs/evidence-format.md is the auditor's description).
 *
 * hash = lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of the envelope without
 * its `hash` member; prevHash is the hash of the event at the previous global position, and the event at
 * position 1 has prevHash = EVIDENCE_GENESIS_HASH. Because the canonical form sorts members, the text is
 * assembled here from already-canonical `data` and `metadata` in that fixed order, which is what lets
 * verify run without parsing JSON (a test checks it equals canonicalize() of the parsed envelope).
 */
import { canonicalNumber, canonicalString } from './canonical-json';

/** prevHash of the first event: 64 zeros, i.e. "nothing came before". */
export const EVIDENCE_GENESIS_HASH = '0'.repeat(64);

/** Largest accepted event: the canonical JSON of {data, id, metadata, type}, in UTF-8 bytes (1 MiB). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** Every hashed member of an envelope, with data and metadata as canonical JSON text. */
export interface EnvelopeParts {
  id: string;
  stream: string;
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  /** Canonical JSON text of `data`. */
  dataJson: string;
  /** Canonical JSON text of `metadata`. */
  metadataJson: string;
  prevHash: string;
}

/**
 * The exact text that is hashed: canonical JSON of the envelope without `hash`. Members in RFC 8785 order:
 * data, id, metadata, position, prevHash, recordedAt, revision, stream, type. PostgreSQL assembles the same
 * text from the columns when it links appended events under its write lock (evidence_append_chained in
 * infra/event-store/postgres-migrations.ts); the contract tests recompute every hash as an auditor would.
 */
export function envelopeHashInput(parts: EnvelopeParts): string {
  return (
    `{"data":${parts.dataJson}` +
    `,"id":${canonicalString(parts.id)}` +
    `,"metadata":${parts.metadataJson}` +
    `,"position":${canonicalNumber(parts.position)}` +
    `,"prevHash":${canonicalString(parts.prevHash)}` +
    `,"recordedAt":${canonicalString(parts.recordedAt)}` +
    `,"revision":${canonicalNumber(parts.revision)}` +
    `,"stream":${canonicalString(parts.stream)}` +
    `,"type":${canonicalString(parts.type)}}`
  );
}

/** The exported line: canonical JSON of the whole envelope, `hash` included (it sorts after `data`). */
export function canonicalEnvelopeLine(parts: EnvelopeParts & { hash: string }): string {
  const withoutHash = envelopeHashInput(parts);
  const afterData = '{"data":'.length + parts.dataJson.length;
  return `${withoutHash.slice(0, afterData)},"hash":${canonicalString(parts.hash)}${withoutHash.slice(afterData)}`;
}

/** ISO-8601 UTC with milliseconds, the only recordedAt form (sorts as text in time order). */
export const RECORDED_AT_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function formatRecordedAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
