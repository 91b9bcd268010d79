/**
 * `aims docs`: controlled documents (ISO/IEC 42001 7.5), read through the API.
 *
 *   aims docs list [--kind K] [--owner O] [--due-for-review] [--as-of T] [--json]
 *   aims docs show ID [--version V] [--as-of T] [--json]
 *   aims docs master-list [--format md|csv|json] [--as-of T]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { ApiCallError, getJson } from '../api-get';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { textTable } from '../text-table';

export interface DocsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): DocsIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const DOCS_USAGE = `Usage: aims docs list [--kind K] [--owner O] [--due-for-review] [--as-of T] [--json]
       aims docs show ID [--version V] [--as-of T] [--json]
       aims docs master-list [--format md|csv|json] [--as-of T]
  Controlled documents (ISO/IEC 42001 7.5) from the API: AIMS_URL and AIMS_TOKEN. list: one line per
  document (kind, status, version in force, review due). show: a document and its versions, or one version
  with its Markdown. master-list: every published version, current and obsolete, with its approvals.`;

export interface DocumentSummaryRow {
  documentId: string;
  kind: string;
  title: string;
  owner: string;
  status: string;
  publishedVersion: number | null;
  reviewDueAt: string | null;
  acknowledgementsOutstanding: number;
}

interface VersionRow {
  version: number;
  status: string;
  changeSummary: string;
  markdown: string | null;
  markdownDigest: string | null;
  attachments: { name: string; digest: string; contentType: string; size: number }[];
  change: { reason: string; consequences: string } | null;
  submittedBy: { id: string };
  submittedAt: string;
  review: { by: { id: string }; at: string } | null;
  approval: { by: { id: string }; at: string } | null;
  returned: { by: { id: string }; reasons: string[]; stage: string } | null;
  publishedAt: string | null;
  obsoleteAt: string | null;
}

export interface MasterListRow {
  documentId: string;
  kind: string;
  title: string;
  owner: string;
  classification: string;
  retention: string;
  version: number;
  status: string;
  changeSummary: string;
  markdownDigest: string | null;
  reviewedBy: string;
  approvedBy: string;
  publishedAt: string;
  obsoleteAt: string | null;
}

function connection(env: NodeJS.ProcessEnv): { baseUrl: string; token: string } {
  const baseUrl = env.AIMS_URL?.replace(/\/+$/, '');
  const token = env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  return { baseUrl, token };
}

export async function docsCommand(argv: string[], io: DocsIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'show' && sub !== 'master-list')
    throw new UsageError(
      sub === undefined ? `docs needs list, show or master-list\n\n${DOCS_USAGE}` : `unknown docs command "${sub}"\n\n${DOCS_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      kind: { type: 'string' },
      owner: { type: 'string' },
      'due-for-review': { type: 'boolean', default: false },
      version: { type: 'string' },
      'as-of': { type: 'string' },
      format: { type: 'string', default: 'md' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const { baseUrl, token } = connection(io.env);
  const asOf = values['as-of'];
  try {
    if (sub === 'list') {
      if (positionals.length > 0) throw new UsageError(`docs list takes no arguments besides options, not "${positionals.join(' ')}"`);
      const q = new URLSearchParams();
      if (values.kind !== undefined) q.set('kind', values.kind);
      if (values.owner !== undefined) q.set('owner', values.owner);
      if (values['due-for-review']) q.set('dueForReview', 'true');
      if (asOf !== undefined) q.set('asOf', asOf);
      const qs = q.toString();
      const body = (await getJson(`${baseUrl}/v1/documents${qs === '' ? '' : `?${qs}`}`, token)) as { items: DocumentSummaryRow[] };
      io.stdout(values.json ? `${JSON.stringify(body)}\n` : formatDocuments(body.items));
      return 0;
    }
    if (sub === 'show') {
      if (positionals.length !== 1) throw new UsageError(`docs show takes one document id\n\n${DOCS_USAGE}`);
      const version = values.version === undefined ? undefined : Number(values.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1))
        throw new UsageError('--version takes a version number (1, 2, …)');
      const id = encodeURIComponent(positionals[0] ?? '');
      const doc = (await getJson(
        `${baseUrl}/v1/documents/${id}${asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`}`,
        token,
      )) as DocumentSummaryRow & {
        classification: string;
        retention: string;
        versionHistory: VersionRow[];
        acknowledgements: { version: number; identity: string; acknowledgedAt: string | null }[];
      };
      if (values.json)
        io.stdout(`${JSON.stringify(version === undefined ? doc : (doc.versionHistory.find((v) => v.version === version) ?? null))}\n`);
      else if (version === undefined) io.stdout(formatDocument(doc));
      else {
        const v = doc.versionHistory.find((x) => x.version === version);
        if (v === undefined) {
          io.stderr(`aims: document ${printable(doc.documentId)} has no version ${version}\n`);
          return 2;
        }
        io.stdout(formatVersion(doc.documentId, v));
      }
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`docs master-list takes no arguments besides options, not "${positionals.join(' ')}"`);
    const format = values.format;
    if (format !== 'md' && format !== 'csv' && format !== 'json') throw new UsageError('--format takes md, csv or json');
    const body = (await getJson(
      `${baseUrl}/v1/documents/master-list${asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`}`,
      token,
    )) as {
      items: MasterListRow[];
      at: string;
    };
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(body, null, 2)}\n`
        : format === 'csv'
          ? masterListCsv(body.items)
          : masterListMarkdown(body.items, body.at),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

/** One line per document; "No documents." when the filters keep none. */
export function formatDocuments(items: readonly DocumentSummaryRow[]): string {
  if (items.length === 0) return 'No documents.\n';
  return textTable(
    ['DOCUMENT', 'KIND', 'STATUS', 'IN FORCE', 'REVIEW DUE', 'ACKS OUTSTANDING', 'OWNER', 'TITLE'],
    items.map((d) => [
      d.documentId,
      d.kind,
      d.status,
      d.publishedVersion === null ? '-' : `v${d.publishedVersion}`,
      d.reviewDueAt?.slice(0, 10) ?? '-',
      String(d.acknowledgementsOutstanding),
      d.owner,
      d.title,
    ]),
  );
}

