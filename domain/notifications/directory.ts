/**
 * Who can be told: people (an id as the AIMS knows them, an e-mail address, the roles they hold, and per
 * kind the channels they want, or none) and webhook endpoints (a URL, a Standard Webhooks secret and the
 * kinds they subscribe to). Parsed strictly from the JSON an operator writes (AIMS_NOTIFY_DIRECTORY_FILE):
 * every problem is reported at once, by path, and never with a secret's value.
 */
import { AIMS_ROLES, isAimsRole, type AimsRole } from '../shared/roles';
import { err, ok, type Result } from '../shared/result';
import type { ValidationIssue } from '../shared/validation';
import { isNotificationKind, NOTIFICATION_KINDS, PERSON_CHANNELS, type NotificationKind, type PersonChannel } from './notification-kinds';
import type { NotificationIntent } from './rules';

export interface DirectoryPerson {
  id: string;
  email: string;
  roles: AimsRole[];
  /** Channels for every kind not named in `preferences` (default: e-mail). */
  channels: PersonChannel[];
  /** Per kind: the channels wanted; an empty list means "do not tell me about this". */
  preferences: Partial<Record<NotificationKind, PersonChannel[]>>;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** `whsec_` + base64 of 24 to 64 random bytes (Standard Webhooks); never shown, logged or recorded. */
  secret: string;
  /** Kinds sent to it; null: every kind. */
  kinds: NotificationKind[] | null;
}

export interface NotificationDirectory {
  people: DirectoryPerson[];
  webhooks: WebhookEndpoint[];
}

/** Who one delivery goes to: ids only, so workflow histories and evidence never hold addresses' secrets. */
export type Recipient = { type: 'person'; id: string; channel: PersonChannel } | { type: 'webhook'; id: string; channel: 'webhook' };

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const WEBHOOK_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(value: Obj, allowed: readonly string[], at: string, issues: ValidationIssue[]): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) issues.push({ field: `${at}.${key}`, problem: `is not a known field (${allowed.join(', ')})` });
}

function channelList(value: unknown, at: string, issues: ValidationIssue[]): PersonChannel[] {
  if (!Array.isArray(value) || value.some((c) => typeof c !== 'string' || !(PERSON_CHANNELS as readonly string[]).includes(c))) {
    issues.push({ field: at, problem: `must be a list of channels (${PERSON_CHANNELS.join(', ')}); [] for none` });
    return [];
  }
  return [...new Set(value as PersonChannel[])];
}

function parsePerson(value: unknown, at: string, issues: ValidationIssue[]): DirectoryPerson | null {
  if (!isObject(value)) {
    issues.push({ field: at, problem: 'must be an object { id, email, roles, channels?, preferences? }' });
    return null;
  }
  unknownKeys(value, ['id', 'email', 'roles', 'channels', 'preferences'], at, issues);
  const before = issues.length;
  if (typeof value.id !== 'string' || !ID.test(value.id))
    issues.push({ field: `${at}.id`, problem: 'must be the person’s AIMS identity (letters, digits, . _ : @ -)' });
  if (typeof value.email !== 'string' || !EMAIL.test(value.email) || value.email.length > 254)
    issues.push({ field: `${at}.email`, problem: 'must be one e-mail address' });
  if (!Array.isArray(value.roles) || value.roles.some((r) => !isAimsRole(r)))
    issues.push({ field: `${at}.roles`, problem: `must be a list of roles (${AIMS_ROLES.join(', ')})` });
  const channels = value.channels === undefined ? (['email'] as PersonChannel[]) : channelList(value.channels, `${at}.channels`, issues);
  const preferences: Partial<Record<NotificationKind, PersonChannel[]>> = {};
  if (value.preferences !== undefined) {
    if (!isObject(value.preferences)) issues.push({ field: `${at}.preferences`, problem: 'must be an object: kind → list of channels' });
    else
      for (const [kind, wanted] of Object.entries(value.preferences)) {
        if (!isNotificationKind(kind))
          issues.push({ field: `${at}.preferences.${kind}`, problem: `is not a notification kind (${NOTIFICATION_KINDS.join(', ')})` });
        else preferences[kind] = channelList(wanted, `${at}.preferences.${kind}`, issues);
      }
  }
  if (issues.length > before) return null;
  return { id: value.id as string, email: value.email as string, roles: [...new Set(value.roles as AimsRole[])], channels, preferences };
}

