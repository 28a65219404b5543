// Runs the two lint legs of n8n's verification scanner (@n8n/scan-community-package) offline:
// the source (nodes/, credentials/, package.json) and the packed tarball (compiled .js and
// package.json). The scanner's provenance and download steps need a published package, so they are
// skipped; everything it lints is linted here with its own configuration.
// Usage: node scripts/scan.mjs   (installs the scanner into a cache folder on first use)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCANNER_VERSION = '0.32.0';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = path.join(process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-amazon-shopify'), `scanner-${SCANNER_VERSION}`);
const scannerEntry = path.join(cache, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');

if (!fs.existsSync(path.join(cache, '.installed'))) {
	fs.mkdirSync(cache, { recursive: true });
	fs.writeFileSync(path.join(cache, 'package.json'), '{"name":"scanner-cache","private":true}\n');
	console.log(`Installing @n8n/scan-community-package@${SCANNER_VERSION} into ${cache} ...`);
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@n8n/scan-community-package@${SCANNER_VERSION}`], { cwd: cache, stdio: 'inherit' });
	fs.writeFileSync(path.join(cache, '.installed'), new Date().toISOString());
}

const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerEntry).href);

// The tarball leg: pack exactly what npm would publish and unpack it.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: repo, encoding: 'utf8' });
const tarball = JSON.parse(packed)[0];
const unpacked = path.join(work, 'package');
execFileSync('tar', ['-xzf', path.join(work, tarball.filename), '-C', work]);

let failed = false;
for (const [label, dir, patterns] of [
	['source (nodes/, credentials/, package.json)', repo, SOURCE_FILE_PATTERNS],
	['tarball (compiled .js, package.json)', unpacked, ['**/*.js', 'package.json']],
]) {
	const result = await analyzePackage(dir, patterns);
	console.log(`${result.passed ? 'PASS' : 'FAIL'} scanner ${label}${result.message ? `: ${result.message}` : ''}`);
	if (!result.passed) {
		failed = true;
		if (result.details) console.log(result.details);
	}
}
console.log(`tarball ${tarball.filename}: ${tarball.size} bytes packed, ${tarball.unpackedSize} bytes unpacked, ${tarball.entryCount} files`);
fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
