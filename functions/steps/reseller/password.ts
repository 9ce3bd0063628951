/** The original operator's password policy: 32 characters, 5 of them digits, no symbols. */
export const PASSWORD_LENGTH = 32;
export const PASSWORD_DIGITS = 5;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/**
 * A password by the original's policy from a source of random bytes. Each choice is uniform
 * (rejection sampling), and the digits land in uniformly random positions.
 */
export function generatePassword(random: (bytes: number) => Buffer): string {
  const pick = (alphabet: string): string => alphabet[uniform(random, alphabet.length)]!;
  const chars = [
    ...Array.from({ length: PASSWORD_DIGITS }, () => pick(DIGITS)),
    ...Array.from({ length: PASSWORD_LENGTH - PASSWORD_DIGITS }, () => pick(LETTERS)),
  ];
  // Fisher-Yates with the same uniform draws.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = uniform(random, i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** A uniform integer in [0, n) for n <= 256, rejecting the bytes that would bias it. */
function uniform(random: (bytes: number) => Buffer, n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const byte = random(1)[0]!;
    if (byte < limit) return byte % n;
  }
}
