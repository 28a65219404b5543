// @ts-check
'use strict';

/**
 * The Shopify sandbox's control API: programmatic (`sb.control`) and over HTTP under
 * `/_sandbox/shopify/...`. Bad input throws a ControlError (HTTP: 4xx `{ error }`).
 */

const money = require('./money');
const { ControlError } = require('./store');
const { send } = require('../lib/http');
const { FAULT_KINDS } = require('../lib/faults');

const CANCEL_REASONS = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'];

/**
 * @param {{
 *   store: ReturnType<typeof import('./store').createStore>,
 *   webhooks: ReturnType<typeof import('./webhooks').createWebhooks>,
 *   faults: import('../lib/faults').Faults,
 *   clock: import('../lib/clock').Clock,
 *   tokens: Map<string, { kind: string, issuedAt: number, expiresAt: number|null }>,
 *   tokenStats: any,
 *   credentials: any,
 *   specValidation: string,
 *   specByVersion: Record<string, string|null>,
 *   apiVersions: string[],
 *   webhookApiVersion: string,
 *   getBucket: () => ReturnType<typeof import('./cost').createCostBucket>,
 *   resetBucket: () => void,
 *   getOps: () => Record<string, any>,
 *   resetOps: () => void,
 *   getRecorded: () => any[],
 *   resetRecorded: () => void,
 *   throttleOpts: any,
 * }} deps
 */
