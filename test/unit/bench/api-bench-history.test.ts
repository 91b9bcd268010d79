import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { lastUpdateTaskOf, type HistoryEvent } from '../../../bench/api-bench-history';
import { cpuPerRequest, cpuPerUpdate, cpuReading, machineCpu, threadCpu, totalMs } from '../../../bench/api-bench-cpu';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'histories', 'ai-system-lifecycle', 'local-evidence', 'deployment-gate.json');

function recorded(): HistoryEvent[] {
  return temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(FIXTURE, 'utf8'))).events;
}

describe("the bench's split of an Update between the server and the worker", () => {
  it('given a recorded gate, when its last Update is read, then its task is timed from the server stamps and its completion counted', () => {
    // Events 113–119 of the fixture: task scheduled, started, completed; Update accepted, marker, Update completed, timer started.
    const task = lastUpdateTaskOf(recorded(), 'deployment-gate');
    expect(task.dispatchMs).toBeCloseTo(823.650972 - 818.637193, 5);
    expect(task.workerMs).toBeCloseTo(986.918319 - 823.650972, 5);
    expect(task.events).toBe(4);
  });

  it('given a history without an Update, when read, then it says so instead of timing another task', () => {
    const events = recorded().filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes == null);
    expect(() => lastUpdateTaskOf(events, 'no-update')).toThrow('no-update: no Update accepted in its history');
  });
});

describe("the bench's CPU per Update", () => {
  it('given this process, when its threads are read, then the main thread is there with the CPU spent so far', () => {
    let spin = 0;
    for (let i = 0; i < 5e6; i++) spin += i % 7;
    expect(spin).toBeGreaterThan(0);
    const cpu = threadCpu(process.pid);
    if (process.platform !== 'linux') return expect(cpu.size).toBe(0);
    expect(cpu.get('main')).toBeGreaterThan(0);
    expect(totalMs(cpu)).toBeGreaterThanOrEqual(cpu.get('main') ?? 0);
  });

  it('given two readings, when divided by the Updates, then each thread gets its share and idle ones are left out', () => {
    const before = new Map([
      ['node', 100],
      ['workflow-proces', 40],
      ['idle', 5],
    ]);
    const after = new Map([
      ['node', 180],
      ['workflow-proces', 60],
      ['idle', 5],
      ['new-thread', 10],
    ]);
    const per = cpuPerUpdate(before, after, 10);
    expect([...per]).toEqual([
      ['node', 8],
      ['workflow-proces', 2],
      ['new-thread', 1],
    ]);
    expect(totalMs(per)).toBe(11);
  });

  it('given this machine, when its busy CPU is read twice around some work, then it has grown', () => {
    const before = machineCpu();
    const until = Date.now() + 60;
    while (Date.now() < until); // 60 ms on a core: at least a few of the 10 ms ticks
    if (process.platform !== 'linux') return expect(before).toBe(0);
    expect(machineCpu()).toBeGreaterThan(before);
  });

  it('given two readings of the processes a request passes, when divided by the requests, then the rest is the machine less those processes', () => {
    const before = { api: 1000, worker: 2000, driver: 300, machine: 9000 };
    const after = { api: 1400, worker: 2600, driver: 400, machine: 10_500 };
    expect(cpuPerRequest(before, after, 100)).toEqual({ api: 4, worker: 6, driver: 1, machine: 15, rest: 4 });
  });

  it('given this process as the driver, when read around some work, then its own CPU has grown', () => {
    const pids = { api: 2 ** 22 + 17, worker: 2 ** 22 + 19 };
    const before = cpuReading(pids);
    const until = Date.now() + 30;
    while (Date.now() < until);
    const after = cpuReading(pids);
    expect(after.driver).toBeGreaterThan(before.driver);
    expect([after.api, after.worker]).toEqual([0, 0]); // gone processes read as nothing
  });

  it('given a process that is gone, when read, then nothing is read', () => {
    expect(threadCpu(2 ** 22 + 17).size).toBe(0);
  });
});
