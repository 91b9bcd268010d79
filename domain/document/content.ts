/**
 * What a version's content must be: Markdown and/or attachments referenced by SHA-256 digest, a change
 * summary, and for planned changes to the AIMS (6.3) the reason and consequences. The AI policy (5.2,
 * A.2.2, A.2.3) must have its required sections, found by their Markdown headings.
 */
import { isSha256Digest } from '../shared/artifact-digest';
import { parseFixedDuration } from '../shared/iso-time';
import type { ValidationIssue } from '../shared/validation';

export const MAX_MARKDOWN_CHARS = 200_000;
export const MAX_ATTACHMENTS = 20;
/** The content types an attachment may have (the content store checks the same list before storing). */
export const ATTACHMENT_CONTENT_TYPES = [
  'application/pdf',
  'text/markdown',
  'text/plain',
  'text/csv',
  'application/json',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
/** The largest attachment accepted, in bytes. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** One required section of the AI policy: how its heading is recognised, and what it must say. */
export type PolicySection = {
  id: string;
  heading: string;
  matches: RegExp;
  mustMention: { words: RegExp; what: string }[];
  needsList: boolean;
};

/** The AI policy's required sections (5.2 a–d, A.2.2, A.2.3). */
export const AI_POLICY_SECTIONS: readonly PolicySection[] = [
  { id: 'purpose', heading: 'Purpose', matches: /purpose/i, mustMention: [], needsList: false },
  {
    id: 'commitments',
    heading: 'Commitments',
    matches: /commitment/i,
    mustMention: [
      { words: /requirements/i, what: 'a commitment to satisfy applicable requirements (5.2 c)' },
      { words: /continual improvement/i, what: 'a commitment to continual improvement of the AIMS (5.2 d)' },
    ],
    needsList: false,
  },
  { id: 'objectives', heading: 'Framework for objectives', matches: /objective/i, mustMention: [], needsList: false },
  {
    id: 'related_policies',
    heading: 'Related policies',
    matches: /related|other polic|alignment|checked against/i,
    mustMention: [],
    needsList: true,
  },
];

type Heading = { title: string; body: string };

/** Level-1 to level-3 Markdown headings with the text under each (up to the next heading). */
export function markdownSections(markdown: string): Heading[] {
  const out: Heading[] = [];
  let current: Heading | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^#{1,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      current = { title: m[1] ?? '', body: '' };
      out.push(current);
    } else if (current) current.body += `${line}\n`;
  }
  return out;
}

/** What the AI policy's text lacks, one issue per missing or incomplete section (empty when complete). */
export function aiPolicyIssues(markdown: string | null | undefined): ValidationIssue[] {
  const wanted = AI_POLICY_SECTIONS.map((s) => `"## ${s.heading}"`).join(', ');
  if (typeof markdown !== 'string' || markdown.trim() === '')
    return [{ field: 'markdown', problem: `the AI policy needs its text in Markdown, with the sections ${wanted}` }];
  const sections = markdownSections(markdown);
  // Each required section takes the first heading it fits that no earlier section took.
  const issues: ValidationIssue[] = [];
  const used = new Set<Heading>();
  for (const s of AI_POLICY_SECTIONS) {
    const found = sections.find((h) => !used.has(h) && s.matches.test(h.title));
    if (!found) {
      issues.push({
        field: `markdown.${s.id}`,
        problem: `the AI policy has no "${s.heading}" section (a heading such as "## ${s.heading}")`,
      });
      continue;
    }
    used.add(found);
    if (found.body.trim() === '') issues.push({ field: `markdown.${s.id}`, problem: `the "${found.title}" section is empty` });
    for (const m of s.mustMention)
      if (!m.words.test(found.body))
        issues.push({ field: `markdown.${s.id}`, problem: `the "${found.title}" section must state ${m.what}` });
    if (s.needsList && !/^\s*([-*+]|\d+\.)\s+\S/m.test(found.body))
      issues.push({
        field: `markdown.${s.id}`,
        problem: `the "${found.title}" section must list the other policies the AI policy was checked against (A.2.3), one list item each`,
      });
  }
  return issues;
}

/** True for an ISO 8601 interval a review may take: calendar months/years (P12M, P1Y) or fixed units (P30D, PT5S). */
export function isReviewInterval(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  if (/^P[1-9]\d{0,2}[MY]$/.test(text)) return true;
  const ms = parseFixedDuration(text);
  return ms !== null && ms > 0;
}

/** The instant an interval after `at` (calendar months clamp to the month's last day: 31 Jan + P1M = 28/29 Feb). */
export function addInterval(at: string, interval: string): string {
  const calendar = /^P(\d+)([MY])$/.exec(interval);
  if (calendar) {
    const months = Number(calendar[1]) * (calendar[2] === 'Y' ? 12 : 1);
    const d = new Date(at);
    const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
    target.setUTCHours(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    return target.toISOString();
  }
  const ms = parseFixedDuration(interval);
  if (ms === null) throw new Error(`bug: ${interval} is not a review interval`);
  return new Date(Date.parse(at) + ms).toISOString();
}

export function isAttachmentDigest(value: unknown): value is string {
  return isSha256Digest(value);
}
