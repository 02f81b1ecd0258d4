/**
 * Holds answers to the OpenAPI document: the route that matches a request (as the gateway routes:
 * a literal segment outranks a `{parameter}`), the response documented for its status, and the
 * body validated against that response's schema with Ajv (JSON Schema 2020-12, as OpenAPI 3.1).
 * An undocumented status is a mismatch, and so is a body where the document says there is none.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import { buildOpenApiDocument, type OpenApiDocument } from '../../lib/openapi/document';

type Json = { [key: string]: unknown };

interface DocumentedRoute {
  readonly method: string;
  readonly template: string;
  readonly segments: readonly string[];
  readonly operation: Json;
}

export interface ResponseValidator {
  /** What is wrong with this answer, or undefined when the document allows it. */
  check(method: string, url: string, status: number, body: unknown): string | undefined;
}

export function createResponseValidator(
  document: OpenApiDocument = buildOpenApiDocument(),
): ResponseValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const components = document.components as { schemas: Json; responses: Json };
  // The document's `#/components/...` refs, resolved against a schema that holds only them.
  ajv.addSchema({ $id: 'openapi-components', $defs: components.schemas });
  const routes: DocumentedRoute[] = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      segments: template.split('/').slice(1),
      operation: operation as Json,
    })),
  );
  const compiled = new Map<string, ValidateFunction>();

  function validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = compiled.get(key);
    if (!validate) {
      const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi-components#/$defs/');
      validate = ajv.compile(JSON.parse(text));
      compiled.set(key, validate);
    }
    return validate;
  }

  return {
    check(method, url, status, body) {
      const path = new URL(url, 'http://localhost').pathname;
      const route = match(routes, method, path);
      if (!route) {
        // Not a route: only the gateway's own 404 may answer.
        return status === 404 && isGatewayMessage(body)
          ? undefined
          : `${method} ${path} matches no route of the document, yet answered ${status}`;
      }
      const name = `${route.method} ${route.template} ${status}`;
      const responses = route.operation.responses as Record<string, Json>;
      let response = responses[String(status)];
      if (!response) return `${name}: the document has no ${status} for this route`;
      if (typeof response.$ref === 'string') {
        response = components.responses[response.$ref.split('/').pop() ?? ''] as Json;
      }
      const content = response.content as Record<string, { schema: unknown }> | undefined;
      const schema = content?.['application/json']?.schema;
      if (schema === undefined) {
        return body === undefined ? undefined : `${name}: the document says no body, but one came`;
      }
      const validate = validatorFor(name, schema);
      if (validate(body)) return undefined;
      const errors = (validate.errors ?? [])
        .slice(0, 8)
        .map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
      return `${name}: the body does not match the document:\n  ${errors.join('\n  ')}\n  body: ${JSON.stringify(body).slice(0, 600)}`;
    },
  };
}

function isGatewayMessage(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as Json).message === 'string';
}

function match(
  routes: readonly DocumentedRoute[],
  method: string,
  path: string,
): DocumentedRoute | undefined {
  const parts = path.split('/').slice(1);
  let best: DocumentedRoute | undefined;
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const fits = route.segments.every(
      (segment, index) =>
        (parts[index] ?? '') !== '' &&
        (segment.startsWith('{') || segment === decodeURIComponent(parts[index] ?? '')),
    );
    if (fits && (!best || moreSpecific(route, best))) best = route;
  }
  return best;
}

/** Segment by segment, a literal beats a `{parameter}`, as API Gateway ranks routes. */
function moreSpecific(a: DocumentedRoute, b: DocumentedRoute): boolean {
  for (const [index, segment] of a.segments.entries()) {
    const aLiteral = !segment.startsWith('{');
    const bLiteral = !(b.segments[index] ?? '').startsWith('{');
    if (aLiteral !== bLiteral) return aLiteral;
  }
  return false;
}
