/** The database and user every composed Postgres gets, as the original operator created them. */
export const POSTGRES_DATABASE = 'postgres';
export const POSTGRES_USERNAME = 'postgres';
export const POSTGRES_PORT = 5432;

/** The connection Secret keys of a Postgres, as consumers of the original operator read them. */
export function postgresConnection(options: {
  username: string;
  password: string;
  host: string;
  port: string;
  database: string;
}): Record<string, string> {
  const { username, password, host, port, database } = options;
  const uri = `postgresql://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;
  return { username, password, host, port, database, uri };
}
