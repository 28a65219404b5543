// @ts-check
'use strict';

const path = require('path');
const crypto = require('crypto');
const zlib = require('zlib');
const { createRouter, readBody, queryToObject, send, listen, close, createServer, redactHeaders } = require('../lib/http');
const { createClock } = require('../lib/clock');
const { createRng } = require('../lib/rng');
const { createFaults } = require('../lib/faults');
const { createTokenBucket } = require('../lib/tokenBucket');
const { OPERATIONS, OPERATION_NAMES } = require('./operations');
const { loadSpecs } = require('./specs');
const { createAuth } = require('./auth');
const { createStore } = require('./store');
const { HANDLERS, RDT_OPERATIONS, rdtCovers, error: spError } = require('./handlers');
const { processFeed, processingReport } = require('./feeds');
const { createControl } = require('./control');

/**
 * Amazon SP-API + LWA sandbox (see sandbox/README.md).
 *
 * @typedef {{
 *   port?: number, host?: string, clockScale?: number, seed?: number|string, specsDir?: string,
 *   feedProcessingMs?: number, refundEventDelayMs?: number, validateRequests?: boolean,
 *   piiRole?: boolean, rateLimits?: Record<string, { rate: number, burst: number }>, maxRecorded?: number,
 * }} AmazonSandboxOptions
 * @typedef {{ clientId: string, clientSecret: string, refreshToken: string, sellerId: string, region: 'na', marketplaceIds: string[] }} AmazonCredentials
 * @typedef {{
 *   seq: number, time: string, operation: string, method: string, path: string, query: Record<string, string[]>,
 *   headers: Record<string, string|string[]|undefined>, body: unknown, status: number, requestId: string,
 *   validationErrors: string[], responseViolations: string[], fault?: string, throttled?: boolean,
 * }} RecordedRequest
 * @typedef {{ url: string, lwaTokenUrl: string, credentials: AmazonCredentials, control: ReturnType<typeof createControl>, stop: () => Promise<void> }} AmazonSandbox
 */

const DEFAULT_SPECS_DIR = path.resolve(__dirname, '../../../shared/specs');

