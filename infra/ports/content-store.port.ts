/**
 * The content-store port: the bytes of documents (Markdown, attachments) kept by their SHA-256 digest in a
 * table beside the evidence (table document_contents, in the evidence store's own database), so that the
 * digest recorded in the evidence proves the bytes. Content is checked before anything is stored (size
 * limit, content-type allow-list, a claimed digest that must match the bytes) and stored in one statement:
 * a refusal or a crash leaves nothing half-stored. Content is never changed or deleted (7.5.3: retention).
 * Adapters: infra/content-store/sqlite-content-store.ts and postgres-content-store.ts, both passing
 * test/integration/content-store/content-store.contract.ts.
 */

export interface StoredContent {
  /** `sha256:` and 64 lowercase hex digits. */
  digest: string;
  contentType: string;
  size: number;
  storedAt: string;
}

export interface PutContentInput {
  bytes: Uint8Array;
  contentType: string;
  /** The digest the caller claims; refused (DIGEST_MISMATCH) unless it is the bytes' own. */
  digest?: string;
}

export interface ContentLimits {
  maxBytes: number;
  contentTypes: readonly string[];
}

export interface ContentStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly limits: ContentLimits;
  /**
   * Stores the bytes under their digest, or finds them already stored (`created: false`: the same bytes,
   * kept as first stored). Errors: ContentRefusedError (nothing is stored).
   */
  put(input: PutContentInput): Promise<StoredContent & { created: boolean }>;
  /** The bytes and what is known of them, or null when no content has this digest. */
  get(digest: string): Promise<{ content: StoredContent; bytes: Buffer } | null>;
  /** What is known of the content, without its bytes, or null. */
  head(digest: string): Promise<StoredContent | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
