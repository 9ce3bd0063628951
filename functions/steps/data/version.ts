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
