// An earlier version of function-stackplane, built from git beside the working tree, so the benchmark
// can set today's function against the one it improves on (as benchstat sets old against new).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The last commit before function-stackplane had its own codec: the function as it ran then. */
export const BEFORE_CODEC = '326215b';

export interface Baseline {
  /** The short commit it was built from. */
  commit: string;
  /** Its function entrypoint, built with its own tsconfig. */
  main: string;
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

/**
 * The function at `ref`, exported with `git archive` into `dir` and built with tsc. It runs on this
 * checkout's node_modules, so its dependencies must be the ones it declared: a ref whose package.json
 * asks for other versions is refused rather than measured on the wrong libraries.
 * Undefined, with the reason on stderr, when the ref is not in this clone (a shallow clone, say).
 */
export function buildBaseline(ref: string, dir: string): Baseline | undefined {
  let commit: string;
  try {
    commit = git('rev-parse', '--short', `${ref}^{commit}`);
  } catch {
    console.error(`baseline ${ref}: not in this clone (fetch its history to measure against it); skipped`);
    return undefined;
  }
  const root = resolve(dir, `baseline-${commit}`);
  const main = join(root, 'dist/functions/main.js');
  if (!existsSync(main)) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${root}"`], { stdio: 'inherit' });
    const theirs = dependencies(join(root, 'package.json'));
    const ours = dependencies('package.json');
    if (theirs !== ours) {
      throw new Error(
        `baseline ${ref}: its package.json dependencies differ from this checkout's; ` +
          'measure it in its own clone after npm ci',
      );
    }
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  return { commit, main };
}

function dependencies(file: string): string {
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: object; overrides?: object };
  return JSON.stringify([pkg.dependencies, pkg.overrides]);
}
