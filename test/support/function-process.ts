// function-stackplane as its own process, started as its image starts it (functions/main.ts with
// flags and environment), for tests of what it prints: log lines, start-up errors, exit codes.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../testing/wait.js';

/** How the process is started: its flags, and environment variables on top of the test's own. */
export interface FunctionProcessOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
}

/** A process that ended: its exit code and everything it printed. */
export interface FunctionExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(options: FunctionProcessOptions): ChildProcess {
  // An undefined value removes the variable, so a test controls what the process sees.
  const env = Object.fromEntries(
    Object.entries({ ...process.env, ...options.env }).filter(([, value]) => value !== undefined),
  );
  return spawn(process.execPath, ['--import', 'tsx', 'functions/main.ts', ...(options.args ?? [])], { env });
}

/** Starts the function and waits until it exits; for start-up failures. */
export function runUntilExit(options: FunctionProcessOptions, timeoutMs = 30_000): Promise<FunctionExit> {
  const child = start(options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`function-stackplane still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A function serving on a loopback port, with everything it printed so far. */
export interface ServingFunction {
  address: string;
  /** stdout and stderr, line by line, in the order they came. */
  lines(): string[];
  stop(): Promise<void>;
}

/** Starts the function with --insecure on a free port; resolves once it logged that it listens. */
export async function startServing(options: FunctionProcessOptions = {}): Promise<ServingFunction> {
  const address = `127.0.0.1:${await freePort()}`;
  const child = start({ ...options, args: ['--insecure', `--address=${address}`, ...(options.args ?? [])] });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    lines.push(...complete.filter((line) => line !== ''));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!lines.some((line) => line.includes('server started and listening'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`function-stackplane did not start: ${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address,
    lines: () => [...lines],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
