export const REDIS_PORT = 6379;

/**
 * The connection Secret keys of a Redis. As in the original operator, `uri` is the host alone and
 * `port` the port, so consumers need no change. The original's Redis had neither auth nor TLS; a
 * client of this one needs both, so the Secret says so: `password` and its alias `auth` (the AUTH
 * token, as ElastiCache and redis-cli call it), `tls` ("true" when the server speaks only TLS) and
 * `url`, the whole connection as one `redis://` or `rediss://` URL for clients that take one.
 */
export function redisConnection(options: {
  host: string;
  port: string;
  password: string;
  tls: boolean;
}): Record<string, string> {
  const scheme = options.tls ? 'rediss' : 'redis';
  return {
    uri: options.host,
    port: options.port,
    password: options.password,
    auth: options.password,
    tls: String(options.tls),
    url: `${scheme}://:${encodeURIComponent(options.password)}@${options.host}:${options.port}`,
  };
}
