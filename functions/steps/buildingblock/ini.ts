/**
 * A small ini (oslo.config) reader and merger: the agents' generated configuration with the user's
 * customServiceConfig merged over it, so the result is one file a human can read.
 */

/** Sections in order, each with its keys in order; values as written. */
export type Ini = Map<string, Map<string, string>>;

/** A line of ini the parser cannot read, with its line number (1-based). */
export class IniSyntaxError extends Error {
  override name = 'IniSyntaxError';
}

/** Parses ini text. Comments and blank lines are dropped; keys before any section go to DEFAULT. */
export function parseIni(text: string): Ini {
  const ini: Ini = new Map();
  let section = 'DEFAULT';
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      if (!ini.has(section)) ini.set(section, new Map());
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new IniSyntaxError(`line ${index + 1}: "${line}" is neither [section] nor key = value`);
    }
    if (!ini.has(section)) ini.set(section, new Map());
    ini.get(section)!.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  return ini;
}

/** `over` merged into `base`: its keys replace base's, its new keys and sections are appended. */
export function mergeIni(base: Ini, over: Ini): Ini {
  const out: Ini = new Map([...base].map(([name, keys]) => [name, new Map(keys)]));
  for (const [name, keys] of over) {
    const section = out.get(name) ?? new Map<string, string>();
    for (const [key, value] of keys) section.set(key, value);
    out.set(name, section);
  }
  return out;
}

/** Renders ini text, DEFAULT first as oslo.config expects, sections separated by a blank line. */
export function renderIni(ini: Ini): string {
  const names = [...ini.keys()].sort((a, b) => (a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : 0));
  return (
    names
      .filter((name) => (ini.get(name)?.size ?? 0) > 0)
      .map((name) => [`[${name}]`, ...[...ini.get(name)!].map(([k, v]) => `${k} = ${v}`)].join('\n'))
      .join('\n\n') + '\n'
  );
}