function formatDocument(
  d: DocumentSummaryRow & {
    classification: string;
    retention: string;
    versionHistory: VersionRow[];
    acknowledgements: { version: number; identity: string; acknowledgedAt: string | null }[];
  },
): string {
  const head = [
    `${d.documentId}: ${d.title}`,
    `kind ${d.kind}, owner ${d.owner}, ${d.classification}, kept ${d.retention}`,
    `status ${d.status}; in force: ${d.publishedVersion === null ? 'none' : `v${d.publishedVersion}`}; review due ${d.reviewDueAt ?? '-'}`,
    '',
  ].map((line) => printable(line));
  const versions = textTable(
    ['VERSION', 'STATUS', 'SUBMITTED BY', 'REVIEWED BY', 'APPROVED BY', 'PUBLISHED', 'CHANGE'],
    d.versionHistory.map((v) => [
      `v${v.version}`,
      v.status,
      v.submittedBy.id,
      v.review?.by.id ?? '-',
      v.approval?.by.id ?? '-',
      v.publishedAt?.slice(0, 19) ?? '-',
      v.changeSummary,
    ]),
  );
  const acks = d.acknowledgements.map((a) => printable(`  v${a.version} ${a.identity}: ${a.acknowledgedAt ?? 'outstanding'}`));
  return `${head.join('\n')}\n${versions}${acks.length > 0 ? `\nAcknowledgements:\n${acks.join('\n')}\n` : ''}`;
}

function formatVersion(documentId: string, v: VersionRow): string {
  const lines = [
    `${documentId} v${v.version} (${v.status}): ${v.changeSummary}`,
    `submitted by ${v.submittedBy.id} at ${v.submittedAt}; reviewed by ${v.review?.by.id ?? '-'}; approved by ${v.approval?.by.id ?? '-'}`,
    ...(v.change === null ? [] : [`reason: ${v.change.reason}`, `consequences: ${v.change.consequences}`]),
    ...(v.returned === null ? [] : [`returned at ${v.returned.stage} by ${v.returned.by.id}: ${v.returned.reasons.join('; ')}`]),
    ...v.attachments.map((a) => `attachment ${a.name} (${a.contentType}, ${a.size} bytes) ${a.digest}`),
    ...(v.markdownDigest === null ? [] : [`markdown ${v.markdownDigest}`]),
  ].map((line) => printable(line));
  return `${lines.join('\n')}\n${v.markdown === null ? '' : `\n${v.markdown.endsWith('\n') ? v.markdown : `${v.markdown}\n`}`}`;
}

const MASTER_COLUMNS: (keyof MasterListRow)[] = [
  'documentId',
  'kind',
  'title',
  'version',
  'status',
  'owner',
  'classification',
  'retention',
  'reviewedBy',
  'approvedBy',
  'publishedAt',
  'obsoleteAt',
  'changeSummary',
  'markdownDigest',
];

/** RFC 4180: every field quoted, quotes doubled; a field a spreadsheet would run as a formula is prefixed with '. */
export function masterListCsv(rows: readonly MasterListRow[]): string {
  const cell = (v: string | number | null): string => {
    const text = v === null ? '' : String(v);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replace(/"/g, '""')}"`;
  };
  return `${[MASTER_COLUMNS.map(cell).join(','), ...rows.map((r) => MASTER_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}

export function masterListMarkdown(rows: readonly MasterListRow[], at: string): string {
  const esc = (v: string | null): string => printable(v === null || v === '' ? '-' : v).replace(/\|/g, '\\|');
  const header = [
    'Document',
    'Kind',
    'Title',
    'Version',
    'Status',
    'Owner',
    'Reviewed by',
    'Approved by',
    'Published',
    'Obsolete since',
    'Change',
  ];
  const lines = rows.map((r) =>
    [
      r.documentId,
      r.kind,
      r.title,
      `v${r.version}`,
      r.status,
      r.owner,
      r.reviewedBy,
      r.approvedBy,
      r.publishedAt,
      r.obsoleteAt,
      r.changeSummary,
    ]
      .map(esc)
      .join(' | '),
  );
  return [
    `# Master list of documented information (as of ${at})`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...lines.map((l) => `| ${l} |`),
    '',
  ].join('\n');
}
