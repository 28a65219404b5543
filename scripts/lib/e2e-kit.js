// @ts-check
'use strict';
/**
 * Building blocks for end-to-end scenarios (scripts/e2e/*.js), used by scripts/e2e.js.
 *
 * A scenario module exports:
 *
 *   module.exports = {
 *     name: 'order-import',
 *     description: 'Amazon orders seeded in the sandbox become Shopify orders',
 *     needsSandbox: true,                 // skipped (not failed) when ../sandbox is not there yet
 *     versions: ['2.41.1', '1.123.x'],    // optional: limit to some n8n versions
 *     async run(ctx) {
 *       await ctx.withSandbox({ seed: 42, clockScale: 1000 }, async (sb) => {
 *         await ctx.withInstance(async (n8n) => {
 *           await n8n.importCredentials(sandboxCredentials(sb));
 *           const [wf] = await n8n.importWorkflows([loadTemplate('amazon-to-shopify')]);
 *           await n8n.publish(wf.id);
 *           await n8n.start();
 *           const orders = await waitFor(() => sb.shopify.control..., { timeoutMs: 90_000, label: 'orders in Shopify' });
 *           ctx.check('3 orders imported', orders.length === 3, orders.length);
 *         });
 *       });
 *     },
 *   };
 *
 * ctx (see makeContext in scripts/e2e.js): { version, check, attempt, skip, note, metric, withInstance,
 * withSandbox, waitFor, log, opts }.
 */

const fs = require('node:fs');
const path = require('node:path');

const { createInstance, REPO_ROOT } = require('./n8n-instance');

/** @param {number} ms */
function fmtMs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Assertions

/**
 * A tiny assertion helper: every check is printed; failures never throw (so one run reports all).
 * @param {{ log?: (line: string) => void }} [o]
 */
function createChecker(o = {}) {
	const log = o.log || ((/** @type {string} */ l) => process.stdout.write(l + '\n'));
	const state = { passed: 0, failed: 0, skipped: 0, prefix: '', failures: /** @type {string[]} */ ([]) };

	/** @param {unknown} detail */
	const show = (detail) => {
		if (detail === undefined) return '';
		const s = typeof detail === 'string' ? detail : JSON.stringify(detail);
		return s.length > 600 ? ` — ${s.slice(0, 600)}…` : ` — ${s}`;
	};

	const api = {
		/**
		 * @param {string} label
		 * @param {unknown} cond truthy = pass
		 * @param {unknown} [detail] shown on failure (and on success with E2E_VERBOSE=1)
		 */
		check(label, cond, detail) {
			const full = state.prefix + label;
			if (cond) {
				state.passed++;
				log(`  ✓ ${full}${process.env.E2E_VERBOSE ? show(detail) : ''}`);
				return true;
			}
			state.failed++;
			state.failures.push(full);
			log(`  ✗ ${full}${show(detail)}`);
			return false;
		},
		/**
		 * @param {string} label
		 * @param {unknown} actual
		 * @param {unknown} expected compared with JSON equality
		 */
		equal(label, actual, expected) {
			const a = JSON.stringify(actual);
			const e = JSON.stringify(expected);
			return api.check(label, a === e, `expected ${e}, got ${a}`);
		},
		/**
		 * Runs a step; an exception counts as one failed check and the step's value is undefined.
		 * @template T
		 * @param {string} label
		 * @param {() => Promise<T> | T} fn
		 * @returns {Promise<T | undefined>}
		 */
		async attempt(label, fn) {
			const t = Date.now();
			try {
				const v = await fn();
				api.check(`${label} (${fmtMs(Date.now() - t)})`, true);
				return v;
			} catch (e) {
				api.check(`${label}`, false, e instanceof Error ? e.message : e);
				return undefined;
			}
		},
		/** @param {string} label @param {string} [why] */
		skip(label, why) {
			state.skipped++;
			log(`  - ${state.prefix}${label} (skipped${why ? `: ${why}` : ''})`);
		},
		/** @param {string} p */
		setPrefix(p) {
			state.prefix = p;
		},
		get passed() {
			return state.passed;
		},
		get failed() {
			return state.failed;
		},
		get skipped() {
			return state.skipped;
		},
		get failures() {
			return state.failures.slice();
		},
		/** The closing line: exactly `N passed, N failed` (+ `, N skipped` when any). */
		summary() {
			return `${state.passed} passed, ${state.failed} failed${state.skipped ? `, ${state.skipped} skipped` : ''}`;
		},
	};
	return api;
}

/** @typedef {ReturnType<typeof createChecker>} Checker */

// ---------------------------------------------------------------------------------------------
// Waiting

