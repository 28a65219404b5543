#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Screenshots of every template's canvas in the real n8n 2.41.1 editor, with headless Chromium
 * (Debian's `chromium`, driven over the DevTools protocol by scripts/lib/cdp.js: no npm package).
 *
 *   npm run build && node scripts/screenshots.js           # -> docs/screenshots/<template>.png
 *   node scripts/screenshots.js --only amazon-orders-to-shopify --width 1400 --height 900
 *   node scripts/screenshots.js --tarball x.tgz --out /tmp/shots --chromium /usr/bin/chromium --keep
 *
 * Same set-up as the demo (scripts/lib/story.js setUp): sandbox, credentials, every template
 * imported and published, owner logged in. Chromium logs in through the editor's own login call,
 * opens each workflow, waits until every node of the template is on the canvas, closes the
 * "Production Checklist" popover, checks that no error toast and no login page is showing, and
 * saves a PNG of the viewport. Look at the pictures before committing them.
 */

const fs = require('node:fs');
const path = require('node:path');

const install = require('./lib/n8n-install');
const kit = require('./lib/e2e-kit');
const story = require('./lib/story');
const cdp = require('./lib/cdp');
const { createInstance, packPackage, killAll, REPO_ROOT } = require('./lib/n8n-instance');

const VERSION = '2.41.1';

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = {
		out: path.join(REPO_ROOT, 'docs', 'screenshots'),
		width: 1400,
		height: 900,
		tarball: '',
		chromium: process.env.CHROMIUM || '/usr/bin/chromium',
		only: /** @type {string[]} */ ([]),
		keep: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const v = () => argv[++i] || '';
		if (a === '--out') o.out = path.resolve(v());
		else if (a === '--width') o.width = Number(v());
		else if (a === '--height') o.height = Number(v());
		else if (a === '--tarball') o.tarball = path.resolve(v());
		else if (a === '--chromium') o.chromium = v();
		else if (a === '--only') o.only.push(...v().split(','));
		else if (a === '--keep') o.keep = true;
		else if (a === '--help' || a === '-h') {
			const src = fs.readFileSync(__filename, 'utf8');
			process.stdout.write(src.slice(src.indexOf('/**') + 3, src.indexOf('*/')).replace(/^ \* ?/gm, '').trim() + '\n');
			process.exit(0);
		} else {
			process.stderr.write(`unknown argument: ${a}\n`);
			process.exit(2);
		}
	}
	return o;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {cdp.Page} page
 * @param {string} expression  evaluated until truthy
 * @param {string} label
 * @param {number} [timeoutMs]
 */
async function until(page, expression, label, timeoutMs = 30_000) {
	return kit.waitFor(() => page.evaluate(expression), { timeoutMs, intervalMs: 250, label });
}

/**
 * n8n 2.x opens a "Production Checklist" popover over the left of the canvas shortly after a
 * workflow loads: wait for it, then click its close button like a person (a real mouse click).
 * @param {cdp.Page} page
 */
async function closeChecklist(page) {
	const where = `(() => { const x = document.querySelector('[data-test-id="suggested-actions-close"]'); if (!x) return null; const r = x.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`;
	const deadline = Date.now() + 5000;
	let pos = null;
	while (!pos && Date.now() < deadline) {
		pos = await page.evaluate(where);
		if (!pos) await sleep(250);
	}
	if (!pos) return;
	for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
		await page.send('Input.dispatchMouseEvent', { type, x: pos.x, y: pos.y, button: 'left', clickCount: 1 });
	}
	await until(page, `!document.querySelector('[data-test-id="suggested-actions-close"]')`, 'the checklist popover to close', 5000).catch(() => undefined);
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(o.chromium)) throw new Error(`${o.chromium} not found: apt-get install -y chromium (or pass --chromium <path>)`);
	const files = story.templateFiles().filter((f) => !o.only.length || o.only.includes(f));
	if (!files.length) throw new Error(`no template matches ${o.only.join(', ')}`);
	await install.ensureN8n(VERSION, { quiet: false });
	const tarball = o.tarball || packPackage(REPO_ROOT, path.join(REPO_ROOT, '.e2e', 'screenshots-pack'));
	const sb = await kit.startSandbox(story.SANDBOX_OPTIONS);
	const n8n = await createInstance({ version: VERSION, tarball, keep: o.keep });
	const checker = kit.createChecker();
	/** @type {cdp.Browser | null} */
	let browser = null;
	try {
		/** @type {import('./lib/story').Reporter} */
		const reporter = { check: checker.check, equal: checker.equal, skip: checker.skip, metric: () => undefined, log: () => undefined };
		const world = await story.setUp(n8n, sb, reporter);
		browser = await cdp.launch({ executable: o.chromium, width: o.width, height: o.height });
		process.stdout.write(`${browser.version}, ${o.width}x${o.height}\n`);
		const page = await browser.newPage();

		// Log in with the editor's own call, so the cookie is bound to this browser's browser-id.
		await page.goto(`${n8n.baseUrl}/signin`);
		await until(page, `!!localStorage.getItem('n8n-browserId')`, 'the sign-in page');
		const status = await page.evaluate(
			`(async () => {
				const r = await fetch('/rest/login', { method: 'POST', headers: { 'content-type': 'application/json', 'browser-id': localStorage.getItem('n8n-browserId') },
					body: JSON.stringify(${JSON.stringify({ email: n8n.owner.email, emailOrLdapLoginId: n8n.owner.email, password: n8n.owner.password })}) });
				return r.status;
			})()`,
		);
		if (status !== 200) throw new Error(`login in Chromium: HTTP ${status}`);

		fs.mkdirSync(o.out, { recursive: true });
		for (const file of files) {
			const t = world.templates.find((x) => x.file === file);
			if (!t) throw new Error(`template ${file} was not imported`);
			const template = kit.loadTemplate(file);
			const nodes = template.nodes.filter((/** @type {any} */ n) => n.type !== 'n8n-nodes-base.stickyNote').length;
			const stickies = template.nodes.length - nodes;
			await page.goto(`${n8n.baseUrl}/workflow/${t.id}`);
			await until(page, `document.querySelectorAll('[data-test-id="canvas-node"]').length >= ${nodes}`, `${nodes} nodes of ${file} on the canvas`);
			await closeChecklist(page);
			await sleep(1500); // fit-to-view animation, node icons
			const seen = await page.evaluate(
				`JSON.stringify({
					url: location.pathname,
					nodes: document.querySelectorAll('[data-test-id="canvas-node"]').length,
					stickies: document.querySelectorAll('.vue-flow__node-canvas-node .sticky, [data-test-id="sticky"], .n8n-sticky').length,
					toasts: [...document.querySelectorAll('.el-notification')].map((e) => e.innerText.trim()).filter(Boolean),
					checklist: !!document.querySelector('[data-test-id="suggested-actions-close"]'),
					signin: !!document.querySelector('[data-test-id="signin-form"], form[name="signin"]'),
				})`,
			);
			const s = JSON.parse(seen);
			const ok = checker.check(
				`${file}: ${s.nodes} nodes on the canvas (template: ${nodes} nodes + ${stickies} sticky notes), no toast, not the login page`,
				s.url.includes(t.id) && s.nodes >= nodes && s.toasts.length === 0 && !s.signin && !s.checklist,
				s,
			);
			const png = await page.screenshot();
			const target = path.join(o.out, `${file}.png`);
			fs.writeFileSync(target, png);
			process.stdout.write(`  ${ok ? 'saved' : 'saved (check it!)'} ${path.relative(REPO_ROOT, target)} (${Math.round(png.length / 1024)} KB)\n`);
		}
	} finally {
		if (browser) await browser.close();
		await n8n.stop().catch(() => undefined);
		await n8n.dispose({ keep: o.keep || checker.failed > 0 });
		await sb.stop();
	}
	process.stdout.write(`${checker.summary()}\n`);
	return checker.failed ? 1 : 0;
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
	process.on(sig, () => {
		killAll();
		process.exit(130);
	});
}

main().then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`screenshots: ${e && e.stack ? e.stack : e}\n`);
		killAll();
		process.exit(1);
	},
);
