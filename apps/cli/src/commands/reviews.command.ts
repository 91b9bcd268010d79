/**
 * `aims reviews`: management reviews (ISO/IEC 42001 9.3), through the API.
 *
 *   aims reviews list [--json]
 *   aims reviews show ID [--json]
 *   aims reviews inputs [ID] [--as-of DATE | --position N] [--json]    the 9.3.2 input pack (a preview)
 *   aims reviews verify ID [--json]        recompute the recorded pack at its position; exit 1 if it differs
 *   aims reviews plan ID --title T --planned-for INSTANT --chair PERSON [--interval P182D]
 *   aims reviews compile ID | minutes ID --attendee A [--attendee B …] --text T
 *   aims reviews decide ID --kind K --owner O --due DATE --text T | sign-off ID
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role reads; planning needs top management or the AIMS owner).
 * Exit 0 success, 1 a verification that does not match, 2 an error (bad arguments, the API unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import type { ManagementReview } from '../../../../domain/management-review/model';
import type { ReviewInputPack } from '../../../../domain/management-review/inputs';
import { ApiCallError, getJson, getText, postJson } from '../api-get';
import { writeReport } from '../report-output';
import { printable } from '../printable';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';

export interface ReviewsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): ReviewsIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const REVIEWS_USAGE = `Usage: aims reviews list [--json] | show ID [--json] | inputs [ID] [--as-of DATE | --position N] [--json]
       | verify ID [--json] | plan ID --title T --planned-for INSTANT --chair PERSON [--interval P182D]
       | compile ID | minutes ID --attendee A [--attendee B ...] --text T
       | decide ID --kind continual_improvement_opportunity|change_to_the_aims|resource_need --owner O --due DATE --text T
       | sign-off ID | report ID [--format md|html] [--as-of DATE | --position N] [--out FILE]
  Management reviews (ISO/IEC 42001 9.3) from the API: AIMS_URL and AIMS_TOKEN. inputs: the 9.3.2 input pack
  compiled from the evidence (now, at a position, or as of a date), each input with the evidence ids it rests
  on and its gaps; verify: the recorded pack recomputed at its position (exit 1 when the hash differs);
  report: the review as Markdown or one self-contained HTML file, to stdout or --out FILE.`;

const SUBCOMMANDS = ['list', 'show', 'inputs', 'verify', 'plan', 'compile', 'minutes', 'decide', 'sign-off', 'report'] as const;

export async function reviewsCommand(argv: string[], io: ReviewsIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (!(SUBCOMMANDS as readonly (string | undefined)[]).includes(sub))
    throw new UsageError(
      sub === undefined ? `reviews needs a command\n\n${REVIEWS_USAGE}` : `unknown reviews command "${sub}"\n\n${REVIEWS_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      'as-of': { type: 'string' },
      position: { type: 'string' },
      title: { type: 'string' },
      'planned-for': { type: 'string' },
      chair: { type: 'string' },
      interval: { type: 'string', default: 'P182D' },
      attendee: { type: 'string', multiple: true },
      text: { type: 'string' },
      kind: { type: 'string' },
      owner: { type: 'string' },
      due: { type: 'string' },
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const needsId = sub !== 'list' && sub !== 'inputs';
  if (needsId && positionals.length !== 1) throw new UsageError(`reviews ${sub} needs one review id\n\n${REVIEWS_USAGE}`);
  if (!needsId && positionals.length > (sub === 'inputs' ? 1 : 0)) throw new UsageError(`too many arguments\n\n${REVIEWS_USAGE}`);
  if (values['as-of'] !== undefined && values.position !== undefined) throw new UsageError('give --as-of or --position, not both');
  if (values.position !== undefined && !/^\d+$/.test(values.position)) throw new UsageError('--position must be a whole number');
  if (values.format !== 'md' && values.format !== 'html') throw new UsageError(`--format must be md or html, not "${values.format}"`);
  if (values.out === '') throw new UsageError('--out needs a file name');
  const asOf = values['as-of'] === undefined ? undefined : asOfInstant(values['as-of']);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const url = `${baseUrl}/v1/management-reviews`;
  const out = (value: unknown, text: () => string): void => io.stdout(values.json ? `${JSON.stringify(value)}\n` : text());
  try {
    switch (sub) {
      case 'list': {
        const body = (await getJson(`${url}?limit=500`, token)) as { items: ManagementReview[] };
        out(body, () => formatReviews(body.items));
        return 0;
      }
      case 'show': {
        const review = (await getJson(`${url}/${encodeURIComponent(positionals[0])}`, token)) as ManagementReview;
        out(review, () => formatReview(review));
        return 0;
      }
      case 'inputs': {
        const q = new URLSearchParams();
        if (positionals[0] !== undefined) q.set('reviewId', positionals[0]);
        if (asOf !== undefined) q.set('asOf', asOf);
        if (values.position !== undefined) q.set('position', values.position);
        const body = (await getJson(`${url}/inputs?${q.toString()}`, token)) as {
          position: number;
          packHash: string;
          pack: ReviewInputPack;
        };
        out(body, () => formatPack(body.pack, body.packHash));
        return 0;
      }
      case 'verify': {
        const body = (await getJson(`${url}/${encodeURIComponent(positionals[0])}/inputs/verification`, token)) as {
          position: number;
          recordedHash: string;
          recomputedHash: string;
          matches: boolean;
        };
        out(body, () =>
          body.matches
            ? `The input pack recomputed at position ${body.position} matches: ${body.recordedHash}\n`
            : `MISMATCH at position ${body.position}: recorded ${body.recordedHash}, recomputed ${body.recomputedHash}\n`,
        );
        return body.matches ? 0 : 1;
      }
      case 'report': {
        const q = new URLSearchParams({ format: values.format });
        const at = values.position ?? asOf;
        if (at !== undefined) q.set('asOf', at);
        const text = await getText(
          `${url}/${encodeURIComponent(positionals[0])}/report?${q.toString()}`,
          token,
          values.format === 'html' ? 'text/html' : 'text/markdown',
        );
        writeReport(text, values.out, io, `report of management review ${printable(positionals[0])}`);
        return 0;
      }
      case 'plan': {
        if (!values.title || !values['planned-for'] || !values.chair)
          throw new UsageError(`reviews plan needs --title, --planned-for and --chair\n\n${REVIEWS_USAGE}`);
        const body = await postJson(url, token, {
          reviewId: positionals[0],
          title: values.title,
          plannedFor: values['planned-for'],
          chair: values.chair,
          interval: values.interval,
        });
        out(body, () => `Planned management review ${positionals[0]}.\n`);
        return 0;
      }
      case 'compile':
      case 'minutes':
      case 'decide':
      case 'sign-off': {
        const step = STEPS[sub];
        const body = (await postJson(`${url}/${encodeURIComponent(positionals[0])}/${step.path}`, token, step.body(values))) as {
          actionId?: string | null;
          nextReviewId?: string | null;
        };
        out(
          body,
          () =>
            `${step.done(positionals[0])}${body.actionId ? ` Action: improvement ${body.actionId}.` : ''}${body.nextReviewId ? ` Next review: ${body.nextReviewId}.` : ''}\n`,
        );
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
  return 2;
}

type StepValues = { attendee?: string[]; text?: string; kind?: string; owner?: string; due?: string };

/** The write steps after planning: where each posts and what it sends (the API checks the rest). */
const STEPS: Record<
  'compile' | 'minutes' | 'decide' | 'sign-off',
  { path: string; body: (v: StepValues) => object; done: (id: string) => string }
