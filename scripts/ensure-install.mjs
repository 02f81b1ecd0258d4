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

// test/local/docs.test.ts loads the /docs page in a real headless Chromium. On Debian, as root,
// Debian's package is installed here (about 35 s with the package lists); elsewhere that test says
// it is skipped, and why.
const onPath = (name) =>
  (process.env.PATH ?? '').split(':').some((directory) => directory && existsSync(join(directory, name)));
const canInstallChromium = existsSync('/etc/debian_version') && process.getuid?.() === 0 && onPath('apt-get');
if (!onPath('chromium') && !onPath('chromium-browser') && canInstallChromium) {
  console.error("Installing Debian's chromium for the /docs browser test (apt-get install chromium)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env });
  if (install.status !== 0) {
    console.error('chromium could not be installed: the /docs browser test will be skipped.');
  }
}
