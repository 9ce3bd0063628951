import { z } from 'zod';
import type { CompositeKind } from '../definition.js';
import {
  DATA_GROUP,
  dataServiceFields,
  dataServicePrinterColumns,
  dataServiceStatusFields,
} from './common.js';

export const smtpCredentialsSpecSchema = z
  .object({ ...dataServiceFields })
  .describe('The desired SMTP credentials.');

export const smtpCredentialsStatusSchema = z
  .object({
    ...dataServiceStatusFields,
    domain: z.string().optional().describe('The domain mail may be sent from (AWS), kept once chosen.'),
  })
  .describe('What was decided and composed for the credentials.');

export type SMTPCredentialsSpec = z.output<typeof smtpCredentialsSpecSchema>;

export const SMTPCredentials: CompositeKind<
  typeof smtpCredentialsSpecSchema,
  typeof smtpCredentialsStatusSchema
> = {
  group: DATA_GROUP,
  version: 'v1alpha1',
  kind: 'SMTPCredentials',
  plural: 'smtpcredentials',
  scope: 'Namespaced',
  description: 'Credentials to send mail over SMTP; host, port and credentials arrive in a Secret.',
  spec: smtpCredentialsSpecSchema,
  status: smtpCredentialsStatusSchema,
  printerColumns: dataServicePrinterColumns,
};
