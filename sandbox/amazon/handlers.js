// @ts-check
'use strict';

const { marketplaceById, MARKETPLACES } = require('./marketplaces');
const { projectOrder, projectOrderV0, projectItemsV0, INCLUDED_DATA, STATUS_V0, ORDER_ID_RE } = require('./orders');
const { toV0FinancialEvents, toTransaction } = require('./finances');
const { FEED_MESSAGE_TYPE } = require('./feeds');

/**
 * SP-API operation handlers. Each gets the parsed call and returns { status, body }.
 * Request-shape problems the Swagger model can express were already reported by the spec
 * validator (when validateRequests is on); these handlers enforce the rules the model only
 * describes in prose (exactly-one-of, the 2-minute rule, pagination, business state).
 *
 * @typedef {import('./auth').TokenInfo} TokenInfo
 * @typedef {{ op: string, method: string, path: string, params: Record<string, string>, query: Record<string, string[]>,
 *   body: any, hasBody: boolean, token: TokenInfo }} Call
 * @typedef {{ status: number, body?: any, headers?: Record<string, string> }} Reply
 * @typedef {{ docId: string, kind: 'input'|'result', contentType: string, createdT: number, content: Buffer|null,
 *   compressed: boolean, feedId?: string }} FeedDocument
 * @typedef {{ feedId: string, feedType: string, marketplaceIds: string[], inputFeedDocumentId: string, feedOptions?: any,
 *   createdT: number, createdWall: number, dueT: number, startT: number, cancelled: boolean, done: boolean,
 *   outcome?: import('./feeds').ProcessOutcome, resultFeedDocumentId?: string }} FeedRecord
 * @typedef {{ key: string, cursor: { k: string, id: string } | null, before: number, issuedT: number, extra?: any }} PageToken
 * @typedef {{
 *   store: any, auth: any, clock: import('../lib/clock').Clock, rng: import('../lib/rng').Rng,
 *   sellerId: string, piiRole: () => boolean, baseUrl: () => string, signUrl: (kind: string, docId: string, extra?: string) => string,
 *   feeds: Map<string, FeedRecord>, documents: Map<string, FeedDocument>, pageTokens: Map<string, PageToken>,
 *   feedProcessingMs: number, tick: () => void, nextId: (kind: string) => string,
 * }} Ctx
 */

/** @param {number} status @param {string} code @param {string} message @param {string} [details] @returns {Reply} */
const error = (status, code, message, details) => ({ status, body: { errors: [{ code, message, ...(details !== undefined ? { details } : {}) }] } });
/** @param {string} message @param {string} [details] */
const invalid = (message, details) => error(400, 'InvalidInput', message, details ?? '');
const MS_2_MIN = 2 * 60 * 1000;
const MS_24_H = 24 * 3600 * 1000;
const ISO_DT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** @param {Call} c @param {string} name */
const one = (c, name) => c.query[name]?.[0];
/** @param {Call} c @param {string} name */
const list = (c, name) => (c.query[name] === undefined ? undefined : c.query[name].join(',').split(',').filter((s) => s !== ''));
/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Parse a date-time query value. @param {string|undefined} v @param {string} name
 * @returns {{ ms?: number, error?: string }}
 */
function dateParam(v, name) {
	if (v === undefined) return {};
	if (!ISO_DT.test(v) || Number.isNaN(Date.parse(v))) return { error: `${name} must be an ISO 8601 date-time with a time zone, like 2026-01-31T10:00:00Z (got ${JSON.stringify(v)})` };
	return { ms: Date.parse(v) };
}

// ---- orders -----------------------------------------------------------------------------------

/**
 * Shared search for searchOrders (v2026) and getOrders (v0).
 * @param {Ctx} ctx
 * @param {{ createdAfter?: string, createdBefore?: string, lastUpdatedAfter?: string, lastUpdatedBefore?: string,
 *   marketplaceIds?: string[], statuses?: string[], fulfilledBy?: string[], maxResults?: string, token?: string,
 *   tokenKey: string, names: Record<string, string> }} p
 * @returns {{ error: Reply } | { page: any[], nextToken?: string, before: number, mode: 'created'|'updated' }}
 */
