#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * End-to-end runner against real n8n processes (not jest). Run `npm run build` first.
 *
 *   node scripts/e2e.js                         # every scenario in scripts/e2e/, n8n 2.41.1 then 1.123.x
 *   node scripts/e2e.js --n8n 2                 # one version: 2 | 1 | both | an exact spec (2.41.1, 1.123.x)
 *   node scripts/e2e.js --scenario smoke        # only some scenarios (repeatable)
 *   node scripts/e2e.js --keep                  # keep .e2e/n8n-* folders (database, logs)
 *   node scripts/e2e.js --only-install          # install the n8n builds into the cache and stop
 *   node scripts/e2e.js --list                  # list the scenarios
 *   node scripts/e2e.js --tarball x.tgz         # install this npm pack tarball instead of packing the repo
 *
 * Each version is a separate pass. Installs n8n when missing (see scripts/install-n8n.js; cache
 * $N8N_E2E_CACHE or ~/.cache/n8n-nodes-amazon-shopify). Packs the repo once per run and installs
 * the same tarball into every instance. Ends with `N passed, N failed` and exits 1 on a failure.
 */

const fs = require('node:fs');
const path = require('node:path');

const install = require('./lib/n8n-install');
const { packPackage, killAll, REPO_ROOT } = require('./lib/n8n-instance');
const kit = require('./lib/e2e-kit');

const SCENARIO_DIR = path.join(__dirname, 'e2e');

/**
 * @typedef {{
 *   name: string,
 *   description?: string,
 *   needsSandbox?: boolean,
 *   versions?: string[],
 *   run: (ctx: Context) => Promise<void>,
 * }} Scenario
 *
 * @typedef {{
 *   version: string,
 *   major: number,
 *   scenario: string,
 *   check: kit.Checker['check'],
 *   equal: kit.Checker['equal'],
 *   attempt: kit.Checker['attempt'],
 *   skip: kit.Checker['skip'],
 *   metric: (name: string, value: number | string | undefined) => void,
 *   log: (line: string) => void,
 *   withInstance: <T>(fn: (n8n: import('./lib/n8n-instance').N8nInstance) => Promise<T>, opts?: Record<string, unknown>) => Promise<T>,
 *   withSandbox: typeof kit.withSandbox,
 *   startSandbox: typeof kit.startSandbox,
 *   stopSandbox: typeof kit.stopSandbox,
 *   sandboxCredentials: typeof kit.sandboxCredentials,
 *   waitFor: typeof kit.waitFor,
 *   loadTemplate: typeof kit.loadTemplate,
 *   opts: { keep: boolean },
 * }} Context
 */

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = {
		n8n: 'both',
		keep: false,
		onlyInstall: false,
		list: false,
		scenarios: /** @type {string[]} */ ([]),
		tarball: /** @type {string | undefined} */ (process.env.E2E_TARBALL || undefined),
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--n8n') o.n8n = value();
		else if (flag === '--keep') o.keep = true;
		else if (flag === '--only-install') o.onlyInstall = true;
		else if (flag === '--list') o.list = true;
		else if (flag === '--tarball') o.tarball = path.resolve(value());
		else if (flag === '--scenario' || flag === '-s') o.scenarios.push(...value().split(','));
		else if (flag === '--help' || flag === '-h') {
			const src = fs.readFileSync(__filename, 'utf8');
			const doc = src.slice(src.indexOf('/**') + 3, src.indexOf('*/'));
			process.stdout.write(doc.replace(/^ \* ?/gm, '').trim() + '\n');
			process.exit(0);
		} else {
			process.stderr.write(`unknown argument: ${a}\n`);
			process.exit(2);
		}
	}
	return o;
}

/** @param {string} n8n */
function versionsFor(n8n) {
	if (n8n === 'both' || n8n === 'all') return ['2.41.1', '1.123.x'];
	return n8n.split(',').map(install.normalizeSpec);
}

