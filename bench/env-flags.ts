/** Flags from a space-separated environment variable (`--a=1 --b`); none when it is unset or empty. */
export const envFlags = (name: string): string[] => (process.env[name] ?? '').split(' ').filter(Boolean);
