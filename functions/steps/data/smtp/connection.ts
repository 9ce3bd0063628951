/** The connection Secret keys of SMTPCredentials, as consumers of the original operator read them. */
export function smtpConnection(options: {
  username: string;
  password: string;
  host: string;
  port: string;
  tls: boolean;
}): Record<string, string> {
  return { ...options, tls: String(options.tls) };
}

/** An IAM policy document allowing mail to be sent as one SES domain identity, and nothing else. */
export function sendAsDomainPolicy(region: string, domain: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendRawEmail'],
        Resource: [`arn:aws:ses:${region}:*:identity/${domain}`],
      },
    ],
  });
}
