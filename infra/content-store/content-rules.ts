/**
 * What every content-store adapter checks before it stores anything: the digest's form, the size limit,
 * the content-type allow-list and, when the caller claims a digest, that it is the bytes' own.
 */
import { createHash } from 'node:crypto';
import { ATTACHMENT_CONTENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../domain/document/content';
import { isSha256Digest } from '../../domain/shared/artifact-digest';
import type { ContentLimits, PutContentInput } from '../ports/content-store.port';

export const DEFAULT_CONTENT_LIMITS: ContentLimits = { maxBytes: MAX_ATTACHMENT_BYTES, contentTypes: ATTACHMENT_CONTENT_TYPES };

export type ContentRefusal = 'CONTENT_TOO_LARGE' | 'CONTENT_TYPE_NOT_ALLOWED' | 'DIGEST_MISMATCH' | 'INVALID_DIGEST' | 'CONTENT_EMPTY';

/** Why content was not stored; nothing was. */
export class ContentRefusedError extends Error {
  constructor(
    readonly code: ContentRefusal,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ContentRefusedError';
  }
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The content type without parameters, lower case (`text/markdown; charset=utf-8` → `text/markdown`). */
export function bareContentType(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Checks the input against the limits; the bytes' digest and bare content type when it may be stored. */
export function checkContent(input: PutContentInput, limits: ContentLimits): { digest: string; contentType: string } {
  if (!(input.bytes instanceof Uint8Array) || input.bytes.byteLength === 0)
    throw new ContentRefusedError('CONTENT_EMPTY', 'The content is empty.');
  if (input.bytes.byteLength > limits.maxBytes)
    throw new ContentRefusedError(
      'CONTENT_TOO_LARGE',
      `The content is ${input.bytes.byteLength} bytes; at most ${limits.maxBytes} are accepted.`,
      {
        size: input.bytes.byteLength,
        maxBytes: limits.maxBytes,
      },
    );
  const contentType = bareContentType(typeof input.contentType === 'string' ? input.contentType : '');
  if (!limits.contentTypes.includes(contentType))
    throw new ContentRefusedError(
      'CONTENT_TYPE_NOT_ALLOWED',
      `Content of type ${contentType || '(none)'} is not accepted; allowed: ${limits.contentTypes.join(', ')}.`,
      {
        contentType,
        allowed: [...limits.contentTypes],
      },
    );
  if (input.digest !== undefined && !isSha256Digest(input.digest))
    throw new ContentRefusedError('INVALID_DIGEST', 'A digest is sha256: followed by 64 lowercase hex digits.', {
      digest: String(input.digest),
    });
  const digest = sha256Digest(input.bytes);
  if (input.digest !== undefined && input.digest !== digest)
    throw new ContentRefusedError('DIGEST_MISMATCH', `The bytes' digest is ${digest}, not ${input.digest}; nothing was stored.`, {
      claimed: input.digest,
      actual: digest,
    });
  return { digest, contentType };
}

export const CONTENT_MIGRATIONS_TABLE = 'content_schema_migrations';
