// @ts-check
'use strict';

const zlib = require('zlib');
const { readBody, send } = require('../lib/http');
const { formatMinor } = require('../lib/money');
const { clone } = require('./orders');
const seed = require('../seed');

/**
 * The Amazon sandbox control API (programmatic, and the same over HTTP under /_sandbox/amazon).
 * Every method throws an Error whose message says what was wrong; over HTTP that is a 400
 * (404 for an unknown order/feed/path) with `{ "error": message }`.
 */

class ControlError extends Error {
	/** @param {string} message @param {number} [status] */
	constructor(message, status = 400) {
		super(message);
		this.status = status;
	}
}

/**
 * @param {{
 *   store: any, auth: any, clock: import('../lib/clock').Clock, rng: import('../lib/rng').Rng,
 *   faults: import('../lib/faults').Faults, specs: import('./specs').SpecRegistry, ctx: import('./handlers').Ctx,
 *   tick: () => void, setPiiRole: (v: boolean) => void, getPiiRole: () => boolean,
 *   setRateLimit: (op: string, l: { rate: number, burst: number }) => void,
 *   counters: () => { calls: Record<string, number>, throttled: Record<string, number>, statuses: Record<string, number> },
 *   recorded: () => import('./index').RecordedRequest[],
 *   responseViolations: () => { operation: string, status: number, violations: string[], requestId: string }[],
 *   resetCounters: () => void,
 *   options: { clockScale: number, feedProcessingMs: number, refundEventDelayMs: number, validateRequests: boolean, seed: number|string, specsDir: string },
 *   operations: import('./operations').OperationDef[],
 *   limitsOf: (op: string) => { rate: number, burst: number },
 *   formatRate: (n: number) => string,
 * }} deps
 */
