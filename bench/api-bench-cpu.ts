/**
 * The CPU a process spends, thread by thread, read from /proc (Linux): user + system time of each thread,
 * grouped by the thread's name. The main thread is `main` (its own name, `node`, is shared by every thread
 * Node starts: the SDK's JavaScript workflow thread, V8's and libuv's helpers, which stay `node`); the
 * Temporal core's Rust threads keep theirs (`workflow-proces`: its workflow-processing stream, the sticky
 * cache and the workflows' state machines; `tokio-runtime-w`: its async runtime and gRPC). Read before
 * and after a run of Updates, the difference per Update is what each Update costs the worker, whatever it
 * waits on. Elsewhere than Linux it reads nothing, and the table says so.
 */
import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

/** Milliseconds of CPU by thread name, summed over the threads of that name. */
export type ThreadCpu = Map<string, number>;

export function threadCpu(pid: number): ThreadCpu {
  const byName: ThreadCpu = new Map();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // The name is in parentheses and may hold spaces; the fields after it are space-separated.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const name = tid === String(pid) ? 'main' : stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    byName.set(name, (byName.get(name) ?? 0) + (1000 * ticks) / TICKS_PER_SECOND);
  }
  return byName;
}

/** CPU per Update between two readings, by thread name (threads that started between them count from 0). */
export function cpuPerUpdate(before: ThreadCpu, after: ThreadCpu, updates: number): ThreadCpu {
  const per: ThreadCpu = new Map();
  for (const [name, ms] of after) {
    const spent = ms - (before.get(name) ?? 0);
    if (spent > 0) per.set(name, spent / updates);
  }
  return per;
}

export function totalMs(cpu: ThreadCpu): number {
  let sum = 0;
  for (const ms of cpu.values()) sum += ms;
  return sum;
}

/** The whole machine's busy CPU so far (every process, every core; idle and I/O wait left out), in ms; 0 elsewhere than Linux. */
export function machineCpu(): number {
  let line: string | undefined;
  try {
    line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return 0;
  }
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  return (1000 * (user + nice + system + irq + softirq + (steal ?? 0))) / TICKS_PER_SECOND;
}

/** The CPU so far of the processes a request passes through, and of the whole machine, in ms. */
export interface CpuReading {
  api: number;
  worker: number;
  /** This process: the driver (autocannon's HTTP client, or the Temporal client of the raw Updates). */
  driver: number;
  machine: number;
}

export function cpuReading(pids: { api: number; worker: number }): CpuReading {
  const { user, system } = process.cpuUsage();
  return {
    api: totalMs(threadCpu(pids.api)),
    worker: totalMs(threadCpu(pids.worker)),
    driver: (user + system) / 1000,
    machine: machineCpu(),
  };
}

/** Each part's CPU per request between two readings; `rest` is the machine's less the three processes (the Temporal server, PostgreSQL). */
export type CpuPerRequest = CpuReading & { rest: number };

export function cpuPerRequest(before: CpuReading, after: CpuReading, requests: number): CpuPerRequest {
  const per = (k: keyof CpuReading) => (after[k] - before[k]) / requests;
  const [api, worker, driver, machine] = [per('api'), per('worker'), per('driver'), per('machine')];
  return { api, worker, driver, machine, rest: machine - api - worker - driver };
}
