/** The worker's log lines (apps/worker/src/worker-log.ts): what a log pipeline and a person each read. */
import { createWorkerLog, formatWorkerLogLine } from '../../apps/worker/src/worker-log';

const at = new Date('2026-12-05T10:00:00.000Z');

describe('worker log lines', () => {
  it('given JSON, when an entry has meta, then one object carries it beside time, level, context and message, which meta cannot overwrite', () => {
    const line = formatWorkerLogLine(
      'json',
      { level: 'WARN', message: 'notifier paused', meta: { message: 'forged', level: 'x', attempt: 2n, error: new TypeError('boom') } },
      at,
    );
    expect(JSON.parse(line)).toEqual({
      time: '2026-12-05T10:00:00.000Z',
      level: 'warn',
      context: 'worker',
      message: 'notifier paused',
      attempt: '2',
      error: { name: 'TypeError', message: 'boom' },
    });
    expect(line).not.toContain('\n');
  });

  it('given text, when an entry is info, then it reads [worker] message (key=value, ...); other levels name themselves', () => {
    expect(formatWorkerLogLine('text', { level: 'INFO', message: 'stopped' }, at)).toBe('[worker] stopped');
    expect(
      formatWorkerLogLine('text', { level: 'ERROR', message: 'evidence recorded', meta: { stream: 's-1', eventTypes: ['A', 'B'] } }, at),
    ).toBe('[worker] ERROR evidence recorded (stream=s-1, eventTypes=["A","B"])');
  });

  it('given a level, when entries below it are logged, then they are dropped, while milestones are always announced; warnings go to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const log = createWorkerLog('json', 'warn', { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    log.logger.info('evidence recorded', { stream: 's' });
    log.logger.warn('checkpoint not signed');
    log.announce('polling task queue "q" in namespace "default"');
    expect(out.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['polling task queue "q" in namespace "default"']);
    expect(err.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn']);
  });
});
