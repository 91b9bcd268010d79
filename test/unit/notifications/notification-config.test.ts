import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidConfigurationError, loadConfig } from '../../../infra/config/config';
import {
  InvalidNotificationDirectoryError,
  loadNotificationSettings,
  type NotificationConfig,
} from '../../../infra/config/notification-config';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    return (error as InvalidConfigurationError).problems.map((p) => `${p.variable}=${p.value ?? ''}: ${p.problem}`);
  }
  return [];
}

describe('notification configuration', () => {
  it('given nothing set, when loaded, then notifications are off and links point at the API', () => {
    expect(loadConfig({}, '/srv').notifications).toEqual({
      directoryFile: null,
      publicUrl: 'http://127.0.0.1:3000',
      smtp: null,
      webhookTimeoutMs: 15_000,
    });
  });

  it('given the variables, when loaded, then the file is resolved and SMTP read', () => {
    const config = loadConfig(
      {
        AIMS_NOTIFY_DIRECTORY_FILE: 'etc/people.json',
        AIMS_PUBLIC_URL: 'https://aims.example.org',
        AIMS_SMTP_URL: 'smtp://mail:25',
        AIMS_SMTP_FROM: 'aims@example.org',
      },
      '/srv',
    );
    expect(config.notifications).toEqual({
      directoryFile: '/srv/etc/people.json',
      publicUrl: 'https://aims.example.org',
      smtp: { url: 'smtp://mail:25', from: 'aims@example.org' },
      webhookTimeoutMs: 15_000,
    });
  });

  it('given mistakes, when loaded, then each is named and an SMTP password is never echoed', () => {
    const problems = problemsOf({
      AIMS_SMTP_URL: 'http://u:hunter22@mail',
      AIMS_PUBLIC_URL: 'aims.example.org',
      AIMS_WEBHOOK_TIMEOUT_SECONDS: '0',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^AIMS_PUBLIC_URL=aims.example.org: must be an http\(s\) URL/),
      expect.stringMatching(/^AIMS_SMTP_URL=http:\/\/u:\*\*\*@mail\/: must be smtp/),
      'AIMS_SMTP_FROM=: is required when AIMS_SMTP_URL is set',
      expect.stringMatching(/^AIMS_WEBHOOK_TIMEOUT_SECONDS=0/),
    ]);
    expect(problems.join('\n')).not.toContain('hunter22');
  });

  describe('the directory file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-notify-config-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const config = (file: string, smtp = true): NotificationConfig => ({
      directoryFile: path.join(dir, file),
      publicUrl: 'https://aims.example.org',
      smtp: smtp ? { url: 'smtp://127.0.0.1:2525', from: 'aims@example.org' } : null,
      webhookTimeoutMs: 15_000,
    });
    const write = (file: string, text: string): void => fs.writeFileSync(path.join(dir, file), text);

    it('given no file configured, when loaded, then there are no settings', () => {
      expect(loadNotificationSettings({ ...config('x'), directoryFile: null })).toBeNull();
    });

    it('given a valid file, when loaded, then the settings carry the directory', () => {
      write(
        'ok.json',
        JSON.stringify({
          people: [{ id: 'alice', email: 'alice@example.org', roles: ['approver'] }],
          webhooks: [{ id: 'ops', url: 'https://h.example.org/in', secret: SECRET }],
        }),
      );
      const settings = loadNotificationSettings(config('ok.json'));
      expect(settings?.directory.people.map((p) => p.id)).toEqual(['alice']);
      expect(settings?.directory.webhooks.map((w) => w.id)).toEqual(['ops']);
    });

    it('given a missing file, broken JSON or bad entries, when loaded, then the error names the file and every problem, never the secret', () => {
      expect(() => loadNotificationSettings(config('missing.json'))).toThrow(/missing\.json .*\n {2}- \(file\): cannot be read: ENOENT/);
      write('broken.json', `{"webhooks":[{"id":"ops","secret":"${SECRET}",}]}`);
      let error: unknown;
      try {
        loadNotificationSettings(config('broken.json'));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidNotificationDirectoryError);
      expect((error as Error).message).toMatch(/is not valid JSON/);
      expect((error as Error).message).not.toContain(SECRET.slice(6));
      write('bad.json', JSON.stringify({ webhooks: [{ id: 'ops', url: 'https://h.example.org', secret: 'whsec_tooshort' }] }));
      expect(() => loadNotificationSettings(config('bad.json'))).toThrow(/webhooks\[0\]\.secret: must be whsec_/);
    });

    it('given people but no SMTP, when loaded, then the worker is told to configure e-mail', () => {
      write('people.json', JSON.stringify({ people: [{ id: 'alice', email: 'alice@example.org', roles: [] }] }));
      expect(() => loadNotificationSettings(config('people.json', false))).toThrow(/set AIMS_SMTP_URL and AIMS_SMTP_FROM/);
    });
  });
});
