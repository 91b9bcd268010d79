import { dueInstant, formatInstant, parseFixedDuration, parseInstant } from '../../../../domain/shared/iso-time';

describe('instants', () => {
  it('given ISO 8601 instants with offsets, when parsed, then they give the same epoch milliseconds as UTC', () => {
    expect(parseInstant('2025-03-01T09:30:00Z')).toBe(Date.UTC(2025, 2, 1, 9, 30));
    expect(parseInstant('2025-03-01T10:30:00.123+01:00')).toBe(Date.UTC(2025, 2, 1, 9, 30, 0, 123));
    expect(parseInstant('2025-03-01T04:30-05:00')).toBe(Date.UTC(2025, 2, 1, 9, 30));
    // PostgreSQL gives microseconds: truncated to milliseconds
    expect(parseInstant('2025-03-01T09:30:00.123456Z')).toBe(Date.UTC(2025, 2, 1, 9, 30, 0, 123));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('given texts that are not instants, when parsed, then null', () => {
    for (const text of [
      '2025-03-01',
      '2025-03-01T09:30:00',
      '2025-02-29T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-03-01T24:00:00Z',
      'yesterday',
      '',
    ]) {
      expect(parseInstant(text)).toBeNull();
    }
  });

  it('given epoch milliseconds, when formatted, then a UTC instant with milliseconds that parses back', () => {
    const ms = Date.UTC(2025, 2, 1, 9, 30, 0, 5);
    expect(formatInstant(ms)).toBe('2025-03-01T09:30:00.005Z');
    expect(parseInstant(formatInstant(ms))).toBe(ms);
  });
});

describe('due dates', () => {
  it('given a calendar date, when made an instant, then it is the following midnight UTC (due by the end of the day)', () => {
    expect(dueInstant('2025-03-20')).toBe(Date.UTC(2025, 2, 21));
    expect(dueInstant('2025-12-31')).toBe(Date.UTC(2026, 0, 1));
  });

  it('given an instant, when made a due instant, then it is that instant; an impossible date is null', () => {
    expect(dueInstant('2025-03-20T12:00:00Z')).toBe(Date.UTC(2025, 2, 20, 12));
    expect(dueInstant('2025-04-31')).toBeNull();
  });
});

describe('review periods', () => {
  it('given fixed-length ISO 8601 durations, when parsed, then milliseconds', () => {
    expect(parseFixedDuration('P30D')).toBe(30 * 86_400_000);
    expect(parseFixedDuration('P2W')).toBe(14 * 86_400_000);
    expect(parseFixedDuration('P1DT6H')).toBe(30 * 3_600_000);
    expect(parseFixedDuration('PT90M')).toBe(90 * 60_000);
    expect(parseFixedDuration('PT1.5S')).toBe(1500);
    expect(parseFixedDuration('PT0S')).toBe(0);
  });

  it('given months, years, empty or malformed durations, when parsed, then null', () => {
    for (const text of ['P1M', 'P1Y', 'P', 'PT', 'P1DT', '30 days', 'p30d', '-P1D']) expect(parseFixedDuration(text)).toBeNull();
  });
});
