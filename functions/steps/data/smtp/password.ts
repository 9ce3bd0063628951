import { createHmac } from 'node:crypto';

/** Inputs of AWS's SES SMTP password derivation (SigV4, version 0x04); AWS fixes these values. */
const DATE = '11111111';
const SERVICE = 'ses';
const TERMINAL = 'aws4_request';
const MESSAGE = 'SendRawEmail';
const VERSION = 0x04;

const sign = (key: Buffer | string, message: string): Buffer =>
  createHmac('sha256', key).update(message, 'utf8').digest();

/**
 * The SES SMTP password of an IAM secret access key for a region, by AWS's current algorithm: an
 * HMAC-SHA256 chain over "11111111", the region, "ses", "aws4_request" and "SendRawEmail", keyed
 * first with "AWS4" + the secret, prefixed with the version byte 0x04 and base64-encoded.
 */
export function sesSmtpPassword(secretAccessKey: string, region: string): string {
  let signature = sign(`AWS4${secretAccessKey}`, DATE);
  for (const part of [region, SERVICE, TERMINAL, MESSAGE]) signature = sign(signature, part);
  return Buffer.concat([Buffer.from([VERSION]), signature]).toString('base64');
}
