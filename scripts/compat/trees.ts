/**
 * The trees check:compat renders: a release's, extracted with `git archive` into a temporary folder,
 * and the working tree. `git archive` rather than `git worktree add`: it leaves nothing registered
 * in the repository, so an interrupted run leaves no worktree to prune. The release's tree runs with
 * this checkout's node_modules (linked), so no install is needed; a release whose package-lock.json
 * differs is rendered with today's dependencies, and the report says so.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ExampleRender } from './identity.js';

const run = promisify(execFile);

/** An expected refusal: the message says what to fix. */
export class CompatError extends Error {}

const DRIVER = 'scripts/compat/render-examples.ts';

async function git(...args: string[]): Promise<string> {
  return (await run('git', args, { encoding: 'utf8', maxBuffer: 1 << 26 })).stdout.trim();
}

const commitOf = (ref: string) =>
  git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).catch(() => undefined);

/**
 * The full hash of `ref`. A shallow clone (CI's may be) lacks older commits: it fetches the ref from
 * origin once before giving up.
 */
export async function resolveCommit(ref: string): Promise<string> {
  const found = await commitOf(ref);
  if (found) return found;
  const shallow = (await git('rev-parse', '--is-shallow-repository').catch(() => 'false')) === 'true';
  await git('fetch', '--quiet', '--no-tags', 'origin', ref).catch(() => undefined);
  const fetched = await commitOf(ref);
  if (fetched) return fetched;
  throw new CompatError(
    `cannot find ${ref}: ${shallow ? 'this clone is shallow and origin did not serve it' : 'no such commit in this clone or on origin'}: ` +
      'run git fetch --unshallow origin, or name a commit this clone has',
  );
}

/** Extracts `commit` into `dir` with this checkout's node_modules linked in, so its code runs. */
export async function extractCommit(commit: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const archive = join(dir, '..', 'tree.tar');
  await git('archive', '--format=tar', `--output=${archive}`, commit);
  await run('tar', ['-xf', archive, '-C', dir]);
  await symlink(await realpath('node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Extracts `commit` into `dir` and readies it to render: this checkout's node_modules and render driver. */
export async function extractTree(commit: string, dir: string): Promise<string> {
  await extractCommit(commit, dir);
  await mkdir(join(dir, 'scripts', 'compat'), { recursive: true });
  // Today's driver, whatever the release had: it writes what this checkout reads.
  await copyFile(DRIVER, join(dir, DRIVER));
  return dir;
}

/** Whether a tree's package-lock.json differs from this checkout's. */
export async function dependenciesDiffer(dir: string): Promise<boolean> {
  const read = (path: string) => readFile(path, 'utf8').catch(() => '');
  return (await read(join(dir, 'package-lock.json'))) !== (await read('package-lock.json'));
}

/**
 * Renders examples with the pipeline of the tree at `cwd`: its own examples, or the given renders'
 * requests. `work` holds the exchange files.
 */
export async function renderTree(
  cwd: string,
  out: string,
  requests?: readonly ExampleRender[],
): Promise<ExampleRender[]> {
  const args = ['--import', 'tsx', DRIVER, resolve(out)];
  if (requests) {
    const file = `${resolve(out)}.requests.json`;
    await writeFile(file, JSON.stringify(requests));
    args.push(file);
  }
  try {
    await run(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new CompatError(
      `cannot render the examples in ${cwd}: ${stderr.split('\n').slice(-5).join('\n') || (error as Error).message}`,
      { cause: error },
    );
  }
  return JSON.parse(await readFile(out, 'utf8')) as ExampleRender[];
}