function parseUrl(value: unknown, at: string, issues: ValidationIssue[]): string | null {
  if (typeof value !== 'string') {
    issues.push({ field: at, problem: 'must be an http(s) URL' });
    return null;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    if (url.username !== '' || url.password !== '') {
      issues.push({ field: at, problem: 'must not carry credentials (authenticity comes from the signature)' });
      return null;
    }
    return url.toString();
  } catch {
    issues.push({ field: at, problem: 'must be an http(s) URL' });
    return null;
  }
}

/** The secret's key bytes when it is well formed (24 to 64 bytes, as the specification asks). */
export function webhookSecretKeyLength(secret: string): number | null {
  const match = WEBHOOK_SECRET.exec(secret);
  if (match === null || match[1] === undefined || match[1].length % 4 !== 0) return null;
  const digits = match[1];
  const padding = digits.endsWith('==') ? 2 : digits.endsWith('=') ? 1 : 0;
  const bytes = (digits.length / 4) * 3 - padding;
  return bytes >= 24 && bytes <= 64 ? bytes : null;
}

function parseWebhook(value: unknown, at: string, issues: ValidationIssue[]): WebhookEndpoint | null {
  if (!isObject(value)) {
    issues.push({ field: at, problem: 'must be an object { id, url, secret, kinds? }' });
    return null;
  }
  unknownKeys(value, ['id', 'url', 'secret', 'kinds'], at, issues);
  const before = issues.length;
  if (typeof value.id !== 'string' || !ID.test(value.id))
    issues.push({ field: `${at}.id`, problem: 'must be an id (letters, digits, . _ : @ -)' });
  const url = parseUrl(value.url, `${at}.url`, issues);
  // The problem says what is wrong and never echoes the value.
  if (typeof value.secret !== 'string' || webhookSecretKeyLength(value.secret) === null) {
    issues.push({ field: `${at}.secret`, problem: 'must be whsec_ followed by the base64 of 24 to 64 random bytes' });
  }
  let kinds: NotificationKind[] | null = null;
  if (value.kinds !== undefined) {
    if (!Array.isArray(value.kinds) || value.kinds.length === 0 || value.kinds.some((k) => !isNotificationKind(k))) {
      issues.push({
        field: `${at}.kinds`,
        problem: `must be a non-empty list of kinds (${NOTIFICATION_KINDS.join(', ')}); leave it out for every kind`,
      });
    } else kinds = [...new Set(value.kinds as NotificationKind[])];
  }
  if (issues.length > before || url === null) return null;
  return { id: value.id as string, url, secret: value.secret as string, kinds };
}

function duplicates(ids: string[], at: string, issues: ValidationIssue[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) issues.push({ field: at, problem: `repeats the id "${id}"` });
    seen.add(id);
  }
}

export function parseDirectory(value: unknown): Result<NotificationDirectory, ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  if (!isObject(value)) return err([{ field: '(root)', problem: 'must be an object { people: [...], webhooks: [...] }' }]);
  unknownKeys(value, ['people', 'webhooks'], '(root)', issues);
  const list = (key: string): unknown[] => {
    const v = value[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) issues.push({ field: key, problem: 'must be a list' });
    return Array.isArray(v) ? v : [];
  };
  const people = list('people').map((p, i) => parsePerson(p, `people[${i}]`, issues));
  const webhooks = list('webhooks').map((w, i) => parseWebhook(w, `webhooks[${i}]`, issues));
  const goodPeople = people.filter((p): p is DirectoryPerson => p !== null);
  const goodHooks = webhooks.filter((w): w is WebhookEndpoint => w !== null);
  duplicates(
    goodPeople.map((p) => p.id.toLowerCase()),
    'people',
    issues,
  );
  duplicates(
    goodHooks.map((w) => w.id),
    'webhooks',
    issues,
  );
  return issues.length > 0 ? err(issues) : ok({ people: goodPeople, webhooks: goodHooks });
}

/** Everyone an intent reaches, once each per channel, in a stable order (people by id, then endpoints). */
export function resolveRecipients(intent: NotificationIntent, directory: NotificationDirectory): Recipient[] {
  const named = new Set(intent.audience.people.map((p) => p.toLowerCase()));
  const people = directory.people
    .filter((p) => named.has(p.id.toLowerCase()) || p.roles.some((r) => intent.audience.roles.includes(r)))
    .flatMap((p) => (p.preferences[intent.kind] ?? p.channels).map((channel): Recipient => ({ type: 'person', id: p.id, channel })));
  const hooks = directory.webhooks
    .filter((w) => w.kinds === null || w.kinds.includes(intent.kind))
    .map((w): Recipient => ({ type: 'webhook', id: w.id, channel: 'webhook' }));
  const byId = (a: Recipient, b: Recipient): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...people.sort(byId), ...hooks.sort(byId)];
}
