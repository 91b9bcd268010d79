import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import type { JsonObject } from '../../../domain/shared/json';
import { canonicalEnvelopeLine, EnvelopeParts, envelopeHashInput, EVIDENCE_GENESIS_HASH } from '../../../domain/evidence/evidence-envelope';
import { sha256Hex } from '../../../infra/event-store/evidence-hashing';

const DOC = fs.readFileSync(path.resolve(__dirname, '../../../docs/evidence-format.md'), 'utf8');

/** The fenced block that follows `<!-- example:NAME -->` in docs/evidence-format.md. */
function example(name: string): string {
  const match = new RegExp(`<!-- example:${name} -->\\n\`\`\`(?:json|text)\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/evidence-format.md has no example ${name}`);
  return match[1];
}

type Envelope = Omit<EnvelopeParts, 'dataJson' | 'metadataJson'> & { data: JsonObject; metadata: JsonObject };

function parts(envelope: Envelope): EnvelopeParts {
  const { data, metadata, ...rest } = envelope;
  return { ...rest, dataJson: canonicalize(data), metadataJson: canonicalize(metadata) };
}

describe('docs/evidence-format.md worked example', () => {
  const event1 = JSON.parse(example('event-1')) as Envelope;
  const event2 = JSON.parse(example('event-2')) as Envelope;

  it('given the documented genesis value, when compared with the code, then they are the same', () => {
    expect(DOC).toContain(`genesis = "${EVIDENCE_GENESIS_HASH}"`);
    expect(event1.prevHash).toBe(EVIDENCE_GENESIS_HASH);
  });

  it.each([
    ['event-1', event1],
    ['event-2', event2],
  ])('given %s, when canonicalised and hashed, then the documented canonical text and hash come out', (name, event) => {
    // when
    const canonical = canonicalize(event);
    // then
    expect(canonical).toBe(example(`${name}-canonical`));
    expect(sha256Hex(canonical)).toBe(example(`${name}-hash`));
    // and the store's column-based assembly (used by verify) gives the same bytes
    expect(envelopeHashInput(parts(event))).toBe(canonical);
  });

  it('given event 2, when its link is checked, then its prevHash is the hash of event 1', () => {
    expect(event2.prevHash).toBe(example('event-1-hash'));
  });

  it('given event 1 with its hash, when written as an export line, then it is the documented line and canonical JSON of the whole envelope', () => {
    const hash = example('event-1-hash');
    const line = canonicalEnvelopeLine({ ...parts(event1), hash });
    expect(line).toBe(example('event-1-export'));
    expect(line).toBe(canonicalize({ ...event1, hash }));
  });

  it('given the documented member order, when compared with the canonical sort, then it matches', () => {
    const order = Object.keys(JSON.parse(example('event-1-canonical')) as object);
    expect(DOC).toContain(`\`${order.join(', ')}\``);
  });
});