> = {
  compile: { path: 'inputs', body: () => ({}), done: (id) => `Compiled the input pack of ${id}.` },
  minutes: {
    path: 'minutes',
    body: (v) => {
      if (!v.attendee?.length || !v.text)
        throw new UsageError(`reviews minutes needs --attendee (one or more) and --text\n\n${REVIEWS_USAGE}`);
      return { attendees: v.attendee, minutes: v.text };
    },
    done: (id) => `Recorded the minutes of ${id}.`,
  },
  decide: {
    path: 'decisions',
    body: (v) => {
      if (!v.kind || !v.owner || !v.due || !v.text)
        throw new UsageError(`reviews decide needs --kind, --owner, --due and --text\n\n${REVIEWS_USAGE}`);
      return { kind: v.kind, owner: v.owner, dueDate: v.due, text: v.text };
    },
    done: (id) => `Recorded a decision of ${id}.`,
  },
  'sign-off': { path: 'sign-off', body: () => ({}), done: (id) => `Signed off ${id}.` },
};

/** A date (YYYY-MM-DD: the end of that day, UTC) or an instant. */
function asOfInstant(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T23:59:59.999Z`))) return `${text}T23:59:59.999Z`;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) return text;
  throw new UsageError(`--as-of must be a date (YYYY-MM-DD) or an ISO 8601 instant, not "${text}"`);
}

export function formatReviews(items: readonly ManagementReview[]): string {
  if (items.length === 0) return 'No management reviews.\n';
  return textTable(
    ['REVIEW', 'STATUS', 'PLANNED FOR', 'CHAIR', 'DECISIONS', 'SIGNED OFF BY'],
    items.map((r) => [r.reviewId, r.status, r.plan.plannedFor, r.plan.chair, String(r.decisions.length), r.signedOff?.by.id ?? '-']),
  );
}

export function formatReview(r: ManagementReview): string {
  const lines = [
    `Management review ${r.reviewId}: ${r.plan.title} (${r.status.replace(/_/g, ' ')})`,
    `  Planned for  ${r.plan.plannedFor}, chair ${r.plan.chair}, every ${r.plan.interval}`,
    r.inputs === null ? '  Inputs       not compiled yet' : `  Inputs       position ${r.inputs.position}, SHA-256 ${r.inputs.packHash}`,
    ...(r.minutes === null ? [] : [`  Attendees    ${r.minutes.attendees.join(', ')}`, `  Minutes      ${r.minutes.minutes}`]),
    ...r.decisions.map(
      (d) => `  Decision     ${d.decisionId} ${d.kind}: ${d.text} (owner ${d.owner}, due ${d.dueDate}, action improvement-${d.actionId})`,
    ),
    ...(r.signedOff === null ? [] : [`  Signed off   by ${r.signedOff.by.id} at ${r.signedOff.at}`]),
    ...(r.nextReview === null ? [] : [`  Next review  ${r.nextReview.reviewId} planned for ${r.nextReview.plannedFor}`]),
  ];
  return `${lines.map((l) => printable(l)).join('\n')}\n`;
}

export function formatPack(pack: ReviewInputPack, packHash: string): string {
  const lines = [`Input pack (9.3.2) at position ${pack.position}, SHA-256 ${packHash}`];
  for (const it of pack.items) {
    lines.push(`${it.clause}  ${it.title}`);
    for (const s of it.summary) lines.push(`    ${s}`);
    if (it.gap !== null) lines.push(`    GAP: ${it.gap}`);
    for (const e of it.entries) lines.push(`    - ${e.text} [${e.evidence.join(', ')}]`);
  }
  return `${lines.map((l) => printable(l)).join('\n')}\n`;
}
