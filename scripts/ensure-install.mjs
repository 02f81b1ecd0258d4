#!/usr/bin/env node
// Runs before `npm start` and `npm test`, so that both work on a fresh clone: installs the
// locked dependencies when node_modules is missing or older than package-lock.json, and says
// plainly what else is missing. Plain JavaScript with Node built-ins only: nothing is installed yet.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this project needs Node 20.19 or newer.`);
  process.exit(1);
}

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.error('Installing dependencies (npm ci)...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
if (java.error) {
  console.error(
    'Java was not found. DynamoDB Local, which `npm start` and `npm test` run, needs Java 17 or newer:\n' +
      '  Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless\n' +
      '  macOS:         brew install openjdk@17\n' +
      '  elsewhere:     https://adoptium.net',
  );
  process.exit(1);
}
