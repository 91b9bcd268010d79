/**
 * The AI policy in force when a gate is decided (ISO/IEC 42001 5.2, A.2.2): the lifecycle's deployment gate
 * and the risk process's acceptance record which published version of the AI policy the decision was taken
 * under, so an auditor can tie each decision to the policy text (by digest) that governed it. Read from the
 * controlled documents' evidence (documents of kind `ai_policy`) by an activity; an empty list is the record
 * that no AI policy was in force then. Kept apart from the domains so neither imports the document domain.
 */
import { isIsoTimestamp } from './iso-time';
import type { ValidationIssues } from './validation';

/** One AI policy document's version in force at the instant asked. */
export type AiPolicyVersionRef = {
  documentId: string;
  title: string;
  version: number;
  /** `sha256:…` of the version's Markdown text (null for a version that is only attachments). */
  markdownDigest: string | null;
  /** `sha256:…` of each attachment, in the version's order. */
  attachmentDigests: string[];
  publishedAt: string;
};

/** What the activity answers: every AI policy in force at `asOf` (none: an empty list), and where it read them. */
export type AiPolicyInForce = { asOf: string; policies: AiPolicyVersionRef[]; source: string };

/** Where the policies were read: the documents' own evidence streams, folded as of the instant. */
export const AI_POLICY_SOURCE = 'document evidence (kind ai_policy), folded as of the decision';

/** The short form shown beside a decision: "ai-policy v2 (sha256 …)" or "none in force". */
export function aiPolicySummary(policies: readonly AiPolicyVersionRef[]): string {
  if (policies.length === 0) return 'none in force';
  return policies.map((p) => `${p.documentId} v${p.version}${p.markdownDigest ? ` (${p.markdownDigest.slice(0, 19)}…)` : ''}`).join(', ');
}

/** The document domain's digests: `sha256:` and 64 lower-case hex digits. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Checks a list of policy versions as a command carries it (field names under `field`). */
export function checkAiPolicies(v: ValidationIssues, field: string, policies: unknown): void {
  if (!Array.isArray(policies)) {
    v.add(field, 'must be a list of AI policy versions (empty when none is in force)');
    return;
  }
  policies.forEach((raw, i) => {
    const p = (raw ?? {}) as Partial<AiPolicyVersionRef>;
    const at = `${field}[${i}]`;
    v.text(`${at}.documentId`, p.documentId);
    v.text(`${at}.title`, p.title);
    if (typeof p.version !== 'number' || !Number.isInteger(p.version) || p.version < 1) v.add(`${at}.version`, 'must be a version number');
    if (p.markdownDigest !== null && (typeof p.markdownDigest !== 'string' || !DIGEST.test(p.markdownDigest)))
      v.add(`${at}.markdownDigest`, 'must be a SHA-256 digest (sha256: and 64 lower-case hex digits) or null');
    if (!Array.isArray(p.attachmentDigests) || p.attachmentDigests.some((d) => typeof d !== 'string' || !DIGEST.test(d)))
      v.add(`${at}.attachmentDigests`, 'must be a list of SHA-256 digests');
    if (!isIsoTimestamp(p.publishedAt)) v.add(`${at}.publishedAt`, 'must be an ISO-8601 timestamp');
  });
}
