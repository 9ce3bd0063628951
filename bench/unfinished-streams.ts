// What a caller that never finishes its messages costs function-stackplane: starts the function
// (`node --import tsx functions/main.ts --insecure`, in its own process), opens streams that each send
// all but the last KiB of a 4 MiB RunFunctionRequest and stop, and samples the server's RSS from
// /proc every 100 ms for BENCH_SECONDS. Prints RSS before, the peak, RSS at the end, and how many
// streams the server had closed by then.
//
// Usage: [BENCH_STREAMS=60] [BENCH_CONNECTIONS=4] [BENCH_SECONDS=25] npx tsx bench/unfinished-streams.ts
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { functionRunnerService } from '../functions/codec/service.js';

const STREAMS = Number(process.env['BENCH_STREAMS'] ?? 60);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 4);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 25);
const MESSAGE = 4 * 1024 * 1024 - 5;
const SENT = MESSAGE - 1024;
const ADDRESS = '127.0.0.1:19443';

const rssMiB = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
};

const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'functions/main.ts', '--insecure', '--address', ADDRESS],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
try {
  const pid = server.pid!;
  const sessions: http2.ClientHttp2Session[] = [];
  for (let i = 0; i < 100 && sessions.length === 0; i++) {
    await sleep(200);
    const session = http2.connect(`http://${ADDRESS}`);
    const connected = await new Promise<boolean>((resolve) => {
      session.once('remoteSettings', () => resolve(true));
      session.once('error', () => resolve(false));
    });
    if (connected) sessions.push(session);
    else session.destroy();
  }
  while (sessions.length < CONNECTIONS) sessions.push(http2.connect(`http://${ADDRESS}`));
  await sleep(1000);
  const before = rssMiB(pid);

  const started = Date.now();
  const closedAfter: number[] = [];
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(MESSAGE, 1);
  const body = Buffer.concat([prefix, Buffer.alloc(SENT, 0x2a)]);
  for (let i = 0; i < STREAMS; i++) {
    const stream = sessions[i % sessions.length]!.request({
      ':method': 'POST',
      ':path': functionRunnerService.runFunction.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.on('error', () => undefined);
    stream.on('close', () => closedAfter.push((Date.now() - started) / 1000));
    stream.resume();
    stream.write(body);
  }

  let peak = before;
  while (Date.now() - started < SECONDS * 1000) {
    await sleep(100);
    peak = Math.max(peak, rssMiB(pid));
  }
  const after = rssMiB(pid);
  const lastClose = closedAfter.length > 0 ? Math.max(...closedAfter).toFixed(1) : '-';
  console.log(
    '| streams | connections | RSS before MiB | peak MiB | after MiB | closed by the server | last closed after s |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${STREAMS} | ${CONNECTIONS} | ${before.toFixed(0)} | ${peak.toFixed(0)} | ${after.toFixed(0)} | ${closedAfter.length} of ${STREAMS} in ${SECONDS} s | ${lastClose} |`,
  );
  for (const session of sessions) session.destroy();
} finally {
  server.kill('SIGTERM');
}
