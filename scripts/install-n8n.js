#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Installs real n8n builds for the end-to-end tests (outside the git tree).
 *
 *   node scripts/install-n8n.js                      # 2.41.1 then 1.123.x
 *   node scripts/install-n8n.js --version 2.41.1     # one version (aliases: 2, 1, 1.123.x)
 *   node scripts/install-n8n.js --version 1.123.x --quiet
 *   node scripts/install-n8n.js --where              # print the cache folder and what is installed
 *
 * Cache: $N8N_E2E_CACHE or ~/.cache/n8n-nodes-amazon-shopify. Already-installed versions are skipped.
 */

const inst = require('./lib/n8n-install');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ versions: string[], quiet: boolean, where: boolean }} */
	const o = { versions: [], quiet: false, where: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--quiet' || a === '-q') o.quiet = true;
		else if (a === '--where') o.where = true;
		else if (a === '--version' || a === '-v') o.versions.push(argv[++i]);
		else if (a.startsWith('--version=')) o.versions.push(a.slice('--version='.length));
		else if (a === '--help' || a === '-h') {
			process.stdout.write('usage: node scripts/install-n8n.js [--version 2.41.1|1.123.x|2|1]... [--quiet] [--where]\n');
			process.exit(0);
		} else {
			process.stderr.write(`unknown argument: ${a}\n`);
			process.exit(2);
		}
	}
	if (!o.versions.length) o.versions = ['2.41.1', '1.123.x'];
	o.versions = o.versions.map(inst.normalizeSpec);
	return o;
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const t0 = Date.now();
	process.stdout.write(`n8n e2e cache: ${inst.cacheDir()}\n`);
	if (o.where) {
		for (const v of o.versions) {
			const m = inst.readMarker(inst.n8nDir(v));
			process.stdout.write(`  n8n-${v}: ${m ? `installed ${m.version} (node ${m.nodeVersion}, ${m.installedAt})` : 'not installed'}\n`);
		}
		return;
	}
	for (const v of o.versions) {
		const r = await inst.ensureN8n(v, { quiet: o.quiet });
		const phases = Object.entries(r.phases)
			.map(([k, s]) => `    ${k}: ${s} s`)
			.join('\n');
		process.stdout.write(
			r.installed ? `n8n ${r.version} installed in ${r.dir}\n${phases}\n` : `n8n ${r.version} already installed in ${r.dir}\n`,
		);
	}
	process.stdout.write(`total ${inst.secs(Date.now() - t0)}\n`);
}

main().catch((e) => {
	process.stderr.write(`install-n8n: ${e && e.stack ? e.stack : e}\n`);
	process.exit(1);
});