function search(ctx, p) {
	const n = p.names;
	const now = ctx.clock.wallNow();
	if (!p.marketplaceIds || p.marketplaceIds.length === 0) return { error: invalid(`${n.marketplaceIds} is required.`) };
	if (p.marketplaceIds.length > 50) return { error: invalid(`${n.marketplaceIds} accepts at most 50 marketplace ids (got ${p.marketplaceIds.length}).`) };
	for (const id of p.marketplaceIds) {
		const mp = marketplaceById(id);
		if (!mp) return { error: invalid(`Invalid ${n.marketplaceIds}: ${id} is not a marketplace id.`) };
		if (!mp.participating) return { error: invalid(`Invalid ${n.marketplaceIds}: the seller does not participate in ${id} (${mp.name}).`) };
	}
	const hasCreated = p.createdAfter !== undefined;
	const hasUpdated = p.lastUpdatedAfter !== undefined;
	if (hasCreated === hasUpdated) return { error: invalid(`Exactly one of ${n.createdAfter} and ${n.lastUpdatedAfter} must be provided.`) };
	if (hasCreated && p.lastUpdatedBefore !== undefined) return { error: invalid(`${n.lastUpdatedBefore} cannot be combined with ${n.createdAfter}.`) };
	if (hasUpdated && p.createdBefore !== undefined) return { error: invalid(`${n.createdBefore} cannot be combined with ${n.lastUpdatedAfter}.`) };
	const mode = hasCreated ? 'created' : 'updated';
	const afterName = hasCreated ? n.createdAfter : n.lastUpdatedAfter;
	const beforeName = hasCreated ? n.createdBefore : n.lastUpdatedBefore;
	const after = dateParam(hasCreated ? p.createdAfter : p.lastUpdatedAfter, afterName);
	const beforeP = dateParam(hasCreated ? p.createdBefore : p.lastUpdatedBefore, beforeName);
	if (after.error) return { error: invalid(after.error) };
	if (beforeP.error) return { error: invalid(beforeP.error) };
	const latest = now - MS_2_MIN;
	if (beforeP.ms !== undefined && beforeP.ms > latest) {
		return { error: invalid(`${beforeName} must be at least two minutes before the time of the request (latest allowed now: ${iso(latest)}, got ${hasCreated ? p.createdBefore : p.lastUpdatedBefore}).`) };
	}
	let before = beforeP.ms ?? Math.floor(latest / 1000) * 1000;
	if (/** @type {number} */ (after.ms) > before) {
		return { error: invalid(`${afterName} (${hasCreated ? p.createdAfter : p.lastUpdatedAfter}) must not be later than ${beforeName} (${iso(before)}${beforeP.ms === undefined ? ', the default: two minutes before now' : ''}).`) };
	}
	let max = 100;
	if (p.maxResults !== undefined) {
		max = Number(p.maxResults);
		if (!(Number.isInteger(max) && max >= 1 && max <= 100)) return { error: invalid(`${n.maxResults} must be an integer between 1 and 100 (got ${p.maxResults}).`) };
	}
	/** @type {{ k: string, id: string } | null} */
	let cursor = null;
	if (p.token !== undefined) {
		const t = ctx.pageTokens.get(p.token);
		if (!t) return { error: invalid(`Invalid ${n.token}: the token is unknown or malformed.`) };
		if (t.issuedT + MS_24_H <= ctx.clock.t()) return { error: invalid(`The ${n.token} has expired (tokens are valid for 24 hours).`) };
		if (t.key !== p.tokenKey) {
			const was = JSON.parse(t.key);
			const now2 = JSON.parse(p.tokenKey);
			const diff = Object.keys({ ...was, ...now2 }).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now2[k]));
			return { error: invalid(`The ${n.token} was issued for different request parameters; repeat every parameter of the first request (except ${n.maxResults}${n.includedData ? ` and ${n.includedData}` : ''}). Different: ${diff.map((k) => `${k} (was ${JSON.stringify(was[k] ?? null)}, now ${JSON.stringify(now2[k] ?? null)})`).join(', ')}.`) };
		}
		cursor = t.cursor;
		before = t.before;
	}
	const statuses = p.statuses;
	const fulfilledBy = p.fulfilledBy;
	const t = ctx.clock.t();
	const field = mode === 'created' ? 'createdTime' : 'lastUpdatedTime';
	const afterMs = /** @type {number} */ (after.ms);
	/** @type {{ k: string, id: string, rec: any }[]} */
	const matches = [];
	for (const rec of ctx.store.orders.values()) {
		if (rec.visibleAtT > t) continue;
		const o = rec.order;
		if (!p.marketplaceIds.includes(rec.marketplaceId)) continue;
		if (statuses && !statuses.includes(o.fulfillment.fulfillmentStatus)) continue;
		if (fulfilledBy && !fulfilledBy.includes(o.fulfillment.fulfilledBy)) continue;
		const ms = Date.parse(o[field]);
		if (ms < afterMs || ms > before) continue;
		matches.push({ k: new Date(ms).toISOString(), id: o.orderId, rec });
	}
	matches.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const start = cursor ? matches.findIndex((m) => m.k > /** @type {any} */ (cursor).k || (m.k === /** @type {any} */ (cursor).k && m.id > /** @type {any} */ (cursor).id)) : 0;
	const rest = start < 0 ? [] : matches.slice(start);
	const page = rest.slice(0, max);
	/** @type {string|undefined} */
	let nextToken;
	if (rest.length > max) {
		nextToken = ctx.rng.chars(48, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
		const last = page[page.length - 1];
		ctx.pageTokens.set(nextToken, { key: p.tokenKey, cursor: { k: last.k, id: last.id }, before, issuedT: ctx.clock.t() });
	}
	return { page: page.map((m) => m.rec), nextToken, before, mode };
}

