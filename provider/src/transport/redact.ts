/** Keeps credentials out of messages: the request's secrets scrubbed, a URL's user info hidden. */

/** What stands in for a scrubbed value. */
export const REDACTED = '[redacted]';

/**
 * `text` with every occurrence of each secret replaced. An API that echoes the request (a password in
 * "invalid password 'hunter2'") must not carry it into a condition, an event or the log.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  // The longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** The URL without its user info (`https://***@host/`), for a message that must name it. */
export function redactURL(url: string): string {
  // `user:pw@host` parses as a URL of scheme "user:"; only an authority after :// is a URL's.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url.replace(/^[^/@]*@/, '***@');
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace('://', '://***@');
  } catch {
    // Not a valid URL: hide everything up to an @ that could be user info.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
  }
}
