// How long one request whose context is a single Struct of many keys holds the event loop: our codec
// against the SDK's generated decoder. The keys come in the reverse of the order the codec puts them
// in, the worst case for an insertion sort.
//
// Usage: [BENCH_REPS=5] npx tsx bench/wide-struct.ts [keys...]   (default: 10000 50000 100000)
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from '../functions/codec/request-decode.js';

const REPS = Number(process.env['BENCH_REPS'] ?? 5);
const sizes = process.argv.slice(2).map(Number);

const encode = (keys: readonly string[]): Buffer =>
  Buffer.from(
    RunFunctionRequest.encode(
      RunFunctionRequest.fromPartial({ context: Object.fromEntries(keys.map((key, i) => [key, i])) }),
    ).finish(),
  );

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(decode: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = process.hrtime.bigint();
    decode();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

console.log('| keys | request MiB | ours ms | SDK ms | ours ms per MiB |');
console.log('|---:|---:|---:|---:|---:|');
for (const count of sizes.length > 0 ? sizes : [10_000, 50_000, 100_000]) {
  const natural = Array.from({ length: count }, (_, i) => `key-${i}`);
  const ordered = Object.keys(decodeRunFunctionRequest(encode(natural)).context ?? {});
  const wire = encode(ordered.reverse());
  const mib = wire.length / 2 ** 20;
  const ours = time(() => decodeRunFunctionRequest(wire));
  const sdk = time(() => RunFunctionRequest.decode(wire));
  console.log(
    `| ${count} | ${mib.toFixed(2)} | ${ours.toFixed(0)} | ${sdk.toFixed(0)} | ${(ours / mib).toFixed(0)} |`,
  );
}