/** Query params that define a search (the token must be replayed with the same ones). @param {Call} c @param {string[]} ignore */
function tokenKey(c, ignore) {
	/** @type {Record<string, string>} */
	const key = {};
	for (const name of Object.keys(c.query).sort()) if (!ignore.includes(name)) key[name] = c.query[name].join(',');
	return JSON.stringify(key);
}

/** @param {Call} c @returns {{ set: Set<string> } | { error: Reply }} */
function includedData(c) {
	const values = list(c, 'includedData') ?? [];
	for (const v of values) if (!INCLUDED_DATA.includes(v)) return { error: invalid(`Invalid includedData value ${JSON.stringify(v)}; allowed: ${INCLUDED_DATA.join(', ')}.`) };
	return { set: new Set(values) };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function searchOrders(ctx, c) {
	const inc = includedData(c);
	if ('error' in inc) return inc.error;
	const statuses = list(c, 'fulfillmentStatuses');
	const allowedStatuses = Object.keys(STATUS_V0);
	for (const s of statuses ?? []) if (!allowedStatuses.includes(s)) return invalid(`Invalid fulfillmentStatuses value ${JSON.stringify(s)}; allowed: ${allowedStatuses.join(', ')}.`);
	const fb = list(c, 'fulfilledBy');
	for (const s of fb ?? []) if (!['MERCHANT', 'AMAZON'].includes(s)) return invalid(`Invalid fulfilledBy value ${JSON.stringify(s)}; allowed: MERCHANT, AMAZON.`);
	const r = search(ctx, {
		createdAfter: one(c, 'createdAfter'),
		createdBefore: one(c, 'createdBefore'),
		lastUpdatedAfter: one(c, 'lastUpdatedAfter'),
		lastUpdatedBefore: one(c, 'lastUpdatedBefore'),
		marketplaceIds: list(c, 'marketplaceIds'),
		statuses,
		fulfilledBy: fb,
		maxResults: one(c, 'maxResultsPerPage'),
		token: one(c, 'paginationToken'),
		tokenKey: tokenKey(c, ['paginationToken', 'maxResultsPerPage', 'includedData']),
		names: {
			createdAfter: 'createdAfter',
			createdBefore: 'createdBefore',
			lastUpdatedAfter: 'lastUpdatedAfter',
			lastUpdatedBefore: 'lastUpdatedBefore',
			marketplaceIds: 'marketplaceIds',
			maxResults: 'maxResultsPerPage',
			token: 'paginationToken',
			includedData: 'includedData',
		},
	});
	if ('error' in r) return r.error;
	/** @type {any} */
	const body = { orders: r.page.map((rec) => projectOrder(rec, inc.set, { piiRole: ctx.piiRole() })) };
	if (r.nextToken) body.pagination = { nextToken: r.nextToken };
	if (r.mode === 'created') body.createdBefore = iso(r.before);
	else body.lastUpdatedBefore = iso(r.before);
	return { status: 200, body };
}

/** @param {Ctx} ctx @param {string} orderId @returns {{ rec: any } | { error: Reply }} */
function findOrder(ctx, orderId) {
	if (!ORDER_ID_RE.test(orderId)) return { error: invalid(`Invalid orderId ${JSON.stringify(orderId)}: an Amazon order id looks like 123-1234567-1234567.`) };
	const rec = ctx.store.get(orderId);
	if (!rec) return { error: error(404, 'NotFound', `Order ${orderId} was not found.`, '') };
	return { rec };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getOrder(ctx, c) {
	const inc = includedData(c);
	if ('error' in inc) return inc.error;
	const f = findOrder(ctx, c.params.orderId);
	if ('error' in f) return f.error;
	return { status: 200, body: { order: projectOrder(f.rec, inc.set, { piiRole: ctx.piiRole() }) } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function confirmShipment(ctx, c) {
	const body = c.body;
	if (!body || typeof body !== 'object' || Array.isArray(body)) return invalid('The request body must be a JSON object (ConfirmShipmentRequest).');
	const pd = body.packageDetail;
	if (!pd || typeof pd !== 'object') return invalid('packageDetail is required.');
	const f = findOrder(ctx, c.params.orderId);
	if ('error' in f) return f.error;
	const rec = f.rec;
	if (typeof body.marketplaceId !== 'string') return invalid('marketplaceId is required.');
	if (body.marketplaceId !== rec.marketplaceId) return invalid(`marketplaceId ${body.marketplaceId} does not match the marketplace of order ${rec.order.orderId} (${rec.marketplaceId}).`);
	if (body.codCollectionMethod !== undefined && rec.marketplaceId !== 'A1VC38T7YXB528') return invalid('codCollectionMethod is only supported in the JP marketplace.');
	const ref = pd.packageReferenceId;
	if (typeof ref === 'number') {
		// Amazon rejects JSON numbers since 2026 (amazon.md §3.6), whatever validateRequests says
		return invalid('invalid type [packageDetail.packageReferenceId]', 'packageReferenceId must be a string holding a positive integer, e.g. "1".');
	}
	if (typeof ref !== 'string' || !/^[1-9]\d{0,17}$/.test(ref)) return invalid(`packageReferenceId must be a positive numeric value (a string such as "1"), got ${JSON.stringify(ref)}.`);
	const items = Array.isArray(pd.orderItems) ? pd.orderItems : [];
	for (const it of items) {
		if (!it || typeof it.orderItemId !== 'string') return invalid('every packageDetail.orderItems[] entry needs orderItemId (string) and quantity (integer).');
		const item = rec.order.orderItems.find((/** @type {any} */ x) => x.orderItemId === it.orderItemId);
		if (item && (item.programs ?? []).includes('TRANSPARENCY')) {
			const codes = Array.isArray(it.transparencyCodes) ? it.transparencyCodes : [];
			if (codes.length !== it.quantity) return invalid(`Item ${it.orderItemId} requires Transparency codes: send exactly one transparencyCodes entry per unit (${it.quantity}), got ${codes.length}.`);
		}
	}
	const r = ctx.store.applyPackage(rec, {
		packageReferenceId: ref,
		carrierCode: pd.carrierCode,
		carrierName: pd.carrierName,
		shippingMethod: pd.shippingMethod,
		trackingNumber: pd.trackingNumber,
		shipDate: pd.shipDate,
		orderItems: items.map((/** @type {any} */ it) => ({ orderItemId: it.orderItemId, quantity: it.quantity })),
	});
	if (!r.ok) return error(400, r.error.code, r.error.message, '');
	return { status: 204 };
}

// ---- orders v0 (deprecated reads; optional) ----------------------------------------------------

/** @param {Call} c @param {string} path */
function rdtCovers(c, path) {
	const info = c.token;
	if (info.kind !== 'rdt') return { buyerInfo: false, shippingAddress: false };
	const res = (info.resources ?? []).find((r) => r.method === c.method && (r.path === path || new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{orderId\}/g, '[^/]+')}$`).test(path)));
	return { buyerInfo: Boolean(res?.dataElements?.includes('buyerInfo')), shippingAddress: Boolean(res?.dataElements?.includes('shippingAddress')), matched: Boolean(res) };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getOrdersV0(ctx, c) {
	const pii = rdtCovers(c, '/orders/v0/orders');
	const statuses = list(c, 'OrderStatuses');
	const v0ToV26 = Object.fromEntries(Object.entries(STATUS_V0).map(([k, v]) => [v, k]));
	for (const s of statuses ?? []) if (!v0ToV26[s]) return invalid(`Invalid OrderStatuses value ${JSON.stringify(s)}.`);
	const channels = list(c, 'FulfillmentChannels');
	for (const s of channels ?? []) if (!['MFN', 'AFN'].includes(s)) return invalid(`Invalid FulfillmentChannels value ${JSON.stringify(s)}; allowed: MFN, AFN.`);
	const token = one(c, 'NextToken');
	/** @type {Record<string, string[]>} */
	let q = c.query;
	if (token !== undefined) {
		const saved = ctx.pageTokens.get(token);
		if (!saved || !saved.extra) return invalid('Invalid NextToken.');
		q = { ...saved.extra, NextToken: [token] };
	}
	const cq = /** @type {Call} */ ({ ...c, query: q });
	const r = search(ctx, {
		createdAfter: one(cq, 'CreatedAfter'),
		createdBefore: one(cq, 'CreatedBefore'),
		lastUpdatedAfter: one(cq, 'LastUpdatedAfter'),
		lastUpdatedBefore: one(cq, 'LastUpdatedBefore'),
		marketplaceIds: list(cq, 'MarketplaceIds'),
		statuses: (list(cq, 'OrderStatuses') ?? undefined)?.map((s) => v0ToV26[s]),
		fulfilledBy: (list(cq, 'FulfillmentChannels') ?? undefined)?.map((s) => (s === 'AFN' ? 'AMAZON' : 'MERCHANT')),
		maxResults: one(cq, 'MaxResultsPerPage'),
		token,
		tokenKey: tokenKey(cq, ['NextToken']),
		names: {
			createdAfter: 'CreatedAfter',
			createdBefore: 'CreatedBefore',
			lastUpdatedAfter: 'LastUpdatedAfter',
			lastUpdatedBefore: 'LastUpdatedBefore',
			marketplaceIds: 'MarketplaceIds',
			maxResults: 'MaxResultsPerPage',
			token: 'NextToken',
			includedData: '',
		},
	});
	if ('error' in r) return r.error;
	if (r.nextToken) {
		const saved = /** @type {PageToken} */ (ctx.pageTokens.get(r.nextToken));
		const { NextToken: _n, ...extra } = q;
		saved.extra = extra;
	}
	/** @type {any} */
	const payload = { Orders: r.page.map((rec) => projectOrderV0(rec, pii)) };
	if (r.nextToken) payload.NextToken = r.nextToken;
	if (r.mode === 'created') payload.CreatedBefore = iso(r.before);
	else payload.LastUpdatedBefore = iso(r.before);
	return { status: 200, body: { payload } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getOrderV0(ctx, c) {
	const f = findOrder(ctx, c.params.orderId);
	if ('error' in f) return f.error;
	return { status: 200, body: { payload: projectOrderV0(f.rec, rdtCovers(c, c.path)) } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getOrderItemsV0(ctx, c) {
	const f = findOrder(ctx, c.params.orderId);
	if ('error' in f) return f.error;
	if (one(c, 'NextToken') !== undefined) return invalid('Invalid NextToken.');
	return { status: 200, body: { payload: { AmazonOrderId: f.rec.order.orderId, OrderItems: projectItemsV0(f.rec, rdtCovers(c, c.path)) } } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getOrderAddressV0(ctx, c) {
	const f = findOrder(ctx, c.params.orderId);
	if ('error' in f) return f.error;
	const v0 = projectOrderV0(f.rec, { buyerInfo: false, shippingAddress: rdtCovers(c, c.path).shippingAddress });
	/** @type {any} */
	const payload = { AmazonOrderId: f.rec.order.orderId };
	if (v0.ShippingAddress) payload.ShippingAddress = v0.ShippingAddress;
	if (f.rec.order.buyer?.buyerCompanyName) payload.BuyerCompanyName = f.rec.order.buyer.buyerCompanyName;
	return { status: 200, body: { payload } };
}

// ---- tokens -----------------------------------------------------------------------------------

const RESTRICTED = [
	{ method: 'GET', re: /^\/orders\/v0\/orders$/, needsElements: true },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+$/, needsElements: true },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+\/orderItems$/, needsElements: true },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+\/address$/, needsElements: false },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+\/buyerInfo$/, needsElements: false },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+\/orderItems\/buyerInfo$/, needsElements: false },
	{ method: 'GET', re: /^\/orders\/v0\/orders\/[^/]+\/regulatedInfo$/, needsElements: false },
];

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function createRestrictedDataToken(ctx, c) {
	const resources = c.body?.restrictedResources;
	if (!Array.isArray(resources) || resources.length === 0) return invalid('restrictedResources must list at least one resource.');
	if (resources.length > 50) return invalid('restrictedResources accepts at most 50 resources.');
	for (const r of resources) {
		if (!r || typeof r.path !== 'string' || typeof r.method !== 'string') return invalid('Each restricted resource needs method and path.');
		const rule = RESTRICTED.find((x) => x.method === r.method && x.re.test(r.path));
		if (!rule) return invalid(`${r.method} ${r.path} is not a restricted resource (no Restricted Data Token is needed or possible for it).`);
		const elements = r.dataElements ?? [];
		if (rule.needsElements && elements.length === 0) return invalid(`dataElements is required for ${r.path} (buyerInfo, shippingAddress, buyerTaxInformation).`);
		for (const e of elements) if (!['buyerInfo', 'shippingAddress', 'buyerTaxInformation'].includes(e)) return invalid(`Invalid dataElements value ${JSON.stringify(e)}.`);
	}
	if (!ctx.piiRole()) return invalid('Application do not have access to some or all requested resource');
	const token = ctx.auth.issueRdt(resources.map((/** @type {any} */ r) => ({ method: r.method, path: r.path, dataElements: r.dataElements })));
	return { status: 200, body: { restrictedDataToken: token, expiresIn: 3600 } };
}

// ---- feeds ------------------------------------------------------------------------------------

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function createFeedDocument(ctx, c) {
	const ct = c.body?.contentType;
	if (typeof ct !== 'string' || ct.trim() === '') return invalid('contentType is required, e.g. "text/xml; charset=UTF-8".');
	const docId = ctx.nextId('document');
	ctx.documents.set(docId, { docId, kind: 'input', contentType: ct, createdT: ctx.clock.t(), content: null, compressed: false });
	return { status: 201, body: { feedDocumentId: docId, url: ctx.signUrl('upload', docId) } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getFeedDocument(ctx, c) {
	const doc = ctx.documents.get(c.params.feedDocumentId);
	if (!doc) return error(404, 'NotFound', `Feed document ${c.params.feedDocumentId} was not found.`, '');
	if (doc.createdT + (doc.kind === 'result' ? 28 : 2) * 86400000 <= ctx.clock.t()) return error(404, 'NotFound', `Feed document ${doc.docId} has expired.`, '');
	const encoding = one(c, 'enableContentEncodingUrlHeader') === 'true';
	/** @type {any} */
	const body = { feedDocumentId: doc.docId, url: ctx.signUrl('download', doc.docId, encoding && doc.compressed ? 'gzip' : '') };
	if (doc.compressed) body.compressionAlgorithm = 'GZIP';
	return { status: 200, body };
}

const SUPPORTED_FEEDS = Object.keys(FEED_MESSAGE_TYPE);

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function createFeed(ctx, c) {
	const b = c.body;
	if (!b || typeof b !== 'object' || Array.isArray(b)) return invalid('The request body must be a JSON object (CreateFeedSpecification).');
	if (typeof b.feedType !== 'string') return invalid('feedType is required.');
	if (!SUPPORTED_FEEDS.includes(b.feedType)) {
		return invalid(`Invalid feedType ${JSON.stringify(b.feedType)}: the sandbox processes ${SUPPORTED_FEEDS.join(', ')}.`);
	}
	if (!Array.isArray(b.marketplaceIds) || b.marketplaceIds.length === 0) return invalid('marketplaceIds is required (at least one).');
	for (const id of b.marketplaceIds) {
		const mp = marketplaceById(id);
		if (!mp || !mp.participating) return invalid(`Invalid marketplaceIds: ${JSON.stringify(id)} is not a marketplace this seller participates in.`);
	}
	const doc = ctx.documents.get(b.inputFeedDocumentId);
	if (!doc || doc.kind !== 'input') return invalid(`Invalid inputFeedDocumentId ${JSON.stringify(b.inputFeedDocumentId)}: create it with createFeedDocument first.`);
	if (doc.createdT + 2 * 86400000 <= ctx.clock.t()) return invalid(`inputFeedDocumentId ${doc.docId} has expired (feed documents expire after 2 days).`);
	const feedId = ctx.nextId('feed');
	const t = ctx.clock.t();
	ctx.feeds.set(feedId, {
		feedId,
		feedType: b.feedType,
		marketplaceIds: b.marketplaceIds.slice(),
		inputFeedDocumentId: doc.docId,
		feedOptions: b.feedOptions,
		createdT: t,
		createdWall: ctx.clock.wallNow(),
		startT: t + ctx.feedProcessingMs / 3,
		dueT: t + ctx.feedProcessingMs,
		cancelled: false,
		done: false,
	});
	return { status: 202, body: { feedId } };
}

/** @param {Ctx} ctx @param {FeedRecord} f */
function feedView(ctx, f) {
	const t = ctx.clock.t();
	/** @type {any} */
	const out = { feedId: f.feedId, feedType: f.feedType, marketplaceIds: f.marketplaceIds, createdTime: iso(f.createdWall) };
	if (f.cancelled) out.processingStatus = 'CANCELLED';
	else if (f.done) {
		out.processingStatus = f.outcome?.status ?? 'DONE';
		out.processingStartTime = iso(ctx.clock.wallAt(f.startT));
		out.processingEndTime = iso(ctx.clock.wallAt(f.dueT));
		if (f.resultFeedDocumentId) out.resultFeedDocumentId = f.resultFeedDocumentId;
	} else if (t < f.startT) out.processingStatus = 'IN_QUEUE';
	else {
		out.processingStatus = 'IN_PROGRESS';
		out.processingStartTime = iso(ctx.clock.wallAt(f.startT));
	}
	if (out.processingStartTime && Date.parse(out.processingStartTime) < Date.parse(out.createdTime)) out.processingStartTime = out.createdTime;
	if (out.processingEndTime && Date.parse(out.processingEndTime) < Date.parse(out.processingStartTime)) out.processingEndTime = out.processingStartTime;
	return out;
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getFeed(ctx, c) {
	const f = ctx.feeds.get(c.params.feedId);
	if (!f) return error(404, 'NotFound', `Feed ${c.params.feedId} was not found.`, '');
	return { status: 200, body: feedView(ctx, f) };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function cancelFeed(ctx, c) {
	const f = ctx.feeds.get(c.params.feedId);
	if (!f) return error(404, 'NotFound', `Feed ${c.params.feedId} was not found.`, '');
	const status = feedView(ctx, f).processingStatus;
	if (status !== 'IN_QUEUE') return invalid(`Feed ${f.feedId} is ${status}; only IN_QUEUE feeds can be cancelled.`);
	f.cancelled = true;
	return { status: 200 };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function getFeeds(ctx, c) {
	const token = one(c, 'nextToken');
	/** @type {Record<string, string[]>} */
	let q = c.query;
	if (token !== undefined) {
		if (Object.keys(c.query).length > 1) return invalid('When nextToken is given it must be the only parameter.');
		const saved = ctx.pageTokens.get(token);
		if (!saved || !saved.extra) return invalid('Invalid nextToken.');
		if (saved.issuedT + MS_24_H <= ctx.clock.t()) return invalid('The nextToken has expired.');
		q = saved.extra.query;
	}
	const cq = /** @type {Call} */ ({ ...c, query: q });
	const types = list(cq, 'feedTypes');
	if (!types && token === undefined) return invalid('feedTypes is required unless nextToken is given.');
	const mps = list(cq, 'marketplaceIds');
	const statuses = list(cq, 'processingStatuses');
	const pageSize = Number(one(cq, 'pageSize') ?? 10);
	if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100)) return invalid('pageSize must be an integer between 1 and 100.');
	const since = dateParam(one(cq, 'createdSince'), 'createdSince');
	const until = dateParam(one(cq, 'createdUntil'), 'createdUntil');
	if (since.error || until.error) return invalid(/** @type {string} */ (since.error ?? until.error));
	const sinceMs = since.ms ?? ctx.clock.wallNow() - 90 * 86400000;
	const untilMs = until.ms ?? ctx.clock.wallNow();
	const all = [...ctx.feeds.values()]
		.map((f) => feedView(ctx, f))
		.filter((f) => (!types || types.includes(f.feedType)) && (!mps || f.marketplaceIds.some((/** @type {string} */ m) => mps.includes(m))) && (!statuses || statuses.includes(f.processingStatus)))
		.filter((f) => Date.parse(f.createdTime) >= sinceMs && Date.parse(f.createdTime) <= untilMs)
		.sort((a, b) => (a.createdTime > b.createdTime ? -1 : a.createdTime < b.createdTime ? 1 : a.feedId < b.feedId ? 1 : -1));
	const offset = token !== undefined ? /** @type {any} */ (ctx.pageTokens.get(token)).extra.offset : 0;
	const page = all.slice(offset, offset + pageSize);
	/** @type {any} */
	const body = { feeds: page };
	if (all.length > offset + pageSize) {
		const next = ctx.rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
		ctx.pageTokens.set(next, { key: '', cursor: null, before: 0, issuedT: ctx.clock.t(), extra: { query: q, offset: offset + pageSize } });
		body.nextToken = next;
	}
	return { status: 200, body };
}

// ---- finances ---------------------------------------------------------------------------------

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function listFinancialEventsByOrderId(ctx, c) {
	const orderId = c.params.orderId;
	if (!ORDER_ID_RE.test(orderId)) return invalid(`Invalid orderId ${JSON.stringify(orderId)}.`);
	const max = Number(one(c, 'MaxResultsPerPage') ?? 100);
	if (!(Number.isInteger(max) && max >= 1 && max <= 100)) return invalid('MaxResultsPerPage must be an integer between 1 and 100.');
	const events = ctx.store.visibleEvents(orderId);
	let offset = 0;
	const token = one(c, 'NextToken');
	if (token !== undefined) {
		const saved = ctx.pageTokens.get(token);
		if (!saved || saved.key !== `fin:${orderId}`) return invalid('Invalid NextToken.');
		offset = saved.extra;
	}
	const page = events.slice(offset, offset + max);
	/** @type {any} */
	const payload = { FinancialEvents: toV0FinancialEvents(page) };
	if (events.length > offset + max) {
		const next = ctx.rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
		ctx.pageTokens.set(next, { key: `fin:${orderId}`, cursor: null, before: 0, issuedT: ctx.clock.t(), extra: offset + max });
		payload.NextToken = next;
	}
	return { status: 200, body: { payload } };
}

/** @param {Ctx} ctx @param {Call} c @returns {Reply} */
function listTransactions(ctx, c) {
	const name = one(c, 'relatedIdentifierName');
	const value = one(c, 'relatedIdentifierValue');
	if (name !== undefined && !['ORDER_ID', 'FINANCIAL_EVENT_GROUP_ID'].includes(name)) return invalid(`relatedIdentifierName ${JSON.stringify(name)} cannot be used to filter; use ORDER_ID or FINANCIAL_EVENT_GROUP_ID.`);
	if ((name === undefined) !== (value === undefined)) return invalid('relatedIdentifierName and relatedIdentifierValue must be given together.');
	const now = ctx.clock.wallNow();
	const after = dateParam(one(c, 'postedAfter'), 'postedAfter');
	const before = dateParam(one(c, 'postedBefore'), 'postedBefore');
	if (after.error || before.error) return invalid(/** @type {string} */ (after.error ?? before.error));
	if (name === undefined && after.ms === undefined) return invalid('postedAfter is required unless relatedIdentifierName/relatedIdentifierValue are given.');
	if (after.ms !== undefined && after.ms > now - MS_2_MIN) return invalid('postedAfter must be more than two minutes before the time of the request.');
	if (before.ms !== undefined && before.ms > now - MS_2_MIN) return invalid('postedBefore must be more than two minutes before the time of the request.');
	if (after.ms !== undefined && before.ms !== undefined && before.ms <= after.ms) return invalid('postedBefore must be later than postedAfter.');
	const status = one(c, 'transactionStatus');
	if (status !== undefined && !['DEFERRED', 'RELEASED', 'DEFERRED_RELEASED'].includes(status)) return invalid(`Invalid transactionStatus ${JSON.stringify(status)}.`);
	const marketplaceId = one(c, 'marketplaceId');
	if (marketplaceId !== undefined && !marketplaceById(marketplaceId)) return invalid(`Invalid marketplaceId ${JSON.stringify(marketplaceId)}.`);
	const key = `tx:${tokenKey(c, ['nextToken'])}`;
	let offset = 0;
	const token = one(c, 'nextToken');
	if (token !== undefined) {
		const saved = ctx.pageTokens.get(token);
		if (!saved || saved.key !== key) return invalid('Invalid nextToken: call again with the token and the same arguments as the call that produced it.');
		offset = saved.extra;
	}
	const beforeMs = before.ms ?? now - MS_2_MIN;
	let events = /** @type {import('./store').FinanceEvent[]} */ (ctx.store.visibleEvents());
	if (name === 'ORDER_ID') events = events.filter((e) => e.orderId === value);
	if (name === 'FINANCIAL_EVENT_GROUP_ID') events = events.filter((e) => e.groupId === value);
	if (after.ms !== undefined) events = events.filter((e) => e.postedWall >= /** @type {number} */ (after.ms) && e.postedWall < beforeMs);
	else if (before.ms !== undefined) events = events.filter((e) => e.postedWall < beforeMs);
	if (after.ms !== undefined && beforeMs - after.ms > 180 * 86400000) events = [];
	if (status !== undefined && status !== 'RELEASED') events = [];
	// amazon model note: "to retrieve MFN orders in the US store, do not supply marketplaceId"
	if (marketplaceId !== undefined) events = events.filter((e) => e.marketplaceId === marketplaceId && !(marketplaceId === 'ATVPDKIKX0DER' && e.fulfilledBy === 'MERCHANT'));
	const size = 100;
	const page = events.slice(offset, offset + size);
	/** @type {any} */
	const payload = { transactions: page.map((e) => toTransaction(e, ctx.sellerId)) };
	if (events.length > offset + size) {
		const next = ctx.rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
		ctx.pageTokens.set(next, { key, cursor: null, before: 0, issuedT: ctx.clock.t(), extra: offset + size });
		payload.nextToken = next;
	}
	return { status: 200, body: { payload } };
}

// ---- sellers ----------------------------------------------------------------------------------

/** @param {Ctx} ctx @returns {Reply} */
function getMarketplaceParticipations(ctx) {
	return {
		status: 200,
		body: {
			payload: MARKETPLACES.filter((m) => m.participating).map((m) => ({
				marketplace: { id: m.id, name: m.name, countryCode: m.country, defaultCurrencyCode: m.currency, defaultLanguageCode: m.language, domainName: m.domain },
				participation: { isParticipating: true, hasSuspendedListings: false },
				storeName: 'Sandbox Store — Zoë & Co.',
			})),
		},
	};
}

/** @type {Record<string, (ctx: Ctx, c: Call) => Reply>} */
const HANDLERS = {
	searchOrders,
	getOrder,
	confirmShipment,
	getOrdersV0,
	getOrderV0,
	getOrderItemsV0,
	getOrderAddressV0,
	createRestrictedDataToken,
	createFeedDocument,
	getFeedDocument,
	createFeed,
	getFeeds,
	getFeed,
	cancelFeed,
	listFinancialEventsByOrderId,
	listTransactions,
	getMarketplaceParticipations,
};

/** Operations whose token may be an RDT (and must be, for PII). */
const RDT_OPERATIONS = ['getOrdersV0', 'getOrderV0', 'getOrderItemsV0', 'getOrderAddressV0'];

module.exports = { HANDLERS, RDT_OPERATIONS, rdtCovers, error, invalid };
