import type { KubeApiServer } from '../../testing/kube-apiserver.js';

/**
 * A request to the API server as JSON. Deliberately not @kubernetes/client-node's typed APIs: their
 * model serializer drops schema keywords it names differently (`enum` becomes `_enum`), so a CRD sent
 * through them loses its enums.
 */
export async function kubeRequest(server: KubeApiServer, method: string, path: string, body?: unknown) {
  const https = await import('node:https');
  const token = server.kubeConfig.getCurrentUser()?.token ?? '';
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const request = https.request(
      `${server.url}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: asJson(text) }));
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The body as JSON; a plain-text answer (`404 page not found`) as its message. */
function asJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { message: text };
  }
}
