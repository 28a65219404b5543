// @ts-check
'use strict';

/**
 * Webhook subscriptions (created over GraphQL) and deliveries.
 *
 * Each store event (orders/create, fulfillments/create, refunds/create, …) is turned into the
 * REST-shaped payload at that moment and POSTed to every subscription of that topic whose
 * `filter` matches, trimmed to `includeFields`, with Shopify's headers:
 *   X-Shopify-Topic, X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body), X-Shopify-Shop-Domain,
 *   X-Shopify-API-Version, X-Shopify-Webhook-Id (unique per delivery, the same on retries),
 *   X-Shopify-Triggered-At, X-Shopify-Event-Id (shared by all deliveries of one action), X-Shopify-Name.
 * A delivery that gets no 2xx within the timeout is retried with exponential backoff (sandbox time),
 * a bounded number of times. Only loopback destinations are contacted; other URIs are accepted
 * and recorded but never called.
 */

const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { uuid } = require('./ids');
const { compile } = require('./search');

/** The topics the sandbox delivers, enum value -> REST topic. */
const DELIVERED_TOPICS = /** @type {Record<string, string>} */ ({
	ORDERS_CREATE: 'orders/create',
	ORDERS_UPDATED: 'orders/updated',
	ORDERS_CANCELLED: 'orders/cancelled',
	ORDERS_FULFILLED: 'orders/fulfilled',
	ORDERS_PARTIALLY_FULFILLED: 'orders/partially_fulfilled',
	FULFILLMENTS_CREATE: 'fulfillments/create',
	FULFILLMENTS_UPDATE: 'fulfillments/update',
	REFUNDS_CREATE: 'refunds/create',
});

/** @param {string} topic enum value */
function restTopic(topic) {
	if (DELIVERED_TOPICS[topic]) return DELIVERED_TOPICS[topic];
	if (topic === 'FULFILLMENT_EVENTS_CREATE') return 'fulfillment_events/create';
	const i = topic.indexOf('_');
	return i < 0 ? topic.toLowerCase() : `${topic.slice(0, i).toLowerCase()}/${topic.slice(i + 1).toLowerCase()}`;
}