function createControl(deps) {
	const { store, auth, clock, faults, ctx } = deps;
	const usedIds = () => new Set(store.orders.keys());

	/** @param {string} id */
	const rec = (id) => {
		if (typeof id !== 'string') throw new ControlError('order id must be a string');
		const r = store.get(id);
		if (!r) throw new ControlError(`order ${id} not found`, 404);
		return r;
	};

	/** @param {any[]} orders */
	function seedOrders(orders) {
		deps.tick();
		if (!Array.isArray(orders)) throw new ControlError('seedOrders(orders): orders must be an array of v2026 Order objects (or compact specs with items)');
		const ids = usedIds();
		const full = orders.map((o, i) => {
			if (o && typeof o === 'object' && !Array.isArray(o) && Array.isArray(o.items) && !o.orderItems) {
				try {
					return seed.buildOrder(o, { rng: deps.rng.fork(), usedIds: ids });
				} catch (err) {
					throw new ControlError(`orders[${i}]: ${/** @type {Error} */ (err).message}`);
				}
			}
			return o;
		});
		try {
			return store.seedOrders(full);
		} catch (err) {
			throw new ControlError(/** @type {Error} */ (err).message);
		}
	}

	/** @param {number} n @param {any} [opts] */
	function generateOrders(n, opts = {}) {
		if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new ControlError('generateOrders(n, opts): opts must be an object');
		const allowed = ['marketplaces', 'fulfilledBy', 'statuses', 'now', 'seed', 'lateIndexProbability', 'lateIndexMaxMs'];
		for (const k of Object.keys(opts)) if (!allowed.includes(k)) throw new ControlError(`generateOrders: unknown option "${k}" (allowed: ${allowed.join(', ')})`);
		let orders;
		try {
			orders = seed.generateOrders(n, { ...opts, rng: opts.seed === undefined ? deps.rng.fork() : undefined, usedIds: usedIds() });
		} catch (err) {
			throw new ControlError(/** @type {Error} */ (err).message);
		}
		seedOrders(orders);
		return orders.map((o) => getOrder(o.orderId));
	}

	/** @param {string} id */
	function getOrder(id) {
		deps.tick();
		return clone(rec(id).order);
	}

	function listOrders() {
		deps.tick();
		return [...store.orders.values()].map((r) => clone(r.order));
	}

	/** @param {string} id @param {any} patch */
	function updateOrder(id, patch) {
		deps.tick();
		const r = rec(id);
		try {
			store.updateOrder(r, patch);
		} catch (err) {
			throw new ControlError(/** @type {Error} */ (err).message);
		}
		return clone(r.order);
	}

	/**
	 * A refund the merchant made in Seller Central (not through the API): financial events appear
	 * after refundEventDelayMs. `items` omitted = refund everything still refundable.
	 * @param {string} orderId
	 * @param {{ orderItemId: string, amounts?: Record<string, string>, quantity?: number, reason?: string }[]} [items]
	 * @param {{ postedDate?: string }} [options] back-dates the refund (finance reads need postedBefore <= now - 2 min)
	 */
	function refundOnAmazon(orderId, items, options = {}) {
		deps.tick();
		const r = rec(orderId);
		if (items !== undefined && !Array.isArray(items)) throw new ControlError('refundOnAmazon(orderId, items): items must be an array of { orderItemId, amounts?, quantity? }');
		const list = items ?? r.order.orderItems.filter((/** @type {any} */ it) => (r.shipped[it.orderItemId] ?? 0) > 0).map((/** @type {any} */ it) => ({ orderItemId: it.orderItemId }));
		if (list.length === 0) throw new ControlError(`order ${orderId} has nothing shipped, so nothing was charged and nothing can be refunded`);
		let lines;
		try {
			lines = list.map((/** @type {any} */ i) => store.refundLineFrom(r, i));
		} catch (err) {
			throw new ControlError(/** @type {Error} */ (err).message);
		}
		let wall;
		if (options.postedDate !== undefined) {
			wall = Date.parse(options.postedDate);
			if (!Number.isFinite(wall) || !/[zZ]|[+-]\d\d:?\d\d$/.test(options.postedDate)) throw new ControlError('refundOnAmazon: postedDate must be an ISO 8601 date-time with a time zone');
			if (wall > Date.now()) throw new ControlError('refundOnAmazon: postedDate must not be in the future');
		}
		const res = store.refund(r, lines, { source: 'sellerCentral', wall });
		if (!res.ok) throw new ControlError(res.error.message);
		return {
			refundId: res.event.refundId,
			postedDate: new Date(res.event.postedWall).toISOString(),
			visibleAt: new Date(clock.wallAt(res.event.visibleAtT)).toISOString(),
			items: res.event.items.map((/** @type {any} */ it) => ({ orderItemId: it.orderItemId, adjustmentItemId: it.adjustmentItemId, charges: Object.fromEntries(Object.entries(it.charges).map(([k, v]) => [k, formatMinor(/** @type {number} */ (v), r.currency)])) })),
		};
	}

	function feedsList() {
		deps.tick();
		return [...ctx.feeds.values()].map((f) => ({
			feedId: f.feedId,
			feedType: f.feedType,
			marketplaceIds: f.marketplaceIds,
			status: f.cancelled ? 'CANCELLED' : f.done ? f.outcome?.status : clock.t() < f.startT ? 'IN_QUEUE' : 'IN_PROGRESS',
			inputFeedDocumentId: f.inputFeedDocumentId,
			resultFeedDocumentId: f.resultFeedDocumentId,
			summary: f.outcome ? { processed: f.outcome.processed, successful: f.outcome.successful, errors: f.outcome.errors } : undefined,
			dueAt: new Date(clock.wallAt(f.dueT)).toISOString(),
		}));
	}

	/** @param {string} feedId */
	function feedReport(feedId) {
		deps.tick();
		const f = ctx.feeds.get(feedId);
		if (!f) throw new ControlError(`feed ${feedId} not found`, 404);
		if (!f.resultFeedDocumentId) throw new ControlError(`feed ${feedId} has no report yet (not processed)`, 409);
		const doc = /** @type {any} */ (ctx.documents.get(f.resultFeedDocumentId));
		return zlib.gunzipSync(doc.content).toString('utf8');
	}

	/** @param {string} [orderId] */
	function financialEvents(orderId) {
		deps.tick();
		return store.events
			.filter((/** @type {any} */ e) => orderId === undefined || e.orderId === orderId)
			.map((/** @type {any} */ e) => ({
				id: e.id,
				kind: e.kind,
				orderId: e.orderId,
				source: e.source,
				postedDate: new Date(e.postedWall).toISOString(),
				visible: e.visibleAtT <= clock.t(),
				visibleAt: new Date(clock.wallAt(e.visibleAtT)).toISOString(),
				items: e.items.map((/** @type {any} */ it) => ({
					orderItemId: it.orderItemId,
					quantity: it.quantity,
					charges: Object.fromEntries(Object.entries(it.charges).map(([k, v]) => [k, formatMinor(/** @type {number} */ (v), e.currency)])),
				})),
			}));
	}

	function stats() {
		const c = deps.counters();
		return {
			calls: { ...c.calls },
			throttled: { ...c.throttled },
			statuses: { ...c.statuses },
			...auth.stats(),
			faultsInjected: faults.injected(),
			requestsRecorded: deps.recorded().length,
			responseViolations: deps.responseViolations().length,
			requestsWithValidationErrors: deps.recorded().filter((r) => r.validationErrors.length).length,
		};
	}

	function state() {
		deps.tick();
		const c = deps.counters();
		const orders = [...store.orders.values()].map((r) => store.summary(r));
		return {
			specValidation: deps.specs.status,
			validateRequests: deps.options.validateRequests,
			clockScale: clock.scale,
			sandboxTimeAdvancedMs: clock.advanced(),
			piiRole: deps.getPiiRole(),
			options: { ...deps.options },
			orders,
			packages: orders.flatMap((o) => o.packages.map((/** @type {any} */ p) => ({ orderId: o.orderId, ...p }))),
			feeds: feedsList(),
			financialEvents: financialEvents(),
			tokenRequests: auth.stats().tokenRequests,
			auth: auth.stats(),
			calls: { ...c.calls },
			throttled: { ...c.throttled },
			statuses: { ...c.statuses },
			rateLimits: Object.fromEntries(
				deps.operations.map((o) => {
					const l = deps.limitsOf(o.name);
					return [o.name, { rate: l.rate, burst: l.burst, header: deps.formatRate(l.rate * clock.scale) }];
				}),
			),
			faults: faults.list(),
			responseViolations: deps.responseViolations().slice(),
		};
	}

	/** @param {{ tokens?: boolean }} [opts] */
	function reset(opts = {}) {
		store.reset();
		ctx.feeds.clear();
		ctx.documents.clear();
		ctx.pageTokens.clear();
		faults.clear();
		faults.resetCounters();
		auth.reset({ tokens: Boolean(opts?.tokens) });
		deps.resetCounters();
	}

	/** @param {{ operation?: string, status?: number, since?: number }} [filter] */
	function recordedRequests(filter = {}) {
		return deps.recorded()
			.filter((r) => (filter.operation === undefined || r.operation === filter.operation) && (filter.status === undefined || r.status === filter.status) && (filter.since === undefined || r.seq > filter.since))
			.map((r) => clone(r));
	}

	/** @param {unknown} v */
	function setPiiRole(v) {
		if (typeof v !== 'boolean') throw new ControlError('setPiiRole(value): value must be true or false');
		deps.setPiiRole(v);
	}

	/** @param {unknown} ms */
	function advanceTime(ms) {
		try {
			clock.advance(/** @type {number} */ (ms));
		} catch (err) {
			throw new ControlError(/** @type {Error} */ (err).message);
		}
		deps.tick();
	}

	/** @param {string} operation @param {{ rate: number, burst: number }} limits */
	function setRateLimit(operation, limits) {
		if (!deps.operations.some((o) => o.name === operation)) throw new ControlError(`unknown operation "${operation}"`);
		if (!limits || !(typeof limits.rate === 'number' && limits.rate > 0) || !(Number.isInteger(limits.burst) && limits.burst >= 1)) {
			throw new ControlError('setRateLimit(operation, { rate, burst }): rate must be > 0 and burst an integer >= 1');
		}
		deps.setRateLimit(operation, { rate: limits.rate, burst: limits.burst });
	}

	const faultApi = {
		/** @param {import('../lib/faults').FaultSpec|import('../lib/faults').FaultSpec[]} spec */
		set(spec) {
			try {
				return faults.set(spec);
			} catch (err) {
				throw new ControlError(/** @type {Error} */ (err).message);
			}
		},
		/** @param {string} [operation] */
		clear: (operation) => faults.clear(operation),
		list: () => faults.list(),
	};

	const api = {
		seedOrders,
		generateOrders,
		getOrder,
		listOrders,
		updateOrder,
		refundOnAmazon,
		state,
		stats,
		reset,
		faults: faultApi,
		recordedRequests,
		expireAccessTokens: () => auth.expireAccessTokens(),
		revokeRefreshToken: () => auth.revokeRefreshToken(),
		restoreRefreshToken: () => auth.restoreRefreshToken(),
		setPiiRole,
		advanceTime,
		setRateLimit,
		feeds: feedsList,
		feedReport,
		financialEvents,
		/**
		 * HTTP control under /_sandbox/amazon (JSON in/out).
		 * @param {import('http').IncomingMessage} req @param {import('http').ServerResponse} res @param {URL} url
		 */
		async handleHttp(req, res, url) {
			const method = (req.method ?? 'GET').toUpperCase();
			const sub = url.pathname.replace(/^\/_sandbox\/amazon\/?/, '/').replace(/\/+$/, '') || '/';
			const raw = await readBody(req);
			/** @type {any} */
			let body;
			if (raw.length) {
				if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
					return send(res, 415, { error: 'control requests with a body must be Content-Type: application/json' });
				}
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch (err) {
					return send(res, 400, { error: `body is not valid JSON: ${/** @type {Error} */ (err).message}` });
				}
			}
			const need = (/** @type {boolean} */ ok, /** @type {string} */ msg) => {
				if (!ok) throw new ControlError(msg);
			};
			const route = `${method} ${sub}`;
			/** @type {RegExpExecArray|null} */
			let m;
			try {
				/** @type {unknown} */
				let out;
				let status = 200;
				if (route === 'GET /' || route === 'GET /state') out = state();
				else if (route === 'GET /stats') out = stats();
				else if (route === 'GET /orders') out = listOrders();
				else if (route === 'POST /orders') {
					const orders = Array.isArray(body) ? body : body?.orders;
					need(Array.isArray(orders), 'POST /orders needs a JSON array of orders, or { "orders": [...] }');
					out = { seeded: seedOrders(orders) };
					status = 201;
				} else if (route === 'POST /generate') {
					need(body && typeof body === 'object' && !Array.isArray(body), 'POST /generate needs { "n": number, ...options }');
					const { n, ...rest } = body;
					out = { orders: generateOrders(n, rest).map((o) => o.orderId) };
					status = 201;
				} else if ((m = /^(GET|PATCH) \/orders\/([^/]+)$/.exec(route))) {
					const id = decodeURIComponent(m[2]);
					if (m[1] === 'GET') out = getOrder(id);
					else {
						need(body && typeof body === 'object', 'PATCH /orders/{id} needs a JSON object patch');
						out = updateOrder(id, body);
					}
				} else if ((m = /^POST \/orders\/([^/]+)\/refund$/.exec(route))) {
					out = refundOnAmazon(decodeURIComponent(m[1]), body?.items, { postedDate: body?.postedDate });
					status = 201;
				} else if (route === 'POST /reset') {
					reset(body ?? {});
					out = { ok: true };
				} else if (route === 'GET /faults') out = faultApi.list();
				else if (route === 'POST /faults') {
					need(body !== undefined, 'POST /faults needs a fault spec { operation, kind, probability?, count?, delayMs? } or an array of them');
					out = faultApi.set(body);
					status = 201;
				} else if (route === 'DELETE /faults') {
					faultApi.clear(url.searchParams.get('operation') ?? undefined);
					out = { ok: true };
				} else if (route === 'GET /recorded-requests') {
					const q = url.searchParams;
					out = recordedRequests({
						operation: q.get('operation') ?? undefined,
						status: q.get('status') ? Number(q.get('status')) : undefined,
						since: q.get('since') ? Number(q.get('since')) : undefined,
					});
				} else if (route === 'POST /expire-access-tokens') {
					api.expireAccessTokens();
					out = { ok: true };
				} else if (route === 'POST /revoke-refresh-token') {
					api.revokeRefreshToken();
					out = { ok: true };
				} else if (route === 'POST /restore-refresh-token') {
					api.restoreRefreshToken();
					out = { ok: true };
				} else if (route === 'POST /pii-role') {
					setPiiRole(body?.piiRole);
					out = { ok: true, piiRole: body.piiRole };
				} else if (route === 'POST /advance-time') {
					advanceTime(body?.ms);
					out = { ok: true, advancedMs: clock.advanced() };
				} else if (route === 'POST /rate-limits') {
					need(body && typeof body === 'object', 'POST /rate-limits needs { operation, rate, burst }');
					setRateLimit(body.operation, { rate: body.rate, burst: body.burst });
					out = { ok: true };
				} else if (route === 'GET /feeds') out = feedsList();
				else if ((m = /^GET \/feeds\/([^/]+)\/report$/.exec(route))) {
					const xml = feedReport(decodeURIComponent(m[1]));
					return send(res, 200, xml, { 'Content-Type': 'text/xml; charset=UTF-8' });
				} else if (route === 'GET /financial-events') out = financialEvents(url.searchParams.get('orderId') ?? undefined);
				else throw new ControlError(`unknown control endpoint ${method} /_sandbox/amazon${sub === '/' ? '' : sub}`, 404);
				return send(res, status, out);
			} catch (err) {
				const e = /** @type {ControlError} */ (err);
				return send(res, e.status ?? 500, { error: e.message });
			}
		},
	};
	return api;
}

module.exports = { createControl, ControlError };