function createControl(deps) {
	const { store, webhooks, faults, clock } = deps;
	const S = () => store.state.shop.currencyCode;

	// ------------------------------------------------------------- summaries (plain JSON)

	/** @param {any} order @param {{shop:number,pres:number}} a */
	const m = (order, a) => ({
		shop: { amount: money.formatRest(a.shop, S()), currencyCode: S() },
		presentment: { amount: money.formatRest(a.pres, order.presentmentCurrencyCode), currencyCode: order.presentmentCurrencyCode },
	});

	/** @param {any} o */
	function orderSummary(o) {
		const t = store.totals(o);
		return {
			id: o.id,
			legacyResourceId: o.legacyResourceId,
			name: o.name,
			sourceName: o.sourceName,
			sourceIdentifier: o.sourceIdentifier,
			sourceUrl: o.sourceUrl,
			email: o.email,
			phone: o.phone,
			tags: o.tags.slice(),
			note: o.note,
			customAttributes: o.customAttributes.map((/** @type {any} */ a) => ({ ...a })),
			metafields: o._metafields.map((/** @type {any} */ x) => ({ namespace: x.namespace, key: x.key, type: x.type, value: x.value })),
			currency: o.currencyCode,
			presentmentCurrency: o.presentmentCurrencyCode,
			test: o.test,
			taxesIncluded: o.taxesIncluded,
			createdAt: o.createdAt,
			updatedAt: o.updatedAt,
			processedAt: o.processedAt,
			closedAt: o.closedAt,
			cancelledAt: o.cancelledAt,
			cancelReason: o.cancelReason,
			displayFinancialStatus: store.financialStatus(o),
			displayFulfillmentStatus: store.fulfillmentStatus(o),
			customerId: o._customerId,
			shippingAddress: o.shippingAddress ? strip(o.shippingAddress) : null,
			billingAddress: o.billingAddress ? strip(o.billingAddress) : null,
			discountCode: o._discount ? { code: o._discount.code, kind: o._discount.kind } : null,
			lineItems: o._lines.map((/** @type {any} */ l) => ({
				id: l.id,
				sku: l.sku,
				title: l.title,
				variantId: l._variant ? l._variant.id : null,
				quantity: l.quantity,
				currentQuantity: l.quantity - l._refunded,
				fulfilledQuantity: l._fulfilled,
				refundedQuantity: l._refunded,
				unfulfilledQuantity: store.unfulfilledQty(l),
				requiresShipping: l.requiresShipping,
				taxable: l.taxable,
				properties: l.customAttributes.map((/** @type {any} */ a) => ({ name: a.key, value: a.value })),
				unitPrice: m(o, l._unit),
				discount: m(o, l._discount),
				taxLines: l._taxes.map((/** @type {any} */ x) => ({ title: x.title, rate: x.rate, channelLiable: x.channelLiable, ...m(o, x.amount) })),
			})),
			shippingLines: o._shippingLines.map((/** @type {any} */ s) => ({
				id: s.id,
				title: s.title,
				code: s.code,
				source: s.source,
				price: m(o, s._price),
				discount: m(o, s._discount),
				refunded: m(o, s._refunded),
				taxLines: s._taxes.map((/** @type {any} */ x) => ({ title: x.title, rate: x.rate, channelLiable: x.channelLiable, ...m(o, x.amount) })),
			})),
			totals: {
				lineItems: m(o, t.lineItemsOriginal),
				subtotal: m(o, t.subtotal),
				shipping: m(o, t.shipping),
				tax: m(o, t.tax),
				discounts: m(o, t.discounts),
				total: m(o, t.total),
				currentSubtotal: m(o, t.currentSubtotal),
				currentTax: m(o, t.currentTax),
				currentTotal: m(o, t.currentTotal),
				received: m(o, t.received),
				refunded: m(o, t.refunded),
				net: m(o, t.net),
				outstanding: m(o, t.outstanding),
			},
			transactions: o._transactions.map((/** @type {any} */ x) => ({ id: x.id, kind: x.kind, status: x.status, gateway: x.gateway, parentId: x._parentId, processedAt: x.processedAt, amount: m(o, x._amount) })),
			fulfillmentOrders: o._fulfillmentOrders.map((/** @type {any} */ fo) => ({
				id: fo.id,
				status: store.fulfillmentOrderStatus(fo),
				locationId: fo._locationId,
				lineItems: fo._lines.map((/** @type {any} */ x) => ({ id: x.id, lineItemId: x._lineItemId, sku: x._line.sku, remainingQuantity: x._remaining() })),
			})),
			fulfillments: o._fulfillments.map((/** @type {any} */ f) => fulfillmentSummary(o, f)),
			refunds: o._refunds.map((/** @type {any} */ r) => refundSummary(o, r)),
		};
	}

	/** @param {any} o @param {any} f */
	function fulfillmentSummary(o, f) {
		return {
			id: f.id,
			orderId: o.id,
			orderName: o.name,
			name: f.name,
			status: f.status,
			locationId: f._locationId,
			createdAt: f.createdAt,
			updatedAt: f.updatedAt,
			notifyCustomer: f._notify,
			tracking: f._tracking.map((/** @type {any} */ t) => ({ ...t })),
			lineItems: f._lines.map((/** @type {any} */ x) => ({ id: x.id, lineItemId: x._lineItemId, sku: x._line.sku, quantity: x.quantity })),
		};
	}

	/** @param {any} o @param {any} r */
	function refundSummary(o, r) {
		const txs = r._transactionIds.map((/** @type {string} */ id) => o._transactions.find((/** @type {any} */ x) => x.id === id));
		const total = txs.reduce((/** @type {any} */ a, /** @type {any} */ x) => ({ shop: a.shop + x._amount.shop, pres: a.pres + x._amount.pres }), { shop: 0, pres: 0 });
		return {
			id: r.id,
			orderId: o.id,
			orderName: o.name,
			createdAt: r.createdAt,
			note: r.note,
			notify: r._notify,
			via: r._via,
			totalRefunded: m(o, total),
			lineItems: r._lines.map((/** @type {any} */ x) => ({ lineItemId: x._line.id, sku: x._line.sku, quantity: x.quantity, restockType: x.restockType, restocked: x.restocked, subtotal: m(o, x._subtotal), tax: m(o, x._tax) })),
			shipping: r._shipping ? { amount: m(o, r._shipping.amount), tax: m(o, r._shipping.tax) } : null,
			transactions: txs.map((/** @type {any} */ x) => ({ id: x.id, kind: x.kind, status: x.status, gateway: x.gateway, parentId: x._parentId, amount: m(o, x._amount) })),
			adjustments: r._adjustments.map((/** @type {any} */ a) => ({ id: a.id, reason: a.reason, amount: m(o, a._amount) })),
		};
	}

	/** @param {any} rec */
	function strip(rec) {
		/** @type {any} */
		const out = {};
		for (const [k, v] of Object.entries(rec)) if (!k.startsWith('_')) out[k] = v;
		return out;
	}

	function stats() {
		const ops = deps.getOps();
		/** @type {Record<string, number>} */
		const calls = {};
		/** @type {Record<string, number>} */
		const cost = {};
		/** @type {Record<string, number>} */
		const throttled = {};
		let totalCalls = 0;
		let totalCost = 0;
		let totalThrottled = 0;
		let totalMax = 0;
		for (const [k, v] of Object.entries(ops)) {
			calls[k] = v.calls;
			cost[k] = v.costActual;
			throttled[k] = v.throttled;
			totalCalls += v.calls;
			totalCost += v.costActual;
			totalThrottled += v.throttled;
			totalMax += v.maxCostExceeded;
		}
		const ds = webhooks.deliveries();
		/** @type {Record<string, number>} */
		const byState = {};
		for (const d of ds) byState[d.state] = (byState[d.state] ?? 0) + 1;
		return {
			calls,
			cost,
			throttled,
			operations: JSON.parse(JSON.stringify(ops)),
			totals: { calls: totalCalls, cost: totalCost, throttled: totalThrottled, maxCostExceeded: totalMax },
			tokenRequests: { ...deps.tokenStats, byError: { ...deps.tokenStats.byError } },
			orders: store.state.orders.length,
			customerNotifications: store.state.customerNotifications.length,
			webhooks: { deliveries: ds.length, byState, attempts: ds.reduce((a, d) => a + d.attempts.length, 0) },
			faultsInjected: faults.injected(),
			throttleStatus: deps.getBucket().status(),
		};
	}

	function state() {
		const s = store.state;
		return JSON.parse(
			JSON.stringify({
				shop: { id: s.shop.id, name: s.shop.name, myshopifyDomain: s.shop.myshopifyDomain, currencyCode: s.shop.currencyCode, ianaTimezone: s.shop.ianaTimezone, plan: s.shop.plan },
				specValidation: deps.specValidation,
				specValidationByVersion: Object.fromEntries(Object.entries(deps.specByVersion).map(([v, r]) => [v, r ? `subset: ${r}` : 'sdl'])),
				apiVersions: deps.apiVersions,
				webhookApiVersion: deps.webhookApiVersion,
				locations: s.locations.map((l) => ({ id: l.id, name: l.name })),
				products: s.products.map((p) => ({
					id: p.id,
					title: p.title,
					status: p.status,
					variants: p._variantIds.map((/** @type {string} */ id) => {
						const v = s.variants.get(id);
						return { id: v.id, sku: v.sku, title: v.title, price: money.formatRest(v._price, S()), currency: S(), tracked: v._tracked, inventory: v._tracked ? v._inventory : null, inventoryPolicy: v.inventoryPolicy, inventoryItemId: v._inventoryItem.id };
					}),
				})),
				customers: s.customers.map((c) => strip(c)),
				metafieldDefinitions: s.metafieldDefinitions.map((d) => ({ id: d.id, ownerType: d.ownerType, namespace: d.namespace, key: d.key, type: d._type, uniqueValues: d._unique })),
				orders: s.orders.map(orderSummary),
				fulfillments: s.orders.flatMap((o) => o._fulfillments.map((/** @type {any} */ f) => fulfillmentSummary(o, f))),
				refunds: s.orders.flatMap((o) => o._refunds.map((/** @type {any} */ r) => refundSummary(o, r))),
				webhooks: {
					subscriptions: s.webhookSubscriptions.map((w) => ({ id: w.id, topic: w.topic, uri: w.uri, format: w.format, filter: w.filter, includeFields: w.includeFields, name: w.name, apiVersion: w._apiVersion, createdAt: w.createdAt })),
					deliveries: webhooks.deliveries(),
					paused: webhooks.isPaused(),
				},
				customerNotifications: s.customerNotifications,
				tokenRequests: { ...deps.tokenStats, issued: [...deps.tokens.values()].filter((t) => t.kind === 'client_credentials').length },
				operations: deps.getOps(),
				throttle: { ...deps.getBucket().status(), maxQueryCost: deps.throttleOpts.maxQueryCost },
				faults: faults.list(),
				faultsInjected: faults.injected(),
				clock: { scale: clock.scale, sandboxNow: new Date(clock.t()).toISOString(), wallNow: new Date(clock.wallNow()).toISOString(), advancedMs: clock.advanced() },
			}),
		);
	}

	// ------------------------------------------------------------- merchant actions

	/** @param {unknown} ref */
	function orderOrThrow(ref) {
		const o = store.resolveOrderRef(ref);
		if (!o) throw new ControlError(404, `no order ${JSON.stringify(ref)} (use its GID, legacy id, name or Amazon order id)`);
		return o;
	}

	/**
	 * @param {unknown} tracking
	 * @param {string} where
	 * @returns {any|null}
	 */
	function checkTracking(tracking, where) {
		if (tracking === undefined || tracking === null) return null;
		if (typeof tracking !== 'object' || Array.isArray(tracking)) throw new ControlError(400, `${where} must be an object like { company, number | numbers, url? }`);
		const t = /** @type {any} */ (tracking);
		const allowed = ['company', 'number', 'numbers', 'url', 'urls'];
		for (const k of Object.keys(t)) if (!allowed.includes(k)) throw new ControlError(400, `${where}: unknown field "${k}" (allowed: ${allowed.join(', ')})`);
		if (t.company !== undefined && typeof t.company !== 'string') throw new ControlError(400, `${where}.company must be a string`);
		if (t.number !== undefined && typeof t.number !== 'string') throw new ControlError(400, `${where}.number must be a string`);
		if (t.numbers !== undefined && !(Array.isArray(t.numbers) && t.numbers.every((/** @type {unknown} */ n) => typeof n === 'string'))) throw new ControlError(400, `${where}.numbers must be a list of strings`);
		if (t.number !== undefined && t.numbers !== undefined) throw new ControlError(400, `${where}: give number or numbers, not both`);
		for (const u of [t.url, ...(t.urls || [])].filter((x) => x !== undefined)) {
			try {
				new URL(u);
			} catch {
				throw new ControlError(400, `${where}: ${JSON.stringify(u)} is not an absolute URL`);
			}
		}
		return t;
	}

	/**
	 * @param {any} order
	 * @param {unknown} lineItems  [{ sku | lineItemId, quantity }]
	 * @param {string} where
	 * @param {(l: any) => number} available
	 */
	function pickLines(order, lineItems, where, available) {
		if (!Array.isArray(lineItems)) throw new ControlError(400, `${where} must be a list like [{ sku | lineItemId, quantity }]`);
		/** @type {{ line: any, quantity: number, restockType?: string }[]} */
		const out = [];
		lineItems.forEach((x, i) => {
			if (!x || typeof x !== 'object') throw new ControlError(400, `${where}[${i}] must be an object`);
			if (!Number.isInteger(x.quantity) || x.quantity <= 0) throw new ControlError(400, `${where}[${i}].quantity must be a positive integer`);
			if (!x.sku && !x.lineItemId) throw new ControlError(400, `${where}[${i}] needs sku or lineItemId`);
			let need = x.quantity;
			const candidates = order._lines.filter((/** @type {any} */ l) => (x.lineItemId ? l.id === x.lineItemId : l.sku === x.sku));
			if (!candidates.length) throw new ControlError(400, `${where}[${i}]: order ${order.name} has no line item ${x.lineItemId ?? `with sku ${x.sku}`}`);
			for (const l of candidates) {
				const taken = out.filter((p) => p.line === l).reduce((a, p) => a + p.quantity, 0);
				const q = Math.min(need, available(l) - taken);
				if (q > 0) {
					out.push({ line: l, quantity: q, restockType: x.restockType });
					need -= q;
				}
				if (need === 0) break;
			}
			if (need > 0) throw new ControlError(400, `${where}[${i}]: only ${x.quantity - need} of ${x.quantity} ${x.sku ?? x.lineItemId} available`);
		});
		return out;
	}

	/**
	 * As the merchant would in the admin: fulfil (some) line items with tracking; fires webhooks.
	 * @param {unknown} orderId
	 * @param {{ lineItems?: unknown, tracking?: unknown, notifyCustomer?: boolean }} [opts]
	 */
	function fulfillOrder(orderId, opts = {}) {
		if (opts === null || typeof opts !== 'object') throw new ControlError(400, 'fulfillOrder options must be an object like { lineItems?, tracking }');
		const order = orderOrThrow(orderId);
		const tracking = checkTracking(opts.tracking, 'tracking');
		if (order.cancelledAt) throw new ControlError(409, `order ${order.name} is cancelled`);
		const fo = order._fulfillmentOrders.find((/** @type {any} */ x) => store.fulfillmentOrderStatus(x) !== 'CLOSED' && store.fulfillmentOrderStatus(x) !== 'CANCELLED');
		if (!fo) throw new ControlError(409, `order ${order.name} has nothing left to fulfil`);
		/** @type {any[]|undefined} */
		let items;
		if (opts.lineItems !== undefined) {
			const picks = pickLines(order, opts.lineItems, 'lineItems', (l) => store.unfulfilledQty(l));
			items = picks.map((p) => ({ id: fo._lines.find((/** @type {any} */ x) => x._line === p.line).id, quantity: p.quantity }));
		}
		const r = store.createFulfillment(
			{ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: items }], trackingInfo: tracking ?? undefined, notifyCustomer: Boolean(opts.notifyCustomer) },
			null,
			{ via: 'control.fulfillOrder' },
		);
		if (r.userErrors.length) throw new ControlError(422, r.userErrors.map((e) => e.message).join('; '));
		return fulfillmentSummary(order, r.fulfillment);
	}

	/**
	 * @param {unknown} fulfillmentId @param {unknown} tracking @param {{ notifyCustomer?: boolean }} [opts]
	 */
	function updateTracking(fulfillmentId, tracking, opts = {}) {
		if (typeof fulfillmentId !== 'string' || !fulfillmentId) throw new ControlError(400, 'fulfillmentId must be a fulfillment GID');
		const t = checkTracking(tracking, 'tracking');
		if (!t) throw new ControlError(400, 'tracking is required: { company, number | numbers, url? }');
		const f = store.findFulfillment(fulfillmentId);
		if (!f) throw new ControlError(404, `no fulfillment ${fulfillmentId}`);
		const r = store.updateTracking(fulfillmentId, t, Boolean(opts.notifyCustomer), 'control.updateTracking');
		if (r.userErrors.length) throw new ControlError(422, r.userErrors.map((e) => e.message).join('; '));
		return fulfillmentSummary(store.state.ordersById.get(f._orderId), r.fulfillment);
	}

	/**
	 * As the merchant would: refund items and/or shipping; money goes back through the original
	 * payment(s), as Shopify's suggested refund computes it.
	 * @param {unknown} orderId
	 * @param {{ lineItems?: unknown, shippingAmount?: unknown, fullShipping?: boolean, note?: unknown, notify?: boolean, restock?: boolean }} [opts]
	 */
	function refundOrder(orderId, opts = {}) {
		if (opts === null || typeof opts !== 'object') throw new ControlError(400, 'refundOrder options must be an object like { lineItems?, shippingAmount?, note? }');
		const allowed = ['lineItems', 'shippingAmount', 'fullShipping', 'note', 'notify', 'restock'];
		for (const k of Object.keys(opts)) if (!allowed.includes(k)) throw new ControlError(400, `refundOrder: unknown option "${k}" (allowed: ${allowed.join(', ')})`);
		const order = orderOrThrow(orderId);
		if (opts.note !== undefined && typeof opts.note !== 'string') throw new ControlError(400, 'note must be a string');
		if (opts.shippingAmount !== undefined && money.toMinor(String(opts.shippingAmount), order.presentmentCurrencyCode) === null) throw new ControlError(400, `shippingAmount must be a decimal like "4.99", got ${JSON.stringify(opts.shippingAmount)}`);
		const picks = opts.lineItems === undefined ? [] : pickLines(order, opts.lineItems, 'lineItems', (l) => l.quantity - l._refunded);
		if (!picks.length && opts.shippingAmount === undefined && !opts.fullShipping) throw new ControlError(400, 'refundOrder needs lineItems, shippingAmount or fullShipping');
		const refundLineItems = picks.map((p) => ({
			lineItemId: p.line.id,
			quantity: p.quantity,
			restockType: p.restockType ?? (opts.restock ? (p.line._fulfilled - p.line._returned >= p.quantity ? 'RETURN' : 'CANCEL') : 'NO_RESTOCK'),
		}));
		if (refundLineItems.some((r) => !['NO_RESTOCK', 'CANCEL', 'RETURN'].includes(r.restockType))) throw new ControlError(400, 'restockType must be NO_RESTOCK, CANCEL or RETURN');
		const suggestion = (() => {
			try {
				return store.suggestRefund(order, { refundLineItems, refundShipping: Boolean(opts.fullShipping), shippingAmount: opts.shippingAmount === undefined ? null : String(opts.shippingAmount) });
			} catch (e) {
				throw new ControlError(422, /** @type {Error} */ (e).message);
			}
		})();
		const P = order.presentmentCurrencyCode;
		const r = store.createRefund(
			{
				orderId: order.id,
				currency: P !== order.currencyCode ? P : undefined,
				note: opts.note ?? null,
				notify: Boolean(opts.notify),
				refundLineItems,
				shipping: opts.fullShipping ? { fullRefund: true } : opts.shippingAmount !== undefined ? { amount: String(opts.shippingAmount) } : undefined,
				transactions: suggestion._transactions.map((/** @type {any} */ t) => ({ orderId: order.id, parentId: t._parent.id, kind: 'REFUND', gateway: t.gateway, amount: money.formatRest(t._amount.pres, P) })),
			},
			{ via: 'control.refundOrder' },
		);
		if (r.userErrors.length) throw new ControlError(422, r.userErrors.map((e) => `${(e.field || []).join('.')}: ${e.message}`).join('; '));
		return refundSummary(order, r.refund);
	}

	/**
	 * @param {unknown} orderId
	 * @param {{ reason?: unknown, refund?: boolean, restock?: boolean, notifyCustomer?: boolean, staffNote?: unknown }} [opts]
	 */
	function cancelOrder(orderId, opts = {}) {
		if (opts === null || typeof opts !== 'object') throw new ControlError(400, 'cancelOrder options must be an object like { reason, refund? }');
		const allowed = ['reason', 'refund', 'restock', 'notifyCustomer', 'staffNote'];
		for (const k of Object.keys(opts)) if (!allowed.includes(k)) throw new ControlError(400, `cancelOrder: unknown option "${k}" (allowed: ${allowed.join(', ')})`);
		const reason = String(opts.reason ?? '').toUpperCase();
		if (!CANCEL_REASONS.includes(reason)) throw new ControlError(400, `reason must be one of ${CANCEL_REASONS.map((r) => r.toLowerCase()).join(', ')}, got ${JSON.stringify(opts.reason)}`);
		const order = orderOrThrow(orderId);
		const r = store.cancelOrder(
			{
				orderId: order.id,
				reason,
				restock: opts.restock ?? Boolean(opts.refund),
				notifyCustomer: Boolean(opts.notifyCustomer),
				staffNote: opts.staffNote === undefined ? null : String(opts.staffNote),
				refundMethod: opts.refund ? { originalPaymentMethodsRefund: true } : null,
			},
			{ via: 'control.cancelOrder' },
		);
		if (r.orderCancelUserErrors.length) throw new ControlError(409, r.orderCancelUserErrors.map((e) => e.message).join('; '));
		return { order: orderSummary(order), refund: r._refund ? refundSummary(order, r._refund) : null, jobId: r.job ? r.job.id : null };
	}

	function expireTokens() {
		let n = 0;
		for (const t of deps.tokens.values()) {
			if (t.kind === 'client_credentials' && (t.expiresAt === null || t.expiresAt > clock.t())) {
				t.expiresAt = clock.t() - 1;
				n++;
			}
		}
		return { expired: n };
	}

	/** @param {unknown} spec */
	function setFault(spec) {
		try {
			return faults.set(/** @type {any} */ (spec));
		} catch (e) {
			throw new ControlError(400, /** @type {Error} */ (e).message);
		}
	}

	/** @param {unknown} ms */
	function advance(ms) {
		if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new ControlError(400, `advance needs a non-negative number of ms, got ${JSON.stringify(ms)}`);
		clock.advance(ms);
		return { sandboxNow: new Date(clock.t()).toISOString() };
	}

	/** @param {Promise<any>} p */
	const asControl = async (p) => {
		try {
			return await p;
		} catch (e) {
			const err = /** @type {any} */ (e);
			if (err instanceof ControlError) throw err;
			throw new ControlError(err.status ?? 400, err.message);
		}
	};

	function reset() {
		webhooks.reset();
		store.reset();
		faults.clear();
		faults.resetCounters();
		deps.resetBucket();
		deps.resetOps();
		deps.resetRecorded();
		for (const k of Object.keys(deps.tokenStats.byError)) delete deps.tokenStats.byError[k];
		deps.tokenStats.total = 0;
		deps.tokenStats.succeeded = 0;
		deps.tokenStats.failed = 0;
		return { ok: true };
	}

	/**
	 * @param {{ operation?: string, since?: number }} [filter]
	 */
	function recordedRequests(filter = {}) {
		let list = deps.getRecorded();
		if (filter.operation) list = list.filter((r) => r.operation === filter.operation || (r.rootFields || []).includes(filter.operation));
		if (filter.since !== undefined) list = list.filter((r) => r.seq > /** @type {number} */ (filter.since));
		return JSON.parse(JSON.stringify(list));
	}

	const control = {
		seedProducts: (/** @type {unknown} */ list) => store.seedProducts(list),
		state,
		stats,
		reset,
		faults: {
			set: setFault,
			clear: (/** @type {string|undefined} */ operation = undefined) => {
				faults.clear(operation);
				return { ok: true };
			},
			list: () => faults.list(),
			kinds: FAULT_KINDS,
		},
		recordedRequests,
		fulfillOrder,
		updateTracking,
		refundOrder,
		cancelOrder,
		expireTokens,
		customerNotifications: () => JSON.parse(JSON.stringify(store.state.customerNotifications)),
		deliverDuplicate: (/** @type {string} */ deliveryId) => asControl(webhooks.deliverDuplicate(deliveryId)),
		deliverTampered: (/** @type {string} */ topic, /** @type {any} */ payload = undefined, /** @type {{ uri?: string } | undefined} */ o = undefined) => asControl(webhooks.deliverTampered(topic, payload, o)),
		deliverStale: (/** @type {string} */ topic, /** @type {any} */ payload = undefined, /** @type {{ ageSeconds?: number, uri?: string } | undefined} */ o = undefined) => asControl(webhooks.deliverStale(topic, payload, o)),
		webhooks: {
			deliveries: () => webhooks.deliveries(),
			pause: () => (webhooks.pause(), { paused: true }),
			resume: () => (webhooks.resume(), { paused: false }),
			idle: () => webhooks.idle(),
			lastPayload: (/** @type {string} */ topic) => webhooks.lastPayload(topic),
		},
		pauseWebhooks: () => (webhooks.pause(), { paused: true }),
		resumeWebhooks: () => (webhooks.resume(), { paused: false }),
		waitForWebhooks: () => webhooks.idle(),
		advanceTime: advance,
		clock: { advance, now: () => clock.t(), wallNow: () => clock.wallNow(), scale: clock.scale },
		throttle: {
			status: () => deps.getBucket().status(),
			/** @param {number} [level] */
			drain: (level) => {
				if (level !== undefined && (typeof level !== 'number' || level < 0)) throw new ControlError(400, 'level must be a non-negative number');
				deps.getBucket().drain(level ?? 0);
				return deps.getBucket().status();
			},
		},

		/**
		 * HTTP routes under /_sandbox/shopify.
		 * @param {import('../lib/http').Router} router
		 */
		registerRoutes(router) {
			router.add('GET', '/state', 'state', () => state());
			router.add('GET', '/stats', 'stats', () => stats());
			router.add('POST', '/reset', 'reset', () => reset());
			router.add('POST', '/products', 'seedProducts', (/** @type {any} */ b) => ({ products: store.seedProducts(Array.isArray(b) ? b : b && b.products) }));
			router.add('GET', '/faults', 'faults.list', () => ({ faults: faults.list() }));
			router.add('POST', '/faults', 'faults.set', (/** @type {any} */ b) => ({ faults: setFault(b) }));
			router.add('DELETE', '/faults', 'faults.clear', (/** @type {any} */ _b, /** @type {URL} */ url) => control.faults.clear(url.searchParams.get('operation') ?? undefined));
			router.add('GET', '/requests', 'recordedRequests', (/** @type {any} */ _b, /** @type {URL} */ url) => ({ requests: recordedRequests({ operation: url.searchParams.get('operation') ?? undefined, since: url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined }) }));
			router.add('POST', '/orders/{orderId}/fulfill', 'fulfillOrder', (/** @type {any} */ b, /** @type {URL} */ _u, /** @type {any} */ p) => fulfillOrder(p.orderId, b ?? {}));
			router.add('POST', '/orders/{orderId}/refund', 'refundOrder', (/** @type {any} */ b, /** @type {URL} */ _u, /** @type {any} */ p) => refundOrder(p.orderId, b ?? {}));
			router.add('POST', '/orders/{orderId}/cancel', 'cancelOrder', (/** @type {any} */ b, /** @type {URL} */ _u, /** @type {any} */ p) => cancelOrder(p.orderId, b ?? {}));
			router.add('POST', '/fulfillments/{fulfillmentId}/tracking', 'updateTracking', (/** @type {any} */ b, /** @type {URL} */ _u, /** @type {any} */ p) => updateTracking(p.fulfillmentId, b && b.tracking !== undefined ? b.tracking : b, { notifyCustomer: Boolean(b && b.notifyCustomer) }));
			router.add('POST', '/tokens/expire', 'expireTokens', () => expireTokens());
			router.add('GET', '/notifications', 'customerNotifications', () => ({ customerNotifications: control.customerNotifications() }));
			router.add('GET', '/webhooks/deliveries', 'webhooks.deliveries', () => ({ deliveries: webhooks.deliveries() }));
			router.add('POST', '/webhooks/duplicate', 'deliverDuplicate', (/** @type {any} */ b) => {
				if (!b || typeof b.deliveryId !== 'string') throw new ControlError(400, 'body must be { deliveryId }');
				return control.deliverDuplicate(b.deliveryId);
			});
			router.add('POST', '/webhooks/tampered', 'deliverTampered', (/** @type {any} */ b) => {
				if (!b || typeof b.topic !== 'string') throw new ControlError(400, 'body must be { topic, payload?, uri? }');
				return control.deliverTampered(b.topic, b.payload, { uri: b.uri });
			});
			router.add('POST', '/webhooks/stale', 'deliverStale', (/** @type {any} */ b) => {
				if (!b || typeof b.topic !== 'string') throw new ControlError(400, 'body must be { topic, payload?, ageSeconds?, uri? }');
				if (b.ageSeconds !== undefined && !(typeof b.ageSeconds === 'number' && b.ageSeconds >= 0)) throw new ControlError(400, 'ageSeconds must be a non-negative number');
				return control.deliverStale(b.topic, b.payload, { ageSeconds: b.ageSeconds, uri: b.uri });
			});
			router.add('POST', '/webhooks/pause', 'pauseWebhooks', () => control.pauseWebhooks());
			router.add('POST', '/webhooks/resume', 'resumeWebhooks', () => control.resumeWebhooks());
			router.add('POST', '/webhooks/idle', 'waitForWebhooks', async () => (await webhooks.idle(), { idle: true }));
			router.add('POST', '/clock/advance', 'advanceTime', (/** @type {any} */ b) => advance(b && b.ms));
			router.add('POST', '/throttle/drain', 'throttle.drain', (/** @type {any} */ b) => control.throttle.drain(b && b.level));
		},

		/**
		 * @param {import('../lib/http').Router} router
		 * @param {string} method @param {string} path @param {URL} url @param {Buffer} raw
		 * @param {import('http').ServerResponse} res
		 */
		async handleHttp(router, method, path, url, raw, res) {
			const match = router.match(method, path);
			if (!match) return send(res, 404, { error: `unknown control route ${method} /_sandbox/shopify${path}`, routes: router.routes().map((r) => `${r.method} /_sandbox/shopify${r.template}`) });
			if ('allowed' in match) return send(res, 405, { error: `${method} not allowed on /_sandbox/shopify${path}; use ${match.allowed.join(', ')}` }, { Allow: match.allowed.join(', ') });
			/** @type {any} */
			let body;
			if (raw.length) {
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch {
					return send(res, 400, { error: 'the request body is not valid JSON' });
				}
			}
			try {
				const out = await match.route.handler(body, url, match.params);
				return send(res, 200, out ?? { ok: true });
			} catch (e) {
				const err = /** @type {any} */ (e);
				const status = err instanceof ControlError || typeof err.status === 'number' ? err.status : 500;
				return send(res, status, { error: err.message });
			}
		},
	};
	return control;
}

module.exports = { createControl };
