/**
 * What an upgrade does to an existing composite's composed resources, read from two renders of the
 * same example (the release's pipeline and the working tree's): the changes that replace or orphan a
 * composed resource's external object, unless the CHANGELOG names the migration.
 */
import type { KubeObject } from '../../functions/types.js';
import { sortKeys } from '../../render/format.js';
import type { RenderRequest } from '../../render/render.js';
import type { CompatNote } from '../release/changelog.js';
import type { ImmutableFields } from './immutable.js';

/** One example rendered by one tree: its composed resources, or why it did not render. */
export interface ExampleRender {
  name: string;
  request: RenderRequest;
  composed?: KubeObject[];
  error?: string;
}

export type Rule = 'removed' | 'renamed' | 'kind' | 'name' | 'external-name' | 'immutable' | 'render';

/** One identity change: of a composed resource (`resource`), or of the whole example. */
export interface Change {
  rule: Rule;
  resource?: string;
  message: string;
  /** The CHANGELOG note that names this migration, if one does. */
  migration?: CompatNote;
}

export const RESOURCE_NAME = 'crossplane.io/composition-resource-name';
export const EXTERNAL_NAME = 'crossplane.io/external-name';

const metadata = (o: KubeObject) =>
  (o['metadata'] ?? {}) as { name?: string; annotations?: Record<string, string> };
const resourceName = (o: KubeObject) => metadata(o).annotations?.[RESOURCE_NAME] ?? '';
const externalName = (o: KubeObject) => metadata(o).annotations?.[EXTERNAL_NAME];
const typeOf = (o: KubeObject) => `${String(o['apiVersion'])} ${String(o['kind'])}`;

/** `group/Kind`, the key of the immutable fields table: core kinds have the empty group. */
export function groupKind(o: KubeObject): string {
  const apiVersion = String(o['apiVersion']);
  return `${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${String(o['kind'])}`;
}

function valueAt(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined),
      o,
    );
}

const show = (value: unknown) => (value === undefined ? 'unset' : JSON.stringify(sortKeys(value)));

/** The identity changes of one composed resource present in both renders. */
function resourceChanges(
  name: string,
  before: KubeObject,
  after: KubeObject,
  immutable: ImmutableFields,
): Change[] {
  if (typeOf(before) !== typeOf(after)) {
    return [
      {
        rule: 'kind',
        resource: name,
        message: `${typeOf(before)} becomes ${typeOf(after)}: Crossplane composes a new object and deletes the old one`,
      },
    ];
  }
  const changes: Change[] = [];
  const [wasName, isName] = [metadata(before).name, metadata(after).name];
  if (wasName !== isName) {
    changes.push({
      rule: 'name',
      resource: name,
      message: `metadata.name ${show(wasName)} becomes ${show(isName)}: another object`,
    });
  }
  const [wasExternal, isExternal] = [externalName(before), externalName(after)];
  if (wasExternal !== isExternal) {
    changes.push({
      rule: 'external-name',
      resource: name,
      message: `${EXTERNAL_NAME} ${show(wasExternal)} becomes ${show(isExternal)}: the provider looks for another external object`,
    });
  }
  for (const field of immutable[groupKind(before)] ?? []) {
    const [was, is] = [valueAt(before, field.path), valueAt(after, field.path)];
    if (show(was) === show(is)) continue;
    changes.push({
      rule: 'immutable',
      resource: name,
      message: `${field.path} ${show(was)} becomes ${show(is)}: immutable (${field.why})`,
    });
  }
  return changes;
}

/** Whether `after` is `before` under another composition-resource-name: same kind and same name. */
function sameObject(before: KubeObject, after: KubeObject): boolean {
  if (typeOf(before) !== typeOf(after)) return false;
  const external = externalName(before);
  if (external !== undefined) return external === externalName(after);
  const name = metadata(before).name;
  return name !== undefined && name === metadata(after).name;
}

/** Every identity change from `before` to `after` of one example. */
export function compareExample(
  before: ExampleRender,
  after: ExampleRender,
  immutable: ImmutableFields,
): Change[] {
  if (after.error !== undefined) {
    return [{ rule: 'render', message: `the example no longer renders: ${after.error}` }];
  }
  const was = new Map((before.composed ?? []).map((o) => [resourceName(o), o]));
  const is = new Map((after.composed ?? []).map((o) => [resourceName(o), o]));
  const added = [...is.entries()].filter(([name]) => !was.has(name));
  const changes: Change[] = [];
  for (const [name, old] of was) {
    const now = is.get(name);
    if (now) {
      changes.push(...resourceChanges(name, old, now, immutable));
      continue;
    }
    const renamed = added.find(([, candidate]) => sameObject(old, candidate));
    changes.push(
      renamed
        ? {
            rule: 'renamed',
            resource: name,
            message: `renamed to "${renamed[0]}": Crossplane deletes what it composed as "${name}" and composes "${renamed[0]}" anew`,
          }
        : {
            rule: 'removed',
            resource: name,
            message: `removed: Crossplane deletes the ${typeOf(old)} it composed, and with it what it manages`,
          },
    );
  }
  return changes;
}

/** Marks each change that a note names, as `<example>/<resource>` or the whole `<example>`. */
export function applyNotes(example: string, changes: Change[], notes: readonly CompatNote[]): Change[] {
  return changes.map((change) => {
    const migration = notes.find(
      (n) =>
        n.target === example ||
        (change.resource !== undefined && n.target === `${example}/${change.resource}`),
    );
    return migration ? { ...change, migration } : change;
  });
}