/** @param {unknown} v @param {string} name @param {boolean} [allowZero] */
function positiveNumber(v, name, allowZero = true) {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
		throw new Error(`startAmazonSandbox: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
	}
	return v;
}

/** @param {number} n */
const formatRate = (n) => String(Number(n.toPrecision(10)));

/**
 * @param {AmazonSandboxOptions} [opts]
 * @returns {Promise<AmazonSandbox>}
 */
async function startAmazonSandbox(opts = {}) {
	const known = ['port', 'host', 'clockScale', 'seed', 'specsDir', 'feedProcessingMs', 'refundEventDelayMs', 'validateRequests', 'piiRole', 'rateLimits', 'maxRecorded'];
	for (const k of Object.keys(opts)) if (!known.includes(k)) throw new Error(`startAmazonSandbox: unknown option "${k}" (known: ${known.join(', ')})`);
	const host = opts.host ?? '127.0.0.1';
	if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new Error(`startAmazonSandbox: host must be a loopback address, got ${host}`);
	const clock = createClock({ scale: positiveNumber(opts.clockScale ?? 1, 'clockScale', false) });
	const seed = opts.seed ?? 42;
	const rng = createRng(seed);
	const feedProcessingMs = positiveNumber(opts.feedProcessingMs ?? 120000, 'feedProcessingMs');
	const refundEventDelayMs = positiveNumber(opts.refundEventDelayMs ?? 3600000, 'refundEventDelayMs');
	const validateRequests = opts.validateRequests ?? true;
	const maxRecorded = opts.maxRecorded ?? 20000;
	const specsDir = opts.specsDir ?? process.env.SHARED_SPECS_DIR ?? DEFAULT_SPECS_DIR;
	const specs = loadSpecs(specsDir, OPERATIONS);
	const defaultPii = opts.piiRole ?? true;
	let piiRole = defaultPii;

	const idRng = createRng(`${seed}:ids`);
	/** @type {AmazonCredentials} */
	const credentials = {
		clientId: `amzn1.application-oa2-client.${idRng.hex(32)}`,
		clientSecret: `amzn1.oa2-cs.v1.${idRng.hex(64)}`,
		refreshToken: `Atzr|IwEB${idRng.chars(300, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`,
		sellerId: `A${idRng.chars(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
		region: 'na',
		marketplaceIds: ['ATVPDKIKX0DER'],
	};
	const urlSecret = crypto.randomBytes(32);
	const auth = createAuth({ clock, rng: rng.fork(), credentials });
	const store = createStore({
		clock,
		rng: rng.fork(),
		sellerId: credentials.sellerId,
		refundEventDelayMs,
		validateOrder: (o) => specs.validateDefinition('orders_2026-01-01.json', 'Order', o),
	});
	const faults = createFaults({ rng: rng.fork(), operations: OPERATION_NAMES });

	// rate limits
	/** @type {Map<string, import('../lib/tokenBucket').TokenBucket>} */
	const buckets = new Map();
	const overrides = { ...(opts.rateLimits ?? {}) };
	const limitsOf = (/** @type {string} */ op) => overrides[op] ?? OPERATIONS.find((o) => o.name === op) ?? { rate: 1, burst: 1 };
	const bucket = (/** @type {string} */ op) => {
		let b = buckets.get(op);
		if (!b) {
			const l = limitsOf(op);
			b = createTokenBucket({ rate: l.rate, burst: l.burst, clock });
			buckets.set(op, b);
		}
		return b;
	};

	/** @type {Record<string, number>} */
	let calls = {};
	/** @type {Record<string, number>} */
	let throttled = {};
	/** @type {Record<string, number>} */
	let statuses = {};
	/** @type {RecordedRequest[]} */
	let recorded = [];
	/** @type {{ operation: string, status: number, violations: string[], requestId: string }[]} */
	let responseViolations = [];
	let seq = 0;
	let baseUrl = '';

	/** @type {import('./handlers').Ctx} */
	const ctx = {
		store,
		auth,
		clock,
		rng: rng.fork(),
		sellerId: credentials.sellerId,
		piiRole: () => piiRole,
		baseUrl: () => baseUrl,
		signUrl,
		feeds: new Map(),
		documents: new Map(),
		pageTokens: new Map(),
		feedProcessingMs,
		tick,
		nextId,
	};
	const idGen = rng.fork();
	/** @param {string} kind */
	function nextId(kind) {
		if (kind === 'feed') return `5${idGen.digits(10)}`;
		return `amzn1.tortuga.4.na.${idGen.hex(8)}-${idGen.hex(4)}-4${idGen.hex(3)}-a${idGen.hex(3)}-${idGen.hex(12)}.T${idGen.digits(13)}`;
	}

	/**
	 * Pre-signed S3-like URL valid 5 sandbox minutes.
	 * @param {string} kind 'upload'|'download' @param {string} docId @param {string} [extra]
	 */
	function signUrl(kind, docId, extra = '') {
		const exp = Math.round(ctx.clock.t() + 5 * 60000);
		const sig = crypto.createHmac('sha256', urlSecret).update(`${kind}|${docId}|${exp}|${extra}`).digest('hex');
		const date = new Date(clock.wallNow()).toISOString().replace(/[-:]|\.\d{3}/g, '');
		const q = new URLSearchParams({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Date': date, 'X-Amz-Expires': '300', 'X-Amz-SignedHeaders': kind === 'upload' ? 'content-type;host' : 'host', 'X-Sandbox-Expiry': String(exp) });
		if (extra) q.set('response-content-encoding', extra);
		q.set('X-Amz-Signature', sig);
		return `${baseUrl}/${kind === 'upload' ? '_uploads' : '_downloads'}/${encodeURIComponent(docId)}?${q}`;
	}

	/** @param {string} kind @param {string} docId @param {URLSearchParams} q @returns {string|null} error */
	function checkSigned(kind, docId, q) {
		const exp = Number(q.get('X-Sandbox-Expiry'));
		const extra = q.get('response-content-encoding') ?? '';
		const sig = crypto.createHmac('sha256', urlSecret).update(`${kind}|${docId}|${exp}|${extra}`).digest('hex');
		const given = q.get('X-Amz-Signature') ?? '';
		if (given.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(sig))) return 'SignatureDoesNotMatch';
		if (exp <= clock.t()) return 'Expired';
		return null;
	}

	/** Process every feed whose processing time has come (in creation order). */
	function tick() {
		const t = clock.t();
		const due = [...ctx.feeds.values()].filter((f) => !f.done && !f.cancelled && f.dueT <= t).sort((a, b) => a.createdT - b.createdT);
		for (const f of due) {
			const doc = ctx.documents.get(f.inputFeedDocumentId);
			const outcome = processFeed(f, doc?.content ?? null, doc?.contentType ?? '', { store, sellerId: credentials.sellerId, wall: clock.wallAt(f.dueT) });
			const report = processingReport(outcome, f.feedId, credentials.sellerId);
			const docId = nextId('document');
			ctx.documents.set(docId, { docId, kind: 'result', contentType: 'text/xml; charset=UTF-8', createdT: f.dueT, content: zlib.gzipSync(Buffer.from(report, 'utf8')), compressed: true, feedId: f.feedId });
			f.outcome = outcome;
			f.resultFeedDocumentId = docId;
			f.done = true;
		}
	}

	/** @param {RecordedRequest} entry */
	function record(entry) {
		recorded.push(entry);
		if (recorded.length > maxRecorded) recorded.splice(0, recorded.length - maxRecorded);
	}

	const router = createRouter();
	for (const op of OPERATIONS) router.add(op.method, op.path, op.name);

	/** @param {number} ms */
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref?.());

	/** @param {import('http').ServerResponse} res */
	const destroy = (res) => {
		res.socket?.destroy();
	};

	/**
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {URL} url
	 */
	async function spApi(req, res, url) {
		const method = (req.method ?? 'GET').toUpperCase();
		const requestId = crypto.randomUUID();
		const raw = await readBody(req);
		const query = queryToObject(url.searchParams);
		const m = router.match(method, url.pathname);
		/** @type {RecordedRequest} */
		const entry = {
			seq: ++seq,
			time: new Date(clock.wallNow()).toISOString(),
			operation: 'unknown',
			method,
			path: url.pathname,
			query,
			headers: redactHeaders(req.headers),
			body: raw.length ? bodyForRecord(raw, req.headers['content-type']) : undefined,
			status: 0,
			requestId,
			validationErrors: [],
			responseViolations: [],
		};
		record(entry);
		/** @param {number} status @param {unknown} body @param {{ rateHeader?: boolean }} [o] */
		const reply = (status, body, o = {}) => {
			entry.status = status;
			statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
			/** @type {Record<string, string>} */
			const headers = { 'x-amzn-RequestId': requestId };
			if (o.rateHeader && ![401, 403, 429].includes(status)) headers['x-amzn-RateLimit-Limit'] = formatRate(limitsOf(entry.operation).rate * clock.scale);
			if (entry.operation !== 'unknown') {
				const v = specs.validateResponse(entry.operation, status, body === undefined ? undefined : body);
				if (v.length) {
					entry.responseViolations = v;
					responseViolations.push({ operation: entry.operation, status, violations: v, requestId });
				}
			}
			send(res, status, body, headers);
		};
		if (!m || 'allowed' in m) {
			reply(404, { errors: [{ code: 'NotFound', message: 'Resource not found.', details: m ? `${method} is not allowed on ${url.pathname} (allowed: ${m.allowed.join(', ')})` : `No SP-API operation at ${method} ${url.pathname}` }] });
			return;
		}
		const op = m.route.name;
		entry.operation = op;
		calls[op] = (calls[op] ?? 0) + 1;

		// 1. authentication
		const tokenHeader = req.headers['x-amz-access-token'];
		const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
		const checked = auth.check(token);
		if (!checked.ok) {
			reply(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: checked.details }] });
			return;
		}
		/** @type {import('./handlers').Call} */
		const call = { op, method, path: url.pathname, params: m.params, query, body: undefined, hasBody: raw.length > 0, token: checked.info };
		if (checked.info.kind === 'rdt' && !(RDT_OPERATIONS.includes(op) && rdtCovers(call, url.pathname).matched)) {
			reply(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The restricted data token does not grant access to this resource; use the LWA access token.' }] });
			return;
		}

		// 2. injected faults
		const fault = faults.take(op);
		if (fault) entry.fault = fault.kind;
		if (fault && (fault.kind === '429' || fault.kind === '500' || fault.kind === '503')) {
			if (fault.kind === '429') throttled[op] = (throttled[op] ?? 0) + 1;
			if (fault.kind === '429') {
				entry.throttled = true;
				reply(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] });
			} else if (fault.kind === '500') reply(500, { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }] });
			else reply(503, { errors: [{ code: 'ServiceUnavailable', message: 'Service temporarily unavailable. Please try again.' }] });
			return;
		}
		if (fault?.kind === 'reset') {
			entry.status = -1;
			destroy(res);
			return;
		}
		if (fault?.kind === 'malformed') {
			entry.status = 200;
			send(res, 200, '{"errors":null,"payload":{"orders":[{"orderId":"', { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-RateLimit-Limit': formatRate(limitsOf(op).rate * clock.scale) });
			return;
		}

		// 3. usage plan
		if (!bucket(op).take()) {
			throttled[op] = (throttled[op] ?? 0) + 1;
			entry.throttled = true;
			reply(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] });
			return;
		}

		// 4. body + spec validation
		if (call.hasBody) {
			const ct = String(req.headers['content-type'] ?? '');
			if (!/^application\/json\b/i.test(ct)) {
				const message = `The request body must be JSON with Content-Type application/json (got ${JSON.stringify(ct || '(none)')}).`;
				// operations whose model has no 415 answer 400 InvalidInput instead
				if (specs.documents(op, 415) === false) reply(400, { errors: [{ code: 'InvalidInput', message, details: '' }] }, { rateHeader: true });
				else reply(415, { errors: [{ code: 'UnsupportedMediaType', message }] }, { rateHeader: true });
				return;
			}
			try {
				call.body = JSON.parse(raw.toString('utf8'));
			} catch (err) {
				reply(400, { errors: [{ code: 'InvalidInput', message: `The request body is not valid JSON: ${/** @type {Error} */ (err).message}`, details: '' }] }, { rateHeader: true });
				return;
			}
		}
		const violations = specs.validateRequest(op, { query, pathParams: m.params, body: call.body, hasBody: call.hasBody });
		entry.validationErrors = violations;
		if (violations.length && validateRequests) {
			reply(400, { errors: violations.map((v) => ({ code: 'InvalidInput', message: v, details: '' })) }, { rateHeader: true });
			return;
		}

		// 5. the operation
		tick();
		let result;
		try {
			result = HANDLERS[op](ctx, call);
		} catch (err) {
			result = spError(500, 'InternalFailure', `Sandbox bug: ${/** @type {Error} */ (err).message}`);
			console.error('[amazon sandbox]', err);
		}
		if (fault?.kind === 'lostResponse') {
			entry.status = result.status;
			destroy(res);
			return;
		}
		if (fault?.kind === 'slow') {
			await sleep(fault.delayMs);
			if (res.destroyed || res.socket?.destroyed) {
				entry.status = result.status;
				return;
			}
		}
		reply(result.status, result.body, { rateHeader: true });
	}

	/** @param {Buffer} raw @param {string|undefined} contentType */
	function bodyForRecord(raw, contentType) {
		const text = raw.toString('utf8');
		if (/json/i.test(contentType ?? '')) {
			try {
				return JSON.parse(text);
			} catch {
				return text;
			}
		}
		if (/x-www-form-urlencoded/i.test(contentType ?? '')) {
			const form = Object.fromEntries(new URLSearchParams(text));
			for (const k of ['client_secret', 'refresh_token']) if (form[k] !== undefined) form[k] = '[redacted]';
			return form;
		}
		return text.length > 100000 ? `${text.slice(0, 100000)}…` : text;
	}

	/** @param {import('http').IncomingMessage} req @param {import('http').ServerResponse} res */
	async function lwa(req, res) {
		const raw = await readBody(req);
		const requestId = crypto.randomUUID();
		/** @type {RecordedRequest} */
		const entry = {
			seq: ++seq,
			time: new Date(clock.wallNow()).toISOString(),
			operation: 'lwaToken',
			method: req.method ?? 'POST',
			path: '/auth/o2/token',
			query: {},
			headers: redactHeaders(req.headers),
			body: bodyForRecord(raw, req.headers['content-type']),
			status: 0,
			requestId,
			validationErrors: [],
			responseViolations: [],
		};
		record(entry);
		calls.lwaToken = (calls.lwaToken ?? 0) + 1;
		if ((req.method ?? '').toUpperCase() !== 'POST') {
			entry.status = 405;
			send(res, 405, { error: 'invalid_request', error_description: 'The token endpoint only accepts POST' }, { 'x-amzn-RequestId': requestId });
			return;
		}
		const fault = faults.take('lwaToken');
		if (fault) entry.fault = fault.kind;
		if (fault?.kind === 'reset') return destroy(res);
		if (fault && ['429', '500', '503'].includes(fault.kind)) {
			entry.status = Number(fault.kind);
			if (fault.kind === '429') throttled.lwaToken = (throttled.lwaToken ?? 0) + 1;
			send(res, Number(fault.kind), { error: fault.kind === '429' ? 'slow_down' : 'server_error', error_description: fault.kind === '429' ? 'Too many requests' : 'The authorization server encountered an unexpected condition' }, { 'x-amzn-RequestId': requestId });
			return;
		}
		if (fault?.kind === 'malformed') {
			entry.status = 200;
			send(res, 200, '{"access_token":"Atza|', { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId });
			return;
		}
		const r = auth.tokenRequest(String(req.headers['content-type'] ?? ''), raw.toString('utf8'));
		entry.status = r.status;
		if (fault?.kind === 'lostResponse') return destroy(res);
		if (fault?.kind === 'slow') await sleep(fault.delayMs);
		send(res, r.status, r.body, { 'x-amzn-RequestId': requestId, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
	}

	/** @param {number} status @param {string} code @param {string} message @param {string} requestId */
	const s3Error = (status, code, message, requestId) => ({
		status,
		body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message><RequestId>${requestId}</RequestId></Error>`,
	});

	/**
	 * Pre-signed URL endpoints (no SP-API auth): PUT /_uploads/<docId>, GET /_downloads/<docId>.
	 * @param {import('http').IncomingMessage} req @param {import('http').ServerResponse} res @param {URL} url
	 */
	async function presigned(req, res, url) {
		const upload = url.pathname.startsWith('/_uploads/');
		const op = upload ? 'uploadFeedDocument' : 'downloadDocument';
		const method = (req.method ?? 'GET').toUpperCase();
		const raw = await readBody(req);
		const requestId = crypto.randomBytes(8).toString('hex').toUpperCase();
		let docId = '';
		try {
			docId = decodeURIComponent(url.pathname.slice(upload ? 10 : 12));
		} catch {
			docId = '';
		}
		/** @type {RecordedRequest} */
		const entry = {
			seq: ++seq,
			time: new Date(clock.wallNow()).toISOString(),
			operation: op,
			method,
			path: url.pathname,
			query: queryToObject(url.searchParams),
			headers: redactHeaders(req.headers),
			body: upload && raw.length ? bodyForRecord(raw, req.headers['content-type']) : undefined,
			status: 0,
			requestId,
			validationErrors: [],
			responseViolations: [],
		};
		record(entry);
		calls[op] = (calls[op] ?? 0) + 1;
		/** @param {{ status: number, body: string|Buffer|undefined }} r @param {Record<string, string>} [headers] */
		const out = (r, headers = {}) => {
			entry.status = r.status;
			send(res, r.status, r.body, { 'x-amz-request-id': requestId, ...(typeof r.body === 'string' && r.body.startsWith('<?xml') ? { 'Content-Type': 'application/xml' } : {}), ...headers });
		};
		if ((upload && method !== 'PUT') || (!upload && method !== 'GET' && method !== 'HEAD')) {
			return out(s3Error(405, 'MethodNotAllowed', `The specified method is not allowed against this resource (use ${upload ? 'PUT' : 'GET'}).`, requestId), { Allow: upload ? 'PUT' : 'GET' });
		}
		const fault = faults.take(op);
		if (fault) entry.fault = fault.kind;
		if (fault?.kind === 'reset') return destroy(res);
		if (fault?.kind === '500') return out(s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.', requestId));
		if (fault?.kind === '503' || fault?.kind === '429') return out(s3Error(503, 'SlowDown', 'Please reduce your request rate.', requestId));
		const doc = ctx.documents.get(docId);
		const bad = checkSigned(upload ? 'upload' : 'download', docId, url.searchParams);
		if (!doc || bad === 'SignatureDoesNotMatch') return out(s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', requestId));
		if (bad === 'Expired') return out(s3Error(403, 'AccessDenied', 'Request has expired', requestId));
		if (upload) {
			const ct = req.headers['content-type'];
			if (ct !== doc.contentType) {
				return out(s3Error(403, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided. Check your key and signing method. (Content-Type must be exactly "${doc.contentType}", as given to createFeedDocument; got ${JSON.stringify(ct ?? null)})`, requestId));
			}
			if (req.headers['x-amz-access-token']) {
				return out(s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; the pre-signed URL already carries the signature (do not send x-amz-access-token).', requestId));
			}
			doc.content = raw;
			if (fault?.kind === 'lostResponse') return destroy(res);
			if (fault?.kind === 'slow') await sleep(fault.delayMs);
			return out({ status: 200, body: undefined }, { ETag: `"${crypto.createHash('md5').update(raw).digest('hex')}"` });
		}
		if (!doc.content) return out(s3Error(404, 'NoSuchKey', 'The specified key does not exist.', requestId));
		if (fault?.kind === 'malformed') return out({ status: 200, body: doc.content.subarray(0, Math.floor(doc.content.length / 2)) }, { 'Content-Type': doc.contentType });
		if (fault?.kind === 'lostResponse') return destroy(res);
		if (fault?.kind === 'slow') await sleep(fault.delayMs);
		/** @type {Record<string, string>} */
		const headers = { 'Content-Type': doc.contentType };
		if (url.searchParams.get('response-content-encoding') === 'gzip' && doc.compressed) headers['Content-Encoding'] = 'gzip';
		return out({ status: 200, body: method === 'HEAD' ? undefined : doc.content }, headers);
	}

	const control = createControl({
		store,
		auth,
		clock,
		rng: rng.fork(),
		faults,
		specs,
		ctx,
		tick,
		setPiiRole: (v) => {
			piiRole = v;
		},
		getPiiRole: () => piiRole,
		setRateLimit: (op, l) => {
			overrides[op] = l;
			buckets.get(op)?.configure(l.rate, l.burst);
		},
		counters: () => ({ calls, throttled, statuses }),
		recorded: () => recorded,
		responseViolations: () => responseViolations,
		resetCounters: () => {
			calls = {};
			throttled = {};
			statuses = {};
			recorded = [];
			responseViolations = [];
			buckets.clear();
			for (const k of Object.keys(overrides)) delete overrides[k];
			Object.assign(overrides, opts.rateLimits ?? {});
			piiRole = defaultPii;
		},
		options: { clockScale: clock.scale, feedProcessingMs, refundEventDelayMs, validateRequests, seed, specsDir },
		operations: OPERATIONS,
		limitsOf,
		formatRate,
	});

	const { server, sockets } = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		/** @type {Promise<unknown>} */
		let p;
		if (url.pathname === '/_sandbox/amazon' || url.pathname.startsWith('/_sandbox/amazon/')) p = control.handleHttp(req, res, url);
		else if (url.pathname === '/auth/o2/token') p = lwa(req, res);
		else if (url.pathname.startsWith('/_uploads/') || url.pathname.startsWith('/_downloads/')) p = presigned(req, res, url);
		else p = spApi(req, res, url);
		p.catch((err) => {
			console.error('[amazon sandbox]', err);
			if (!res.headersSent) send(res, 500, { errors: [{ code: 'InternalFailure', message: `Sandbox error: ${err.message}` }] });
			else destroy(res);
		});
	});
	server.keepAliveTimeout = 5000;
	baseUrl = await listen(server, { host, port: opts.port ?? 0 });
	return {
		url: baseUrl,
		lwaTokenUrl: `${baseUrl}/auth/o2/token`,
		credentials: { ...credentials, marketplaceIds: credentials.marketplaceIds.slice() },
		control,
		stop: () => close(server, sockets),
	};
}

module.exports = { startAmazonSandbox, DEFAULT_SPECS_DIR };
