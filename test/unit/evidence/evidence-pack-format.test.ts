/**
 * docs/evidence-pack.md's worked example, checked against the code: event 3's hash and line, the leaf
 * hashes, the root in the checkpoint, the proofs.jsonl lines, and the pack's own line-by-line check of a
 * pack holding events 1 and 3 (and its refusal of each line changed).
 */
import { hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import { hexToDigest, inclusionLine, PackFailures, type PackHashing } from '../../../domain/evidence/evidence-pack';
import { PackEventCheck } from '../../../domain/evidence/evidence-pack-check';
import { appendLeaves, inclusionProof, lookupIn, rootAt, verifyInclusion } from '../../../domain/evidence/merkle';
import { sha256Hex } from '../../../infra/event-store/evidence-hashing';
import { RFC6962_SHA256 as H } from '../../../infra/event-store/rfc6962-hasher';

const docs = path.resolve(__dirname, '../../../docs');
const PACK_DOC = fs.readFileSync(path.join(docs, 'evidence-pack.md'), 'utf8');
const FORMAT_DOC = fs.readFileSync(path.join(docs, 'evidence-format.md'), 'utf8');

function example(doc: string, name: string): string {
  const match = new RegExp(`<!-- example:${name} -->\\n\`\`\`(?:json|text)\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!match) throw new Error(`no example ${name}`);
  return match[1];
}

const HASHING: PackHashing = {
  merkle: H,
  sha256Hex,
  leafHashOfLine: (line) => hash('sha256', `\u0000${line}`, 'buffer'),
  fromHex: hexToDigest,
};

describe('docs/evidence-pack.md worked example', () => {
  const event2 = JSON.parse(example(FORMAT_DOC, 'event-2')) as Record<string, unknown>;
  const event3 = JSON.parse(example(PACK_DOC, 'event-3')) as Record<string, unknown>;
  const lines = [
    example(FORMAT_DOC, 'event-1-export'),
    canonicalize({ ...event2, hash: example(FORMAT_DOC, 'event-2-hash') }),
    example(PACK_DOC, 'event-3-line'),
  ];
  const leaves = lines.map((l) => H.hashLeaf(Buffer.from(l, 'utf8')));
  const lookup = lookupIn(appendLeaves(H, lookupIn([]), 0, leaves));
  const root = Buffer.from(example(PACK_DOC, 'root'), 'base64');

  it('event 3 links to event 2, hashes as documented, and its line is the canonical envelope with its hash', () => {
    expect(event3.prevHash).toBe(example(FORMAT_DOC, 'event-2-hash'));
    expect(sha256Hex(canonicalize(event3))).toBe(example(PACK_DOC, 'event-3-hash'));
    expect(canonicalize({ ...event3, hash: example(PACK_DOC, 'event-3-hash') })).toBe(lines[2]);
  });

  it('the leaf hashes and the root are the documented ones', () => {
    expect(leaves.map((l) => Buffer.from(l).toString('hex')).join('\n')).toBe(example(PACK_DOC, 'leaves'));
    expect(Buffer.from(rootAt(H, lookup, 3)).equals(root)).toBe(true);
  });

  it('the proofs.jsonl lines are what the pack writer writes, and each verifies', () => {
    const written = [1, 3].map((position) =>
      inclusionLine(
        position,
        3,
        inclusionProof(H, lookup, position - 1, 3).map((h) => Buffer.from(h).toString('hex')),
      ),
    );
    expect(written.join('\n')).toBe(example(PACK_DOC, 'proofs'));
    for (const [i, position] of [1, 3].entries()) {
      const proof = JSON.parse(written[i]) as { hashes: string[] };
      const path_ = proof.hashes.map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(H, position - 1, 3, leaves[position - 1], path_, root)).toBe(true);
    }
  });

  const check = (eventLines: string[], proofLines: string[]): string[] => {
    const failures = new PackFailures();
    const checker = new PackEventCheck(HASHING, failures, { size: 3, rootHash: root }, undefined);
    for (let i = 0; i < Math.max(eventLines.length, proofLines.length); i++) checker.add(eventLines[i], proofLines[i]);
    checker.finish();
    return failures.list.map((f) => `${f.position ?? '-'}:${f.reason}`);
  };

  it("a pack of system 42's events 1 and 3 passes the pack's line check; each change fails it", () => {
    const proofs = example(PACK_DOC, 'proofs').split('\n');
    const pack = [lines[0], lines[2]];
    expect(check(pack, proofs)).toEqual([]);
    // a member reordered inside the line: same JSON, not the canonical bytes, so neither hash nor leaf holds
    const reordered = JSON.stringify({ id: event3.id, ...JSON.parse(lines[2]) });
    expect(check([lines[0], reordered], proofs)).toEqual(['3:not-canonical', '3:proof-invalid']);
    expect(check([lines[0], lines[2].replace('carla', 'carlo')], proofs)).toEqual(['3:hash-mismatch', '3:proof-invalid']);
    expect(check([lines[2], lines[0]], [proofs[1], proofs[0]])).toEqual(['3:revision-gap', '1:out-of-order', '1:revision-gap']);
    expect(check([lines[0]], proofs)).toEqual(['-:proof-mismatch']);
    expect(check(pack, [proofs[0]])).toEqual(['3:proof-missing']);
  });
});