/** @param {string} rest */
function enumTopic(rest) {
	for (const [k, v] of Object.entries(DELIVERED_TOPICS)) if (v === rest) return k;
	return rest.replace('/', '_').toUpperCase();
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Keep only the listed dotted paths ("id", "line_items.sku").
 * @param {any} obj @param {string[]} paths
 */
function pick(obj, paths) {
	if (!paths.length) return obj;
	/** @type {any} */
	const tree = {};
	for (const p of paths) {
		let node = tree;
		for (const part of p.split('.')) node = node[part] = node[part] || {};
	}
	/** @param {any} value @param {any} spec @returns {any} */
	const apply = (value, spec) => {
		if (Array.isArray(value)) return value.map((v) => apply(v, spec));
		if (!value || typeof value !== 'object' || Object.keys(spec).length === 0) return value;
		/** @type {any} */
		const out = {};
		for (const k of Object.keys(spec)) if (k in value) out[k] = apply(value[k], spec[k]);
		return out;
	};
	return apply(obj, tree);
}

/**
 * Values at a dotted path (arrays flattened).
 * @param {any} obj @param {string} path
 * @returns {unknown[]}
 */
function valuesAt(obj, path) {
	/** @type {unknown[]} */
	let cur = [obj];
	for (const part of path.split('.')) {
		/** @type {unknown[]} */
		const next = [];
		for (const c of cur) {
			if (Array.isArray(c)) {
				for (const x of c) if (x && typeof x === 'object' && part in x) next.push(/** @type {any} */ (x)[part]);
			} else if (c && typeof c === 'object' && part in c) next.push(/** @type {any} */ (c)[part]);
		}
		cur = next.flatMap((x) => (Array.isArray(x) ? x : [x]));
	}
	return cur;
}

/** A search spec that evaluates Shopify's webhook `filter` against a payload. */
const payloadFilterSpec = {
	fields: {},
	defaultFields: [],
	/** @param {string} name */
	dynamic: (name) => ({
		kind: /** @type {'custom'} */ ('custom'),
		get: () => null,
		/** @param {any} payload @param {import('./search').Term} term */
		match: (payload, term) => {
			let values = valuesAt(payload, name);
			if (name === 'tags') values = values.flatMap((v) => String(v).split(',').map((s) => s.trim()));
			const want = term.value;
			return values.some((v) => {
				if (v === null || v === undefined) return false;
				if (term.op === ':') return String(v).toLowerCase() === want.toLowerCase() || (term.prefix && String(v).toLowerCase().startsWith(want.toLowerCase()));
				const a = Number(v);
				const b = Number(want);
				const [x, y] = Number.isNaN(a) || Number.isNaN(b) ? [Date.parse(String(v)), Date.parse(want)] : [a, b];
				if (Number.isNaN(x) || Number.isNaN(y)) return false;
				return term.op === '>' ? x > y : term.op === '>=' ? x >= y : term.op === '<' ? x < y : x <= y;
			});
		},
	}),
};

/**
 * @param {{
 *   store: ReturnType<typeof import('./store').createStore>,
 *   rest: ReturnType<typeof import('./rest').createRest>,
 *   clock: import('../lib/clock').Clock,
 *   rng: import('../lib/rng').Rng,
 *   shopDomain: string,
 *   secret: () => string,
 *   webhookApiVersion: string,
 *   extraHosts?: string[],
 *   retry: { maxRetries: number, baseDelayMs: number, factor: number, timeoutMs: number },
 * }} opts
 */
function createWebhooks(opts) {
	const { store, rest, clock, rng } = opts;
	/** hosts the sandbox accepts plain http:// for, and delivers to */
	const hosts = new Set([...LOOPBACK, ...(opts.extraHosts || [])]);
	/** @type {any[]} */
	let deliveries = [];
	let paused = false;
	/** @type {any[]} deliveries waiting for resume() */
	let held = [];
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Map<string, Promise<void>>} per-URI chains so one endpoint gets deliveries in order */
	const chains = new Map();
	let busy = 0;
	/** @type {(() => void)[]} */
	let idleWaiters = [];
	/** @type {Record<string, any>} last payload per REST topic (for tampered/stale deliveries) */
	const lastPayload = {};
	/** @type {Record<string, import('./store').StoreEvent>} last event per REST topic */
	const lastEvent = {};
	/** @param {string} topic REST topic */
	const payloadFor = (topic) => {
		if (lastPayload[topic] !== undefined) return lastPayload[topic];
		const e = lastEvent[topic];
		if (!e) return undefined;
		try {
			return rest.payload(e);
		} catch {
			return undefined;
		}
	};
	let stopped = false;
	let counter = 0;
	/** bumped by reset(): work started before a reset must not touch the counters after it */
	let generation = 0;
	const httpAgent = new http.Agent({ keepAlive: false });
	const httpsAgent = new https.Agent({ keepAlive: false, rejectUnauthorized: false });

	const checkIdle = () => {
		if (busy === 0) {
			const w = idleWaiters;
			idleWaiters = [];
			w.forEach((f) => f());
		}
	};

	// ------------------------------------------------------------- subscriptions

	/** @param {any} input WebhookSubscriptionInput @returns {{ uri: string|null, error: string|null }} */
	function checkUri(input) {
		const uri = input.uri ?? input.callbackUrl ?? null;
		if (!uri) return { uri: null, error: "Address can't be blank" };
		if (/^pubsub:\/\/[^:]+:.+$/.test(uri) || /^arn:aws:events:/.test(uri)) return { uri, error: null };
		let u;
		try {
			u = new URL(uri);
		} catch {
			return { uri, error: 'Address is invalid' };
		}
		if (u.protocol === 'https:') return { uri, error: null };
		if (u.protocol === 'http:' && hosts.has(u.hostname)) return { uri, error: null };
		if (u.protocol === 'http:') return { uri, error: 'Address protocol http:// is not supported' };
		return { uri, error: `Address protocol ${u.protocol}// is not supported` };
	}

	/** @param {string} topic @param {any} input */
	function createSubscription(topic, input) {
		const { uri, error } = checkUri(input);
		if (error) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', input.uri !== undefined ? 'uri' : 'callbackUrl'], message: error }] };
		if (store.state.webhookSubscriptions.some((w) => w.topic === topic && w.uri === uri)) {
			return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }] };
		}
		if (input.metafields && input.metafields.length) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'metafields'], message: 'The sandbox does not support metafield identifiers on webhook subscriptions.' }] };
		const at = store.nowIso();
		const rec = {
			__typename: 'WebhookSubscription',
			...store.ids().next('WebhookSubscription'),
			topic,
			uri,
			format: input.format ?? 'JSON',
			filter: input.filter ?? null,
			includeFields: input.includeFields ?? [],
			metafieldNamespaces: input.metafieldNamespaces ?? [],
			name: input.name ?? null,
			createdAt: at,
			updatedAt: at,
			_apiVersion: opts.webhookApiVersion,
		};
		store.state.webhookSubscriptions.push(rec);
		return { webhookSubscription: rec, userErrors: [] };
	}

	/** @param {string} id @param {any} input */
	function updateSubscription(id, input) {
		const rec = store.state.webhookSubscriptions.find((w) => w.id === id);
		if (!rec) return { webhookSubscription: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
		if (input.uri !== undefined || input.callbackUrl !== undefined) {
			const { uri, error } = checkUri(input);
			if (error) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: error }] };
			rec.uri = uri;
		}
		for (const k of ['format', 'filter', 'includeFields', 'metafieldNamespaces', 'name']) if (input[k] !== undefined) rec[k] = input[k];
		rec.updatedAt = store.nowIso();
		return { webhookSubscription: rec, userErrors: [] };
	}

	/** @param {string} id */
	function deleteSubscription(id) {
		const i = store.state.webhookSubscriptions.findIndex((w) => w.id === id);
		if (i < 0) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
		store.state.webhookSubscriptions.splice(i, 1);
		return { deletedWebhookSubscriptionId: id, userErrors: [] };
	}

	// ------------------------------------------------------------- deliveries

	/**
	 * A store event: build the payload now and deliver to matching subscriptions.
	 * @param {import('./store').StoreEvent} event
	 */
	function onEvent(event) {
		const topicEnum = enumTopic(event.topic);
		const subs = store.state.webhookSubscriptions.filter((w) => w.topic === topicEnum);
		// without subscribers, keep only the event: its payload is built if a tampered/stale delivery asks for it
		lastEvent[event.topic] = event;
		if (!subs.length) {
			delete lastPayload[event.topic];
			return;
		}
		let payload;
		try {
			payload = rest.payload(event);
		} catch (e) {
			deliveries.push({ deliveryId: `error-${++counter}`, topic: event.topic, state: 'error', error: String(e), attempts: [] });
			return;
		}
		lastPayload[event.topic] = payload;
		const triggeredAt = new Date(clock.wallNow()).toISOString();
		for (const sub of subs) {
			if (sub.filter) {
				const q = compile(sub.filter, payloadFilterSpec, clock.wallNow());
				if (!q.test(payload)) {
					deliveries.push(record({ sub, topic: event.topic, eventId: event.eventId, triggeredAt, payload: null, state: 'filtered', kind: 'normal', resource: event }));
					continue;
				}
			}
			const body = JSON.stringify(pick(payload, sub.includeFields || []));
			const d = record({ sub, topic: event.topic, eventId: event.eventId, triggeredAt, body, state: 'queued', kind: 'normal', resource: event });
			deliveries.push(d);
			dispatch(d);
		}
	}

	/**
	 * @param {{ sub: any, topic: string, eventId: string, triggeredAt: string, body?: string, payload?: any, state: string, kind: string, resource?: any, hmac?: string }} o
	 */
	function record(o) {
		const webhookId = uuid(rng);
		const body = o.body ?? null;
		const hmac = body === null ? null : o.hmac ?? crypto.createHmac('sha256', opts.secret()).update(body, 'utf8').digest('base64');
		/** @type {Record<string, string>} */
		const headers = body === null
			? {}
			: {
					'Content-Type': 'application/json',
					'User-Agent': 'Shopify-Captain-Hook',
					'X-Shopify-Topic': o.topic,
					'X-Shopify-Hmac-Sha256': /** @type {string} */ (hmac),
					'X-Shopify-Shop-Domain': opts.shopDomain,
					'X-Shopify-API-Version': o.sub ? o.sub._apiVersion : opts.webhookApiVersion,
					'X-Shopify-Webhook-Id': webhookId,
					'X-Shopify-Triggered-At': o.triggeredAt,
					'X-Shopify-Event-Id': o.eventId,
				};
		if (o.sub && o.sub.name && body !== null) headers['X-Shopify-Name'] = o.sub.name;
		return {
			deliveryId: webhookId,
			webhookId,
			eventId: o.eventId,
			topic: o.topic,
			subscriptionId: o.sub ? o.sub.id : null,
			uri: o.sub ? o.sub.uri : null,
			kind: o.kind,
			state: o.state,
			triggeredAt: o.triggeredAt,
			createdAt: store.nowIso(),
			headers,
			body,
			orderId: o.resource ? o.resource.orderId : null,
			fulfillmentId: o.resource ? o.resource.fulfillmentId ?? null : null,
			refundId: o.resource ? o.resource.refundId ?? null : null,
			/** @type {{ attempt: number, at: string, status: number|null, error: string|null, responseTimeMs: number }[]} */
			attempts: [],
			duplicateOf: null,
		};
	}

	/** @param {any} d */
	function dispatch(d) {
		if (stopped) return;
		if (!isDeliverable(d)) return;
		if (paused) {
			d.state = 'paused';
			held.push(d);
			return;
		}
		busy++;
		d.state = 'sending';
		const gen = generation;
		const prev = chains.get(d.uri) || Promise.resolve();
		const next = prev.then(() => attempt(d)).catch(() => undefined).finally(() => {
			if (gen === generation) busy--;
			checkIdle();
		});
		chains.set(d.uri, next);
	}

	/** @param {any} d */
	function isDeliverable(d) {
		if (!d.uri || !/^https?:/.test(d.uri)) {
			d.state = 'not_delivered';
			d.reason = 'the sandbox only delivers to http(s) endpoints';
			return false;
		}
		const sub = d.subscriptionId ? store.state.webhookSubscriptions.find((w) => w.id === d.subscriptionId) : null;
		if (sub && sub.format === 'XML') {
			d.state = 'not_delivered';
			d.reason = 'the sandbox only delivers JSON';
			return false;
		}
		const host = new URL(d.uri).hostname;
		if (!hosts.has(host)) {
			d.state = 'not_delivered';
			d.reason = `the sandbox only calls loopback hosts (and options.webhookHosts), not ${host}`;
			return false;
		}
		return true;
	}

	/**
	 * One HTTP attempt; schedules the next one on failure.
	 * @param {any} d
	 * @returns {Promise<void>}
	 */
	async function attempt(d) {
		if (stopped) return;
		const n = d.attempts.length + 1;
		const started = process.hrtime.bigint();
		const at = store.nowIso();
		const gen = generation;
		const result = await post(d.uri, d.body, d.headers, opts.retry.timeoutMs);
		if (gen !== generation) return; // reset or stopped meanwhile
		const responseTimeMs = Number(process.hrtime.bigint() - started) / 1e6;
		d.attempts.push({ attempt: n, at, status: result.status, error: result.error, responseTimeMs: Math.round(responseTimeMs * 100) / 100 });
		if (result.status !== null && result.status >= 200 && result.status < 300) {
			d.state = 'delivered';
			return;
		}
		if (d.kind !== 'normal' || n > opts.retry.maxRetries) {
			d.state = 'failed';
			return;
		}
		d.state = 'retrying';
		const delay = opts.retry.baseDelayMs * Math.pow(opts.retry.factor, n - 1);
		d.nextAttemptInSandboxMs = delay;
		busy++;
		const timer = setTimeout(() => {
			timers.delete(timer);
			busy--;
			if (stopped) return checkIdle();
			dispatch(d);
			checkIdle();
		}, Math.max(0, clock.toRealMs(delay)));
		timers.add(timer);
	}

	/**
	 * @param {string} uri @param {string} body @param {Record<string, string>} headers @param {number} timeoutMs
	 * @returns {Promise<{ status: number|null, error: string|null }>}
	 */
	function post(uri, body, headers, timeoutMs) {
		return new Promise((resolve) => {
			const u = new URL(uri);
			const mod = u.protocol === 'https:' ? https : http;
			let done = false;
			/** @param {{ status: number|null, error: string|null }} r */
			const finish = (r) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				resolve(r);
			};
			const req = mod.request(
				u,
				{ method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: u.protocol === 'https:' ? httpsAgent : httpAgent },
				(res) => {
					res.resume();
					res.on('end', () => finish({ status: res.statusCode ?? null, error: null }));
					res.on('error', (e) => finish({ status: res.statusCode ?? null, error: e.message }));
				},
			);
			const timer = setTimeout(() => {
				req.destroy(new Error(`timed out after ${timeoutMs} ms`));
			}, timeoutMs);
			req.on('error', (e) => finish({ status: null, error: e.message }));
			req.end(body);
		});
	}

	// ------------------------------------------------------------- control

	/** @param {string} deliveryId */
	async function deliverDuplicate(deliveryId) {
		const orig = deliveries.find((d) => d.deliveryId === deliveryId);
		if (!orig) throw Object.assign(new Error(`no delivery with id ${deliveryId}`), { status: 404 });
		if (!orig.body) throw Object.assign(new Error(`delivery ${deliveryId} has no body (state ${orig.state})`), { status: 400 });
		const d = { ...orig, headers: { ...orig.headers }, attempts: [], kind: 'duplicate', state: 'queued', duplicateOf: deliveryId, deliveryId: `${orig.deliveryId}#dup${++counter}`, createdAt: store.nowIso() };
		deliveries.push(d);
		return sendNow(d);
	}

	/**
	 * @param {string} topic REST ("fulfillments/create") or enum ("FULFILLMENTS_CREATE")
	 * @param {any} payload  undefined = the last payload of that topic
	 * @param {{ ageSeconds?: number, kind: 'tampered'|'stale', uri?: string }} o
	 */
	async function deliverSpecial(topic, payload, o) {
		if (typeof topic !== 'string' || !topic) throw Object.assign(new Error('topic is required, e.g. "fulfillments/create"'), { status: 400 });
		const rt = topic.includes('/') ? topic : restTopic(topic);
		const te = enumTopic(rt);
		const subs = o.uri ? [{ uri: o.uri, id: null, _apiVersion: opts.webhookApiVersion, name: null }] : store.state.webhookSubscriptions.filter((w) => w.topic === te);
		if (!subs.length) throw Object.assign(new Error(`no webhook subscription for ${rt}; create one first or pass uri`), { status: 409 });
		const body0 = payload ?? payloadFor(rt);
		if (body0 === undefined) throw Object.assign(new Error(`no ${rt} event has happened yet; pass a payload`), { status: 400 });
		const triggeredAt = new Date(clock.wallNow() - (o.kind === 'stale' ? (o.ageSeconds ?? 3600) * 1000 : 0)).toISOString();
		const eventId = uuid(rng);
		/** @type {Promise<any>[]} */
		const out = [];
		for (const sub of subs) {
			const body = JSON.stringify(body0);
			const d = record({ sub, topic: rt, eventId, triggeredAt, body, state: 'queued', kind: o.kind });
			if (o.kind === 'tampered') {
				const real = d.headers['X-Shopify-Hmac-Sha256'];
				d.headers['X-Shopify-Hmac-Sha256'] = crypto.createHmac('sha256', `tampered-${opts.secret()}`).update(body, 'utf8').digest('base64');
				d.realHmac = real;
			}
			deliveries.push(d);
			out.push(sendNow(d));
		}
		return Promise.all(out);
	}

	/** Send one special delivery right away (ignores pause), one attempt. @param {any} d */
	async function sendNow(d) {
		if (!isDeliverable(d)) return summary(d);
		busy++;
		d.state = 'sending';
		const gen = generation;
		try {
			await attempt(d);
		} finally {
			if (gen === generation) busy--;
			checkIdle();
		}
		return summary(d);
	}

	/** @param {any} d */
	function summary(d) {
		const { body, ...rest } = d;
		return { ...rest, payload: body ? JSON.parse(body) : null };
	}

	return {
		get webhookApiVersion() {
			return opts.webhookApiVersion;
		},
		createSubscription,
		updateSubscription,
		deleteSubscription,
		onEvent,
		deliverDuplicate,
		/** @param {string} topic @param {any} [payload] @param {{ uri?: string }} [o] */
		deliverTampered: (topic, payload, o = {}) => deliverSpecial(topic, payload, { kind: 'tampered', uri: o.uri }),
		/** @param {string} topic @param {any} [payload] @param {{ ageSeconds?: number, uri?: string }} [o] */
		deliverStale: (topic, payload, o = {}) => deliverSpecial(topic, payload, { kind: 'stale', ageSeconds: o.ageSeconds, uri: o.uri }),
		pause() {
			paused = true;
		},
		resume() {
			paused = false;
			const list = held;
			held = [];
			for (const d of list) {
				d.state = 'queued';
				dispatch(d);
			}
			checkIdle();
		},
		isPaused: () => paused,
		/** Resolves when nothing is being sent or waiting for a retry (held deliveries excluded). */
		idle() {
			return new Promise((resolve) => {
				if (busy === 0) resolve(undefined);
				else idleWaiters.push(() => resolve(undefined));
			});
		},
		deliveries: () => deliveries.map(summary),
		lastPayload: (/** @type {string} */ topic) => payloadFor(topic.includes('/') ? topic : restTopic(topic)),
		reset() {
			generation++;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			chains.clear();
			busy = 0;
			deliveries = [];
			held = [];
			paused = false;
			for (const k of Object.keys(lastPayload)) delete lastPayload[k];
			for (const k of Object.keys(lastEvent)) delete lastEvent[k];
			checkIdle();
		},
		stop() {
			stopped = true;
			generation++;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			httpAgent.destroy();
			httpsAgent.destroy();
			busy = 0;
			checkIdle();
		},
	};
}

module.exports = { createWebhooks, DELIVERED_TOPICS, restTopic, enumTopic, pick };
