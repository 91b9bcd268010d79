/**
 * Where the bench's processes spend their CPU, from V8 CPU profiles (`node --cpu-prof`) of one run: each
 * process's (and workflow thread's) busy time, and the share of it under named parts of the code. A part
 * is matched by the frames of each sample's stack (function name and file), counted once per sample, so
 * parts may nest (the projector's share includes its SQLite commits).
 *
 * Read by `bench:api` when BENCH_API_CPU_PROFILE names a folder: why the gate costs what it costs, in
 * figures a reader can reproduce, instead of a guess.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A named part of the code: a sample is in it when a frame of its stack matches. */
export interface CodePart {
  label: string;
  /** Matched against `functionName file` of each frame (file relative to node_modules or the repository). */
  frame: RegExp;
}

export interface ProfiledProcess {
  /** What the process is (API, worker, bare worker, driver). */
  role: string;
  pid: number;
  /** 0: the main thread; otherwise a worker thread (the Temporal worker's workflow threads). */
  thread: number;
  busyMs: number;
  parts: Array<{ label: string; ms: number; share: number }>;
}

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/.*node_modules\//, '').replace(/^file:\/\//, '');
  return `${frame.functionName} ${file}`;
}

/** Busy time and the time under each part, from one profile file. */
export function summariseProfile(file: string, parts: readonly CodePart[]): { busyMs: number; partMs: number[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let busyUs = 0;
  const partUs = parts.map(() => 0);
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    busyUs += us;
    const matched = parts.map(() => false);
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame === undefined) break;
      const name = frameName(frame.callFrame);
      parts.forEach((part, i) => {
        if (!matched[i] && part.frame.test(name)) matched[i] = true;
      });
    }
    matched.forEach((m, i) => {
      if (m) partUs[i] += us;
    });
  }
  return { busyMs: busyUs / 1000, partMs: partUs.map((us) => us / 1000) };
}

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`, as node names them. */
function pidAndThread(file: string): { pid: number; thread: number } | null {
  const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(path.basename(file));
  return m === null ? null : { pid: Number(m[1]), thread: Number(m[2]) };
}

/** Every profile in `dir` of the processes named in `roles` (pid → role), each with its parts. */
export function summariseFolder(
  dir: string,
  roles: ReadonlyMap<number, string>,
  parts: (role: string, thread: number) => CodePart[],
): ProfiledProcess[] {
  const out: ProfiledProcess[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const id = pidAndThread(name);
    if (id === null) continue;
    const role = roles.get(id.pid);
    if (role === undefined) continue;
    const wanted = parts(role, id.thread);
    const { busyMs, partMs } = summariseProfile(path.join(dir, name), wanted);
    out.push({
      role,
      pid: id.pid,
      thread: id.thread,
      busyMs,
      parts: wanted.map((p, i) => ({ label: p.label, ms: partMs[i], share: busyMs > 0 ? partMs[i] / busyMs : 0 })),
    });
  }
  return out;
}

/** The parts this bench reports, by process: what the gate's path goes through in each. */
export function gatePathParts(role: string, thread: number): CodePart[] {
  if (role === 'API')
    return [
      { label: 'projector (read models: load, fold, write, commit)', frame: /applyInTransaction|applyBatch/ },
      { label: 'auth guard (token, people policy)', frame: /^canActivate .*auth\.guard/ },
      { label: 'body validation (class-validator)', frame: /class-validator|ValidationPipe|pipes\/validation/ },
      { label: 'Temporal client (gRPC)', frame: /@grpc\/grpc-js|@temporalio\/client/ },
      { label: 'waiting for the read models', frame: /waitForPosition|waitForCheckpoint/ },
      { label: 'garbage collection', frame: /^\(garbage collector\)/ },
    ];
  if (thread > 0)
    return [
      {
        label: "the SDK's stack-trace capture on every promise (promise hook)",
        frame: /^init @temporalio\/worker\/lib\/workflow\/vm-shared|prepareStackTrace/,
      },
      { label: 'the runtime: step (decide, record evidence, fold)', frame: /^step / },
      { label: 'the runtime: keepTime (re-arming the timer after a step)', frame: /^keepTime / },
      { label: 'Update validators', frame: /^validator / },
      { label: 'garbage collection', frame: /^\(garbage collector\)/ },
    ];
  return [
    { label: 'evidence append: SQLite/PostgreSQL transaction and commit', frame: /^runCommitTransaction |sqliteTransaction|^commit / },
    { label: 'evidence append: hashing and canonical JSON', frame: /canonical-json|evidence-hashing|^hash node:internal\/crypto/ },
    { label: 'command signature check', frame: /command-signature|^Hmac / },
    { label: 'Temporal core bridge', frame: /@temporalio\/core-bridge/ },
    { label: 'garbage collection', frame: /^\(garbage collector\)/ },
  ];
}

/** A Markdown table of the processes' busy time and parts. */
export function profileTable(processes: readonly ProfiledProcess[]): string {
  const lines = ['| process | thread | busy CPU (s) | part | CPU (s) | share of busy |', '|---|---|---:|---|---:|---:|'];
  for (const p of processes) {
    const thread = p.thread === 0 ? 'main' : 'workflow thread';
    p.parts.forEach((part, i) => {
      lines.push(
        `| ${i === 0 ? p.role : ''} | ${i === 0 ? thread : ''} | ${i === 0 ? (p.busyMs / 1000).toFixed(1) : ''} | ${part.label} | ${(part.ms / 1000).toFixed(1)} | ${(part.share * 100).toFixed(0)}% |`,
      );
    });
  }
  return lines.join('\n');
}
