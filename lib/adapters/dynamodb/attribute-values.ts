/**
 * Plain values to DynamoDB attribute values and back, for the items this project writes: strings,
 * numbers, booleans, null, lists and maps (no sets, no binary). `undefined` is left out, as
 * @aws-sdk/util-dynamodb does with `removeUndefinedValues`. That package does the same in more
 * cases, and costs every bundle 5 KiB and half a millisecond of cold load (issue 6).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** A map of plain values as an item. Throws on what this table never stores (a set, a NaN...). */
export function marshall(value: Readonly<Record<string, unknown>>): Item {
  const item: Item = {};
  for (const [name, field] of Object.entries(value)) {
    if (field !== undefined) setData(item, name, toAttribute(field, name));
  }
  return item;
}

/** defineProperty, not assignment: a key `__proto__` must stay data, never become a prototype. */
function setData(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

export function unmarshall(item: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(item)) setData(value, name, fromAttribute(attribute, name));
  return value;
}

function toAttribute(value: unknown, path: string): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      // As @aws-sdk/util-dynamodb: a number DynamoDB would keep but JavaScript could not read back exactly is refused.
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
        throw new TypeError(`${path}: ${value} cannot be stored exactly`);
      }
      return { N: String(value) };
    case 'object':
      if (Array.isArray(value)) {
        return {
          L: value
            .filter((element) => element !== undefined)
            .map((element, index) => toAttribute(element, `${path}[${index}]`)),
        };
      }
      if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        const map: Item = {};
        for (const [name, field] of Object.entries(value)) {
          if (field !== undefined) setData(map, name, toAttribute(field, `${path}.${name}`));
        }
        return { M: map };
      }
      break;
  }
  throw new TypeError(`${path}: a ${typeof value} cannot be stored`);
}

function fromAttribute(attribute: AttributeValue, path: string): unknown {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined)
    return attribute.L.map((element, index) => fromAttribute(element, `${path}[${index}]`));
  if (attribute.M !== undefined) return unmarshall(attribute.M);
  throw new TypeError(`${path}: an attribute of this kind is never stored here`);
}
