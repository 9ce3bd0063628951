export const REDIS_PORT = 6379;

/**
 * The connection Secret keys of a Redis. As in the original operator, `uri` is the host alone and
 * `port` the port, so consumers need no change. The original's Redis had neither auth nor TLS; a
 * client of this one needs both, so the Secret says so: `password` and its alias `auth` (the AUTH
 * token, as ElastiCache and redis-cli call it), `tls` ("true" when the server speaks only TLS) and
 * `url`, the whole connection as one `redis://` or `rediss://` URL for clients that take one. A
 * group without a token (one adopted as the original made it) has no `password` or `auth`.
 */
export function redisConnection(options: {
  host: string;
  port: string;
  password: string | undefined;
  tls: boolean;
}): Record<string, string> {
  const { host, port, password, tls } = options;
  const scheme = tls ? 'rediss' : 'redis';
  const credentials = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  return {
    uri: host,
    port,
    ...(password === undefined ? {} : { password, auth: password }),
    tls: String(tls),
    url: `${scheme}://${credentials}${host}:${port}`,
  };
}
