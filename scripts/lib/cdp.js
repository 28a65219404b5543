// @ts-check
'use strict';
/**
 * A tiny Chrome DevTools Protocol client for headless Chromium, Node built-ins only: Chromium is
 * started with --remote-debugging-pipe and speaks CDP over file descriptors 3 (we write) and 4
 * (it writes), each message JSON followed by a NUL byte (what Puppeteer's `pipe: true` does).
 * No WebSocket, no npm package.
 *
 *   const browser = await launch({ executable: '/usr/bin/chromium', width: 1400, height: 900 });
 *   const page = await browser.newPage();
 *   await page.goto('http://127.0.0.1:5678/signin');
 *   const title = await page.evaluate('document.title');
 *   fs.writeFileSync('shot.png', await page.screenshot());
 *   await browser.close();
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

/**
 * Flags for a hermetic headless Chromium on a machine without internet (see the machine notes:
 * without the background-networking flags Chromium keeps dialling Google's hosts).
 * @param {{ userDataDir: string, width: number, height: number }} o
 */
function chromiumFlags(o) {
	return [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--no-default-browser-check',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--disable-extensions',
		'--disable-dev-shm-usage',
		'--hide-scrollbars',
		'--mute-audio',
		`--user-data-dir=${o.userDataDir}`,
		`--window-size=${o.width},${o.height}`,
		'--remote-debugging-pipe',
		'about:blank',
	];
}

/**
 * @param {{ executable?: string, width?: number, height?: number, log?: (line: string) => void }} [o]
 */
async function launch(o = {}) {
	const width = o.width ?? 1400;
	const height = o.height ?? 900;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const child = spawn(o.executable || '/usr/bin/chromium', chromiumFlags({ userDataDir, width, height }), {
		stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
	});
	/** @type {Buffer[]} */
	const stderr = [];
	child.stderr && child.stderr.on('data', (c) => stderr.length < 200 && stderr.push(c));
	const toChrome = /** @type {import('node:stream').Writable} */ (child.stdio[3]);
	const fromChrome = /** @type {import('node:stream').Readable} */ (child.stdio[4]);

	let nextId = 1;
	/** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void, method: string }>} */
	const pending = new Map();
	/** @type {Set<(msg: any) => void>} */
	const listeners = new Set();
	let buffer = Buffer.alloc(0);
	let exited = false;

	fromChrome.on('data', (chunk) => {
		buffer = Buffer.concat([buffer, chunk]);
		for (let end = buffer.indexOf(0); end >= 0; end = buffer.indexOf(0)) {
			const text = buffer.subarray(0, end).toString('utf8');
			buffer = buffer.subarray(end + 1);
			/** @type {any} */
			let msg;
			try {
				msg = JSON.parse(text);
			} catch {
				continue;
			}
			if (msg.id !== undefined && pending.has(msg.id)) {
				const p = /** @type {NonNullable<ReturnType<typeof pending.get>>} */ (pending.get(msg.id));
				pending.delete(msg.id);
				if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}${msg.error.data ? ` (${msg.error.data})` : ''}`));
				else p.resolve(msg.result);
			} else for (const l of listeners) l(msg);
		}
	});
	child.on('exit', () => {
		exited = true;
		for (const p of pending.values()) p.reject(new Error(`chromium exited (${Buffer.concat(stderr).toString('utf8').slice(-500)})`));
		pending.clear();
	});

	/**
	 * @param {string} method
	 * @param {Record<string, unknown>} [params]
	 * @param {string} [sessionId]
	 * @returns {Promise<any>}
	 */
	function send(method, params = {}, sessionId) {
		if (exited) return Promise.reject(new Error('chromium is not running'));
		const id = nextId++;
		const msg = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
		return new Promise((resolve, reject) => {
			pending.set(id, { resolve, reject, method });
			toChrome.write(msg + '\0');
		});
	}

	/**
	 * Waits for one event (optionally of a session and matching a predicate).
	 * @param {string} method
	 * @param {{ sessionId?: string, timeoutMs?: number, where?: (params: any) => boolean }} [w]
	 */
	function waitEvent(method, w = {}) {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				listeners.delete(on);
				reject(new Error(`timed out waiting for ${method}`));
			}, w.timeoutMs ?? 30_000);
			/** @param {any} msg */
			const on = (msg) => {
				if (msg.method !== method) return;
				if (w.sessionId && msg.sessionId !== w.sessionId) return;
				if (w.where && !w.where(msg.params)) return;
				clearTimeout(timer);
				listeners.delete(on);
				resolve(msg.params);
			};
			listeners.add(on);
		});
	}

	// The browser answers once it is up.
	const version = await send('Browser.getVersion');

	async function newPage() {
		const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
		/** @param {string} m @param {Record<string, unknown>} [p] */
		const s = (m, p) => send(m, p, sessionId);
		await s('Page.enable');
		await s('Runtime.enable');
		await s('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
		return {
			sessionId,
			send: s,
			/** @param {string} url */
			async goto(url) {
				const loaded = waitEvent('Page.loadEventFired', { sessionId, timeoutMs: 60_000 });
				const r = await s('Page.navigate', { url });
				if (r.errorText) throw new Error(`navigate ${url}: ${r.errorText}`);
				await loaded;
			},
			/**
			 * Evaluates an expression in the page (promises awaited) and returns its JSON value.
			 * @param {string} expression
			 */
			async evaluate(expression) {
				const r = await s('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
				if (r.exceptionDetails) {
					const d = r.exceptionDetails;
					throw new Error(`page error: ${(d.exception && d.exception.description) || d.text}`);
				}
				return r.result ? r.result.value : undefined;
			},
			/** @returns {Promise<Buffer>} PNG of the viewport */
			async screenshot() {
				const r = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
				return Buffer.from(r.data, 'base64');
			},
			async close() {
				await send('Target.closeTarget', { targetId }).catch(() => undefined);
			},
		};
	}

	async function close() {
		await send('Browser.close').catch(() => undefined);
		await new Promise((r) => {
			if (exited) return r(undefined);
			const t = setTimeout(() => {
				child.kill('SIGKILL');
				r(undefined);
			}, 5000);
			child.on('exit', () => {
				clearTimeout(t);
				r(undefined);
			});
		});
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}

	return { version: /** @type {string} */ (version.product), pid: child.pid, newPage, close, send };
}

/** @typedef {Awaited<ReturnType<typeof launch>>} Browser */
/** @typedef {Awaited<ReturnType<Browser['newPage']>>} Page */

module.exports = { launch, chromiumFlags };
