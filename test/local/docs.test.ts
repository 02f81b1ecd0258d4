/**
 * The interactive docs of `npm start` (issue 9): Swagger UI at /docs on the local gateway, loaded
 * in a real headless Chromium (Debian's `chromium`; scripts/ensure-install.mjs installs it where it
 * can), which must render every route of lib/http/routes.ts, method and path, and nothing else.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../lib/http/routes';
import { loadDocsPages } from '../../local/docs';
import { type LocalGateway, startLocalGateway } from '../../local/gateway';
import { generateLocalJwtKeys } from '../../local/jwt-keys';

const run = promisify(execFile);

function findChromium(): string | undefined {
  const directories = (process.env.PATH ?? '').split(delimiter);
  for (const name of ['chromium', 'chromium-browser']) {
    const found = directories.map((directory) => join(directory, name)).find((path) => existsSync(path));
    if (found) return found;
  }
  return undefined;
}

const chromium = findChromium();
const skipReason =
  "SKIPPED: no chromium on PATH (scripts/ensure-install.mjs installs Debian's package when run as root " +
  'with apt-get; elsewhere install Chromium by hand)';
if (!chromium) console.warn(`test/local/docs.test.ts ${skipReason}`);

/** The page as Chromium rendered it, after its scripts ran (virtual time lets them finish). */
async function renderedDom(url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'docs-chromium-'));
  try {
    const { stdout } = await run(
      chromium ?? 'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=20000',
        '--dump-dom',
        url,
      ],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('the API docs at /docs', () => {
  let gateway: LocalGateway;

  beforeAll(async () => {
    gateway = await startLocalGateway({
      routes: [],
      keys: await generateLocalJwtKeys(),
      pages: await loadDocsPages(),
      logger: { info: () => undefined, error: () => undefined },
    });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('serves openapi.json beside the page, without a token', async () => {
    // Act
    const response = await fetch(`${gateway.url}/docs/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')),
    );
  });

  it('serves only its own files under /docs, and leaves everything else to the gateway', async () => {
    expect((await fetch(`${gateway.url}/docs/../package.json`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/docs/swagger-initializer.js`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/v1/health`)).status).toBe(404);
  });

  it.skipIf(!chromium)(
    chromium
      ? 'renders every route, method and path, in headless Chromium, and nothing else'
      : `renders every route in headless Chromium: ${skipReason}`,
    async () => {
      // Act
      const dom = await renderedDom(`${gateway.url}/docs`);

      // Assess: Swagger UI writes each operation as its method, then the path in data-path.
      const rendered = [
        ...dom.matchAll(/opblock-summary-method">([A-Z]+)<\/span>.*?data-path="([^"]+)"/gs),
      ].map((match) => `${match[1]} ${match[2]}`);
      expect(rendered.sort()).toEqual(httpRoutes.map((route) => route.routeKey).sort());
    },
    120_000,
  );
});
