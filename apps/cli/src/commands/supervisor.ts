/**
 * What `aims start` runs its processes under: a child that dies is started again after a backoff (1 s,
 * 2 s, 4 s… up to 30 s; back to 1 s once it has run for a minute), and every restart is logged. Only a
 * child that keeps crashing (5 times within 2 minutes, like systemd's start limit) stops the whole engine,
 * since then restarting cannot help and the operator must look.
 *
 * Children run in their own process groups so that a terminal's Ctrl-C reaches only the supervisor, which
 * stops them in order; whatever is still running when the supervisor exits is killed.
 */
import { ChildProcess, spawn } from 'node:child_process';

export interface SupervisedSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Lines the child prints that are noise while the engine stops (e.g. pollers losing their connection). */
  quietWhileStopping?: RegExp;
  /** How long SIGTERM may take before SIGKILL (default 20 s). */
  stopGraceMs?: number;
}

export interface RestartPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A run this long resets the backoff. */
  healthyAfterMs: number;
  /** More crashes than this within `burstWindowMs` give up. */
  maxCrashesInWindow: number;
  burstWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
  healthyAfterMs: 60_000,
  maxCrashesInWindow: 5,
  burstWindowMs: 120_000,
};

export interface SupervisorIo {
  say: (line: string) => void;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Running {
  spec: SupervisedSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  startedAt: number;
  crashes: number[];
  backoffMs: number;
  restarts: number;
  restartTimer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;
  private giveUp?: (reason: string) => void;
  /** Resolves with a reason when a child crashes beyond the restart policy. */
  readonly gaveUp: Promise<string>;

  constructor(
    private readonly io: SupervisorIo,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {
    this.gaveUp = new Promise((resolve) => (this.giveUp = resolve));
    process.on('exit', () => this.killAll());
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts a child and keeps it running until stop(). */
  start(spec: SupervisedSpec): void {
    const entry: Running = { spec, ...this.launch(spec), crashes: [], backoffMs: this.policy.initialBackoffMs, restarts: 0 };
    this.running.push(entry);
    this.watch(entry);
  }

  /** How many times each child has been restarted. */
  restarts(): Record<string, number> {
    return Object.fromEntries(this.running.map((r) => [r.spec.name, r.restarts]));
  }

  pid(name: string): number | undefined {
    return this.running.find((r) => r.spec.name === name)?.child.pid;
  }

  /** Stops every child, the last started first (API, worker, then Temporal). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const entry of [...this.running].reverse()) {
      if (entry.restartTimer) clearTimeout(entry.restartTimer);
      await this.stopChild(entry);
    }
  }

  private launch(spec: SupervisedSpec): Pick<Running, 'child' | 'exited' | 'startedAt'> {
    const child = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: spec.env ?? process.env });
    const prefix = (stream: NodeJS.ReadableStream | null, write: (t: string) => void) => {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (this.stopping && spec.quietWhileStopping?.test(line)) continue;
          write(line.startsWith(`[${spec.name}]`) ? `${line}\n` : `[${spec.name}] ${line}\n`);
        }
      });
    };
    prefix(child.stdout, this.io.stdout);
    prefix(child.stderr, this.io.stderr);
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', (err) => {
        this.io.stderr(`[${spec.name}] could not start: ${err.message}\n`);
        resolve(127);
      });
    });
    return { child, exited, startedAt: Date.now() };
  }

  private watch(entry: Running): void {
    const { child } = entry;
    void entry.exited.then((code) => {
      if (this.stopping || entry.child !== child) return;
      const now = Date.now();
      const how = code === null ? `signal ${child.signalCode ?? ''}`.trim() : `exit ${code}`;
      if (now - entry.startedAt >= this.policy.healthyAfterMs) entry.backoffMs = this.policy.initialBackoffMs;
      entry.crashes = [...entry.crashes.filter((t) => now - t < this.policy.burstWindowMs), now];
      if (entry.crashes.length > this.policy.maxCrashesInWindow) {
        const reason = `${entry.spec.name} crashed ${entry.crashes.length} times within ${Math.round(this.policy.burstWindowMs / 1000)} s (last: ${how})`;
        this.io.say(`${reason}; not restarting it again`);
        this.giveUp?.(reason);
        return;
      }
      const wait = entry.backoffMs;
      entry.backoffMs = Math.min(entry.backoffMs * 2, this.policy.maxBackoffMs);
      this.io.say(`${entry.spec.name} exited unexpectedly (${how}); restarting it in ${wait / 1000} s (restart ${entry.restarts + 1})`);
      entry.restartTimer = setTimeout(() => {
        if (this.stopping) return;
        Object.assign(entry, this.launch(entry.spec));
        entry.restarts += 1;
        this.io.say(`${entry.spec.name} restarted (pid ${entry.child.pid ?? '?'})`);
        this.watch(entry);
      }, wait);
    });
  }

  private async stopChild(entry: Running): Promise<void> {
    const pid = entry.child.pid;
    if (!pid || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        /* already gone */
      }
    };
    signalGroup('SIGTERM');
    const grace = entry.spec.stopGraceMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      entry.exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (!graceful) {
      this.io.say(`${entry.spec.name} did not stop within ${grace / 1000} s; killing it`);
      signalGroup('SIGKILL');
      await entry.exited;
    }
  }

  private killAll(): void {
    for (const { child } of this.running) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  }
}
