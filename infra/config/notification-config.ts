/**
 * Notification settings (issue 13 item 4): the directory file (people, webhook endpoints), the public URL
 * links in messages point at, and the SMTP server. Read with the rest of the configuration by loadConfig;
 * the directory file itself is read and validated at the worker's start (loadNotificationSettings), and any
 * problem stops the worker with every issue listed, by JSON path, never with a secret's value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDirectory, type NotificationDirectory } from '../../domain/notifications/directory';

/** A configuration mistake, as config.ts's ConfigProblem (declared here so the two files do not import each other). */
interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
}

/** What the notification activities use (the directory parsed, with the delivery settings). */
export interface NotificationSettings {
  directory: NotificationDirectory;
  /** Base of the links in messages (AIMS_PUBLIC_URL). */
  publicUrl: string;
  /** SMTP URL (may hold credentials) and sender; null: e-mail deliveries fail as not configured. */
  smtp: { url: string; from: string } | null;
  /** Per webhook request (the specification recommends 15 to 30 s). */
  webhookTimeoutMs: number;
}

export interface NotificationConfig {
  /** null: notifications are off (the worker starts no notifier). */
  directoryFile: string | null;
  publicUrl: string;
  smtp: { url: string; from: string } | null;
  webhookTimeoutMs: number;
}

export const NOTIFICATION_CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  {
    name: 'AIMS_NOTIFY_DIRECTORY_FILE',
    default: '(unset: no notifications)',
    meaning:
      'JSON file of the people to notify (id, e-mail, roles, channel preferences per kind) and webhook endpoints (URL, whsec_ secret, kinds); see docs/notifications.md.',
  },
  {
    name: 'AIMS_PUBLIC_URL',
    default: 'http://<AIMS_API_HOST>:<AIMS_API_PORT>',
    meaning: 'Base URL of the API as people reach it: the links in notifications.',
  },
  {
    name: 'AIMS_SMTP_URL',
    default: '(unset: no e-mail)',
    meaning:
      '`smtp://[user:password@]host:port` or `smtps://…`: where notification e-mail is sent. Its password never appears in evidence.',
  },
  { name: 'AIMS_SMTP_FROM', default: '', meaning: 'Sender address of notification e-mail (required with AIMS_SMTP_URL).' },
  { name: 'AIMS_WEBHOOK_TIMEOUT_SECONDS', default: '15', meaning: 'How long a webhook endpoint may take to answer one attempt (1 to 60).' },
];

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Hides the password of a URL that is echoed in a problem. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

export function readNotificationConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  api: { host: string; port: number },
  problems: ConfigProblem[],
): NotificationConfig {
  const file = value(env, 'AIMS_NOTIFY_DIRECTORY_FILE');
  const publicUrl = value(env, 'AIMS_PUBLIC_URL') ?? `http://${api.host}:${api.port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      problems.push({
        variable: 'AIMS_PUBLIC_URL',
        value: shown(publicUrl),
        problem: 'must be a plain base URL (no credentials, query or fragment)',
      });
    }
  } catch {
    problems.push({ variable: 'AIMS_PUBLIC_URL', value: publicUrl, problem: 'must be an http(s) URL, e.g. https://aims.example.org' });
  }
  const smtpUrl = value(env, 'AIMS_SMTP_URL');
  const from = value(env, 'AIMS_SMTP_FROM');
  if (smtpUrl !== undefined) {
    let ok = false;
    try {
      ok = ['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push({
        variable: 'AIMS_SMTP_URL',
        value: shown(smtpUrl),
        problem: 'must be smtp://host:port or smtps://host:port (credentials optional)',
      });
    if (from === undefined)
      problems.push({ variable: 'AIMS_SMTP_FROM', value: undefined, problem: 'is required when AIMS_SMTP_URL is set' });
  } else if (from !== undefined) {
    problems.push({ variable: 'AIMS_SMTP_FROM', value: from, problem: 'applies to e-mail: set AIMS_SMTP_URL too' });
  }
  const timeoutRaw = value(env, 'AIMS_WEBHOOK_TIMEOUT_SECONDS') ?? '15';
  const timeout = Number(timeoutRaw);
  if (!/^\d+$/.test(timeoutRaw) || timeout < 1 || timeout > 60) {
    problems.push({
      variable: 'AIMS_WEBHOOK_TIMEOUT_SECONDS',
      value: timeoutRaw,
      problem: 'must be a whole number of seconds from 1 to 60',
    });
  }
  return {
    directoryFile: file === undefined ? null : path.resolve(cwd, file),
    publicUrl,
    smtp: smtpUrl === undefined || from === undefined ? null : { url: smtpUrl, from },
    webhookTimeoutMs: timeout * 1000,
  };
}

export class InvalidNotificationDirectoryError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ReadonlyArray<{ field: string; problem: string }>,
  ) {
    super(
      `Invalid notification directory ${file} (AIMS_NOTIFY_DIRECTORY_FILE):\n${issues.map((i) => `  - ${i.field}: ${i.problem}`).join('\n')}`,
    );
    this.name = 'InvalidNotificationDirectoryError';
  }
}

/** The settings the notification activities use, or null when notifications are off. */
export function loadNotificationSettings(config: NotificationConfig): NotificationSettings | null {
  if (config.directoryFile === null) return null;
  const file = config.directoryFile;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidNotificationDirectoryError(file, [
      { field: '(file)', problem: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser's message may quote the text around the error, which may be a secret: say where only.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new InvalidNotificationDirectoryError(file, [
      { field: '(file)', problem: `is not valid JSON${at === undefined ? '' : ` (at character ${at})`}` },
    ]);
  }
  const parsed = parseDirectory(json);
  if (!parsed.ok) throw new InvalidNotificationDirectoryError(file, parsed.error);
  if (parsed.value.people.length > 0 && config.smtp === null) {
    throw new InvalidNotificationDirectoryError(file, [
      { field: 'people', problem: 'are listed but e-mail is not configured: set AIMS_SMTP_URL and AIMS_SMTP_FROM' },
    ]);
  }
  return { directory: parsed.value, publicUrl: config.publicUrl, smtp: config.smtp, webhookTimeoutMs: config.webhookTimeoutMs };
}
