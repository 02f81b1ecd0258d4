/**
 * `npm run openapi`: writes the OpenAPI 3.1 document (lib/openapi/document.ts) to openapi.json at
 * the repository root, formatted by Biome as `npm run lint` expects; functions/http/get-openapi.ts
 * and the local /docs page serve that file. test/unit/lib/openapi/document.test.ts fails when the
 * file says anything else than a fresh build.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../lib/openapi/document';

export const openApiFile = fileURLToPath(new URL('../openapi.json', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  const document = buildOpenApiDocument();
  await writeFile(openApiFile, `${JSON.stringify(document, null, 2)}\n`);
  execFileSync('npx', ['biome', 'format', '--write', openApiFile], { cwd: root, stdio: 'ignore' });
  console.log(`wrote openapi.json: ${Object.keys(document.paths).length} paths`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
