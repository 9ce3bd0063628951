export const REDIS_PORT = 6379;

/**
 * The connection Secret keys of a Redis. As in the original operator, `uri` is the host alone and
 * `port` the port, so consumers need no change; `password` is new (the original had no auth).
 */
export function redisConnection(options: {
  host: string;
  port: string;
  password: string;
}): Record<string, string> {
  return { uri: options.host, port: options.port, password: options.password };
}
