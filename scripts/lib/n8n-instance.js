// @ts-check
'use strict';
/**
 * One throw-away real n8n instance with this package installed the way n8n's own community
 * package installer does it (see shared/reference/n8n.md §4).
 *
 *   const inst = await createInstance({ version: '2.41.1' });   // packs the repo, installs the tgz
 *   await inst.importCredentials([{ name, type, data }]);
 *   const [wf] = await inst.importWorkflows([workflowJson]);
 *   const run = await inst.execute(wf.id);                         // `n8n execute --id` (Manual Trigger)
 *   await inst.publish(wf.id); await inst.start(); ...; await inst.stop();
 *   const executions = await inst.executions({ workflowId: wf.id, includeData: true });
 *   await inst.dispose();                                          // removes the temp folder unless keep
 *
 * Folder layout (default <repo>/.e2e/n8n-<version>-<stamp>/, or opts.workDir):
 *   home/           HOME and N8N_USER_FOLDER; n8n's data is home/.n8n (database.sqlite, config, nodes/)
 *   tmp/            TMPDIR (n8n start creates $TMPDIR/n8nDataTableUploads)
 *   pack/           the npm pack tarball
 *   import/         JSON files handed to import:credentials / import:workflow
 *   logs/n8n.log    `n8n start` output; logs/cli.log every CLI command with its output
 *
 * Reading executions: the simplest robust option is the instance's own sqlite database, read with
 * the n8n build's own `sqlite3` addon (and `flatted` for execution_data.data) in a child process
 * running the n8n build's node (n8n-db-query.js). No sqlite3 CLI, no API key, works while n8n
 * runs (WAL) and after it stopped, identical for 1.x and 2.x. The public REST API needs an API key
 * (user + key rows in the DB) and `n8n export:*` commands differ between 1.x and 2.x.
 */

const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, execFileSync } = require('node:child_process');

const install = require('./n8n-install');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 16-character n8n-style id ([A-Za-z0-9]{16}); deterministic when a seed is given. */
function newId(/** @type {string} */ seed = '') {
	const bytes = seed ? crypto.createHash('sha256').update(seed).digest() : crypto.randomBytes(16);
	let s = '';
	for (let i = 0; i < 16; i++) s += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
	return s;
}

/** @returns {Promise<number>} a free loopback TCP port */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = addr && typeof addr === 'object' ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * The known n8n 2.x exit crash (see execute()): SIGSEGV while exiting, after the work was done.
 * Set N8N_E2E_STRICT_EXIT=1 to treat it as a failure.
 * @param {number} major
 * @param {string | null | undefined} signal
 */
function isKnownExitCrash(major, signal) {
	return major >= 2 && signal === 'SIGSEGV' && !process.env.N8N_E2E_STRICT_EXIT;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** n8n processes this module started and that have not exited yet (for killAll on a signal). */
/** @type {Set<import('node:child_process').ChildProcess>} */
const LIVE = new Set();

/** @param {import('node:child_process').ChildProcess} child */
/**
 * @template {import('node:child_process').ChildProcess} C
 * @param {C} child
 * @returns {C}
 */
function track(child) {
	LIVE.add(child);
	child.on('exit', () => LIVE.delete(child));
	return child;
}

/**
 * SIGKILLs every n8n process started here and their descendants (task runners). For the runner's
 * SIGINT/SIGTERM handler: only processes this process started, by pid.
 */
function killAll() {
	for (const child of LIVE) {
		if (!child.pid) continue;
		for (const pid of [...descendants(child.pid), child.pid]) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
	}
	LIVE.clear();
}

// ---------------------------------------------------------------------------------------------
// Memory: VmHWM (peak resident set) of a process tree, sampled from /proc.

/** @param {number} pid @returns {{ hwmKb: number, rssKb: number } | null} */
function procMem(pid) {
	try {
		const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const hwm = /VmHWM:\s+(\d+)/.exec(s);
		const rss = /VmRSS:\s+(\d+)/.exec(s);
		return { hwmKb: hwm ? Number(hwm[1]) : 0, rssKb: rss ? Number(rss[1]) : 0 };
	} catch {
		return null;
	}
}

/** @param {number} root @returns {number[]} all live descendants of root */
function descendants(root) {
	/** @type {Map<number, number[]>} */
	const kids = new Map();
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			// pid (comm) state ppid ... ; comm may contain spaces/parens -> split after the last ')'
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const list = kids.get(ppid) || [];
			list.push(Number(d));
			kids.set(ppid, list);
		} catch {
			/* process went away */
		}
	}
	/** @type {number[]} */
	const out = [];
	const stack = [root];
	while (stack.length) {
		const p = /** @type {number} */ (stack.pop());
		for (const c of kids.get(p) || []) {
			out.push(c);
			stack.push(c);
		}
	}
	return out;
}

