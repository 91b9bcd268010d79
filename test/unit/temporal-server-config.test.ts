import {
  allPorts,
  InvalidPostgresUrlError,
  parsePostgresUrl,
  renderTemporalServerConfig,
  servicePorts,
  TEMPORAL_SQL_PASSWORD_ENV,
  type TemporalServerSettings,
} from '../../infra/temporal/temporal-server-config';

const settings = (overrides: Partial<TemporalServerSettings> = {}): TemporalServerSettings => ({
  postgres: { host: 'db.internal', port: 5433, user: 'temporal', hasPassword: true, maintenanceDatabase: 'postgres' },
  databases: { history: 'temporal', visibility: 'temporal_visibility' },
  bindAddress: '127.0.0.1',
  port: 7233,
  metricsPort: 0,
  historyShards: 4,
  logLevel: 'warn',
  ...overrides,
});

describe('the Temporal server configuration that aims temporal-server writes', () => {
  it('splits a PostgreSQL URL into host, port, user and database, and keeps the password apart', () => {
    expect(parsePostgresUrl('postgres://temporal:s%40cret@db.internal:5433/ops')).toEqual({
      target: { host: 'db.internal', port: 5433, user: 'temporal', hasPassword: true, maintenanceDatabase: 'ops' },
      password: 's@cret',
    });
    expect(parsePostgresUrl('postgresql://postgres@127.0.0.1/test').target).toMatchObject({ port: 5432, hasPassword: false });
    expect(parsePostgresUrl('postgres://postgres@[::1]:5432/test').target.host).toBe('::1');
  });

  it.each([
    ['not a url', 'not a URL'],
    ['mysql://root@localhost/db', 'scheme'],
    ['postgres://127.0.0.1:5432/test', 'no user'],
  ])('refuses %s with a reason', (raw, reason) => {
    expect(() => parsePostgresUrl(raw)).toThrow(InvalidPostgresUrlError);
    expect(() => parsePostgresUrl(raw)).toThrow(reason);
  });

  it('never writes the password into the file: the server reads it from its environment through the template', () => {
    const yaml = renderTemporalServerConfig(settings(), '/data/config/dynamic-config.yaml');
    expect(yaml).toContain('enable-template');
    expect(yaml).toContain(`password: {{ env "${TEMPORAL_SQL_PASSWORD_ENV}" | quote }}`);
    expect(renderTemporalServerConfig(settings({ postgres: { ...settings().postgres, hasPassword: false } }), '/d.yaml')).toContain(
      'password: ""',
    );
  });

  it('derives every service port from the frontend port so that two servers only need ports 20 apart', () => {
    const a = allPorts({ port: 7233, metricsPort: 0 });
    const b = allPorts({ port: 7253, metricsPort: 0 });
    expect(new Set(a).size).toBe(a.length);
    expect(a.filter((p) => b.includes(p))).toEqual([]);
    expect(servicePorts(7233)).toMatchObject({
      frontend: 7233,
      history: 7234,
      matching: 7235,
      worker: 7239,
      frontendHttp: 7243,
      frontendMembership: 6933,
    });
  });

  it('names both databases, the shard count, the bind address and, when asked, the metrics listener', () => {
    const yaml = renderTemporalServerConfig(settings({ metricsPort: 9090, port: 7300 }), '/d.yaml');
    expect(yaml).toContain('databaseName: "temporal"');
    expect(yaml).toContain('databaseName: "temporal_visibility"');
    expect(yaml).toContain('numHistoryShards: 4');
    expect(yaml).toContain('connectAddr: "db.internal:5433"');
    expect(yaml).toContain('listenAddress: "127.0.0.1:9090"');
    expect(yaml).toContain('rpcAddress: "127.0.0.1:7300"');
    expect(renderTemporalServerConfig(settings(), '/d.yaml')).not.toContain('prometheus');
  });
});
