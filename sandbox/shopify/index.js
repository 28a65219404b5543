// @ts-check
'use strict';

/**
 * The Shopify side of the marketplace sandbox: OAuth client credentials + the Admin GraphQL API on
 * Shopify's real SDL (strict validation, cost throttling, custom resolvers with state) + webhook
 * deliveries + a control API (programmatic and HTTP under /_sandbox/shopify/...).
 *
 *   const { startShopifySandbox } = require('./sandbox/shopify');
 *   const sb = await startShopifySandbox({ clockScale: 1000, seed: 42 });
 *   sb.url, sb.credentials, sb.control, await sb.stop();
 *
 * See sandbox/shopify/README.md.
 */

const crypto = require('crypto');
const { parse, validate, execute, getOperationAST, getVariableValues, Kind, visit, GraphQLError } = require('graphql');
const { createClock } = require('../lib/clock');
const { createRng } = require('../lib/rng');
const { createFaults } = require('../lib/faults');
const { createRouter, readBody, send, listen, close, createServer, redactHeaders } = require('../lib/http');
const { loadSchema, resolveSpecsDir, sdlMissingReason } = require('./schema');
const { translateValidationErrors, translateSyntaxError, translateVariableErrors, formatExecutionErrors } = require('./errors');
const { requestedCost, actualCost, createCostBucket } = require('./cost');
const { createStore, ControlError } = require('./store');
const { createResolvers, makeFieldResolver, typeResolver } = require('./resolvers');
const { createRest } = require('./rest');
const { createWebhooks } = require('./webhooks');
const { createControl } = require('./control');

const SHOP_DOMAIN = 'sandbox-shop.myshopify.com';
const INVALID_TOKEN = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
const TOKEN_TTL_S = 86399;
const DEFAULT_SCOPES = [
	'read_orders',
	'write_orders',
	'read_all_orders',
	'read_products',
	'read_inventory',
	'read_customers',
	'write_customers',
	'read_fulfillments',
	'write_fulfillments',
	'read_merchant_managed_fulfillment_orders',
	'write_merchant_managed_fulfillment_orders',
	'read_assigned_fulfillment_orders',
	'write_assigned_fulfillment_orders',
	'read_third_party_fulfillment_orders',
	'write_third_party_fulfillment_orders',
	'read_locations',
];
const MAX_RECORDED = 5000;

/**
 * @typedef {{
 *   port?: number, host?: string, clockScale?: number, seed?: number|string, specsDir?: string,
 *   apiVersions?: string[], devStore?: boolean, shopCurrency?: string,
 *   throttle?: { maximumAvailable?: number, restoreRate?: number, maxQueryCost?: number },
 *   clock?: import('../lib/clock').Clock,
 *   scopes?: string[], ianaTimezone?: string, webhookApiVersion?: string,
 *   webhookSecret?: 'clientSecret'|'apiSecretKey'|{ value: string },
 *   webhookRetry?: { maxRetries?: number, baseDelayMs?: number, factor?: number, timeoutMs?: number },
 *   preload?: 'first'|'all'|'none',
 *   webhookHosts?: string[],
 * }} ShopifySandboxOptions
 */

/**
 * @param {ShopifySandboxOptions} [options]
 */
