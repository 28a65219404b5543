#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run demo`: the whole pack in a real n8n, against the marketplace sandbox, for a person.
 *
 *   npm run demo                  # build if stale, install n8n 2.41.1 on first run, run the story,
 *                                 # print the summary, leave the editor open; Ctrl-C stops everything
 *   npm run demo -- --once        # run the story and exit: 0 when every check passed, 1 otherwise
 *   npm run demo -- --port 5678   # editor port (default 5678 when free, else any free port)
 *   npm run demo -- --keep        # keep .e2e/demo (n8n's database and logs) after Ctrl-C
 *   npm run demo -- --tarball x.tgz   # install this `npm pack` tarball (no build, no pack)
 *
 * What runs: the sandbox (Amazon SP-API + Shopify Admin API on loopback), n8n 2.41.1 on Node 24
 * from ~/.cache/n8n-nodes-amazon-shopify with this package installed from `npm pack`, both
 * credentials pointing at the sandbox, every template in templates/ imported and published. The
 * story (scripts/lib/story.js, the same module the end-to-end test runs) seeds Amazon orders and
 * plays the merchant: fulfils, refunds, cancels in Shopify, refunds in Seller Central.
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');

const install = require('./lib/n8n-install');
const kit = require('./lib/e2e-kit');
const story = require('./lib/story');
const { createInstance, packPackage, killAll, freePort, REPO_ROOT } = require('./lib/n8n-instance');

const VERSION = '2.41.1';
const DEMO_DIR = path.join(REPO_ROOT, '.e2e', 'demo');

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = { once: false, keep: false, port: 0, tarball: '' };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--once') o.once = true;
		else if (a === '--keep') o.keep = true;
		else if (a === '--port') o.port = Number(argv[++i]);
		else if (a === '--tarball') o.tarball = path.resolve(argv[++i] || '');
		else if (a.startsWith('--port=')) o.port = Number(a.slice('--port='.length));
		else if (a === '--help' || a === '-h') {
			const src = fs.readFileSync(__filename, 'utf8');
			process.stdout.write(src.slice(src.indexOf('/**') + 3, src.indexOf('*/')).replace(/^ \* ?/gm, '').trim() + '\n');
			process.exit(0);
		} else {
			process.stderr.write(`unknown argument: ${a} (try --help)\n`);
			process.exit(2);
		}
	}
	if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
		process.stderr.write('--port needs a port number\n');
		process.exit(2);
	}
	return o;
}

const t0 = Date.now();
/** @param {number} ms */
const clock = (ms) => {
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
/** @param {string} line */
const say = (line) => process.stdout.write(`[${clock(Date.now() - t0)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// build when dist/ is older than the sources

/** @param {string} p @returns {number} newest mtime under p (0 when missing) */
function newest(p) {
	let st;
	try {
		st = fs.statSync(p);
	} catch {
		return 0;
	}
	if (!st.isDirectory()) return st.mtimeMs;
	let max = 0;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
	return max;
}

/** @returns {string | null} why dist/ must be rebuilt, or null */
function staleReason() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const built = [...((pkg.n8n && pkg.n8n.nodes) || []), ...((pkg.n8n && pkg.n8n.credentials) || [])];
	let oldestBuilt = Infinity;
	for (const rel of built) {
		const file = path.join(REPO_ROOT, rel);
		if (!fs.existsSync(file)) return `${rel} is missing`;
		oldestBuilt = Math.min(oldestBuilt, fs.statSync(file).mtimeMs);
	}
	const sources = ['nodes', 'credentials', 'icons', 'package.json', 'tsconfig.json', 'gulpfile.js'].map((p) => path.join(REPO_ROOT, p));
	const newestSource = Math.max(...sources.map(newest));
	return newestSource > oldestBuilt ? 'sources changed since the last build' : null;
}

/** @returns {Promise<void>} */
function runBuild() {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}`))));
	});
}

