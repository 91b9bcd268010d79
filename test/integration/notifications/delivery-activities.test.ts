/**
 * The delivery activities against real receivers, outside Temporal: what a failed attempt reports (and so
 * what the evidence will say) for a refused login, a 410, a receiver that never answers and a recipient
 * gone from the directory, and that no configured secret survives in those texts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createNotificationActivities,
  redactSecrets,
  type DeliveryRequest,
  type NotificationSettings,
} from '../../../activities/notification.activities';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { startSmtpReceiver, startWebhookReceiver } from './notification-receivers';

const SECRET = 'whsec_15i9vIpDfeTD07BeW/UMvOdQMBqLINBb7ruGjnm2JSQ=';

const request = (recipient: DeliveryRequest['recipient']): DeliveryRequest => ({
  deliveryId: 'dlv_test1',
  kind: 'task_opened',
  recipient,
  message: { subject: 'S', text: 'T', links: [] },
  facts: {
    systemId: null,
    taskId: 't',
    taskKind: null,
    nonconformityId: null,
    actionId: null,
    title: null,
    severity: null,
    source: null,
    dueAt: null,
    escalatedTo: null,
  },
  source: { eventId: 'e', stream: 'ai-system-s', position: 1, type: 'HumanTaskOpened' },
  attempt: 1,
});

describe('delivery activities against real receivers', () => {
  let dir: string;
  let store: EventStore;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let silent: http.Server;
  let silentUrl: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-delivery-'));
    store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
    smtp = await startSmtpReceiver({ user: 'u', pass: 'right-pass' });
    hooks = await startWebhookReceiver({ '/gone': [410] });
    // Accepts the connection and never answers.
    silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/in`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await hooks.close();
    await smtp.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const settings = (smtpPass: string): NotificationSettings => ({
    directory: {
      people: [{ id: 'alice', email: 'alice@example.org', roles: ['approver'], channels: ['email'], preferences: {} }],
      webhooks: [
        { id: 'gone', url: `${hooks.url}/gone`, secret: SECRET, kinds: null },
        { id: 'silent', url: silentUrl, secret: SECRET, kinds: null },
      ],
    },
    publicUrl: 'https://aims.example.org',
    smtp: { url: `smtp://u:${smtpPass}@127.0.0.1:${smtp.port}`, from: 'aims@example.org' },
    webhookTimeoutMs: 300,
  });

  it('given a refused SMTP login, when e-mail is sent, then the attempt fails (retryable) and the password is not in the error', async () => {
    const outcome = await createNotificationActivities(store, settings('wrong-pass-77')).deliverEmail(
      request({ type: 'person', id: 'alice', channel: 'email' }),
    );
    expect(outcome).toMatchObject({ ok: false, destination: 'alice@example.org', permanent: false });
    expect(JSON.stringify(outcome)).not.toContain('wrong-pass-77');
    expect(smtp.mails).toHaveLength(0);
  });

  it('given the right login, when e-mail is sent, then it arrives and the message id is returned', async () => {
    const outcome = await createNotificationActivities(store, settings('right-pass')).deliverEmail(
      request({ type: 'person', id: 'alice', channel: 'email' }),
    );
    expect(outcome).toMatchObject({ ok: true, destination: 'alice@example.org', messageId: expect.stringMatching(/^<.+>$/) });
    expect(smtp.mails[0]?.headers['x-aims-delivery-id']).toBe('dlv_test1');
  });

  it('given 410 Gone, a silent receiver or a recipient no longer configured, when delivered, then the outcome says so', async () => {
    const activities = createNotificationActivities(store, settings('right-pass'));
    expect(await activities.deliverWebhook(request({ type: 'webhook', id: 'gone', channel: 'webhook' }))).toMatchObject({
      ok: false,
      httpStatus: 410,
      permanent: true,
    });
    expect(await activities.deliverWebhook(request({ type: 'webhook', id: 'silent', channel: 'webhook' }))).toMatchObject({
      ok: false,
      httpStatus: null,
      permanent: false,
      error: expect.stringMatching(/TimeoutError/),
    });
    expect(await activities.deliverWebhook(request({ type: 'webhook', id: 'removed', channel: 'webhook' }))).toMatchObject({
      ok: false,
      permanent: true,
    });
    expect(await activities.deliverEmail(request({ type: 'person', id: 'mallory', channel: 'email' }))).toMatchObject({
      ok: false,
      permanent: true,
    });
  });

  it('given a text quoting a secret, when redacted, then every configured secret is replaced', () => {
    const text = redactSecrets(`failed with ${SECRET} and key ${SECRET.slice(6)} and right-pass`, settings('right-pass'));
    expect(text).toBe('failed with [redacted] and key [redacted] and [redacted]');
  });
});
