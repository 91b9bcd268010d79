/**
 * The contract every content-store adapter passes (run by sqlite-content-store.test.ts and
 * postgres-content-store.test.ts against a fresh database each): content by digest, checked before
 * anything is stored, never half-stored.
 */
import { ContentRefusedError, sha256Digest } from '../../../infra/content-store/content-rules';
import type { ContentLimits, ContentStore } from '../../../infra/ports/content-store.port';

export const TEST_LIMITS: ContentLimits = { maxBytes: 1024, contentTypes: ['text/markdown', 'application/pdf'] };

export interface ContentStoreHarness {
  /** Opens a store on the harness's database (its own connection), with TEST_LIMITS. */
  open(): Promise<ContentStore>;
  /** How many rows the table holds, read around the store. */
  rowCount(): Promise<number>;
  dispose(): Promise<void>;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function refused(work: Promise<unknown>, code: string): Promise<ContentRefusedError> {
  const error = await work.then(
    () => {
      throw new Error(`expected ${code}, but it was stored`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContentRefusedError);
  expect((error as ContentRefusedError).code).toBe(code);
  return error as ContentRefusedError;
}

export function contentStoreContract(name: string, makeHarness: () => Promise<ContentStoreHarness>): void {
  describe(`${name} content store (contract)`, () => {
    let harness: ContentStoreHarness;
    let store: ContentStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store?.close();
      await harness?.dispose();
    });

    it('given Markdown, when stored, then it is found by its SHA-256 digest, byte for byte, by another connection too', async () => {
      const md = bytes('# AI policy\n\n## Purpose\n');
      const stored = await store.put({ bytes: md, contentType: 'text/markdown; charset=utf-8' });
      expect(stored).toMatchObject({ digest: sha256Digest(md), contentType: 'text/markdown', size: md.byteLength, created: true });
      const other = await harness.open();
      try {
        const found = await other.get(stored.digest);
        expect(found?.content).toEqual({
          digest: stored.digest,
          contentType: 'text/markdown',
          size: md.byteLength,
          storedAt: stored.storedAt,
        });
        expect(Buffer.compare(found?.bytes ?? Buffer.alloc(0), Buffer.from(md))).toBe(0);
      } finally {
        await other.close();
      }
    });

    it('given the same bytes twice, when stored, then they are kept once, as first stored', async () => {
      const first = await store.put({ bytes: bytes('same'), contentType: 'text/markdown' });
      const again = await store.put({ bytes: bytes('same'), contentType: 'application/pdf', digest: first.digest });
      expect(again).toEqual({ ...first, created: false });
      expect(await harness.rowCount()).toBe(1);
    });

    it('given a claimed digest that is not the bytes’ own, when stored, then it is refused and nothing is stored', async () => {
      const claimed = sha256Digest(bytes('other bytes'));
      const error = await refused(
        store.put({ bytes: bytes('these bytes'), contentType: 'text/markdown', digest: claimed }),
        'DIGEST_MISMATCH',
      );
      expect(error.details).toEqual({ claimed, actual: sha256Digest(bytes('these bytes')) });
      await refused(store.put({ bytes: bytes('x'), contentType: 'text/markdown', digest: 'md5:abc' }), 'INVALID_DIGEST');
      expect(await store.head(sha256Digest(bytes('these bytes')))).toBeNull();
      expect(await harness.rowCount()).toBe(0);
    });

    it('given content over the size limit or of a type not allowed, when stored, then it is refused before anything is stored', async () => {
      await refused(store.put({ bytes: new Uint8Array(1025).fill(65), contentType: 'text/markdown' }), 'CONTENT_TOO_LARGE');
      await refused(store.put({ bytes: bytes('MZ'), contentType: 'application/x-msdownload' }), 'CONTENT_TYPE_NOT_ALLOWED');
      await refused(store.put({ bytes: new Uint8Array(0), contentType: 'text/markdown' }), 'CONTENT_EMPTY');
      expect(await harness.rowCount()).toBe(0);
      // At the limit it is accepted.
      await store.put({ bytes: new Uint8Array(1024).fill(65), contentType: 'application/pdf' });
      expect(await harness.rowCount()).toBe(1);
    });

    it('given a digest nobody stored, or no digest at all, when read, then there is nothing', async () => {
      expect(await store.get(sha256Digest(bytes('never stored')))).toBeNull();
      expect(await store.get('../etc/passwd')).toBeNull();
      expect(await store.head('sha256:XYZ')).toBeNull();
    });
  });
}