/** @param {number} port */
function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const o = parseArgs(process.argv.slice(2));
	process.stdout.write(`n8n-nodes-amazon-shopify demo: Shopify as the back office for Amazon orders, in a real n8n ${VERSION}\n\n`);

	// 1. build
	const why = o.tarball ? null : staleReason();
	if (why) {
		say(`building the package (${why}): npm run build`);
		await runBuild();
	} else if (!o.tarball) say('dist/ is up to date');

	// 2. n8n (first run only)
	if (!install.readMarker(install.n8nDir(VERSION))) {
		say(
			`first run: installing n8n ${VERSION} and Node 24 into ${install.cacheDir()} (about 3 GB). ` +
				'This takes about 4-5 minutes on 2 cores (npm install ~3 min, sqlite3 rebuild ~1 min) and happens once; progress below.',
		);
		const t = Date.now();
		const r = await install.ensureN8n(VERSION, { quiet: false });
		say(`n8n ${r.version} installed in ${kit.fmtMs(Date.now() - t)}`);
	} else say(`n8n ${VERSION} is installed (${install.n8nDir(VERSION)})`);

	// 3. package, sandbox, n8n
	if (o.tarball && !fs.existsSync(o.tarball)) throw new Error(`--tarball ${o.tarball} does not exist`);
	const tarball = o.tarball || packPackage(REPO_ROOT, path.join(REPO_ROOT, '.e2e', 'demo-pack'));
	say(`${o.tarball ? 'using' : 'packed'} ${path.relative(REPO_ROOT, tarball)}`);
	const sb = await kit.startSandbox(story.SANDBOX_OPTIONS);
	state.sb = sb;
	say(`sandbox: Amazon SP-API ${sb.amazon.url}, Shopify Admin API ${sb.shopify ? sb.shopify.url : '(missing)'} (durations ${story.SANDBOX_OPTIONS.clockScale}x faster)`);
	const port = o.port || ((await portFree(5678)) ? 5678 : await freePort());
	const password = `Demo-${crypto.randomBytes(6).toString('base64url')}-7`;
	const n8n = await createInstance({
		version: VERSION,
		tarball,
		workDir: DEMO_DIR,
		keep: true,
		ports: { main: port },
		owner: { email: 'demo@example.com', password, firstName: 'Demo', lastName: 'Merchant' },
		log: say,
	});
	state.n8n = n8n;

	const checker = kit.createChecker();
	/** @type {[string, string][]} */
	const metrics = [];
	/** @type {import('./lib/story').Reporter} */
	const reporter = {
		check: checker.check,
		equal: checker.equal,
		skip: checker.skip,
		metric: (name, value) => {
			if (value !== undefined) metrics.push([name, typeof value === 'number' && !/MB/.test(name) ? kit.fmtMs(value) : String(value)]);
		},
		log: (line) => process.stdout.write(`  ${line}\n`),
	};
	say('importing the credentials and every template, publishing them, starting n8n …');
	const world = await story.setUp(n8n, sb, reporter);
	say(`n8n is up at ${n8n.baseUrl} (${world.templates.length} workflows active)`);
	const summary = await story.run(world, reporter, { progress: (l) => say(l) });
	const mem = n8n.peakRssMb();

	process.stdout.write(`\n${'='.repeat(100)}\n${story.formatSummary(summary)}${'='.repeat(100)}\n`);
	process.stdout.write(`n8n peak memory so far: ${mem.totalMb} MB (main ${mem.mainMb} MB + task runner ${mem.childrenMb} MB)\n`);
	process.stdout.write(`${checker.summary()}${checker.failed ? `\nfailed:\n${checker.failures.map((f) => `  ${f}`).join('\n')}` : ''}\n`);

	if (o.once) {
		await shutdown(o.keep || checker.failed > 0);
		if (checker.failed) process.stdout.write(`n8n's folder was kept: ${DEMO_DIR} (logs/n8n.log)\n`);
		return checker.failed ? 1 : 0;
	}

	const a5 = world.orders.A5 && world.orders.A5.amazonOrderId;
	const shop = sb.shopify ? `${sb.shopify.url}/_sandbox/shopify` : '';
	const json = "-H 'content-type: application/json'";
	process.stdout.write(
		[
			'',
			`The n8n editor is open: ${n8n.baseUrl}/`,
			`  log in as ${n8n.owner.email} / ${n8n.owner.password}`,
			'  Workflows: the five templates, active. Executions: everything above, with the data of every node.',
			'',
			'Play the merchant (the sandbox answers on loopback only):',
			...(a5 && shop
				? [
						`  ship ${a5} in Shopify; Amazon shows it confirmed a second later:`,
						`    curl -s -X POST ${shop}/orders/${a5}/fulfill ${json} -d '{"tracking":{"company":"UPS","number":"1Z999AA10123456799"}}'`,
						'  then refund one notebook in Shopify; an Amazon adjustment feed follows within ~30 s:',
						`    curl -s -X POST ${shop}/orders/${a5}/refund ${json} -d '{"lineItems":[{"sku":"NOTEBOOK-A5-DOT","quantity":1}]}'`,
					]
				: []),
			'  a new Amazon order; the trigger imports it on its next poll (every 5 minutes; Amazon lists orders 2+ minutes old):',
			`    curl -s -X POST ${sb.amazon.url}/_sandbox/amazon/orders ${json} -d '[{"marketplace":"US","items":[{"sku":"MUG-CAFE-CREME-4","quantity":1}],"lastUpdatedTime":"'$(date -u +%FT%TZ)'"}]'`,
			`  state of both sides: ${sb.amazon.url}/_sandbox/amazon/state and ${shop}/state`,
			'',
			'Ctrl-C stops n8n and the sandbox.',
			'',
		].join('\n'),
	);
	keepFolder = o.keep;
	await new Promise(() => {}); // until a signal
	return 0;
}

// ---------------------------------------------------------------------------------------------
// stopping

/** @type {{ sb: import('./lib/e2e-kit').Sandbox | null, n8n: import('./lib/n8n-instance').N8nInstance | null }} */
const state = { sb: null, n8n: null };
let keepFolder = false;
let stopping = false;

/** @param {boolean} keep */
async function shutdown(keep) {
	if (state.n8n) {
		const r = await state.n8n.stop().catch(() => null);
		if (r && r.stopMs) say(`n8n stopped (${kit.fmtMs(r.stopMs)})`);
		await state.n8n.dispose({ keep }).catch(() => undefined);
		state.n8n = null;
	}
	if (state.sb) {
		await state.sb.stop().catch(() => undefined);
		state.sb = null;
		say('sandbox stopped');
	}
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
	process.on(sig, () => {
		if (stopping) {
			killAll();
			process.exit(130);
		}
		stopping = true;
		process.stdout.write(`\n${sig}: stopping (press Ctrl-C again to kill at once) …\n`);
		const hard = setTimeout(() => {
			killAll();
			process.exit(130);
		}, 45_000);
		hard.unref();
		shutdown(keepFolder).then(
			() => {
				if (keepFolder) process.stdout.write(`kept ${DEMO_DIR}\n`);
				process.exit(0);
			},
			() => {
				killAll();
				process.exit(130);
			},
		);
	});
}

main().then(
	(code) => process.exit(code),
	async (e) => {
		process.stderr.write(`demo failed: ${e && e.stack ? e.stack : e}\n`);
		await shutdown(true).catch(() => killAll());
		process.stderr.write(`n8n's folder was kept: ${DEMO_DIR}\n`);
		process.exit(1);
	},
);
