// The command line of npm run render takes both CLIs' forms: `crossplane render` (v2.2) and
// `crossplane composition render` (v2.3 on), with every flag either used or refused with its reason.
import { describe, expect, it } from 'vitest';
import { parseRenderCommand, UsageError, type RenderCommand } from '../../../render/cli.js';

const XR = 'examples/postgres/aws';

/** What parsing `XR ...flags` gives besides the defaults. */
const parsed = (...args: string[]): Partial<RenderCommand> => {
  const defaults = parseRenderCommand([XR]);
  const command = parseRenderCommand(args);
  return Object.fromEntries(
    Object.entries(command).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key as keyof RenderCommand]),
    ),
  );
};

const refused = (...args: string[]): string => {
  try {
    parseRenderCommand(args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

describe('npm run render takes the command lines of both CLIs', () => {
  it.each<[string, string[], Partial<RenderCommand>]>([
    [
      'v2.3 on: crossplane composition render',
      ['composition', 'render', XR, 'c.yaml', 'f.yaml'],
      { compositionPath: 'c.yaml', functionsPath: 'f.yaml' },
    ],
    ['v2.2 and the v2.3 alias: crossplane render', ['render', XR, 'c.yaml'], { compositionPath: 'c.yaml' }],
    ['--timeout in seconds', [XR, '--timeout', '90s'], { timeoutMs: 90_000 }],
    ['--timeout as Go writes it', [XR, '--timeout=1m30s'], { timeoutMs: 90_000 }],
    ['--timeout in milliseconds', [XR, '--timeout=1.5s'], { timeoutMs: 1_500 }],
    ['--function-credentials', [XR, '--function-credentials', 'creds/'], { credentialsPaths: ['creds/'] }],
    ['--verbose', [XR, '--verbose'], { verbose: true }],
    [
      'the development target annotation, as the CLI test passes it',
      [XR, '-a', 'render.crossplane.io/runtime-development-target=dns:///127.0.0.1:9443'],
      { functionAddress: '127.0.0.1:9443' },
    ],
    [
      'the Development runtime, which npm run render always uses',
      [XR, '--function-annotations=render.crossplane.io/runtime=Development'],
      {},
    ],
    [
      'the same address from -a and --function-address',
      [
        XR,
        '-a',
        'render.crossplane.io/runtime-development-target=127.0.0.1:1',
        '--function-address',
        '127.0.0.1:1',
      ],
      { functionAddress: '127.0.0.1:1' },
    ],
    [
      'repeated --required-resources, as v2.3 allows',
      [XR, '-e', 'a.yaml', '--required-resources', 'b/'],
      { requiredPaths: ['a.yaml', 'b/'] },
    ],
  ])('%s', (_, args, want) => {
    expect(parsed(...args)).toEqual(want);
  });
});

describe('npm run render says in one line why a flag does not apply', () => {
  it.each<[string, string[], string]>([
    [
      'a timeout that is no duration',
      [XR, '--timeout', '5'],
      'cannot parse --timeout "5": use a duration such as 30s, 1m or 1m30s',
    ],
    [
      'a zero timeout',
      [XR, '--timeout', '0s'],
      'cannot parse --timeout "0s": use a duration such as 30s, 1m or 1m30s',
    ],
    [
      'the Docker runtime',
      [XR, '-a', 'render.crossplane.io/runtime=Docker'],
      '-a render.crossplane.io/runtime=Docker has no meaning here: npm run render runs function-stackplane from this checkout, never in Docker',
    ],
    [
      'a Docker annotation',
      [XR, '-a', 'render.crossplane.io/runtime-docker-cleanup=Orphan'],
      '-a render.crossplane.io/runtime-docker-cleanup has no meaning here: npm run render never runs functions in Docker',
    ],
    [
      'an unknown annotation',
      [XR, '-a', 'example.org/x=y'],
      'unknown function annotation example.org/x: npm run render reads only render.crossplane.io/runtime and render.crossplane.io/runtime-development-target',
    ],
    [
      'an annotation without a value',
      [XR, '-a', 'nothing'],
      'cannot parse --function-annotations "nothing": use key=value',
    ],
    [
      'two different function addresses',
      [
        XR,
        '-a',
        'render.crossplane.io/runtime-development-target=127.0.0.1:1',
        '--function-address',
        '127.0.0.1:2',
      ],
      'cannot use both --function-address 127.0.0.1:2 and -a render.crossplane.io/runtime-development-target=127.0.0.1:1',
    ],
    [
      '-s, the required schemas',
      [XR, '-s', 'schemas/'],
      '--required-schemas has no meaning here: function-stackplane asks for no OpenAPI schemas',
    ],
    [
      "v2.3's Crossplane binary",
      [XR, '--crossplane-binary', '/usr/bin/crossplane'],
      '--crossplane-binary has no meaning here: npm run render runs the pipeline itself, without a Crossplane image or binary (CLI v2.3 on)',
    ],
    [
      "v2.3's Crossplane version",
      [XR, '--crossplane-version=v2.3.0'],
      '--crossplane-version has no meaning here: npm run render runs the pipeline itself, without a Crossplane image or binary (CLI v2.3 on)',
    ],
    [
      "v2.3's project file",
      ['composition', 'render', XR, '-f', 'crossplane.yaml'],
      '--project-file has no meaning here: Stackplane is not a Crossplane project; pass an XR file or an example directory',
    ],
    [
      "v2.3's package cache",
      [XR, '--cache-dir', '/tmp/cache'],
      "--cache-dir has no meaning here: it caches a project's embedded functions; npm run render runs function-stackplane from this checkout",
    ],
  ])('%s', (_, args, want) => {
    expect(refused(...args)).toBe(want);
  });
});
