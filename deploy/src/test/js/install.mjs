// Installs the interop tests' npm packages exactly as package-lock.json pins them (npm ci), unless
// node_modules already matches the lock file. Run by deploy's Maven build before the integration
// tests; safe to run by hand: node install.mjs
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = readFileSync(join(here, 'package-lock.json'));
const digest = createHash('sha256').update(lock).digest('hex');
const stamp = join(here, 'node_modules', '.meshbone-lock-sha256');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.log('interop test packages are installed and match package-lock.json');
} else {
  console.log('installing the interop test packages with npm ci ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  writeFileSync(stamp, digest);
}
