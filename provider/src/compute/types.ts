import type { z } from 'zod';
import type { computeServiceParametersSchema } from '../../../apis/provider/compute.js';

/** spec.forProvider of a ComputeService, defaults applied. */
export type ComputeServiceParameters = z.output<typeof computeServiceParametersSchema>;
