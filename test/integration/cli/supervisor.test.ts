/**
 * The supervisor `aims start` runs the engine's processes under, with real child processes: a crash is
 * restarted after a backoff and logged; a child that keeps crashing stops the engine; stopping ends every
 * child, killing one that ignores SIGTERM.
 */
import { Supervisor, type RestartPolicy } from '../../../apps/cli/src/commands/supervisor';
import { eventually } from '../../support/eventually';

const FAST: RestartPolicy = {
  initialBackoffMs: 50,
  maxBackoffMs: 400,
  healthyAfterMs: 60_000,
  maxCrashesInWindow: 3,
  burstWindowMs: 60_000,
};

function io() {
  const said: string[] = [];
  const out: string[] = [];
  return { said, out, io: { say: (l: string) => said.push(l), stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) } };
}

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the supervisor of aims start', () => {
  it('given a worker that is killed, when it dies, then it is started again, the restart is logged, and the others keep running', async () => {
    const { said, io: sink } = io();
    const supervisor = new Supervisor(sink, FAST);
    const idle = "console.log('up'); setInterval(() => {}, 1000)";
    supervisor.start({ name: 'api', ...node(idle) });
    supervisor.start({ name: 'worker', ...node(idle) });
    const apiPid = supervisor.pid('api');
    const firstWorker = await eventually(
      async () => supervisor.pid('worker'),
      (pid) => alive(pid),
      'the worker to run',
    );

    process.kill(firstWorker as number, 'SIGKILL');

    const secondWorker = await eventually(
      async () => supervisor.pid('worker'),
      (pid) => pid !== firstWorker && alive(pid),
      'a new worker process',
    );
    expect(supervisor.restarts()).toEqual({ api: 0, worker: 1 });
    expect(said.some((l) => /worker exited unexpectedly \(signal SIGKILL\); restarting it in 0.05 s \(restart 1\)/.test(l))).toBe(true);
    expect(said.some((l) => l === `worker restarted (pid ${secondWorker})`)).toBe(true);
    expect(supervisor.pid('api')).toBe(apiPid);
    expect(alive(apiPid)).toBe(true);

    await supervisor.stop();
    expect(alive(apiPid)).toBe(false);
    expect(alive(secondWorker)).toBe(false);
  });

  it('given a process that crashes at every start, when it crashed more often than the policy allows, then the supervisor gives up with the reason and backs off in between', async () => {
    const { said, io: sink } = io();
    const supervisor = new Supervisor(sink, FAST);
    supervisor.start({ name: 'worker', ...node('process.exit(3)') });

    const reason = await supervisor.gaveUp;

    expect(reason).toMatch(/^worker crashed 4 times within 60 s \(last: exit 3\)$/);
    const waits = said.filter((l) => l.includes('restarting it in')).map((l) => /in ([\d.]+) s/.exec(l)?.[1]);
    expect(waits).toEqual(['0.05', '0.1', '0.2']);
    await supervisor.stop();
  });

  it('given a child that ignores SIGTERM, when the supervisor stops, then it is killed after its grace period and nothing is left running', async () => {
    const { said, io: sink } = io();
    const supervisor = new Supervisor(sink, FAST);
    supervisor.start({
      name: 'stubborn',
      ...node("process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"),
      stopGraceMs: 300,
    });
    const pid = supervisor.pid('stubborn');
    await eventually(
      async () => alive(pid),
      (a) => a,
      'the child to run',
    );
    // Give node time to install its SIGTERM handler before we signal.
    await new Promise((r) => setTimeout(r, 500));

    await supervisor.stop();

    expect(said).toContain('stubborn did not stop within 0.3 s; killing it');
    expect(alive(pid)).toBe(false);
  });
});