/** Samples the peak memory of a process and its descendants until stopped. */
class MemSampler {
	/** @param {number} pid @param {number} [intervalMs] */
	constructor(pid, intervalMs = 500) {
		this.pid = pid;
		/** @type {Map<number, { hwmKb: number, cmd: string }>} */
		this.peaks = new Map();
		this.timer = setInterval(() => this.sample(), intervalMs);
		this.timer.unref();
		this.sample();
	}

	sample() {
		for (const p of [this.pid, ...(this.running() ? descendants(this.pid) : [])]) {
			const m = procMem(p);
			if (!m) continue;
			const prev = this.peaks.get(p);
			if (!prev) {
				let cmd = '';
				try {
					cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
				} catch {
					/* gone */
				}
				this.peaks.set(p, { hwmKb: m.hwmKb, cmd });
			} else if (m.hwmKb > prev.hwmKb) prev.hwmKb = m.hwmKb;
		}
	}

	running() {
		return fs.existsSync(`/proc/${this.pid}`);
	}

	stop() {
		this.sample();
		clearInterval(this.timer);
	}

	/** @returns {{ mainMb: number, childrenMb: number, totalMb: number, processes: { pid: number, cmd: string, mb: number }[] }} */
	report() {
		const mb = (/** @type {number} */ kb) => Math.round(kb / 102.4) / 10;
		const processes = [...this.peaks.entries()].map(([pid, v]) => ({ pid, cmd: v.cmd, mb: mb(v.hwmKb) }));
		const main = this.peaks.get(this.pid);
		const mainKb = main ? main.hwmKb : 0;
		const childKb = [...this.peaks.entries()].filter(([p]) => p !== this.pid).reduce((a, [, v]) => a + v.hwmKb, 0);
		return { mainMb: mb(mainKb), childrenMb: mb(childKb), totalMb: mb(mainKb + childKb), processes };
	}
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {string} method
 * @param {string} url
 * @param {{ body?: unknown, headers?: Record<string,string>, timeoutMs?: number }} [o]
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, text: string, json: any }>}
 */
