// @ts-check
'use strict';

const http = require('http');

/**
 * Minimal HTTP helpers shared by the sandboxes.
 *
 * @typedef {import('http').IncomingMessage} Req
 * @typedef {import('http').ServerResponse} Res
 * @typedef {{ method: string, template: string, name: string, handler: any, regex: RegExp, keys: string[] }} Route
 * @typedef {{ route: Route, params: Record<string, string> }} RouteMatch
 * @typedef {object} Router
 * @property {(method: string, template: string, name: string, handler?: any) => void} add
 *   template like '/orders/v0/orders/{orderId}/shipmentConfirmation'; a {param} matches one segment
 * @property {(method: string, pathname: string) => RouteMatch | { allowed: string[] } | null} match
 *   a match; or the methods a known path allows; or null for an unknown path
 * @property {() => Route[]} routes
 */

/** @returns {Router} */
function createRouter() {
	/** @type {Route[]} */
	const routes = [];
	return {
		add(method, template, name, handler) {
			/** @type {string[]} */
			const keys = [];
			const pattern = template
				.split('/')
				.map((seg) => {
					const m = /^\{(\w+)\}$/.exec(seg);
					if (m) {
						keys.push(m[1]);
						return '([^/]+)';
					}
					return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				})
				.join('/');
			routes.push({ method: method.toUpperCase(), template, name, handler, regex: new RegExp(`^${pattern}$`), keys });
		},
		match(method, pathname) {
			/** @type {string[]} */
			const allowed = [];
			for (const route of routes) {
				const m = route.regex.exec(pathname);
				if (!m) continue;
				/** @type {Record<string, string>} */
				const params = {};
				let ok = true;
				route.keys.forEach((k, i) => {
					try {
						params[k] = decodeURIComponent(m[i + 1]);
					} catch {
						ok = false;
					}
				});
				if (!ok) continue;
				if (route.method === method.toUpperCase()) return { route, params };
				allowed.push(route.method);
			}
			return allowed.length ? { allowed } : null;
		},
		routes: () => routes.slice(),
	};
}

/**
 * Read the whole request body (rejects above `limit` bytes).
 * @param {Req} req
 * @param {number} [limit]
 * @returns {Promise<Buffer>}
 */
function readBody(req, limit = 20 * 1024 * 1024) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > limit) {
				reject(Object.assign(new Error(`request body larger than ${limit} bytes`), { code: 'BODY_TOO_LARGE' }));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Query string as name -> every value given (in order).
 * @param {URLSearchParams} searchParams
 * @returns {Record<string, string[]>}
 */
function queryToObject(searchParams) {
	/** @type {Record<string, string[]>} */
	const out = {};
	for (const [k, v] of searchParams) (out[k] ??= []).push(v);
	return out;
}

/**
 * Send a response (JSON-encodes objects; strings/Buffers as-is). Ignores closed sockets.
 * @param {Res} res
 * @param {number} status
 * @param {unknown} body            undefined = no body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
	if (res.destroyed || res.writableEnded) return;
	/** @type {Buffer|undefined} */
	let payload;
	const h = { ...headers };
	if (body === undefined || body === null) payload = undefined;
	else if (Buffer.isBuffer(body)) payload = body;
	else if (typeof body === 'string') payload = Buffer.from(body, 'utf8');
	else {
		payload = Buffer.from(JSON.stringify(body), 'utf8');
		if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
	}
	if (payload) h['Content-Length'] = String(payload.length);
	res.writeHead(status, h);
	res.end(payload);
}

/**
 * Listen on host:port (port 0 = random) and resolve the base URL.
 * @param {import('http').Server} server
 * @param {{ host?: string, port?: number }} opts
 * @returns {Promise<string>}
 */
function listen(server, { host = '127.0.0.1', port = 0 }) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const addr = /** @type {import('net').AddressInfo} */ (server.address());
			resolve(`http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`);
		});
	});
}

/**
 * Close a server and every open socket (keep-alive clients included).
 * @param {import('http').Server} server
 * @param {Set<import('net').Socket>} sockets
 * @returns {Promise<void>}
 */
function close(server, sockets) {
	return new Promise((resolve) => {
		for (const s of sockets) s.destroy();
		server.close(() => resolve());
	});
}

/**
 * Create an http.Server that tracks its sockets (so `close` can end keep-alive connections).
 * @param {(req: Req, res: Res) => void} handler
 * @returns {{ server: import('http').Server, sockets: Set<import('net').Socket> }}
 */
function createServer(handler) {
	const server = http.createServer(handler);
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	return { server, sockets };
}

/**
 * Copy of headers with secret-bearing ones replaced by '[redacted]'.
 * @param {import('http').IncomingHttpHeaders} headers
 * @param {string[]} [secret]
 */
function redactHeaders(headers, secret = ['authorization', 'x-amz-access-token', 'x-shopify-access-token', 'cookie']) {
	/** @type {Record<string, string|string[]|undefined>} */
	const out = {};
	for (const [k, v] of Object.entries(headers)) out[k] = secret.includes(k.toLowerCase()) ? '[redacted]' : v;
	return out;
}

module.exports = { createRouter, readBody, queryToObject, send, listen, close, createServer, redactHeaders };
