/**
 * A short, pure digest of text (no I/O, no Node crypto), so workflow code can name things after their
 * content and replay names them the same. Not a cryptographic hash: what it names must be unguessable
 * through a secret part of the text (a workflow's random salt), not through the digest itself.
 */

/** 32-bit FNV-1a over the UTF-16 code units of `text`, started from `seed`. */
function fnv1a32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3's fmix32), so similar texts differ in every hex digit.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** 64 bits of digest as 16 lower-case hex digits (two independently seeded 32-bit halves). */
export function shortDigest(text: string): string {
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return `${hex(fnv1a32(text, 0))}${hex(fnv1a32(text, 0x5bd1e995))}`;
}
