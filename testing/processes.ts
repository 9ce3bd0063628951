/**
 * The processes of the control plane: each started with its output in a log file of its own, its PID
 * recorded, and stopped by PID (SIGTERM, then SIGKILL after a grace period), last started first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How to start one process. */
export interface ProcessSpec {
  /** Also the log file's name: `<logDir>/<name>.log`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** A started process. */
export interface RunningProcess {
  name: string;
  pid: number;
  logFile: string;
  /** The exit code or signal once it exited, undefined while it runs. */
  exit(): string | undefined;
}

const STOP_GRACE_MS = 10_000;

/** Starts processes, logs them into one folder, and stops them all. */
export class Processes {
  private readonly children: { process: RunningProcess; child: ChildProcess }[] = [];
  private readonly stopped = new Set<RunningProcess>();

  constructor(readonly logDir: string) {}

  /** Starts a process; its stdout and stderr go to `<logDir>/<name>.log`. */
  start(spec: ProcessSpec): RunningProcess {
    const logFile = join(this.logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    if (child.pid === undefined) throw new Error(`cannot start ${spec.name}: ${spec.command} did not start`);
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = signal ?? `exit code ${code}`));
    child.once('error', (error) => (exit = `error ${error.message}`));
    appendFileSync(join(this.logDir, 'pids'), `${child.pid} ${spec.name}\n`);
    const running: RunningProcess = { name: spec.name, pid: child.pid, logFile, exit: () => exit };
    this.children.push({ process: running, child });
    return running;
  }

  /** Runs a process to completion; throws with its log's tail when it fails. */
  async run(spec: ProcessSpec): Promise<void> {
    const running = this.start(spec);
    const child = this.children.find((c) => c.process === running)!.child;
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${spec.name} failed (${running.exit()}):\n${tail(running.logFile)}`);
  }

  /** Stops every process that still runs, the last started first. */
  async stopAll(): Promise<void> {
    for (const { process: running } of [...this.children].reverse()) await this.stop(running);
  }

  /** Stops one process: SIGTERM, then SIGKILL after the grace period. */
  async stop(running: RunningProcess): Promise<void> {
    const entry = this.children.find((c) => c.process === running);
    if (!entry) throw new Error(`cannot stop ${running.name}: these processes did not start it`);
    if (running.exit() !== undefined) return; // It exited by itself: exited() still reports it.
    this.stopped.add(running);
    const exited = new Promise<void>((resolve) => entry.child.once('exit', () => resolve()));
    process.kill(running.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (running.exit() === undefined) process.kill(running.pid, 'SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** The processes that exited although nobody stopped them. */
  exited(): RunningProcess[] {
    return this.children.map((c) => c.process).filter((p) => p.exit() !== undefined && !this.stopped.has(p));
  }
}

/** The last lines of a log file. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