/** @returns {Scenario[]} */
function loadScenarios() {
	const files = fs
		.readdirSync(SCENARIO_DIR)
		.filter((f) => f.endsWith('.js'))
		.sort();
	/** @type {Scenario[]} */
	const list = files.map((f) => require(path.join(SCENARIO_DIR, f)));
	// smoke first: if it fails, the rest is mostly noise.
	return list.sort((a, b) => (a.name === 'smoke' ? -1 : b.name === 'smoke' ? 1 : a.name.localeCompare(b.name)));
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const runStart = Date.now();
	const scenarios = loadScenarios().filter((s) => !o.scenarios.length || o.scenarios.includes(s.name));
	if (o.list) {
		for (const s of loadScenarios()) process.stdout.write(`${s.name}${s.needsSandbox ? ' [sandbox]' : ''}: ${s.description || ''}\n`);
		return 0;
	}
	if (o.scenarios.length && scenarios.length !== o.scenarios.length) {
		process.stderr.write(
			`unknown scenario in ${o.scenarios.join(',')}; known: ${loadScenarios()
				.map((s) => s.name)
				.join(', ')}\n`,
		);
		return 2;
	}
	const versions = versionsFor(o.n8n);
	const checker = kit.createChecker();
	/** @type {{ version: string, rows: [string, string][] }[]} */
	const report = [];

	// ---- install (each version when missing) ----
	/** @type {Record<string, string>} */
	const installed = {};
	for (const v of versions) {
		process.stdout.write(`\n== install n8n ${v} (cache ${install.cacheDir()})\n`);
		const t = Date.now();
		try {
			const r = await install.ensureN8n(v, { quiet: true });
			installed[v] = r.version;
			checker.check(`n8n ${r.version} ${r.installed ? `installed (${kit.fmtMs(Date.now() - t)})` : 'already installed'}`, true);
			if (r.installed) report.push({ version: v, rows: Object.entries(r.phases).map(([k, s]) => [`install: ${k}`, `${s} s`]) });
		} catch (e) {
			checker.check(`install n8n ${v}`, false, e instanceof Error ? e.message : e);
		}
	}
	if (o.onlyInstall) return finish();

	// ---- pack once ----
	const runDir = path.join(
		REPO_ROOT,
		'.e2e',
		`run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}-${process.pid}`,
	);
	/** @type {string | undefined} */
	let tarball;
	{
		const t = Date.now();
		try {
			if (o.tarball && !fs.existsSync(o.tarball)) throw new Error(`--tarball ${o.tarball} does not exist`);
			tarball = o.tarball || packPackage(REPO_ROOT, path.join(runDir, 'pack'));
			checker.check(`npm pack → ${path.relative(REPO_ROOT, tarball)} (${kit.fmtMs(Date.now() - t)})`, true);
		} catch (e) {
			checker.check('npm pack (run `npm run build` first)', false, e instanceof Error ? e.message : e);
			return finish();
		}
	}
	const hasSandbox = kit.sandboxAvailable();

	// ---- one pass per version ----
	for (const v of versions) {
		if (!installed[v]) continue;
		const passStart = Date.now();
		const paths = install.n8nPaths(v);
		/** @type {[string, string][]} */
		const rows = [];
		report.push({ version: `${v} (${paths.version})`, rows });
		process.stdout.write(`\n== n8n ${paths.version} (${paths.major >= 2 ? 'Node 24 from the cache' : `system Node ${process.version}`})\n`);
		for (const s of scenarios) {
			if (s.versions && !s.versions.map(install.normalizeSpec).includes(v)) continue;
			process.stdout.write(`-- ${s.name}${s.description ? `: ${s.description}` : ''}\n`);
			checker.setPrefix(`[${paths.version} ${s.name}] `);
			if (s.needsSandbox && !hasSandbox) {
				checker.skip(s.name, 'sandbox/ has no startSandbox() yet');
				continue;
			}
			const t = Date.now();
			/** @type {Context} */
			const ctx = {
				version: v,
				major: paths.major,
				scenario: s.name,
				check: checker.check,
				equal: checker.equal,
				attempt: checker.attempt,
				skip: checker.skip,
				metric: (name, value) => {
					if (value === undefined) return;
					rows.push([`${s.name}: ${name}`, typeof value === 'number' && !/MB/.test(name) ? kit.fmtMs(value) : String(value)]);
				},
				log: (line) => process.stdout.write(`  ${line}\n`),
				withInstance: (fn, opts = {}) => kit.withInstance(v, fn, { tarball, keep: o.keep, checker, ...opts }),
				withSandbox: kit.withSandbox,
				startSandbox: kit.startSandbox,
				stopSandbox: kit.stopSandbox,
				sandboxCredentials: kit.sandboxCredentials,
				waitFor: kit.waitFor,
				loadTemplate: kit.loadTemplate,
				opts: { keep: o.keep },
			};
			try {
				await s.run(ctx);
			} catch (e) {
				checker.check(`scenario ${s.name} ran to the end`, false, e instanceof Error ? e.stack || e.message : e);
			}
			rows.push([`${s.name}: scenario wall time`, kit.fmtMs(Date.now() - t)]);
		}
		checker.setPrefix('');
		rows.push(['pass wall time', kit.fmtMs(Date.now() - passStart)]);
	}
	if (!o.keep) fs.rmSync(runDir, { recursive: true, force: true });
	return finish();

	function finish() {
		process.stdout.write('\n== timings\n');
		for (const r of report) {
			process.stdout.write(`n8n ${r.version}\n`);
			for (const [k, v] of r.rows) process.stdout.write(`  ${k.padEnd(52)} ${v}\n`);
		}
		process.stdout.write(`total wall time ${kit.fmtMs(Date.now() - runStart)}\n`);
		if (checker.failed) process.stdout.write(`failed:\n${checker.failures.map((f) => `  ${f}`).join('\n')}\n`);
		process.stdout.write(`${checker.summary()}\n`);
		return checker.failed ? 1 : 0;
	}
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
	process.on(sig, () => {
		killAll();
		process.stdout.write(`\ninterrupted (${sig}); n8n processes stopped\n0 passed, 1 failed\n`);
		process.exit(130);
	});
}

main().then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`e2e: ${e && e.stack ? e.stack : e}\n`);
		process.stdout.write('0 passed, 1 failed\n');
		process.exit(1);
	},
);
