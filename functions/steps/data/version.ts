import type { Refused } from './composer.js';

/**
 * The version to run: `spec.version` when set, else the version recorded in status (so a running
 * service never changes version because the platform default did), else the strategy default. A
 * version the strategy does not allow is refused, never replaced.
 */
export function chooseVersion(options: {
  requested: string | undefined;
  recorded: unknown;
  strategy: { engineVersion: string; allowedVersions: readonly string[] };
  tier: string;
  provider: string;
}): { version: string } | Refused {
  const { requested, recorded, strategy } = options;
  if (requested === undefined) {
    return { version: typeof recorded === 'string' && recorded !== '' ? recorded : strategy.engineVersion };
  }
  if (strategy.allowedVersions.includes(requested)) return { version: requested };
  return {
    refused: {
      reason: 'VersionNotAllowed',
      message:
        `spec.version: version "${requested}" is not allowed by strategy "${options.tier}" on ${options.provider}; ` +
        `allowed: ${strategy.allowedVersions.join(', ')}; set one of them, or leave spec.version out for ` +
        strategy.engineVersion,
    },
  };
}

/**
 * The engine version a provider-upjet-aws resource runs, from its observed `atProvider`: AWS pulls
 * in the latest minor or patch of the version asked for, and an adopted object keeps the version it
 * was made with, so `engineVersionActual` is the truth once observed; `asked` until then.
 */
export function runningVersion(atProvider: Readonly<Record<string, unknown>>, asked: string): string {
  const running = atProvider['engineVersionActual'];
  return typeof running === 'string' && running !== '' ? running : asked;
}
