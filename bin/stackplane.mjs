#!/usr/bin/env node
// `npx stackplane <command>`: runs the TypeScript commands through tsx, as `npm run` does.
import process from 'node:process';
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

const commands = { migrate: '../migrate/cli.ts' };
const [command, ...args] = process.argv.slice(2);
if (!command || !(command in commands)) {
  process.stderr.write(
    `usage: stackplane <command> [flags]\n\ncommands: ${Object.keys(commands).join(', ')}\n`,
  );
  process.exit(2);
}
register();
const { main } = await import(new URL(commands[command], import.meta.url).href);
process.exitCode = await main(args);
