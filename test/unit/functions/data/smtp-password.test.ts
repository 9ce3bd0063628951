import { describe, expect, it } from 'vitest';
import { sesSmtpPassword } from '../../../../functions/steps/data/smtp/password.js';

// AWS's documented example secret access key. The expected passwords were computed with AWS's
// published Python script (ses_generate_smtp_credentials), an implementation independent of this one.
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('SES SMTP password (SigV4, version 0x04)', () => {
  it.each([
    ['us-east-1', 'BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9'],
    ['eu-west-1', 'BMW5RDrXmmVs0lV7GpI4oLkHXpZ4stDsk6q91z1g38Pk'],
  ])('derives the password for %s', (region, want) => {
    expect(sesSmtpPassword(EXAMPLE_SECRET, region)).toBe(want);
  });

  it('starts with the version byte 0x04 and carries a 32-byte signature', () => {
    const raw = Buffer.from(sesSmtpPassword(EXAMPLE_SECRET, 'us-east-1'), 'base64');
    expect(raw[0]).toBe(0x04);
    expect(raw.length).toBe(33);
  });
});
