import { describe, expect, it } from 'vitest';
import type { ExternalClient, ManagedView } from '../../provider/src/runtime/external.js';
import { resolvingSecretKey, SecretKeyError, type SecretReader } from '../../provider/src/secret-key.js';
import { managed } from '../support/provider/managed.js';

interface Spec {
  email: string;
  passwordSecretRef: { name: string; key: string };
}
interface Resolved {
  email: string;
  password: string;
}

/** An external client that records the views it was given. */
function recording(seen: ManagedView<Resolved>[]): ExternalClient<Resolved> {
  return {
    observe: async (mr) => (seen.push(mr), { resourceExists: true, resourceUpToDate: true }),
    create: async (mr) => (seen.push(mr), {}),
    update: async (mr) => (seen.push(mr), {}),
    delete: async (mr) => void seen.push(mr),
  };
}

const readSecret =
  (secrets: Record<string, Record<string, string>>): SecretReader =>
  async (namespace, name) => {
    const data = secrets[`${namespace}/${name}`];
    return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
  };

async function run(
  secrets: Record<string, Record<string, string>>,
  operation: 'observe' | 'delete',
  deleteNeedsValue = true,
  deleting = operation === 'delete',
): Promise<ManagedView<Resolved>[] | string> {
  const seen: ManagedView<Resolved>[] = [];
  const connector = resolvingSecretKey({ connect: async () => recording(seen) }, readSecret(secrets), {
    field: 'spec.forProvider.passwordSecretRef',
    selector: (spec: Spec) => spec.passwordSecretRef,
    resolve: ({ passwordSecretRef: _ref, ...spec }, password) => ({ ...spec, password }),
    deleteNeedsValue,
  });
  const client = await connector.connect({});
  const mr = managed<Spec>({ email: 'a@example.com', passwordSecretRef: { name: 'pw', key: 'password' } });
  if (deleting) mr.deleting = true;
  try {
    await client[operation](mr);
    return seen;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretKeyError);
    return (error as Error).message;
  }
}

const view = (password: string, deleting = false) => ({
  name: 'test',
  namespace: 'default',
  forProvider: { email: 'a@example.com', password },
  ...(deleting ? { deleting } : {}),
});

describe('resolvingSecretKey', () => {
  it.each<{ reason: string; got: () => Promise<unknown>; want: unknown }>([
    {
      reason: "reads the key from a Secret in the resource's namespace",
      got: () => run({ 'default/pw': { password: 's3cret' } }, 'observe'),
      want: [view('s3cret')],
    },
    {
      reason: 'a missing Secret names it and its namespace',
      got: () => run({ 'other/pw': { password: 's3cret' } }, 'observe'),
      want: 'cannot read spec.forProvider.passwordSecretRef: Secret "pw" not found in "default"',
    },
    {
      reason: 'a missing key names the key',
      got: () => run({ 'default/pw': { pass: 's3cret' } }, 'observe'),
      want: 'cannot read spec.forProvider.passwordSecretRef: Secret "pw" has no key "password"',
    },
    {
      reason: 'a delete that needs no value is not blocked by a deleted Secret',
      got: () => run({}, 'delete', false),
      want: [view('', true)],
    },
    {
      reason: 'a delete that needs the value reads it',
      got: () => run({ 'default/pw': { password: 's3cret' } }, 'delete', true),
      want: [view('s3cret', true)],
    },
    {
      reason: 'a delete that needs the value gets an empty one once the Secret is gone: the client decides',
      got: () => run({}, 'delete', true),
      want: [view('', true)],
    },
    {
      reason: 'observing a resource being deleted is not blocked by a deleted Secret either',
      got: () => run({}, 'observe', true, true),
      want: [view('', true)],
    },
  ])('$reason', async ({ got, want }) => {
    expect(await got()).toEqual(want);
  });
});
