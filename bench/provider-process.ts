// The provider under benchmark as a process: started from the tsc build with a memory probe preloaded
// (`node --import`), which appends one JSON line a second with the process's memory split and CPU
// time; SIGUSR2 makes it collect garbage first and, with BENCH_HEAP_SNAPSHOT set, write a heap
// snapshot. Nothing here is part of the provider: the probe only reads process.memoryUsage().
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_NODE_FLAGS } from '../provider/src/node-flags.js';
import { envFlags } from './env-flags.js';

/** One probe line: bytes, and CPU microseconds since the process started. */
export interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cpuMicros: number;
  /** Taken right after a full garbage collection (SIGUSR2). */
  afterGC?: boolean;
}

const PROBE = `
import { appendFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
const file = process.env.BENCH_MEMORY_FILE;
const sample = (afterGC) => {
  const m = process.memoryUsage();
  const c = process.cpuUsage();
  appendFileSync(file, JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed,
    heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,
    cpuMicros: c.user + c.system, ...(afterGC ? { afterGC: true } : {}) }) + '\\n');
};
setInterval(() => sample(false), 1000).unref();
process.on('SIGUSR2', () => {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  sample(true);
  if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
});
`;

/**
 * Node.js flags the provider runs with: those of its runtime image, or BENCH_PROVIDER_NODE_FLAGS
 * (space-separated; empty for none) to measure others.
 */
export function providerNodeFlags(): string[] {
  if (process.env['BENCH_PROVIDER_NODE_FLAGS'] === undefined) return [...PROVIDER_NODE_FLAGS];
  return envFlags('BENCH_PROVIDER_NODE_FLAGS');
}

/** The provider process and its probe's samples. */
export class ProviderProcess {
  private child: ChildProcess | undefined;
  private readonly memoryFile: string;
  private readonly probe: string;

  constructor(
    private readonly work: string,
    private readonly flags: string[],
    private readonly kubeconfig: string,
    private readonly log: WriteStream,
    private readonly heapSnapshot?: string,
  ) {
    this.memoryFile = join(work, 'memory.jsonl');
    this.probe = join(work, 'memory-probe.mjs');
    writeFileSync(this.probe, PROBE);
    writeFileSync(this.memoryFile, '');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.child = spawn(
      process.execPath,
      ['--import', this.probe, 'dist/provider/src/main.js', ...this.flags],
      {
        env: {
          ...process.env,
          KUBECONFIG: this.kubeconfig,
          // As the runtime image passes them.
          NODE_OPTIONS: providerNodeFlags().join(' '),
          BENCH_MEMORY_FILE: this.memoryFile,
          ...(this.heapSnapshot === undefined ? {} : { BENCH_HEAP_SNAPSHOT: this.heapSnapshot }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
  }

  /** Every sample so far (of every process started, in order). */
  samples(): MemorySample[] {
    return readFileSync(this.memoryFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as MemorySample);
  }

  /** Collects garbage in the provider and waits for the sample it then writes. */
  async sampleAfterGC(timeoutMs = 120_000): Promise<MemorySample | undefined> {
    const before = this.samples().filter((s) => s.afterGC).length;
    this.child?.kill('SIGUSR2');
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      const after = this.samples().filter((s) => s.afterGC);
      if (after.length > before) return after[after.length - 1];
    }
    return undefined;
  }

  /** Peak resident set (VmHWM) of the running process, in MiB. */
  peakRssMiB(): number {
    if (this.child?.pid === undefined || this.child.exitCode !== null) return 0;
    return peakRssMiB(this.child.pid);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    await signalAndWait(this.child, signal);
  }
}

/** Sends signal to a running child and resolves once it has exited; at once when it is not running. */
export async function signalAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The machine's load averages now, as `uptime` prints them. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
}

/**
 * CPU seconds (user + system) so far of each child process of this bench, by name: the API server,
 * etcd and the provider (node). A process that exited is left out.
 */
export function childCpuSeconds(): Map<string, number> {
  const seconds = new Map<string, number>();
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
  );
  for (const pid of children) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = /\((.*)\)/.exec(stat)?.[1] ?? pid;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are the 14th and 15th fields, in clock ticks of 1/100 s.
      const ticks = Number(fields[11]) + Number(fields[12]);
      const label = name === 'node' ? 'provider' : name;
      seconds.set(label, (seconds.get(label) ?? 0) + ticks / 100);
    } catch {
      // exited meanwhile
    }
  }
  return seconds;
}

/** Peak resident set (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}