/**
 * Polls until predicate returns a truthy value (returned) or the time is up (throws with label,
 * the last value and the last error).
 * @template T
 * @param {() => T | Promise<T>} predicate
 * @param {{ timeoutMs?: number, intervalMs?: number, label?: string }} [o]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(predicate, o = {}) {
	const timeoutMs = o.timeoutMs ?? 30_000;
	const intervalMs = o.intervalMs ?? 500;
	const deadline = Date.now() + timeoutMs;
	/** @type {unknown} */
	let lastErr;
	/** @type {unknown} */
	let last;
	for (;;) {
		try {
			last = await predicate();
			if (last) return /** @type {NonNullable<T>} */ (last);
		} catch (e) {
			lastErr = e;
		}
		if (Date.now() >= deadline) {
			const why = lastErr instanceof Error ? `; last error: ${lastErr.message}` : '';
			let lastStr = '';
			try {
				lastStr = JSON.stringify(last);
			} catch {
				lastStr = String(last);
			}
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${o.label || 'condition'} (last value ${String(lastStr).slice(0, 300)})${why}`,
			);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

// ---------------------------------------------------------------------------------------------
// n8n instances

/**
 * Creates an instance, runs fn, always stops it; removes its folder unless keep — or unless fn
 * threw / checks failed meanwhile, then the folder is kept for the logs and its path printed.
 * @template T
 * @param {string} version
 * @param {(n8n: import('./n8n-instance').N8nInstance) => Promise<T>} fn
 * @param {Parameters<typeof createInstance>[0] extends infer O ? Partial<O> & { checker?: Checker } : never} [opts]
 * @returns {Promise<T>}
 */
async function withInstance(version, fn, opts = {}) {
	const { checker, ...rest } = opts;
	const failedBefore = checker ? checker.failed : 0;
	const n8n = await createInstance({ ...rest, version });
	let ok = false;
	try {
		const r = await fn(n8n);
		ok = !checker || checker.failed === failedBefore;
		return r;
	} finally {
		await n8n.stop().catch(() => undefined);
		const keep = !!rest.keep || !ok;
		await n8n.dispose({ keep });
		if (keep) process.stdout.write(`  (kept ${n8n.dirs.root}; server log ${n8n.serverLogFile})\n`);
	}
}

// ---------------------------------------------------------------------------------------------
// Sandbox (sandbox/ is written by others; it may not exist yet)

const SANDBOX_DIR = path.join(REPO_ROOT, 'sandbox');

/** @returns {boolean} whether require('../sandbox') can load a startSandbox() */
function sandboxAvailable() {
	try {
		const mod = require(SANDBOX_DIR);
		return typeof mod.startSandbox === 'function';
	} catch {
		return false;
	}
}

/**
 * The shape scripts rely on (sandbox/index.js has the full one). `shopify` is null while
 * sandbox/shopify does not exist (sb.warnings says so).
 * @typedef {{
 *   amazon: { url: string, lwaTokenUrl: string, credentials: Record<string, any>, control: any },
 *   shopify: { url: string, credentials: Record<string, any>, control: any } | null,
 *   warnings?: string[],
 *   seed: (...args: any[]) => any,
 *   stop: () => Promise<void>,
 * }} Sandbox
 */

/**
 * @param {{ clockScale?: number, seed?: number, [k: string]: unknown }} [o]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(o = {}) {
	/** @type {any} */
	let mod;
	try {
		mod = require(SANDBOX_DIR);
	} catch (e) {
		throw Object.assign(new Error(`sandbox not available (${SANDBOX_DIR}): ${e instanceof Error ? e.message : e}`), {
			code: 'SANDBOX_UNAVAILABLE',
		});
	}
	if (typeof mod.startSandbox !== 'function')
		throw Object.assign(new Error('sandbox exports no startSandbox()'), { code: 'SANDBOX_UNAVAILABLE' });
	return mod.startSandbox({ clockScale: 1000, seed: 42, ...o });
}

/** @param {Sandbox | null | undefined} sb */
async function stopSandbox(sb) {
	if (sb) await sb.stop();
}

/**
 * @template T
 * @param {Parameters<typeof startSandbox>[0]} o
 * @param {(sb: Sandbox) => Promise<T>} fn
 */
async function withSandbox(o, fn) {
	const sb = await startSandbox(o);
	try {
		return await fn(sb);
	} finally {
		await stopSandbox(sb);
	}
}

/**
 * Credentials as a user would fill them in, pointing at the sandbox through the custom endpoints
 * (same shape as test/harness/pack.ts sandboxCredentialStore). Feed to n8n.importCredentials().
 * @param {Pick<Sandbox, 'amazon' | 'shopify'>} sb  (no Shopify credential while sb.shopify is null)
 * @param {{ shopifyAuth?: 'clientCredentials' | 'accessToken', names?: { amazon?: string, shopify?: string } }} [o]
 * @returns {import('./n8n-instance').CredentialInput[]}
 */
function sandboxCredentials(sb, o = {}) {
	const a = sb.amazon.credentials;
	/** @type {import('./n8n-instance').CredentialInput[]} */
	const list = [
		{
			name: (o.names && o.names.amazon) || 'Amazon (sandbox)',
			type: 'amazonSellingPartnerApi',
			data: {
				clientId: a.clientId,
				clientSecret: a.clientSecret,
				refreshToken: a.refreshToken,
				region: a.region || 'na',
				environment: 'production',
				sellerId: a.sellerId,
				marketplaceIds: a.marketplaceIds || ['ATVPDKIKX0DER'],
				useCustomEndpoints: true,
				spApiBaseUrl: sb.amazon.url,
				lwaTokenUrl: sb.amazon.lwaTokenUrl,
				accessToken: '',
				accessTokenExpiresAt: 0,
			},
		},
	];
	if (!sb.shopify) return list;
	const s = sb.shopify.credentials;
	list.push({
		name: (o.names && o.names.shopify) || 'Shopify (sandbox)',
		type: 'shopifyAdminApi',
		data: {
			shopDomain: s.shopDomain,
			authentication: o.shopifyAuth || 'clientCredentials',
			clientId: s.clientId,
			clientSecret: s.clientSecret,
			accessToken: s.accessToken,
			apiSecretKey: s.apiSecretKey,
			apiVersion: '2026-10',
			useCustomEndpoint: true,
			adminBaseUrl: sb.shopify.url,
			sessionToken: '',
			sessionTokenExpiresAt: 0,
		},
	});
	return list;
}

// ---------------------------------------------------------------------------------------------
// Workflows

/**
 * Reads templates/<name>.json (or an absolute/relative path).
 * @param {string} nameOrPath
 */
function loadTemplate(nameOrPath) {
	const p = fs.existsSync(nameOrPath)
		? nameOrPath
		: path.join(REPO_ROOT, 'templates', nameOrPath.endsWith('.json') ? nameOrPath : `${nameOrPath}.json`);
	return JSON.parse(fs.readFileSync(p, 'utf8'));
}

/**
 * A copy of a workflow whose trigger node (by name, or the first node whose type matches) is
 * replaced by a Manual Trigger of the same name, so `n8n execute --id` can run it (it only starts
 * from a Manual Trigger; n8n.md §4.3). Pin data for the trigger, if given, becomes its output.
 * @param {any} wf
 * @param {{ triggerName?: string, triggerType?: RegExp, pinData?: Record<string, unknown>[] }} [o]
 */
function withManualTrigger(wf, o = {}) {
	const w = JSON.parse(JSON.stringify(wf));
	const re = o.triggerType || /trigger$/i;
	const node = (w.nodes || []).find((/** @type {any} */ n) => (o.triggerName ? n.name === o.triggerName : re.test(n.type)));
	if (!node) throw new Error(`no trigger node in workflow "${w.name}"`);
	node.type = 'n8n-nodes-base.manualTrigger';
	node.typeVersion = 1;
	node.parameters = {};
	delete node.credentials;
	delete node.webhookId;
	if (o.pinData) w.pinData = { ...(w.pinData || {}), [node.name]: o.pinData.map((json) => ({ json })) };
	return w;
}

/**
 * The smallest runnable workflow: Manual Trigger -> NoOp (-> more nodes when given).
 * @param {string} name
 */
function manualNoOpWorkflow(name) {
	return {
		name,
		nodes: [
			{ parameters: {}, name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{ parameters: {}, name: 'No Operation, do nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0] },
		],
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: 'No Operation, do nothing', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Webhook (POST /webhook/<path>, answers when received) -> NoOp; for checking activation and the
 * webhook URL of a running server.
 * @param {string} name
 * @param {string} webhookPath
 */
function webhookNoOpWorkflow(name, webhookPath) {
	return {
		name,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: require('node:crypto').randomUUID(),
			},
			{ parameters: {}, name: 'No Operation, do nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0] },
		],
		connections: { Webhook: { main: [[{ node: 'No Operation, do nothing', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

module.exports = {
	webhookNoOpWorkflow,
	createChecker,
	waitFor,
	withInstance,
	sandboxAvailable,
	startSandbox,
	stopSandbox,
	withSandbox,
	sandboxCredentials,
	loadTemplate,
	withManualTrigger,
	manualNoOpWorkflow,
	fmtMs,
	REPO_ROOT,
};
