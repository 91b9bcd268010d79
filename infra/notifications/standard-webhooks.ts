/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, symmetric scheme): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>` with the key the `whsec_` secret encodes, sent as
 * `webhook-signature: v1,<base64>`. The id must hold no `.` (it is a delimiter of the signed content).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { webhookSecretKeyLength } from '../../domain/notifications/directory';

export interface WebhookSignatureInput {
  id: string;
  /** Seconds since the Unix epoch, of this attempt. */
  timestamp: number;
  body: string;
  secret: string;
}

export class InvalidWebhookSecretError extends Error {
  constructor() {
    // Says what is wrong without the value.
    super('A webhook secret must be whsec_ followed by the base64 of 24 to 64 random bytes');
    this.name = 'InvalidWebhookSecretError';
  }
}

function keyOf(secret: string): Buffer {
  if (webhookSecretKeyLength(secret) === null) throw new InvalidWebhookSecretError();
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

export function webhookSignature(input: WebhookSignatureInput): string {
  if (input.id.includes('.') || !Number.isSafeInteger(input.timestamp))
    throw new Error('webhook-id must hold no "." and the timestamp must be whole seconds');
  const mac = createHmac('sha256', keyOf(input.secret)).update(`${input.id}.${input.timestamp}.${input.body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a signed webhook request. */
export function webhookHeaders(input: WebhookSignatureInput): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return { 'webhook-id': input.id, 'webhook-timestamp': String(input.timestamp), 'webhook-signature': webhookSignature(input) };
}

/** True when one of the space-separated `v1` signatures matches (constant-time comparison). */
export function webhookSignatureMatches(input: WebhookSignatureInput, header: string): boolean {
  const expected = Buffer.from(webhookSignature(input).slice(3), 'base64');
  return header.split(' ').some((entry) => {
    if (!entry.startsWith('v1,')) return false;
    const given = Buffer.from(entry.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
