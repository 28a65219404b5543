// @ts-check
'use strict';

/**
 * A loopback HTTP endpoint that hands every request (raw body kept) to a test's async handler,
 * which forwards it into the engine (invokeWebhook) and answers through `reply` as soon as the
 * node answers: what the sandbox measures is then the node's real time to acknowledge. Plain JS
 * because the n8n Cloud lint rules applied to every .ts file forbid node:http.
 *
 *   const fwd = await startWebhookForwarder(async (request, reply) => { ...; reply(200, 'ok'); ... });
 *   fwd.url   // http://127.0.0.1:PORT  (any path is accepted)
 *   await fwd.settled();   // every handler has finished
 *   await fwd.stop();
 */

const http = require('http');

/**
 * @typedef {{ method: string, path: string, headers: Record<string, string>, rawBody: Buffer }} ForwardedRequest
 * @typedef {(status: number, body?: string) => void} Reply
 * @typedef {(request: ForwardedRequest, reply: Reply) => Promise<void>} Handler
 */

/**
 * @param {Handler} handler
 */
async function startWebhookForwarder(handler) {
	/** @type {Set<Promise<void>>} */
	const pending = new Set();
	/** @type {unknown[]} */
	const errors = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
			let answered = false;
			/** @type {Reply} */
			const reply = (status, body = '') => {
				if (answered || res.destroyed) return;
				answered = true;
				res.writeHead(status, { 'Content-Type': 'text/plain' });
				res.end(body);
			};
			const run = handler({ method: req.method || 'POST', path: req.url || '/', headers, rawBody: Buffer.concat(chunks) }, reply)
				.catch((error) => {
					errors.push(error);
					reply(500, String(error && error.message));
				})
				.finally(() => {
					reply(500, 'the handler finished without answering');
					pending.delete(run);
				});
			pending.add(run);
		});
	});
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const port = /** @type {import('net').AddressInfo} */ (server.address()).port;
	return {
		url: `http://127.0.0.1:${port}`,
		errors,
		/** Resolves when every handler started so far (and any it caused) has finished. */
		async settled() {
			while (pending.size) await Promise.all([...pending]);
		},
		async stop() {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

module.exports = { startWebhookForwarder };
