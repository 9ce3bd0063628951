/**
 * The resourceVersions this process wrote, per object of one kind. The watch event of a write the
 * reconciler made itself (a finalizer, the create annotations, the external name, late-initialized
 * fields) brings nothing it did not know: the reconcile that wrote saw the object as written and
 * requeued as it needed. crossplane-runtime reconciles again on those events; at 10,000 resources
 * they were a third of all reconciles and took that share of --max-reconcile-rate's budget
 * (BENCHMARKS.md, the scale scenario), so the controller skips them. A write by anyone else carries
 * another resourceVersion and is reconciled as before.
 */
export class OwnWrites {
  private readonly written = new Map<string, string[]>();

  /**
   * @param perObject how many unanswered writes of one object are remembered: a watch that relists
   *   skips intermediate versions, whose entries would otherwise stay until the object goes.
   */
  constructor(private readonly perObject = 4) {}

  /** Remembers that this process wrote the object at key to resourceVersion. */
  record(key: string, resourceVersion: string | undefined): void {
    if (resourceVersion === undefined) return;
    const versions = this.written.get(key) ?? [];
    versions.push(resourceVersion);
    if (versions.length > this.perObject) versions.shift();
    this.written.set(key, versions);
  }

  /** Whether the event of key at resourceVersion is of this process's own write; forgets it then. */
  consume(key: string, resourceVersion: string | undefined): boolean {
    const versions = this.written.get(key);
    if (versions === undefined || resourceVersion === undefined) return false;
    const at = versions.indexOf(resourceVersion);
    if (at < 0) return false;
    // Older writes than this one will not be delivered any more.
    versions.splice(0, at + 1);
    if (versions.length === 0) this.written.delete(key);
    return true;
  }

  /** Forgets an object that is gone. */
  forget(key: string): void {
    this.written.delete(key);
  }

  /** How many objects have unanswered writes. */
  get size(): number {
    return this.written.size;
  }
}