async function startShopifySandbox(options = {}) {
	const o = options;
	const known = ['port', 'host', 'clockScale', 'seed', 'specsDir', 'apiVersions', 'devStore', 'shopCurrency', 'throttle', 'clock', 'scopes', 'ianaTimezone', 'webhookApiVersion', 'webhookSecret', 'webhookRetry', 'preload', 'webhookHosts'];
	for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`startShopifySandbox: unknown option "${k}" (known: ${known.join(', ')})`);
	const apiVersions = o.apiVersions ?? ['2026-10', '2026-07'];
	if (!Array.isArray(apiVersions) || apiVersions.length === 0 || apiVersions.some((v) => typeof v !== 'string' || !/^\d{4}-\d{2}$/.test(v))) {
		throw new Error(`apiVersions must be a non-empty list like ['2026-10', '2026-07'], got ${JSON.stringify(o.apiVersions)}`);
	}
	const shopCurrency = o.shopCurrency ?? 'USD';
	if (!/^[A-Z]{3}$/.test(shopCurrency)) throw new Error(`shopCurrency must be an ISO 4217 code like "USD", got ${JSON.stringify(shopCurrency)}`);
	const clock = o.clock ?? createClock({ scale: o.clockScale ?? 1 });
	const rng = createRng(o.seed ?? 42);
	const secretsRng = rng.fork();
	const specsDir = resolveSpecsDir(o.specsDir);

	const credentials = {
		shopDomain: SHOP_DOMAIN,
		accessToken: `shpat_${secretsRng.hex(32)}`,
		apiSecretKey: `shpss_${secretsRng.hex(32)}`,
		clientId: secretsRng.hex(32),
		clientSecret: `shpss_${secretsRng.hex(32)}`,
	};
	const scopes = o.scopes ?? DEFAULT_SCOPES;
	const app = { id: '1830279', title: 'Amazon Shopify Sync (sandbox)', apiKey: credentials.clientId, handle: 'amazon-shopify-sync' };
	const webhookApiVersion = o.webhookApiVersion ?? apiVersions[0];
	const throttleOpts = { maximumAvailable: o.throttle?.maximumAvailable ?? 2000, restoreRate: o.throttle?.restoreRate ?? 100, maxQueryCost: o.throttle?.maxQueryCost ?? 1000 };

	/** @type {Record<string, string|null>} */
	const specByVersion = {};
	for (const v of apiVersions) specByVersion[v] = sdlMissingReason(specsDir, v);
	const missing = Object.entries(specByVersion).filter(([, r]) => r);
	const specValidation = missing.length ? `subset: ${missing.map(([, r]) => r).join('; ')}` : 'sdl';

	// ------------------------------------------------------------------ components
	/** @type {ReturnType<typeof createWebhooks>|null} */
	let webhooks = null;
	const store = createStore({
		clock,
		rng: rng.fork(),
		shopCurrency,
		devStore: Boolean(o.devStore),
		shopDomain: SHOP_DOMAIN,
		ianaTimezone: o.ianaTimezone ?? 'America/New_York',
		scopes,
		appId: app.id,
		emit: (event) => {
			if (webhooks) webhooks.onEvent(event);
		},
	});
	const rest = createRest(store);
	const secretMode = o.webhookSecret ?? 'clientSecret';
	webhooks = createWebhooks({
		store,
		rest,
		clock,
		rng: rng.fork(),
		shopDomain: SHOP_DOMAIN,
		secret: () => (typeof secretMode === 'object' ? secretMode.value : secretMode === 'apiSecretKey' ? credentials.apiSecretKey : credentials.clientSecret),
		webhookApiVersion,
		extraHosts: o.webhookHosts ?? [],
		retry: {
			maxRetries: o.webhookRetry?.maxRetries ?? 8,
			baseDelayMs: o.webhookRetry?.baseDelayMs ?? 1000,
			factor: o.webhookRetry?.factor ?? 2,
			timeoutMs: o.webhookRetry?.timeoutMs ?? 5000,
		},
	});
	const resolvers = createResolvers(store);
	const fieldResolver = makeFieldResolver(resolvers);
	let bucket = createCostBucket({ maximumAvailable: throttleOpts.maximumAvailable, restoreRate: throttleOpts.restoreRate, now: () => clock.t() });
	const faults = createFaults({ rng: rng.fork() });

	// ------------------------------------------------------------------ auth
	/** @type {Map<string, { kind: 'static'|'client_credentials', issuedAt: number, expiresAt: number|null }>} */
	const tokens = new Map([[credentials.accessToken, { kind: 'static', issuedAt: clock.t(), expiresAt: null }]]);
	const tokenStats = { total: 0, succeeded: 0, failed: 0, /** @type {Record<string, number>} */ byError: {} };

	/** @param {string|undefined} token */
	function tokenValid(token) {
		if (!token) return false;
		const t = tokens.get(token);
		if (!t) return false;
		return t.expiresAt === null || clock.t() < t.expiresAt;
	}

	// ------------------------------------------------------------------ stats & recording
	/** @type {Record<string, { calls: number, costRequested: number, costActual: number, throttled: number, maxCostExceeded: number, errors: number, faults: number }>} */
	let ops = {};
	/** @param {string} key */
	const op = (key) => (ops[key] ??= { calls: 0, costRequested: 0, costActual: 0, throttled: 0, maxCostExceeded: 0, errors: 0, faults: 0 });
	/** @type {any[]} */
	let recorded = [];
	let recordSeq = 0;
	/** @param {any} entry */
	const recordRequest = (entry) => {
		recorded.push(entry);
		if (recorded.length > MAX_RECORDED) recorded.splice(0, recorded.length - MAX_RECORDED);
		return entry;
	};

	// ------------------------------------------------------------------ idempotency metadata per schema
	/** @type {WeakMap<object, { supported: Set<string>, required: Set<string> }>} */
	const idemMeta = new WeakMap();
	/** @param {import('graphql').GraphQLSchema} schema @param {'sdl'|'subset'} source */
	const idempotencyMeta = (schema, source) => {
		let m = idemMeta.get(schema);
		if (m) return m;
		m = { supported: new Set(), required: new Set() };
		const mt = schema.getMutationType();
		if (mt) {
			for (const f of Object.values(mt.getFields())) {
				const d = f.description || '';
				if (/@idempotent/.test(d)) m.supported.add(f.name);
				if (/idempotency key is required/i.test(d)) m.required.add(f.name);
			}
		}
		if (source === 'subset') {
			m.supported.add('refundCreate');
			m.required.add('refundCreate');
		}
		idemMeta.set(schema, m);
		return m;
	};

	/** @param {string} version */
	const schemaFor = (version) => loadSchema(specsDir, version);
	/** @type {WeakMap<object, Map<string, { document: import('graphql').DocumentNode, validationErrors: readonly GraphQLError[] }>>} */
	const docCache = new WeakMap();
	const preload = o.preload ?? 'first';
	if (preload === 'first') schemaFor(apiVersions[0]);
	if (preload === 'all') apiVersions.forEach(schemaFor);

	// ------------------------------------------------------------------ GraphQL
	/**
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {string} version
	 * @param {Buffer} raw
	 * @param {any} rec  the recorded-request entry
	 */
	async function handleGraphql(req, res, version, raw, rec) {
		const requestId = crypto.randomUUID();
		const baseHeaders = { 'X-Request-Id': requestId, 'X-Shopify-API-Version': version, 'Content-Type': 'application/json; charset=utf-8' };
		/** @param {number} status @param {unknown} body @param {Record<string, string>} [extra] */
		const reply = (status, body, extra = {}) => {
			rec.status = status;
			rec.response = body;
			send(res, status, typeof body === 'string' ? body : JSON.stringify(body), { ...baseHeaders, ...extra });
		};

		if (!tokenValid(/** @type {string|undefined} */ (req.headers['x-shopify-access-token']))) {
			rec.auth = 'rejected';
			return reply(401, INVALID_TOKEN);
		}

		// body
		/** @type {{ query?: unknown, variables?: unknown, operationName?: unknown }} */
		let body;
		const ctype = String(req.headers['content-type'] || '');
		try {
			if (ctype.includes('application/graphql')) body = { query: raw.toString('utf8') };
			else body = JSON.parse(raw.toString('utf8') || '{}');
		} catch {
			return reply(400, { errors: 'Bad Request: the body is not valid JSON' });
		}
		if (!body || typeof body !== 'object' || typeof body.query !== 'string' || !body.query.trim()) {
			return reply(400, { errors: { query: 'Required parameter missing or invalid' } });
		}
		const variables = body.variables === undefined || body.variables === null ? {} : body.variables;
		if (typeof variables !== 'object' || Array.isArray(variables)) return reply(400, { errors: { variables: 'Variables must be a JSON object' } });
		const operationName = typeof body.operationName === 'string' && body.operationName ? body.operationName : null;
		rec.query = body.query;
		rec.variables = variables;
		rec.operationName = operationName;

		const loaded = schemaFor(version);
		const schema = loaded.schema;
		/** @param {number} requested @param {number|null} actual */
		const costExt = (requested, actual) => ({ cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } });

		// parse (documents and their validation are cached per schema: clients resend the same texts)
		let cached = docCache.get(schema)?.get(body.query);
		if (!cached) {
			try {
				const d = parse(body.query);
				cached = { document: d, validationErrors: validate(schema, d) };
			} catch (e) {
				op(operationName ?? 'unparsable').errors++;
				const err = translateSyntaxError(/** @type {GraphQLError} */ (e));
				rec.validationErrors = [err.message];
				return reply(200, { errors: [err], extensions: costExt(0, 0) });
			}
			let perSchema = docCache.get(schema);
			if (!perSchema) docCache.set(schema, (perSchema = new Map()));
			if (perSchema.size >= 500) perSchema.delete(/** @type {string} */ (perSchema.keys().next().value));
			perSchema.set(body.query, cached);
		}
		const document = cached.document;
		const operation = getOperationAST(document, operationName);
		const rootFields = operation ? operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).map((s) => /** @type {import('graphql').FieldNode} */ (s).name.value) : [];
		const key = operationName ?? (operation && operation.name ? operation.name.value : rootFields.join('+') || 'anonymous');
		rec.operation = key;
		rec.rootFields = rootFields;
		const stat = op(key);
		stat.calls++;

		// faults (before anything happens)
		const fault = faults.take(key) ?? rootFields.reduce((/** @type {any} */ f, name) => f ?? (name !== key ? faults.take(name) : null), null);
		if (fault) {
			stat.faults++;
			rec.fault = fault.kind;
			if (fault.kind === '429') return reply(429, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }] }, { 'Retry-After': '1' });
			if (fault.kind === '500') return reply(500, { errors: [{ message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
			if (fault.kind === '503') {
				rec.status = 503;
				return send(res, 503, '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>503 Service Unavailable</h1><p>Shopify is temporarily unavailable. Please try again.</p></body></html>', { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '2', 'X-Request-Id': requestId });
			}
			if (fault.kind === 'reset') {
				rec.status = 'reset';
				res.socket?.destroy();
				return;
			}
			if (fault.kind === 'malformed') {
				rec.status = 200;
				return send(res, 200, '{"data":{"', { ...baseHeaders });
			}
		}

		// validate against the real schema
		const validationErrors = cached.validationErrors;
		rec.validationErrors = [];
		if (!operation && validationErrors.length === 0) {
			stat.errors++;
			const msg = operationName ? `Unknown operation named "${operationName}".` : 'An operation name is required';
			return reply(200, { errors: [{ message: msg, extensions: { code: operationName ? 'operationNotFound' : 'operationNameRequired' } }], extensions: costExt(0, 0) });
		}
		if (validationErrors.length) {
			stat.errors++;
			const errs = translateValidationErrors(validationErrors, document);
			rec.validationErrors = errs.map((e) => e.message);
			return reply(200, { errors: errs, extensions: costExt(0, 0) });
		}
		const op0 = /** @type {import('graphql').OperationDefinitionNode} */ (operation);

		// @idempotent placement
		const idem = idempotencyMeta(schema, loaded.source);
		/** @type {any[]} */
		const idemErrors = [];
		visit(op0, {
			Field(node, _k, _p, _path, ancestors) {
				const d = (node.directives || []).find((x) => x.name.value === 'idempotent');
				if (!d) return;
				const isRoot = op0.operation === 'mutation' && ancestors.filter((a) => !Array.isArray(a) && /** @type {any} */ (a).kind === Kind.FIELD).length === 0;
				if (!isRoot || !idem.supported.has(node.name.value)) {
					idemErrors.push({ message: `The @idempotent directive is not supported on ${node.name.value}. Only mutations that document idempotency support accept it.`, locations: d.loc ? [locationOf(d)] : undefined, path: [node.name.value], extensions: { code: 'BAD_REQUEST' } });
				}
			},
		});
		if (idemErrors.length) {
			stat.errors++;
			rec.validationErrors = idemErrors.map((e) => e.message);
			return reply(200, { errors: idemErrors, extensions: costExt(0, 0) });
		}

		// variables
		const coerced = getVariableValues(schema, op0.variableDefinitions || [], /** @type {Record<string, unknown>} */ (variables));
		if (coerced.errors) {
			stat.errors++;
			const errs = translateVariableErrors(coerced.errors, op0, /** @type {Record<string, unknown>} */ (variables));
			rec.validationErrors = errs.map((e) => `${e.message}: ${JSON.stringify(e.extensions && e.extensions.problems)}`);
			return reply(200, { errors: errs, extensions: costExt(0, 0) });
		}

		// cost
		const { cost: requested, problems } = requestedCost(schema, document, op0, coerced.coerced);
		rec.requestedQueryCost = requested;
		if (problems.length) {
			stat.errors++;
			rec.validationErrors = problems.map((p) => `${p.message} (${p.path.join('.')})`);
			return reply(200, { errors: problems.map((p) => ({ message: p.message, locations: p.locations, path: p.path, extensions: { code: 'BAD_REQUEST' } })), extensions: costExt(requested, 0) });
		}
		if (requested > throttleOpts.maxQueryCost) {
			rec.maxCostExceeded = true;
			stat.maxCostExceeded++;
			stat.errors++;
			return reply(200, {
				errors: [
					{
						message: `Query cost is ${requested}, which exceeds the single query max cost limit (${throttleOpts.maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
						extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: throttleOpts.maxQueryCost, documentation: 'https://shopify.dev/api/usage/rate-limits' },
					},
				],
				extensions: costExt(requested, null),
			});
		}
		if (!bucket.take(requested)) {
			stat.throttled++;
			rec.throttled = true;
			// A throttled request never executes, so a commit-then-lose fault waits for one that does.
			if (fault && fault.kind === 'lostResponse') {
				faults.putBack(fault, fault.operation === '*' ? key : fault.operation);
				stat.faults--;
				delete rec.fault;
			}
			return reply(200, {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
				extensions: costExt(requested, null),
			});
		}

		// execute
		/** @type {import('./resolvers').Ctx} */
		const ctx = {
			store,
			webhooks,
			apiVersion: version,
			scopes,
			app,
			searchWarnings: [],
			idempotencyKey: (info) => {
				const node = info.fieldNodes[0];
				const d = (node.directives || []).find((x) => x.name.value === 'idempotent');
				if (!d) return null;
				const arg = (d.arguments || []).find((a) => a.name.value === 'key');
				const v = !arg ? null : arg.value.kind === Kind.VARIABLE ? info.variableValues[arg.value.name.value] : arg.value.kind === Kind.STRING ? arg.value.value : null;
				if (typeof v !== 'string' || !v.trim()) {
					throw new GraphQLError('The idempotency key cannot be an empty string or whitespace only.', { extensions: { code: 'BAD_REQUEST' } });
				}
				return v;
			},
			idempotencyRequired: (field) => idem.required.has(field),
		};
		const result = /** @type {import('graphql').ExecutionResult} */ (
			execute({ schema, document, operationName: operationName ?? undefined, variableValues: /** @type {any} */ (variables), contextValue: ctx, fieldResolver, typeResolver })
		);
		const actual = Math.min(requested, actualCost(schema, document, op0, coerced.coerced, result.data));
		bucket.refund(requested - actual);
		stat.costRequested += requested;
		stat.costActual += actual;
		rec.actualQueryCost = actual;
		/** @type {any} */
		const out = {};
		if (result.errors && result.errors.length) {
			stat.errors++;
			out.errors = formatExecutionErrors(result.errors);
			rec.executionErrors = out.errors.map((/** @type {any} */ e) => e.message);
			// rejected by Shopify for the request itself, not for the data: part of the contract check
			for (const e of out.errors) if (/^The @idempotent directive is required|^The idempotency key cannot be|^Invalid global id/.test(e.message)) rec.validationErrors.push(e.message);
		}
		out.data = result.data ?? null;
		out.extensions = costExt(requested, actual);
		if (ctx.searchWarnings.length) out.extensions.search = ctx.searchWarnings;

		if (fault && fault.kind === 'lostResponse') {
			rec.status = 'lostResponse';
			rec.response = out;
			res.socket?.destroy();
			return;
		}
		if (fault && fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
		return reply(200, out);
	}

	/** @param {import('graphql').ASTNode} node */
	function locationOf(node) {
		const loc = /** @type {any} */ (node.loc);
		const before = loc.source.body.slice(0, loc.start).split('\n');
		return { line: before.length, column: before[before.length - 1].length + 1 };
	}

	// ------------------------------------------------------------------ OAuth
	/**
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {Buffer} raw
	 * @param {any} rec
	 */
	function handleToken(req, res, raw, rec) {
		tokenStats.total++;
		/** @param {number} status @param {any} body */
		const reply = (status, body) => {
			rec.status = status;
			rec.response = body.access_token ? { ...body, access_token: '[redacted]' } : body;
			if (status === 200) tokenStats.succeeded++;
			else {
				tokenStats.failed++;
				tokenStats.byError[body.error] = (tokenStats.byError[body.error] ?? 0) + 1;
			}
			send(res, status, body, { 'Content-Type': 'application/json; charset=utf-8' });
		};
		/** @type {Record<string, string>} */
		let params = {};
		const ctype = String(req.headers['content-type'] || '');
		const text = raw.toString('utf8');
		try {
			if (ctype.includes('application/json')) params = JSON.parse(text || '{}');
			else params = Object.fromEntries(new URLSearchParams(text));
		} catch {
			return reply(400, { error: 'invalid_request', error_description: 'The request body could not be parsed.' });
		}
		const url = new URL(req.url || '/', 'http://x');
		for (const [k, v] of url.searchParams) if (params[k] === undefined) params[k] = v;
		rec.body = { ...params, client_secret: params.client_secret ? '[redacted]' : undefined };
		const fault = faults.take('oauth/access_token');
		if (fault) {
			rec.fault = fault.kind;
			if (fault.kind === 'reset') return void res.socket?.destroy();
			if (fault.kind === 'malformed') return send(res, 200, '{"access_tok', {});
			if (fault.kind === '429' || fault.kind === '500' || fault.kind === '503') {
				rec.status = Number(fault.kind);
				return send(res, Number(fault.kind), { errors: fault.kind === '429' ? 'Too many requests' : 'Internal Server Error' }, fault.kind === '429' ? { 'Retry-After': '1' } : {});
			}
		}
		if (!params.client_id || !params.client_secret) {
			return reply(400, { error: 'invalid_request', error_description: 'Missing required parameter: client_id and client_secret are required.' });
		}
		if (params.grant_type === undefined && params.code !== undefined) {
			return reply(400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
		}
		if (params.grant_type !== 'client_credentials') {
			return reply(400, { error: 'unsupported_grant_type', error_description: `The authorization grant type ${params.grant_type === undefined ? '(none)' : JSON.stringify(params.grant_type)} is not supported by the authorization server.` });
		}
		if (params.client_id !== credentials.clientId || params.client_secret !== credentials.clientSecret) {
			return reply(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
		}
		const token = `shpat_${crypto.randomBytes(16).toString('hex')}`;
		tokens.set(token, { kind: 'client_credentials', issuedAt: clock.t(), expiresAt: clock.t() + TOKEN_TTL_S * 1000 });
		const body = { access_token: token, scope: scopes.join(','), expires_in: TOKEN_TTL_S };
		if (fault && fault.kind === 'lostResponse') {
			rec.status = 'lostResponse';
			tokenStats.succeeded++;
			return void res.socket?.destroy();
		}
		if (fault && fault.kind === 'slow') {
			setTimeout(() => reply(200, body), fault.delayMs);
			return;
		}
		return reply(200, body);
	}

	// ------------------------------------------------------------------ control
	const control = createControl({
		store,
		webhooks,
		faults,
		clock,
		tokens,
		tokenStats,
		credentials,
		specValidation,
		specByVersion,
		apiVersions,
		webhookApiVersion,
		getBucket: () => bucket,
		resetBucket: () => {
			bucket = createCostBucket({ maximumAvailable: throttleOpts.maximumAvailable, restoreRate: throttleOpts.restoreRate, now: () => clock.t() });
		},
		getOps: () => ops,
		resetOps: () => {
			ops = {};
		},
		getRecorded: () => recorded,
		resetRecorded: () => {
			recorded = [];
		},
		throttleOpts,
	});

	const controlRouter = createRouter();
	control.registerRoutes(controlRouter);

	// ------------------------------------------------------------------ HTTP
	const { server, sockets } = createServer((req, res) => {
		handle(req, res).catch((e) => {
			send(res, 500, { errors: `sandbox error: ${e && e.message ? e.message : String(e)}` });
		});
	});

	/** @param {import('http').IncomingMessage} req @param {import('http').ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url || '/', 'http://sandbox');
		const path = url.pathname;
		const method = (req.method || 'GET').toUpperCase();

		if (path.startsWith('/_sandbox/shopify')) {
			const raw = await readBody(req);
			return control.handleHttp(controlRouter, method, path.slice('/_sandbox/shopify'.length) || '/', url, raw, res);
		}

		const rec = recordRequest({ seq: ++recordSeq, at: store.nowIso(), method, path, headers: redactHeaders(req.headers), status: null });
		if (path === '/admin/oauth/access_token') {
			if (method !== 'POST') {
				rec.status = 405;
				return send(res, 405, { errors: 'Method Not Allowed' }, { Allow: 'POST' });
			}
			const raw = await readBody(req);
			return handleToken(req, res, raw, rec);
		}
		const m = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
		if (m) {
			const version = m[1];
			rec.apiVersion = version;
			if (!apiVersions.includes(version)) {
				rec.status = 404;
				return send(res, 404, { errors: 'Not Found' });
			}
			if (method !== 'POST') {
				rec.status = 405;
				return send(res, 405, { errors: 'Method Not Allowed' }, { Allow: 'POST' });
			}
			const raw = await readBody(req);
			return handleGraphql(req, res, version, raw, rec);
		}
		rec.status = 404;
		return send(res, 404, { errors: 'Not Found' });
	}

	const url = await listen(server, { host: o.host ?? '127.0.0.1', port: o.port ?? 0 });

	let stopped = false;
	return {
		url,
		graphqlUrl: (/** @type {string} */ version = apiVersions[0]) => `${url}/admin/api/${version}/graphql.json`,
		tokenUrl: `${url}/admin/oauth/access_token`,
		credentials,
		control,
		async stop() {
			if (stopped) return;
			stopped = true;
			webhooks.stop();
			await close(server, sockets);
		},
	};
}

module.exports = { startShopifySandbox, ControlError, SHOP_DOMAIN, DEFAULT_SCOPES };
