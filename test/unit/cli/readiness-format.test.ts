/** `aims readiness`'s text: gaps first with where, what and clause, then the met checks, then one summary line. */
import { formatReadiness, type ReadinessBody } from '../../../apps/cli/src/commands/readiness.command';

const body = (over: Partial<ReadinessBody> = {}): ReadinessBody => ({
  stage: 1,
  asOf: '2026-03-01T00:00:00.000Z',
  operatingPeriodFrom: null,
  ready: false,
  met: 1,
  gaps: 1,
  checks: [
    {
      id: 'aims-scope-approved',
      clause: '4.3',
      title: 'scope',
      status: 'met',
      where: 'aims-scope',
      what: 'version 1 approved',
      evidence: ['e1'],
    },
    {
      id: 'ai-objectives-set',
      clause: '6.2',
      title: 'objectives',
      status: 'gap',
      where: 'objective',
      what: 'no AI objective has been set',
      evidence: [],
    },
  ],
  basis: { position: 7 },
  ...over,
});

describe('formatReadiness', () => {
  it('given a gap and a met check, when printed, then the gap comes first and the summary counts both', () => {
    const lines = formatReadiness(body()).split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+CLAUSE\s+CHECK\s+WHERE\s+WHAT$/);
    expect(lines[1]).toMatch(/^GAP\s+6\.2\s+ai-objectives-set\s+objective\s+no AI objective has been set$/);
    expect(lines[2]).toMatch(/^met\s+4\.3\s+aims-scope-approved\s+aims-scope\s+version 1 approved$/);
    expect(lines).toContain('Not ready for Stage 1 as of 2026-03-01T00:00:00.000Z: 1 gap, 1 met (evidence up to position 7).');
  });

  it('given a ready Stage 2 answer, when printed, then the summary says ready and names the operating period', () => {
    const ready = body({ stage: 2, ready: true, met: 1, gaps: 0, operatingPeriodFrom: '2026-01-08T09:00:00.000Z' });
    const text = formatReadiness({ ...ready, checks: ready.checks.filter((c) => c.status === 'met') });
    expect(text).toMatch(
      /Ready for Stage 2 as of 2026-03-01T00:00:00.000Z: all 1 checks met; operating period from 2026-01-08T09:00:00.000Z/,
    );
  });

  it('given a hostile text from the API, when printed, then control characters do not reach the terminal', () => {
    const hostile = body();
    const text = formatReadiness({ ...hostile, checks: [{ ...hostile.checks[1], what: 'evil\u001b[2Jtext' }] });
    expect(text).not.toContain('\u001b');
  });
});
