// Strings that serve as property keys. V8 looks a key up in its string table on every keyed access
// unless the key is the table's own copy, which is what an object's keys are.

/** The engine's own copy of `text`, taken from an object's key. */
export function internalize(text: string): string {
  const holder: Record<string, true> = {};
  holder[text] = true;
  return Object.keys(holder)[0] ?? text;
}

/** Most names remembered by {@link internedNames}: enough for any one composite, bounded for all. */
const MAX_REMEMBERED = 4096;

/**
 * `derive`, remembering each result as the engine's own copy: for names derived from a request's
 * data (a StorageClass's composed resource name) and then used as keys several times a request.
 */
export function internedNames(derive: (name: string) => string): (name: string) => string {
  const remembered = new Map<string, string>();
  return (name) => {
    let derived = remembered.get(name);
    if (derived === undefined) {
      derived = internalize(derive(name));
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(name, derived);
    }
    return derived;
  };
}
