/**
 * The human-readable index of an evidence pack (index.md and index.html), pure: pieces of text that the
 * pack writer (infra/evidence-pack/pack-writer.ts) streams out section by section, so an index of any
 * size is written without holding it. Everything that comes from the evidence is escaped: in HTML as
 * entities, in Markdown with backslashes, and in both, control, bidi and invisible characters are shown
 * as visible escapes so a recorded value cannot disguise itself or the text around it. The HTML page is
 * self-contained: inline style, no script, no external asset (its Content-Security-Policy forbids them).
 */
import type { JsonObject, JsonValue } from '../shared/json';

/** What the index shows of an event. */
export interface IndexedEvent {
  position: number;
  revision: number;
  stream: string;
  type: string;
  recordedAt: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface PackIndexFacts {
  title: string;
  createdAt: string;
  asOf: { position: number; requested: string };
  checkpoint: { origin: string; size: number; rootHash: string; keyName: string; verifierKeys: string[] };
  selection: string;
  events: number;
}

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Control, bidi and invisible characters (and lone surrogates) as visible `\uXXXX`. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** For a Markdown table cell: the characters that could make markup (or end the cell) escaped. */
export function escapeMarkdown(text: string): string {
  return visible(text).replace(/[\\`*_[\]<>|&~#]/g, (c) => `\\${c}`);
}

const MAX_VALUE = 200;

function valueText(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** The members of an event's data that say what it was about, in this order. */
const SUBJECT_KEYS = [
  'systemId',
  'name',
  'requestId',
  'validationId',
  'assessmentId',
  'taskId',
  'kind',
  'outcome',
  'modelVersion',
  'artifactDigest',
  'environment',
  'commit',
  'production',
  'from',
  'to',
  'passed',
  'confirmed',
  'nonconformityId',
  'planId',
  'round',
  'severity',
  'title',
  'reasons',
];

/** "key=value; …" of the event's subject members. */
export function subjectOf(data: JsonObject): string {
  const parts: string[] = [];
  for (const key of SUBJECT_KEYS) {
    const value = data[key];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) parts.push(`${key}=${valueText(value)}`);
  }
  return parts.join('; ');
}

export function actorOf(metadata: JsonObject): string {
  const actor = metadata.actor;
  if (typeof actor === 'object' && actor !== null && !Array.isArray(actor)) {
    const id = typeof actor.id === 'string' ? actor.id : '?';
    return typeof actor.role === 'string' ? `${id} (${actor.role})` : id;
  }
  return '-';
}

/** Someone decided: approvals, sign-offs, refusals, reviews, closures. */
const DECISION = /(Approved|Rejected|Refused|SignedOff|Confirmed|Decided|ChangesRequested|Blocked|ReviewCompleted|ReviewRecorded|Closed)$/;

export function isDecision(event: IndexedEvent): boolean {
  return DECISION.test(event.type);
}

/** A step of a deployment: requested, approved, blocked, completed (what shipped, with its artefact digest). */
export function isDeployment(event: IndexedEvent): boolean {
  return event.type.startsWith('Deployment') && typeof event.data.artifactDigest === 'string';
}

export interface IndexSection {
  title: string;
  columns: string[];
  cells(event: IndexedEvent): string[];
}

const str = (v: JsonValue | undefined): string => (v === undefined || v === null ? '-' : valueText(v));

/** A deployment's approval as the lifecycle records it (`data.approval`: who, whether the policy approved it alone, the task). */
export function approvalOf(data: JsonObject): string {
  const approval = data.approval;
  if (typeof approval !== 'object' || approval === null || Array.isArray(approval)) return '-';
  const who = actorOf({ actor: approval.by ?? null });
  const how = approval.automatic === true ? "automatic (the risk tier's policy)" : who;
  return typeof approval.taskId === 'string' ? `${how}, task ${approval.taskId}` : how;
}

export const DEPLOYMENTS: IndexSection = {
  title: 'Deployments and the artefact digests shipped',
  columns: ['position', 'recorded at', 'step', 'request', 'model version', 'artefact digest', 'environment', 'approval', 'by'],
  cells: (e) => [
    String(e.position),
    e.recordedAt,
    e.type === 'DeploymentCompleted' ? `DeploymentCompleted (shipped${e.data.production === true ? ', production' : ''})` : e.type,
    str(e.data.requestId),
    str(e.data.modelVersion),
    str(e.data.artifactDigest),
    str(e.data.environment),
    approvalOf(e.data),
    actorOf(e.metadata),
  ],
};

export const DECISIONS: IndexSection = {
  title: 'Approvals and decisions: who decided what',
  columns: ['position', 'recorded at', 'decision', 'by', 'about'],
  cells: (e) => [String(e.position), e.recordedAt, e.type, actorOf(e.metadata), subjectOf(e.data)],
};

export const TIMELINE: IndexSection = {
  title: 'Timeline',
  columns: ['position', 'recorded at', 'stream', 'rev', 'event', 'by', 'about'],
  cells: (e) => [String(e.position), e.recordedAt, e.stream, String(e.revision), e.type, actorOf(e.metadata), subjectOf(e.data)],
};

/** The two renderings of the same index. */
export interface IndexFormat {
  start(facts: PackIndexFacts): string;
  group(title: string, lines: string[]): string;
  sectionStart(section: IndexSection): string;
  row(section: IndexSection, event: IndexedEvent): string;
  sectionEnd(section: IndexSection, rows: number): string;
  end(): string;
}

function factLines(f: PackIndexFacts): Array<[string, string]> {
  return [
    ['created', f.createdAt],
    ['as of', `position ${f.asOf.position} (asked for: ${f.asOf.requested})`],
    ['selection', f.selection],
    ['events', String(f.events)],
    ['checkpoint', `${f.checkpoint.origin}, size ${f.checkpoint.size}, root ${f.checkpoint.rootHash}, signed by ${f.checkpoint.keyName}`],
    ['verifier keys in the pack', f.checkpoint.verifierKeys.join(', ')],
  ];
}

const VERIFY_NOTE =
  'This index is a reading aid written by the packer; it is not verified. What counts is events.jsonl, checked with `aims evidence verify-pack FILE --key <verifier key>` or by hand as docs/evidence-pack.md describes.';

export const MARKDOWN: IndexFormat = {
  start: (f) =>
    `# ${escapeMarkdown(f.title)}\n\n${factLines(f)
      .map(([k, v]) => `- **${k}**: ${escapeMarkdown(v)}`)
      .join('\n')}\n\n${VERIFY_NOTE.replace(/`/g, '')}\n`,
  group: (title, lines) => `\n## ${escapeMarkdown(title)}\n\n${lines.map((l) => `${escapeMarkdown(l)}\n`).join('')}`,
  sectionStart: (s) => `\n### ${escapeMarkdown(s.title)}\n\n| ${s.columns.join(' | ')} |\n|${s.columns.map(() => ' --- |').join('')}\n`,
  row: (s, e) => `| ${s.cells(e).map(escapeMarkdown).join(' | ')} |\n`,
  sectionEnd: (_s, rows) => (rows === 0 ? '| (none) |\n' : ''),
  end: () => '',
};

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0 1.5em}' +
  'th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top;font-size:.9em}' +
  'td{font-family:ui-monospace,monospace;word-break:break-all}th{background:#eee}dt{font-weight:bold}';

export const HTML: IndexFormat = {
  start: (f) =>
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>${escapeHtml(f.title)}</title><style>${STYLE}</style></head><body>\n<h1>${escapeHtml(f.title)}</h1>\n<dl>\n` +
    factLines(f)
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>\n`)
      .join('') +
    `</dl>\n<p>${escapeHtml(VERIFY_NOTE)}</p>\n`,
  group: (title, lines) => `<h2>${escapeHtml(title)}</h2>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>\n`).join('')}`,
  sectionStart: (s) =>
    `<h3>${escapeHtml(s.title)}</h3>\n<table><thead><tr>${s.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>\n`,
  row: (s, e) =>
    `<tr>${s
      .cells(e)
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join('')}</tr>\n`,
  sectionEnd: (s, rows) => `${rows === 0 ? `<tr><td colspan="${s.columns.length}">(none)</td></tr>\n` : ''}</tbody></table>\n`,
  end: () => '</body></html>\n',
};
