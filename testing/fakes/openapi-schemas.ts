/**
 * Validates values against the schemas of an OpenAPI description with ajv, so a fake API answers
 * exactly what the real one's contract allows.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

// ajv-formats is CommonJS with a default export its types do not describe for NodeNext.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv;

/** One problem found in a value, as FastAPI reports it: the path into the value and what is wrong. */
export interface SchemaIssue {
  loc: string[];
  msg: string;
  type: string;
}

/** The component schemas of one OpenAPI document. */
export class OpenAPISchemas {
  private readonly ajv: Ajv;
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(path: string) {
    const document = parse(readFileSync(path, 'utf8')) as {
      components: { schemas: Record<string, unknown> };
    };
    // useDefaults fills in the API's defaults, as the server does before it stores a value.
    this.ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
    addFormats(this.ajv);
    this.id = 'openapi';
    this.ajv.addSchema({ $id: this.id, components: document.components });
  }

  /** Validates (and defaults, in place) `value` against components.schemas[name]; [] when valid. */
  validate(name: string, value: unknown, root: string[] = ['body']): SchemaIssue[] {
    let validator = this.validators.get(name);
    if (validator === undefined) {
      validator = this.ajv.getSchema(`${this.id}#/components/schemas/${name}`);
      if (validator === undefined) throw new Error(`cannot find schema "${name}" in the OpenAPI document`);
      this.validators.set(name, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map((error) => issueOf(error, root));
  }
}

function issueOf(error: ErrorObject, root: string[]): SchemaIssue {
  const loc = [...root, ...error.instancePath.split('/').filter((part) => part !== '')];
  if (error.keyword === 'required') loc.push(String(error.params.missingProperty));
  return { loc, msg: error.message ?? 'is invalid', type: `value_error.${error.keyword}` };
}
