/**
 * An e-mail address as the reseller API accepts it for a login (`format: email`): a dot-atom local
 * part of at most 64 characters and a domain of DNS labels. The original operator's logins end in
 * `@<controller-id>.k8s`, whose top-level label has a digit; e-mail syntax allows that (zod's
 * stricter `z.email()` does not), so every schema that holds a login uses this pattern.
 */
export const EMAIL_PATTERN =
  /^(?=[^@]{1,64}@)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The longest local part (before the `@`) of an e-mail address. */
export const EMAIL_LOCAL_PART_MAX = 64;

/**
 * EMAIL_PATTERN without its length look-ahead, for CRDs: Kubernetes validates `pattern` with Go's RE2,
 * which has no look-around. Pair it with a check that the local part has at most EMAIL_LOCAL_PART_MAX
 * characters (`self.indexOf('@') <= 64` in CEL).
 */
export const EMAIL_SYNTAX_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
