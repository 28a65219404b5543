// @ts-check
'use strict';

const zlib = require('zlib');

/**
 * A deliberately tiny SP-API + LWA client for the sandbox's own tests, the demo and e2e scripts.
 * It is NOT the node's transport (nodes/shared/transport is): no retries, no rate limiting, no
 * clever parsing — it shows exactly what the sandbox answered.
 *
 * @typedef {{ status: number, headers: Headers, body: any, text: string }} SpResponse
 * @typedef {{ query?: Record<string, string|number|boolean|(string|number)[]|undefined>, body?: unknown,
 *   headers?: Record<string, string>, token?: string|false, rawBody?: string, signal?: AbortSignal }} RequestOptions
 */

/**
 * @param {{ url: string, lwaTokenUrl: string, credentials: { clientId: string, clientSecret: string, refreshToken: string } }} sandbox
 */
function createTestClient(sandbox) {
	/** @type {string|null} */
	let cached = null;

	/**
	 * POST the LWA token endpoint with a form (or a raw body).
	 * @param {Record<string, string>|string} form
	 * @param {string} [contentType]
	 * @returns {Promise<SpResponse>}
	 */
	async function lwa(form, contentType = 'application/x-www-form-urlencoded;charset=UTF-8') {
		const res = await fetch(sandbox.lwaTokenUrl, {
			method: 'POST',
			headers: { 'content-type': contentType },
			body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
		});
		return parse(res);
	}

	/** A fresh LWA access token (also cached for request()). */
	async function newToken() {
		const r = await lwa({
			grant_type: 'refresh_token',
			refresh_token: sandbox.credentials.refreshToken,
			client_id: sandbox.credentials.clientId,
			client_secret: sandbox.credentials.clientSecret,
		});
		if (r.status !== 200) throw new Error(`LWA token exchange failed: ${r.status} ${r.text}`);
		cached = r.body.access_token;
		return /** @type {string} */ (cached);
	}

	/** @param {Response} res @returns {Promise<SpResponse>} */
	async function parse(res) {
		const text = await res.text();
		let body = text;
		if ((res.headers.get('content-type') ?? '').includes('json') && text) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		return { status: res.status, headers: res.headers, body, text };
	}

	/**
	 * @param {string} method @param {string} path @param {RequestOptions} [opts]
	 * @returns {Promise<SpResponse>}
	 */
	async function request(method, path, opts = {}) {
		const url = new URL(path, sandbox.url);
		for (const [k, v] of Object.entries(opts.query ?? {})) {
			if (v === undefined) continue;
			url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
		}
		/** @type {Record<string, string>} */
		const headers = { ...(opts.headers ?? {}) };
		if (opts.token !== false) headers['x-amz-access-token'] = opts.token ?? cached ?? (await newToken());
		let body;
		if (opts.rawBody !== undefined) body = opts.rawBody;
		else if (opts.body !== undefined) {
			body = JSON.stringify(opts.body);
			headers['content-type'] ??= 'application/json';
		}
		const res = await fetch(url, { method, headers, body, signal: opts.signal });
		return parse(res);
	}

	/**
	 * createFeedDocument -> PUT -> createFeed.
	 * @param {{ feedType: string, marketplaceIds: string[], content: string, contentType?: string }} f
	 */
	async function submitFeed(f) {
		const contentType = f.contentType ?? 'text/xml; charset=UTF-8';
		const doc = await request('POST', '/feeds/2021-06-30/documents', { body: { contentType } });
		if (doc.status !== 201) throw new Error(`createFeedDocument: ${doc.status} ${doc.text}`);
		const put = await fetch(doc.body.url, { method: 'PUT', headers: { 'content-type': contentType }, body: f.content });
		if (put.status !== 200) throw new Error(`upload: ${put.status} ${await put.text()}`);
		const feed = await request('POST', '/feeds/2021-06-30/feeds', { body: { feedType: f.feedType, marketplaceIds: f.marketplaceIds, inputFeedDocumentId: doc.body.feedDocumentId } });
		if (feed.status !== 202) throw new Error(`createFeed: ${feed.status} ${feed.text}`);
		return { feedId: /** @type {string} */ (feed.body.feedId), feedDocumentId: /** @type {string} */ (doc.body.feedDocumentId), uploadUrl: /** @type {string} */ (doc.body.url) };
	}

	/**
	 * Download a feed document URL (from getFeedDocument); gunzip when compressionAlgorithm is GZIP
	 * and the server did not already apply Content-Encoding. Returns the raw bytes too.
	 * @param {string} url @param {string} [compressionAlgorithm]
	 */
	async function download(url, compressionAlgorithm) {
		const res = await fetch(url);
		const raw = Buffer.from(await res.arrayBuffer());
		const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
		const text = compressionAlgorithm === 'GZIP' && gzipped ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
		return { status: res.status, headers: res.headers, raw, gzipped, text };
	}

	return {
		lwa,
		download,
		newToken,
		request,
		/** @param {string} path @param {RequestOptions['query']} [query] */
		get: (path, query) => request('GET', path, { query }),
		/** @param {string} path @param {unknown} body */
		post: (path, body) => request('POST', path, { body }),
		submitFeed,
		get token() {
			return cached;
		},
	};
}

module.exports = { createTestClient };
