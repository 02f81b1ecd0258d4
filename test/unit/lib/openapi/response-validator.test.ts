/** The e2e suites' check of every answer against the document (test/support/openapi-validator.ts). */
import { describe, expect, it } from 'vitest';
import { createResponseValidator } from '../../../support/openapi-validator';

const validator = createResponseValidator();
const health = { data: { status: 'ok' } };
const notFound = {
  error: { code: 'CONTAINER_NOT_FOUND', message: 'Container not found', request_id: 'r1' },
};

describe('the response validator', () => {
  it('accepts an answer the document describes', () => {
    expect(validator.check('GET', '/v1/health', 200, health)).toBeUndefined();
    expect(
      validator.check('GET', '/v1/containers/6740c3f2a1b2c3d4e5f60718?x=1', 404, notFound),
    ).toBeUndefined();
  });

  it('refuses a field the document does not name', () => {
    const mismatch = validator.check('GET', '/v1/health', 200, { data: { status: 'ok', extra: 1 } });
    expect(mismatch).toContain('must NOT have additional properties');
  });

  it('refuses a status the route does not document', () => {
    expect(validator.check('GET', '/v1/health', 201, health)).toContain('the document has no 201');
  });

  it('refuses an error code the route does not document for that status', () => {
    const wrongCode = { error: { ...notFound.error, code: 'WEBHOOK_NOT_FOUND' } };
    expect(validator.check('GET', '/v1/containers/6740c3f2a1b2c3d4e5f60718', 404, wrongCode)).toBeDefined();
  });

  it('matches a literal segment before a parameter, as the gateway routes', () => {
    // POST .../activity answers 204 without a body; POST .../{operation} never does.
    expect(
      validator.check('POST', '/v1/containers/6740c3f2a1b2c3d4e5f60718/activity', 204, undefined),
    ).toBeUndefined();
  });

  it("accepts only the gateway's own 404 for a path no route has", () => {
    expect(validator.check('GET', '/v2/nothing', 404, { message: 'Not Found' })).toBeUndefined();
    expect(validator.check('GET', '/v2/nothing', 200, health)).toContain('matches no route');
  });
});
