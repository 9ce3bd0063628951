// The processes a benchmark measures: starting gRPC servers on free loopback ports, driving them with
// the Go load client, and reading their CPU time and peak memory from /proc.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../testing/wait.js';

/** Resolves once something accepts connections on `port`. */
export async function listening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        done(true);
      }).on('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

export interface Report {
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

export /** Requests each load run sends before it measures. */
const WARMUP = 100;

/** Runs the Go load client against `target` and returns its latency and throughput report. */
export function load(
  client: string,
  target: string,
  requestFile: string,
  n: number,
  concurrency: number,
): Report {
  const stdout = execFileSync(client, [
    '-target',
    target,
    '-request',
    requestFile,
    '-n',
    String(n),
    '-warmup',
    String(WARMUP),
    '-concurrency',
    String(concurrency),
  ]);
  return JSON.parse(stdout.toString()) as Report;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident memory (VmHWM) of a process, in MiB. */
export function peakMiB(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** A gRPC server the benchmark measures, in its own process. */
export interface Peer {
  name: string;
  command: string;
  args: (address: string) => string[];
  process?: ChildProcess;
  target?: string;
}

/** Stops the peer's process, if any, and starts a fresh one. */
export async function restart(peer: Peer): Promise<void> {
  if (peer.process) {
    const exited = new Promise((done) => peer.process!.once('exit', done));
    peer.process.kill('SIGTERM');
    await exited;
  }
  await start(peer);
}

/** Starts the peer on a free loopback port and waits until it listens. */
export async function start(peer: Peer): Promise<void> {
  const port = await freePort();
  peer.target = `127.0.0.1:${port}`;
  peer.process = spawn(peer.command, peer.args(peer.target), { stdio: ['ignore', 'ignore', 'inherit'] });
  await listening(port);
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
