import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from '../../../../functions/codec/request-decode.js';
import { entriesBase } from '../../../../functions/codec/struct-shapes.js';
import {
  bytes,
  delimited,
  structEntry,
  utf8,
  valueNumber,
  valueString,
  valueStruct,
  type Wire,
} from '../../../support/protobuf-wire.js';

/** A request whose observed composite is a Struct of the given entries. */
const compositeWith = (...entries: Wire[]): Buffer =>
  bytes(delimited(2, delimited(1, delimited(1, entries.flat()))));

const compositeOf = (wire: Buffer): Record<string, unknown> =>
  decodeRunFunctionRequest(wire).observed?.composite?.resource as Record<string, unknown>;

/** StorageClass-like parameters: more keys than anyone could list every order of. */
const PARAMETERS = Array.from({ length: 12 }, (_, i) => [`csi.storage.k8s.io/parameter-${i}`, `value-${i}`]);

const parametersIn = (order: readonly number[]): Buffer =>
  compositeWith(
    structEntry(
      utf8('parameters'),
      valueStruct(
        ...order.map((i) => structEntry(utf8(PARAMETERS[i]![0]!), valueString(PARAMETERS[i]![1]!))),
      ),
    ),
  );

describe('the objects of decoded Structs', () => {
  it('have their keys in one order, whatever order the keys came in (Go writes maps in random order)', () => {
    const inOrder = PARAMETERS.map((_, i) => i);
    const reference = compositeOf(parametersIn(inOrder));
    fc.assert(
      fc.property(fc.shuffledSubarray(inOrder, { minLength: inOrder.length }), (order) => {
        const wire = parametersIn(order);
        const ours = compositeOf(wire);
        // The SDK keeps the wire's order; deep equality does not depend on order.
        expect(ours).toStrictEqual(RunFunctionRequest.decode(wire).observed?.composite?.resource);
        expect(Object.keys(ours['parameters'] as object)).toEqual(
          Object.keys(reference['parameters'] as object),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('are the same whether a key sequence is new or has a compiled builder', () => {
    const wire = compositeWith(
      structEntry(utf8('apiVersion'), valueString('v1')),
      structEntry(utf8('kind'), valueString('ConfigMap')),
      structEntry(utf8('data'), valueStruct(structEntry(utf8('a b "c"\\'), valueNumber(1)))),
      structEntry(utf8('naïve-clé'), valueString('x')),
    );
    const first = compositeOf(wire);
    for (let i = 0; i < 20; i++) {
      const again = compositeOf(wire);
      expect(again).toStrictEqual(first);
      expect(Object.keys(again)).toEqual(Object.keys(first));
      expect(again).not.toBe(first);
      expect(again['data']).not.toBe(first['data']);
    }
    expect(first).toStrictEqual(RunFunctionRequest.decode(wire).observed?.composite?.resource);
  });

  it('keep the last value of a repeated key and a __proto__ key as data, however often they come', () => {
    const wire = compositeWith(
      structEntry(utf8('a'), valueString('first')),
      structEntry(utf8('__proto__'), valueStruct(structEntry(utf8('polluted'), valueString('yes')))),
      structEntry(utf8('b'), valueString('b')),
      structEntry(utf8('a'), valueString('last')),
    );
    for (let i = 0; i < 20; i++) {
      const resource = compositeOf(wire);
      expect(resource['a']).toBe('last');
      expect(Object.keys(resource).sort()).toEqual(['__proto__', 'a', 'b']);
      expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(resource, '__proto__')?.value).toEqual({ polluted: 'yes' });
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keep nothing of a Struct that failed to decode', () => {
    const truncated = compositeWith(
      structEntry(utf8('kept'), valueString('no')),
      structEntry(utf8('cut'), valueStruct(structEntry(utf8('x'), valueString('y')))),
    ).subarray(0, -3);
    expect(() => decodeRunFunctionRequest(truncated)).toThrow();
    expect(entriesBase()).toBe(0);
    const wire = compositeWith(structEntry(utf8('only'), valueString('this')));
    expect(compositeOf(wire)).toStrictEqual({ only: 'this' });
  });
});