function httpRequest(method, url, o = {}) {
	return new Promise((resolve, reject) => {
		const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
		const req = http.request(
			url,
			{
				method,
				headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...(o.headers || {}) },
				timeout: o.timeoutMs ?? 10_000,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode || 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${url}`)));
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

/**
 * Reads package.json's "n8n" attribute and, where dist/ can be loaded in this process (the repo's
 * node_modules has n8n-workflow), the node type names and the credential types each node declares.
 * @param {string} packDir  where dist/ is loaded from
 * @param {string} [manifestDir]  whose package.json lists the files (default packDir). The
 *   installed copy's, so the lists are what n8n sees even when the repo's package.json changed
 *   after packing.
 */
function packageInfo(packDir, manifestDir = packDir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(manifestDir, 'package.json'), 'utf8'));
	/** @type {string[]} */
	const nodes = (pkg.n8n && pkg.n8n.nodes) || [];
	/** @type {string[]} */
	const credentials = (pkg.n8n && pkg.n8n.credentials) || [];
	/** @type {Record<string, string[]>} node type -> credential type names it declares */
	const nodeCredentials = {};
	/** @type {string[]} node types that declare webhooks (description.webhooks) */
	const webhookNodeTypes = [];
	/** @type {string[]} */
	const nodeTypes = [];
	/** @type {string[]} */
	const credentialTypes = [];
	/** @param {string} rel */
	const load = (rel) => {
		/** @type {Record<string, any>} */
		const mod = require(path.join(packDir, rel));
		const Cls = Object.values(mod).find((v) => typeof v === 'function');
		return Cls ? new Cls() : null;
	};
	for (const rel of credentials) {
		try {
			const c = load(rel);
			if (c && c.name) credentialTypes.push(c.name);
		} catch {
			/* not loadable here; fall back to the file name below */
		}
	}
	for (const rel of nodes) {
		try {
			const n = load(rel);
			if (!n) continue;
			const desc =
				n.description && n.description.name ? n.description : n.nodeVersions ? Object.values(n.nodeVersions).pop().description : null;
			if (!desc) continue;
			const type = `${pkg.name}.${desc.name}`;
			nodeTypes.push(type);
			nodeCredentials[type] = (desc.credentials || []).map((/** @type {{name: string}} */ c) => c.name);
			if (Array.isArray(desc.webhooks) && desc.webhooks.length) webhookNodeTypes.push(type);
		} catch {
			/* not loadable in this process */
		}
	}
	return {
		name: /** @type {string} */ (pkg.name),
		version: /** @type {string} */ (pkg.version),
		nodes,
		credentials,
		nodeTypes,
		credentialTypes,
		nodeCredentials,
		webhookNodeTypes,
	};
}

/**
 * @typedef {{ code: number|null, signal: string|null, stdout: string, stderr: string, ms: number, peakRssMb: number }} RunResult
 * @typedef {{ id?: string, name: string, type: string, data: Record<string, unknown> }} CredentialInput
 * @typedef {{ id: string, name: string, type: string }} ImportedCredential
 * @typedef {{
 *   id: string, workflowId: string, status: string, mode: string, finished: boolean,
 *   startedAt: string|null, stoppedAt: string|null, error?: unknown, lastNodeExecuted?: string,
 *   data?: any, runData?: Record<string, { status?: string, error?: unknown, items: any[] }[]>
 * }} ExecutionSummary
 */

/**
 * @param {{
 *   version: string,                   // '2.41.1' | '1.123.x' | '2' | '1'
 *   packDir?: string,                  // package to pack; default the repo root (dist/ must exist)
 *   tarball?: string,                  // reuse an existing npm pack tarball instead of packing
 *   ports?: { main?: number, broker?: number },
 *   workDir?: string,                  // default <repo>/.e2e/n8n-<version>-<stamp>
 *   keep?: boolean,                    // dispose() leaves the folder
 *   env?: Record<string, string>,      // extra/overriding environment for every n8n process
 *   owner?: { email?: string, password?: string, firstName?: string, lastName?: string },  // the account login() sets up
 *   log?: (line: string) => void,
 * }} opts
 */
async function createInstance(opts) {
	const t0 = Date.now();
	const log = opts.log || ((/** @type {string} */ l) => process.stdout.write(l + '\n'));
	const paths = install.n8nPaths(opts.version);
	const packDir = path.resolve(opts.packDir || REPO_ROOT);
	const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
	const root = path.resolve(opts.workDir || path.join(REPO_ROOT, '.e2e', `n8n-${paths.version}-${stamp}-${process.pid}`));
	const dirs = {
		root,
		home: path.join(root, 'home'),
		tmp: path.join(root, 'tmp'),
		pack: path.join(root, 'pack'),
		import: path.join(root, 'import'),
		logs: path.join(root, 'logs'),
	};
	fs.rmSync(root, { recursive: true, force: true });
	for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
	const n8nFolder = path.join(dirs.home, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const cliLog = path.join(dirs.logs, 'cli.log');
	const serverLog = path.join(dirs.logs, 'n8n.log');
	/** @type {Record<string, number>} */
	const timings = {};

	const port = (opts.ports && opts.ports.main) || (await freePort());
	let broker = (opts.ports && opts.ports.broker) || (await freePort());
	while (broker === port) broker = await freePort();

	// ---- environment: inherit only the basics, never a caller's npm_config_*/N8N_*/DB_* ----
	/** @type {NodeJS.ProcessEnv} */
	const baseEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(npm_|N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_ENV$)/i.test(k)) continue;
		baseEnv[k] = v;
	}
	const webhookBase = `http://127.0.0.1:${port}/`;
	/** @type {NodeJS.ProcessEnv} */
	const env = {
		...baseEnv,
		PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		HOME: dirs.home, // n8n's static cache (~/.cache/n8n/public) and anything else home-relative
		TMPDIR: dirs.tmp,
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: dirs.home,
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-0123456789abcdef',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		// production + test webhooks at http://127.0.0.1:<port>/webhook/... (2.x renamed the variable)
		...(paths.major >= 2 ? { N8N_WEBHOOK_URL: webhookBase } : { WEBHOOK_URL: webhookBase }),
		N8N_EDITOR_BASE_URL: webhookBase,
		N8N_SECURE_COOKIE: 'false',
		// 2.x always runs task runners (the variable is deprecated there); 1.x needs the opt-in.
		...(paths.major < 2 ? { N8N_RUNNERS_ENABLED: 'true' } : {}),
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(broker),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		// 1.123 defaults to the isolated-vm expression engine, which has no Node 20 prebuild.
		...(paths.major < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		// N8N_E2E_EXPRESSION_ENGINE=legacy|vm overrides (2.x default: vm = isolated-vm)
		...(process.env.N8N_E2E_EXPRESSION_ENGINE ? { N8N_EXPRESSION_ENGINE: process.env.N8N_E2E_EXPRESSION_ENGINE } : {}),
		// 2.x: the MCP registry module fetches from api.n8n.io at boot (offline: ENOTFOUND noise).
		// 1.x has no such module and rejects unknown names, hence per major.
		...(paths.major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		...(opts.env || {}),
	};

	// ---- pack + install the package like n8n's installer ----
	let tarball = opts.tarball;
	if (!tarball) {
		const t = Date.now();
		tarball = packPackage(packDir, dirs.pack);
		timings.packMs = Date.now() - t;
	}
	{
		const t = Date.now();
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
		);
		const npmEnv = { ...baseEnv, HOME: process.env.HOME || dirs.home };
		execFileSync('npm', ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn', tarball], {
			cwd: nodesDir,
			env: npmEnv,
			stdio: ['ignore', 'pipe', 'pipe'],
			encoding: 'utf8',
		});
		timings.installPackageMs = Date.now() - t;
	}
	const deps = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8')).dependencies;
	const installedName = Object.keys(deps || {})[0];
	const installedPkgDir = path.join(nodesDir, 'node_modules', installedName || '?');
	if (!installedName || !fs.existsSync(path.join(installedPkgDir, 'package.json'))) throw new Error(`package not installed in ${nodesDir}`);
	const info = packageInfo(packDir, installedPkgDir);

	/** @type {import('node:child_process').ChildProcess | null} */
	let server = null;
	/** @type {MemSampler | null} */
	let serverMem = null;
	/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }> | null} */
	let serverExit = null;
	/** @type {ImportedCredential[]} */
	const credentials = [];
	let peakCliMb = 0;

	/**
	 * Runs an n8n CLI command (`n8n <cmd> ...args`) with the instance's environment.
	 * @param {string} cmd
	 * @param {string[]} [args]
	 * @param {{ allowFail?: boolean, timeoutMs?: number, env?: Record<string,string> }} [o]
	 * @returns {Promise<RunResult>}
	 */
	function run(cmd, args = [], o = {}) {
		const started = Date.now();
		const argv = [paths.n8nBin, cmd, ...args];
		fs.appendFileSync(cliLog, `\n$ n8n ${[cmd, ...args].join(' ')}\n`);
		return new Promise((resolve, reject) => {
			const child = track(
				spawn(paths.nodeBin, argv, { cwd: dirs.root, env: { ...env, ...(o.env || {}) }, stdio: ['ignore', 'pipe', 'pipe'] }),
			);
			const mem = new MemSampler(/** @type {number} */ (child.pid), 250);
			/** @type {Buffer[]} */
			const out = [];
			/** @type {Buffer[]} */
			const err = [];
			child.stdout.on('data', (c) => out.push(c));
			child.stderr.on('data', (c) => err.push(c));
			const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 180_000);
			child.on('error', (e) => {
				clearTimeout(timer);
				mem.stop();
				reject(e);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				mem.stop();
				const r = {
					code,
					signal,
					stdout: Buffer.concat(out).toString('utf8'),
					stderr: Buffer.concat(err).toString('utf8'),
					ms: Date.now() - started,
					peakRssMb: mem.report().totalMb,
				};
				peakCliMb = Math.max(peakCliMb, r.peakRssMb);
				fs.appendFileSync(
					cliLog,
					`${r.stdout}${r.stderr ? `\n[stderr]\n${r.stderr}` : ''}\n[exit ${code}${signal ? ` ${signal}` : ''} after ${r.ms} ms, peak ${r.peakRssMb} MB]\n`,
				);
				if (code !== 0 && !o.allowFail) {
					const tail = (r.stdout + '\n' + r.stderr).split('\n').slice(-30).join('\n');
					reject(
						Object.assign(new Error(`n8n ${cmd} ${args.join(' ')} exited ${code}${signal ? ` (${signal})` : ''}\n${tail}`), { result: r }),
					);
				} else resolve(r);
			});
		});
	}

	/**
	 * Imports credentials (plain `data`, n8n encrypts on import). Ids are injected where missing.
	 * @param {CredentialInput[]} list
	 * @returns {Promise<ImportedCredential[]>}
	 */
	async function importCredentials(list) {
		const withIds = list.map((c) => ({ ...c, id: c.id || newId(`cred:${c.type}:${c.name}`) }));
		for (const c of withIds) if (!/^[A-Za-z0-9]{1,36}$/.test(c.id)) throw new Error(`bad credential id ${c.id}`);
		const file = path.join(dirs.import, `credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(withIds, null, 2));
		const t = Date.now();
		await run('import:credentials', [`--input=${file}`]);
		timings.importCredentialsMs = (timings.importCredentialsMs || 0) + (Date.now() - t);
		const imported = withIds.map((c) => ({ id: c.id, name: c.name, type: c.type }));
		credentials.push(...imported);
		return imported;
	}

	/**
	 * Prepares workflow JSON (templates) for `import:workflow`: 16-char ids, node ids, no `active`,
	 * and every node's `credentials` pointed at the imported credential of that type. Nodes of this
	 * package that declare a credential but have none in the JSON get it too.
	 *
	 * Webhook ids: nodes of this package that declare webhooks and have no `webhookId` get one (a
	 * UUID), which is what n8n itself does to every workflow created or saved through the editor /
	 * REST API (`resolveNodeWebhookIds`, n8n/dist/workflow-helpers.js) but `import:workflow` does
	 * not. Without it n8n registers the fallback path `<workflowId>/<encodeURIComponent(node
	 * name)>/<path>` and, for a node name with a space ("Shopify Order Events Trigger"), answers 404
	 * to the very URL `getNodeWebhookUrl()` gives the node: the registered path stays percent-encoded
	 * while the incoming one is decoded (verified on 2.41.1 and 1.123.81). `webhookIds: false` keeps
	 * the JSON as it is.
	 * @param {any} wf
	 * @param {number} index
	 * @param {Record<string, { id: string, name: string }>} [byType]
	 * @param {{ credentials?: boolean, webhookIds?: boolean }} [o]  credentials: false = leave every
	 *   node's credentials as in the JSON (a template imported the way a user who skips the
	 *   credential setup has it); webhookIds: false = inject no webhook ids
	 */
	function prepareWorkflow(wf, index, byType, o = {}) {
		const w = JSON.parse(JSON.stringify(wf));
		if (typeof w.id !== 'string' || !/^[A-Za-z0-9]{16}$/.test(w.id)) w.id = newId(`wf:${w.name || ''}:${index}:${stamp}`);
		delete w.active;
		delete w.activeVersionId;
		delete w.shared;
		w.settings = { executionOrder: 'v1', ...(w.settings || {}) };
		w.connections = w.connections || {};
		const map = { ...Object.fromEntries(credentials.map((c) => [c.type, { id: c.id, name: c.name }])), ...(byType || {}) };
		for (const node of w.nodes || []) {
			if (!node.id) node.id = crypto.randomUUID();
			if (o.webhookIds !== false && !node.webhookId && info.webhookNodeTypes.includes(node.type)) node.webhookId = crypto.randomUUID();
			if (o.credentials === false) continue;
			const wanted = new Set(Object.keys(node.credentials || {}));
			for (const t of info.nodeCredentials[node.type] || []) if (map[t]) wanted.add(t);
			if (!wanted.size) continue;
			node.credentials = node.credentials || {};
			for (const t of wanted) {
				if (map[t]) node.credentials[t] = { id: map[t].id, name: map[t].name };
				else if (!(node.credentials[t] && node.credentials[t].id))
					throw new Error(`workflow "${w.name}" node "${node.name}" needs a ${t} credential; import one first`);
			}
		}
		return w;
	}

	/**
	 * @param {any[]} workflows
	 * @param {{ credentialsByType?: Record<string, { id: string, name: string }>, credentials?: boolean, webhookIds?: boolean }} [o]
	 *   credentials: false imports the workflows without pointing any node at a credential;
	 *   webhookIds: false injects no webhook ids (see prepareWorkflow)
	 * @returns {Promise<{ id: string, name: string, workflow: any }[]>}
	 */
	async function importWorkflows(workflows, o = {}) {
		const prepared = workflows.map((wf, i) => prepareWorkflow(wf, i, o.credentialsByType, { credentials: o.credentials, webhookIds: o.webhookIds }));
		const dir = path.join(dirs.import, `workflows-${Date.now()}`);
		fs.mkdirSync(dir, { recursive: true });
		for (const w of prepared) fs.writeFileSync(path.join(dir, `${w.id}.json`), JSON.stringify(w, null, 2));
		const t = Date.now();
		const r = await run('import:workflow', ['--separate', `--input=${dir}`], { allowFail: true });
		if (r.code !== 0) {
			// import:workflow starts the expression engine too, so it can hit the 2.x exit crash
			// (see execute()); then the database decides whether the import happened.
			const ids = prepared.map((w) => w.id);
			const [rows] = isKnownExitCrash(paths.major, r.signal)
				? await queryDb([{ sql: `SELECT id FROM workflow_entity WHERE id IN (${ids.map(() => '?').join(',')})`, params: ids }])
				: [[]];
			if (rows.length !== ids.length) {
				throw new Error(
					`n8n import:workflow exited ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${(r.stdout + r.stderr).split('\n').slice(-30).join('\n')}`,
				);
			}
			log(`  ! n8n import:workflow: ${r.signal} at exit after the import (known n8n 2.x isolated-vm exit race; tolerated)`);
		}
		timings.importWorkflowsMs = (timings.importWorkflowsMs || 0) + (Date.now() - t);
		return prepared.map((w) => ({ id: w.id, name: w.name, workflow: w }));
	}

	/**
	 * Activates a workflow (2.x: publish:workflow; 1.x: update:workflow --active=true). The server
	 * picks it up when it (re)starts, so call this before start() or restart afterwards.
	 * @param {string} id
	 */
	async function publish(id) {
		if (paths.major >= 2) return run('publish:workflow', [`--id=${id}`]);
		return run('update:workflow', [`--id=${id}`, '--active=true']);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput` (the workflow must start with a Manual Trigger).
	 * @param {string} id
	 * @param {{ allowFail?: boolean, timeoutMs?: number }} [o]
	 * @returns {Promise<RunResult & { result: any, ok: boolean, exitCrash: 'SIGSEGV' | null }>}
	 */
	async function execute(id, o = {}) {
		// Newest execution id before the run: after an exit crash, the run is looked up in the DB.
		const [[before]] = paths.major >= 2 ? await queryDb([{ sql: 'SELECT max(id) AS m FROM execution_entity' }]) : [[{ m: 0 }]];
		// A broker port of its own: the CLI starts a task broker too, which would clash with a running server's.
		const r = await run('execute', [`--id=${id}`, '--rawOutput'], {
			allowFail: true,
			timeoutMs: o.timeoutMs,
			env: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		// --rawOutput still logs lines before (and, with a task runner registering late, after)
		// the pretty-printed JSON: take the first line that is `{` up to the last line that is `}`.
		const lines = r.stdout.split('\n');
		const first = lines.indexOf('{');
		const last = lines.lastIndexOf('}');
		/** @type {any} */
		let result = null;
		if (first >= 0 && last > first) {
			try {
				result = JSON.parse(lines.slice(first, last + 1).join('\n'));
			} catch {
				result = null;
			}
		}
		// n8n 2.x (isolated-vm "vm" expression engine, Node 24) sometimes dies with SIGSEGV in exit
		// handlers after the run finished and was stored: isolated-vm's thread-pool destructor races
		// an isolate thread (gdb on a core; ~1 in 15 runs; never with N8N_EXPRESSION_ENGINE=legacy).
		// stdout may be cut short then, so the run is read back from the database. A finished run +
		// SIGSEGV = that crash, reported as exitCrash, not as a failure.
		if (!result && isKnownExitCrash(paths.major, r.signal)) {
			const execs = await executions({ workflowId: id, includeData: true, sinceId: Number(before && before.m) || 0 }).catch(() => []);
			const last = execs[execs.length - 1];
			if (last && last.finished !== undefined && last.status !== 'running' && last.status !== 'new' && last.data) {
				result = {
					data: last.data,
					mode: last.mode,
					status: last.status,
					finished: last.finished,
					startedAt: last.startedAt,
					stoppedAt: last.stoppedAt,
					readFrom: 'database',
				};
			}
		}
		const exitCrash = isKnownExitCrash(paths.major, r.signal) && !!result ? /** @type {const} */ ('SIGSEGV') : null;
		const ok = r.code === 0 || !!exitCrash;
		if (!ok && !o.allowFail) {
			throw Object.assign(
				new Error(
					`n8n execute --id=${id} exited ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${(r.stdout + r.stderr).split('\n').slice(-30).join('\n')}`,
				),
				{ result: r },
			);
		}
		return { ...r, result, ok, exitCrash };
	}

	let bootMs = 0;
	let logOffset = 0;

	/** @returns {string} server log so far */
	function logs() {
		try {
			return fs.readFileSync(serverLog, 'utf8');
		} catch {
			return '';
		}
	}

	/**
	 * Starts `n8n start` and waits until the editor is accessible (log line) and /healthz is 200.
	 * @param {{ timeoutMs?: number }} [o]
	 */
	async function start(o = {}) {
		if (server) throw new Error('already started');
		const started = Date.now();
		fs.appendFileSync(serverLog, `\n===== n8n start ${new Date().toISOString()} (port ${port}, broker ${broker}) =====\n`);
		logOffset = fs.statSync(serverLog).size;
		const fd = fs.openSync(serverLog, 'a');
		const child = track(spawn(paths.nodeBin, [paths.n8nBin, 'start'], { cwd: dirs.root, env, stdio: ['ignore', fd, fd] }));
		fs.closeSync(fd);
		server = child;
		serverMem = new MemSampler(/** @type {number} */ (child.pid), 500);
		serverExit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		let exited = false;
		serverExit.then(() => (exited = true));
		const deadline = Date.now() + (o.timeoutMs ?? 180_000);
		for (;;) {
			if (exited)
				throw new Error(
					`n8n start exited during boot (code ${child.exitCode}); log ${serverLog}\n${logs().slice(logOffset).split('\n').slice(-30).join('\n')}`,
				);
			const text = logs().slice(logOffset);
			if (/Editor is now accessible via/.test(text)) {
				const h = await httpRequest('GET', `http://127.0.0.1:${port}/healthz`).catch(() => null);
				if (h && h.status === 200) break;
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(`n8n did not become ready in ${o.timeoutMs ?? 180_000} ms; log ${serverLog}`);
			}
			await sleep(250);
		}
		bootMs = Date.now() - started;
		timings.bootMs = bootMs;
		return { bootMs };
	}

	/** SIGTERM and wait (SIGKILL after timeoutMs). Also ends leftover descendants (task runner). */
	async function stop(/** @type {{ timeoutMs?: number }} */ o = {}) {
		if (!server || !serverExit) return { stopMs: 0, code: null, signal: null, killed: false };
		const child = server;
		const t = Date.now();
		const kids = child.pid ? descendants(child.pid) : [];
		if (serverMem) serverMem.sample();
		child.kill('SIGTERM');
		const timeout = sleep(o.timeoutMs ?? 30_000).then(() => /** @type {const} */ ('timeout'));
		let exit = await Promise.race([serverExit, timeout]);
		const killed = exit === 'timeout';
		if (exit === 'timeout') {
			child.kill('SIGKILL');
			exit = await serverExit;
		}
		for (const k of kids) {
			try {
				process.kill(k, 0);
				process.kill(k, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
		if (serverMem) serverMem.stop();
		server = null;
		authCookie = null;
		timings.stopMs = Date.now() - t;
		return { stopMs: timings.stopMs, code: exit.code, signal: exit.signal, killed };
	}

	/**
	 * Peak memory of `n8n start` (main process + descendants, i.e. the JS task runner), and the
	 * biggest CLI command run so far.
	 */
	function peakRssMb() {
		const r = serverMem ? serverMem.report() : { mainMb: 0, childrenMb: 0, totalMb: 0, processes: [] };
		return { ...r, cliMb: peakCliMb };
	}

	/**
	 * Read-only SQL against the instance's database (see n8n-db-query.js).
	 * @param {{ sql: string, params?: unknown[], parseFlatted?: string[] }[]} queries
	 * @returns {Promise<any[][]>}
	 */
	function queryDb(queries) {
		const db = path.join(n8nFolder, 'database.sqlite');
		const input = JSON.stringify({ db, n8nModules: path.join(paths.dir, 'node_modules'), queries });
		return new Promise((resolve, reject) => {
			const child = spawn(paths.nodeBin, [path.join(__dirname, 'n8n-db-query.js')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
			/** @type {Buffer[]} */
			const out = [];
			/** @type {Buffer[]} */
			const err = [];
			child.stdout.on('data', (c) => out.push(c));
			child.stderr.on('data', (c) => err.push(c));
			child.on('error', reject);
			child.on('close', (code) => {
				if (code !== 0) return reject(new Error(`db query failed: ${Buffer.concat(err).toString('utf8')}`));
				try {
					resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
				} catch (e) {
					reject(e);
				}
			});
			child.stdin.end(input);
		});
	}

	/**
	 * Executions from the database, oldest first.
	 * @param {{ workflowId?: string, includeData?: boolean, sinceId?: number }} [o]
	 * @returns {Promise<ExecutionSummary[]>}
	 */
	async function executions(o = {}) {
		const where = [];
		/** @type {unknown[]} */
		const params = [];
		if (o.workflowId) {
			where.push('e.workflowId = ?');
			params.push(o.workflowId);
		}
		if (o.sinceId) {
			where.push('e.id > ?');
			params.push(o.sinceId);
		}
		const sql =
			`SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt` +
			(o.includeData ? ', d.data AS data' : '') +
			` FROM execution_entity e` +
			(o.includeData ? ' LEFT JOIN execution_data d ON d.executionId = e.id' : '') +
			(where.length ? ` WHERE ${where.join(' AND ')}` : '') +
			' ORDER BY e.id';
		const [rows] = await queryDb([{ sql, params, parseFlatted: o.includeData ? ['data'] : [] }]);
		return rows.map((/** @type {any} */ r) => {
			/** @type {ExecutionSummary} */
			const e = {
				id: String(r.id),
				workflowId: r.workflowId,
				status: r.status,
				mode: r.mode,
				finished: !!r.finished,
				startedAt: r.startedAt,
				stoppedAt: r.stoppedAt,
			};
			if (o.includeData && r.data && typeof r.data === 'object') {
				e.data = r.data;
				const rd = (r.data.resultData && r.data.resultData.runData) || {};
				e.lastNodeExecuted = r.data.resultData && r.data.resultData.lastNodeExecuted;
				e.error = r.data.resultData && r.data.resultData.error;
				e.runData = {};
				for (const [nodeName, runs] of Object.entries(rd)) {
					e.runData[nodeName] = /** @type {any[]} */ (runs).map((run) => ({
						status: run.executionStatus,
						error: run.error,
						items: ((run.data && run.data.main && run.data.main[0]) || []).map((/** @type {any} */ it) => it.json),
					}));
				}
			}
			return e;
		});
	}

	/** @param {string} id @returns {Promise<any>} the workflow's staticData (poll cursors live here) */
	async function workflowStaticData(id) {
		const [rows] = await queryDb([{ sql: 'SELECT staticData FROM workflow_entity WHERE id = ?', params: [id] }]);
		const v = rows[0] && rows[0].staticData;
		return typeof v === 'string' && v ? JSON.parse(v) : v || null;
	}

	/** Owner account created by login() on a fresh instance; the auth cookie once logged in. */
	const owner = { email: 'e2e-owner@example.com', password: 'E2e-owner-password-1', firstName: 'E2E', lastName: 'Owner', ...(opts.owner || {}) };
	/** @type {string | null} */
	let authCookie = null;
	// n8n binds the auth JWT to a hash of the `browser-id` header; send the same one every time.
	const browserId = `e2e-${newId()}`;

	/**
	 * GET/POST against the running server. Sends the auth cookie once login() succeeded.
	 * @param {string} method
	 * @param {string} pathname e.g. '/healthz', '/webhook/abc', '/rest/executions'
	 * @param {{ body?: unknown, headers?: Record<string,string>, timeoutMs?: number }} [o]
	 */
	function request(method, pathname, o = {}) {
		const headers = { ...(authCookie ? { cookie: authCookie, 'browser-id': browserId } : {}), ...(o.headers || {}) };
		return httpRequest(method, `http://127.0.0.1:${port}${pathname}`, { ...o, headers });
	}

	/**
	 * Logs into the running server as the instance owner (sets the owner up on first use, which a
	 * fresh instance allows without authentication: POST /rest/owner/setup), so request() can use
	 * the editor's internal REST API (/types/*.json, /rest/...). Same flow in 1.x and 2.x.
	 */
	async function login() {
		if (authCookie) return { email: owner.email };
		const headers = { 'browser-id': browserId };
		/** @param {Awaited<ReturnType<typeof httpRequest>>} r */
		const cookieOf = (r) => {
			const sc = r.headers['set-cookie'] || [];
			const c = sc.map((x) => x.split(';')[0]).find((x) => x.startsWith('n8n-auth='));
			return c || null;
		};
		let r = await httpRequest('POST', `http://127.0.0.1:${port}/rest/owner/setup`, { body: owner, headers });
		let cookie = r.status === 200 ? cookieOf(r) : null;
		if (!cookie) {
			r = await httpRequest('POST', `http://127.0.0.1:${port}/rest/login`, {
				body: { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password },
				headers,
			});
			cookie = r.status === 200 ? cookieOf(r) : null;
		}
		if (!cookie) throw new Error(`login failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		authCookie = cookie;
		return { email: owner.email };
	}

	/** Stops the server and removes the folder unless keep (or `force === false`). */
	async function dispose(/** @type {{ keep?: boolean }} */ o = {}) {
		await stop();
		const keep = o.keep ?? opts.keep;
		if (!keep) fs.rmSync(root, { recursive: true, force: true });
		return { kept: !!keep, root };
	}

	timings.createMs = Date.now() - t0;
	log(
		`  n8n ${paths.version} instance in ${root} (port ${port}, broker ${broker}, node ${paths.nodeBin === process.execPath ? process.version : 'v24 (cache)'})`,
	);

	return {
		version: paths.version,
		major: paths.major,
		paths,
		dirs,
		n8nFolder,
		env,
		port,
		brokerPort: broker,
		baseUrl: `http://127.0.0.1:${port}`,
		/** The owner account login() sets up (and signs in with). */
		owner: { email: owner.email, password: owner.password },
		/** @param {string} p webhook path @param {boolean} [test] */
		webhookUrl: (p, test = false) => `${webhookBase}${test ? 'webhook-test' : 'webhook'}/${p.replace(/^\//, '')}`,
		tarball,
		package: info,
		installedPackageDir: installedPkgDir,
		serverLogFile: serverLog,
		cliLogFile: cliLog,
		timings,
		credentials,
		get bootMs() {
			return bootMs;
		},
		get pid() {
			return server ? server.pid : undefined;
		},
		/** Server log since the last start(). */
		logsSinceStart: () => logs().slice(logOffset),
		logs,
		run,
		importCredentials,
		importWorkflows,
		prepareWorkflow,
		publish,
		execute,
		start,
		stop,
		peakRssMb,
		queryDb,
		executions,
		workflowStaticData,
		request,
		login,
		dispose,
	};
}

/** @typedef {Awaited<ReturnType<typeof createInstance>>} N8nInstance */

/**
 * `npm pack` of packDir into dest (dist/ must have been built). Returns the tarball path.
 * @param {string} packDir
 * @param {string} dest
 */
function packPackage(packDir, dest) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packDir, 'package.json'), 'utf8'));
	for (const rel of [...((pkg.n8n && pkg.n8n.credentials) || []), ...((pkg.n8n && pkg.n8n.nodes) || [])]) {
		if (!fs.existsSync(path.join(packDir, rel))) throw new Error(`${rel} is missing: run \`npm run build\` first`);
	}
	fs.mkdirSync(dest, { recursive: true });
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
	// The repo's .npmrc has ignore-scripts=true, so no prepack/prepare hook rebuilds anything here.
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: packDir,
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const parsed = JSON.parse(out.slice(out.indexOf('[')));
	return path.join(dest, parsed[0].filename);
}

module.exports = {
	createInstance,
	killAll,
	isKnownExitCrash,
	packPackage,
	packageInfo,
	newId,
	freePort,
	httpRequest,
	MemSampler,
	descendants,
	REPO_ROOT,
};
