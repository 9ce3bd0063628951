/** A non-2xx answer as the typed error of errors.ts, with the API's words scrubbed of the request's secrets. */
import { apiMessage, errorForStatus, validationIssues, type ExternalAPIError } from './errors.js';
import { jsonOf, secretsOf, type OutboundAnswer, type OutboundRequest } from './http.js';
import { scrub } from './redact.js';

/** Whether the answer is a success (2xx). */
export function succeeded(answer: OutboundAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** The error of a failed answer; an API that echoes a password or token gets it replaced. */
export function failureOf(request: OutboundRequest, answer: OutboundAnswer): ExternalAPIError {
  const body = jsonOf(answer);
  const secrets = secretsOf(request);
  const said = apiMessage(body);
  const issues = validationIssues(body).map((issue) => ({ ...issue, msg: scrub(issue.msg, secrets) }));
  return errorForStatus(
    request.api,
    request.operation,
    answer.status,
    said === undefined ? undefined : scrub(said, secrets),
    issues,
  );
}
