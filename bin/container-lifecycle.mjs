#!/usr/bin/env node
/**
 * The `container-lifecycle` command. It runs the TypeScript of cli/ through tsx (a devDependency),
 * so it works from a checkout after `npm install`; it is not built for publishing.
 */
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
