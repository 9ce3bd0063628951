import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_PATTERN,
  PROJECT_NAME_PATTERN,
  openstackLogin,
  openstackProjectName,
  regionalUserName,
} from '../../../../functions/naming/openstack-names.js';
import { stableHash } from '../../../../functions/naming/unique-name.js';

const PROJECT = { maxLength: 48 };

describe('openstackProjectName and openstackLogin', () => {
  it.each([
    [
      'the original names when unambiguous',
      { controllerId: 'kkkfqd', namespace: 'default', name: 'project-sample' },
      {},
      'kkkfqd-default-project-sample',
      'project-sample-default@kkkfqd.k8s',
    ],
    [
      'a hash for a namespace with "-" by default',
      { controllerId: 'qxmrtb', namespace: 'team-a', name: 'web' },
      {},
      `qxmrtb-team-a-web-${stableHash('qxmrtb/team-a/web')}`,
      `web-team-a-${stableHash('web/team-a')}@qxmrtb.k8s`,
    ],
    [
      'the original names for a namespace with "-" in original mode',
      { controllerId: 'qxmrtb', namespace: 'team-a', name: 'web' },
      { original: true },
      'qxmrtb-team-a-web',
      'web-team-a@qxmrtb.k8s',
    ],
    [
      'a hash for a "." the project pattern refuses, in either mode',
      { controllerId: 'qxmrtb', namespace: 'team', name: 'web.v2' },
      { original: true },
      `qxmrtb-team-web-v2-${stableHash('qxmrtb/team/web.v2')}`,
      'web.v2-team@qxmrtb.k8s',
    ],
    [
      'a readable prefix and a hash when too long, in either mode',
      { controllerId: 'qxmrtb', namespace: 'team', name: 'x'.repeat(70) },
      { original: true },
      `qxmrtb-team-${'x'.repeat(25)}-${stableHash(`qxmrtb/team/${'x'.repeat(70)}`)}`,
      `${'x'.repeat(53)}-${stableHash(`${'x'.repeat(70)}/team`)}@qxmrtb.k8s`,
    ],
  ] as const)('%s', (_reason, parts, options, project, login) => {
    expect(openstackProjectName(parts, { ...PROJECT, ...options })).toBe(project);
    expect(openstackLogin(parts, options)).toBe(login);
  });

  it.each([
    ['plain when the region has no "-"', 'alice', 'prod1', 'alice-prod1'],
    ['hashed when it has', 'alice', 'de-north', `alice-de-north-${stableHash('alice/de-north')}`],
  ])('regionalUserName: %s', (_reason, user, region, want) => {
    expect(regionalUserName(user, region)).toBe(want);
  });

  // Kubernetes object names: DNS-1123 subdomains (names) and labels (namespaces).
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  const subdomain = fc.stringMatching(
    /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,3}$/,
  );
  const pairs = fc.uniqueArray(fc.tuple(label, subdomain), {
    minLength: 50,
    maxLength: 300,
    selector: ([ns, n]) => `${ns}/${n}`,
  });
  const controllerId = fc.stringMatching(/^[a-z]{6}$/);

  it('unique mode: many namespace/name pairs never collide and always match the API patterns', () => {
    fc.assert(
      fc.property(controllerId, pairs, (id, namespaceNamePairs) => {
        const parts = namespaceNamePairs.map(([namespace, name]) => ({ controllerId: id, namespace, name }));
        const projects = parts.map((p) => openstackProjectName(p, PROJECT));
        const logins = parts.map((p) => openstackLogin(p));
        expect(new Set(projects).size).toBe(parts.length);
        expect(new Set(logins).size).toBe(parts.length);
        for (const name of projects) {
          expect(name).toMatch(PROJECT_NAME_PATTERN);
          expect(name.length).toBeLessThanOrEqual(PROJECT.maxLength);
        }
        for (const login of logins) {
          expect(login).toMatch(EMAIL_PATTERN);
          expect(login.length).toBeLessThanOrEqual(254);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('original mode: exactly the original string whenever it fits the pattern and length', () => {
    fc.assert(
      fc.property(controllerId, label, subdomain, (id, namespace, name) => {
        const parts = { controllerId: id, namespace, name };
        const project = openstackProjectName(parts, { ...PROJECT, original: true });
        const originalProject = `${id}-${namespace}-${name}`;
        if (PROJECT_NAME_PATTERN.test(originalProject) && originalProject.length <= PROJECT.maxLength) {
          expect(project).toBe(originalProject);
        } else {
          expect(project).toMatch(PROJECT_NAME_PATTERN);
          expect(project.length).toBeLessThanOrEqual(PROJECT.maxLength);
        }
        const login = openstackLogin(parts, { original: true });
        const originalLogin = `${name}-${namespace}@${id}.k8s`;
        if (EMAIL_PATTERN.test(originalLogin)) expect(login).toBe(originalLogin);
        else expect(login).toMatch(EMAIL_PATTERN);
      }),
      { numRuns: 500 },
    );
  });
});
