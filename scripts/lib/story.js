// @ts-check
'use strict';
/**
 * The whole story on a real n8n, against the marketplace sandbox. ONE module for both callers:
 * scripts/e2e/story.js (end-to-end scenario: the story + bad input, on n8n 2.x and 1.x) and
 * scripts/demo.js (`npm run demo`: the story with progress and a summary, editor left open).
 *
 *   const story = require('./lib/story');
 *   const sb = await kit.startSandbox(story.SANDBOX_OPTIONS);
 *   const world = await story.setUp(n8n, sb, reporter, { badInput: true });   // import, publish, start, login
 *   const summary = await story.run(world, reporter);                          // the seven steps
 *   await story.badInput(world, reporter);                                     // e2e only
 *   process.stdout.write(story.formatSummary(summary));
 *
 * The steps (issue #7), asserted on the sandbox's state, never on elapsed time:
 *   1. Amazon orders are seeded; the Amazon Order Trigger imports them into Shopify, each once.
 *   2. Orders are fulfilled in Shopify (as the merchant in the admin); the fulfillment webhooks
 *      reach n8n; Amazon shows the shipments confirmed with the same date, carrier and tracking.
 *   3. A refund in Shopify becomes an Amazon payment adjustment feed (and a cancellation in
 *      Shopify an order acknowledgement feed).
 *   4. A refund made on Amazon is recorded in Shopify (and the one step 3 sent is not recorded back).
 *   5. A cancellation by the buyer on Amazon cancels the Shopify order (and does not echo back).
 *   6. A refund in Shopify of an order already refunded on Amazon is refused, and the merchant
 *      notification branch gets the refusal.
 *   7. The ship-by alert lists the unshipped order that is due.
 *   Throughout: Shopify never notified a customer (checked at the end).
 *
 * How the run stays short (documented in docs/README-e2e-demo.md):
 *  - Templates are imported untouched (ids and credential references injected by
 *    importWorkflows). Their Amazon Order Trigger polls every 5 minutes, and Amazon only searches
 *    orders last updated more than 2 minutes ago (the trigger adds a 1-minute safety margin). So
 *    the seeded orders are dated 3 minutes back ("placed 3 minutes ago"), and a poll is started
 *    by switching the workflow off and on through the editor's REST API: n8n runs a polling
 *    trigger's poll when it activates it (a production poll, execution mode "trigger").
 *  - The two hourly templates (Amazon refunds to Shopify, ship-by alerts) are run with
 *    "Execute workflow" (REST, mode "manual").
 *  - The sandbox runs its durations 60x faster (SANDBOX_OPTIONS.clockScale): feeds are processed
 *    in 2 s instead of 2 min, and Amazon's financial-event delay is skipped with advanceTime.
 *    Sync Refund still asks Amazon about a feed every 20 s (its default), which is most of step 3.
 */

const fs = require('node:fs');
const path = require('node:path');

const kit = require('./e2e-kit');
const rest = require('./n8n-rest');
const { REPO_ROOT } = require('./n8n-instance');

/** @typedef {import('./n8n-instance').N8nInstance} N8nInstance */
/** @typedef {import('./e2e-kit').Sandbox} Sandbox */

/**
 * Sandbox settings of the story: durations (token lifetime, feed processing, webhook retries,
 * rate-limit refill) run 60x faster; timestamps stay wall-clock.
 */
const SANDBOX_OPTIONS = { clockScale: 60, seed: 7 };

/** The templates the story drives, by file name (templates/<file>.json). */
const TEMPLATES = /** @type {const} */ ({
	orders: 'amazon-orders-to-shopify',
	fulfillments: 'shopify-fulfillments-to-amazon',
	refundsToAmazon: 'shopify-refunds-to-amazon',
	refundsFromAmazon: 'amazon-refunds-to-shopify',
	shipBy: 'amazon-ship-by-alerts',
});
/** @typedef {keyof typeof TEMPLATES} TemplateKey */

const MARKETPLACE = { US: 'ATVPDKIKX0DER', CA: 'A2EUQ1WTGCTBG2' };

/**
 * @typedef {{
 *   check: (label: string, cond: unknown, detail?: unknown) => boolean,
 *   equal: (label: string, actual: unknown, expected: unknown) => boolean,
 *   skip: (label: string, why?: string) => void,
 *   metric: (name: string, value: number | string | undefined) => void,
 *   log: (line: string) => void,
 * }} Reporter
 *
 * @typedef {{
 *   key: string, spec: any, note: string, amazonOrderId?: string, seededAt?: number,
 *   expect: 'import' | 'held',
 * }} StoryOrder
 *
 * @typedef {{
 *   n8n: N8nInstance,
 *   sb: Sandbox,
 *   wf: Partial<Record<TemplateKey, string>>,
 *   templates: { file: string, id: string, name: string }[],
 *   bad: { wrongSecretWf?: string, noCredentialsWf?: string, noCredentialsName?: string },
 *   orders: Record<string, StoryOrder>,
 *   shopifyByAmazon: Record<string, any>,
 *   marks: Record<string, number>,
 *   latency: { importMs: number[], confirmMs: number[] },
 *   startedAt: number,
 * }} World
 */

// ---------------------------------------------------------------------------------------------
// small helpers

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** @param {number[]} list */
function stats(list) {
	if (!list.length) return null;
	const s = [...list].sort((a, b) => a - b);
	return { n: s.length, min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
}

/** @param {unknown} e */
const msg = (e) => (e instanceof Error ? e.message : String(e));

/** Every template file in templates/, sorted. */
function templateFiles() {
	return fs
		.readdirSync(path.join(REPO_ROOT, 'templates'))
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.replace(/\.json$/, ''))
		.sort();
}

/**
 * Items of one output of one node in a stored execution (all runs of the node).
 * @param {any} exec  an ExecutionSummary with data
 * @param {string} node
 * @param {number} [output]
 * @returns {any[]}
 */
function outItems(exec, node, output = 0) {
	const runs = exec && exec.data && exec.data.resultData && exec.data.resultData.runData && exec.data.resultData.runData[node];
	if (!runs) return [];
	return runs.flatMap((/** @type {any} */ run) => ((run.data && run.data.main && run.data.main[output]) || []).map((/** @type {any} */ it) => it.json));
}

/** @param {any} exec */
function execError(exec) {
	const e = exec && exec.data && exec.data.resultData && exec.data.resultData.error;
	if (!e) return null;
	return { message: e.message, description: e.description, node: e.node && e.node.name };
}

/** Credentials as a merchant fills them in, pointing at the sandbox (US + CA marketplaces). */
/** @param {Sandbox} sb */
function storyCredentials(sb) {
	const list = kit.sandboxCredentials(sb, { names: { amazon: 'Amazon Seller Central (sandbox)', shopify: 'Shopify store (sandbox)' } });
	const amazon = list.find((c) => c.type === 'amazonSellingPartnerApi');
	if (amazon) amazon.data.marketplaceIds = [MARKETPLACE.US, MARKETPLACE.CA];
	return list;
}

// ---------------------------------------------------------------------------------------------
// set-up: credentials, every template, publish, start, login, wait until activated

/**
 * Imports the credentials and EVERY template (untouched apart from injected ids and credential
 * references), publishes them, starts n8n, logs in as the owner and waits until the triggers are
 * active (Shopify webhook subscriptions exist, the Amazon trigger stored its starting point).
 * @param {N8nInstance} n8n  created, not started
 * @param {Sandbox} sb
 * @param {Reporter} r
 * @param {{ badInput?: boolean }} [o]  badInput: also import what story.badInput() needs
 * @returns {Promise<World>}
 */
async function setUp(n8n, sb, r, o = {}) {
	if (!sb.shopify) throw new Error('the story needs both sides of the sandbox (sandbox/shopify is missing)');
	const t = Date.now();
	// The Shopify catalogue (every 4th Amazon SKU is deliberately not in the store).
	const { catalogue } = require(path.join(REPO_ROOT, 'sandbox', 'seed'));
	await sb.shopify.control.seedProducts(catalogue);

	await n8n.importCredentials(storyCredentials(sb));
	const files = templateFiles();
	const imported = await n8n.importWorkflows(files.map((f) => kit.loadTemplate(f)));
	/** @type {World['templates']} */
	const templates = imported.map((w, i) => ({ file: files[i], id: w.id, name: w.name }));
	/** @type {World['wf']} */
	const wf = {};
	for (const [key, file] of Object.entries(TEMPLATES)) {
		const found = templates.find((x) => x.file === file);
		if (found) wf[/** @type {TemplateKey} */ (key)] = found.id;
	}
	r.check(
		`every template imported with the CLI (${templates.map((x) => x.file).join(', ')})`,
		templates.length === files.length && templates.length > 0,
	);
	const missing = Object.values(TEMPLATES).filter((f) => !files.includes(f));
	if (missing.length) r.check(`the story's templates exist (missing: ${missing.join(', ')})`, false);

	/** @type {World['bad']} */
	const bad = {};
	if (o.badInput) {
		// A second Amazon credential whose client secret is wrong, used by a copy of the ship-by template.
		const good = storyCredentials(sb).find((c) => c.type === 'amazonSellingPartnerApi');
		const [wrong] = await n8n.importCredentials([
			{ name: 'Amazon (wrong client secret)', type: 'amazonSellingPartnerApi', data: { ...(good ? good.data : {}), clientSecret: 'amzn1.oa2-cs.v1.this-is-not-the-secret' } },
		]);
		const shipBy = kit.loadTemplate(TEMPLATES.shipBy);
		shipBy.name = `${shipBy.name} (wrong secret)`;
		const shopify = n8n.credentials.find((c) => c.type === 'shopifyAdminApi');
		const [w1] = await n8n.importWorkflows([shipBy], {
			credentialsByType: { amazonSellingPartnerApi: { id: wrong.id, name: wrong.name }, ...(shopify ? { shopifyAdminApi: { id: shopify.id, name: shopify.name } } : {}) },
		});
		bad.wrongSecretWf = w1.id;
		// The orders template as a user has it who skipped the credential setup.
		const orders = kit.loadTemplate(TEMPLATES.orders);
		orders.name = `${orders.name} (no credentials)`;
		const [w2] = await n8n.importWorkflows([orders], { credentials: false });
		bad.noCredentialsWf = w2.id;
		bad.noCredentialsName = orders.name;
	}

	for (const x of templates) await n8n.publish(x.id);
	r.metric('set-up: import credentials + templates, publish', Date.now() - t);
	await n8n.start();
	r.metric('n8n boot', n8n.bootMs);
	await n8n.login();

	/** @type {World} */
	const world = {
		n8n,
		sb,
		wf,
		templates,
		bad,
		orders: {},
		shopifyByAmazon: {},
		marks: {},
		latency: { importMs: [], confirmMs: [] },
		startedAt: Date.now(),
	};
	// n8n activates published workflows after "Editor is now accessible": wait for the effects.
	await kit.waitFor(
		async () => {
			const subs = sb.shopify ? sb.shopify.control.state().webhooks.subscriptions : [];
			/** @type {TemplateKey[]} */
			const need = ['fulfillments', 'refundsToAmazon'];
			let subscribed = true;
			for (const key of need) {
				if (!wf[key]) continue;
				const uri = await webhookUri(world, key);
				subscribed = subscribed && !!uri && subs.some((/** @type {any} */ s) => s.uri === uri);
			}
			const cursor = wf.orders ? await triggerState(world) : { floor: 'n/a' };
			return subscribed && cursor && cursor.floor;
		},
		{ timeoutMs: 90_000, intervalMs: 300, label: 'the published workflows to be active (webhook subscriptions, Amazon trigger starting point)' },
	);
	r.metric('activation after boot', Date.now() - world.startedAt);
	const subs = sb.shopify.control.state().webhooks.subscriptions;
	r.check(
		`Shopify Order Events Triggers subscribed on activation: ${subs.map((/** @type {any} */ s) => s.topic).sort().join(', ')}`,
		subs.length >= 4,
		subs,
	);
	return world;
}

// ---------------------------------------------------------------------------------------------
// reading state

/** @param {World} world */
async function triggerState(world) {
	if (!world.wf.orders) return null;
	const data = await world.n8n.workflowStaticData(world.wf.orders);
	return (data && data['node:Amazon Order Trigger'] && data['node:Amazon Order Trigger'].amazonOrders) || null;
}

/**
 * The URL a template's Shopify Order Events Trigger subscribed with (kept in its static data).
 * @param {World} world @param {TemplateKey} key
 * @returns {Promise<string | null>}
 */
async function webhookUri(world, key) {
	const id = world.wf[key];
	if (!id) return null;
	const data = await world.n8n.workflowStaticData(id);
	const node = data && data['node:Shopify Order Events Trigger'];
	return (node && node.subscriptions && node.subscriptions.uri) || null;
}

/** @param {World} world */
async function lastExecutionId(world) {
	const [[row]] = await world.n8n.queryDb([{ sql: 'SELECT max(id) AS m FROM execution_entity' }]);
	return Number((row && row.m) || 0);
}

/**
 * Finished executions (with data) of one template's workflow since an execution id.
 * @param {World} world @param {TemplateKey} key @param {number} sinceId
 */
async function executionsOf(world, key, sinceId) {
	const id = world.wf[key];
	if (!id) return [];
	const list = await world.n8n.executions({ workflowId: id, includeData: true, sinceId });
	return list.filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
}

/** @param {World} world @param {string} amazonOrderId */
function shopifyOrdersFor(world, amazonOrderId) {
	if (!world.sb.shopify) return [];
	return world.sb.shopify.control
		.state()
		.orders.filter((/** @type {any} */ o) => o.sourceIdentifier === amazonOrderId || o.metafields.some((/** @type {any} */ m) => m.namespace === 'amazon' && m.key === 'order_id' && m.value === amazonOrderId));
}

/**
 * The Amazon order ids a feed's uploaded document names (AmazonOrderID elements).
 * @param {Sandbox} sb @param {any} feed  an entry of amazon.control.feeds()
 * @returns {string[]}
 */
function feedOrderIds(sb, feed) {
	const upload = sb.amazon.control.recordedRequests({ operation: 'uploadFeedDocument' }).find((/** @type {any} */ q) => String(q.path).includes(feed.inputFeedDocumentId));
	const body = upload ? String(upload.body || '') : '';
	return [...body.matchAll(/<AmazonOrderID>([^<]+)<\/AmazonOrderID>/g)].map((m) => m[1]);
}

/** @param {World} world @param {string} amazonOrderId */
function amazonOrder(world, amazonOrderId) {
	return world.sb.amazon.control.getOrder(amazonOrderId);
}

/** The seed's Amazon order with the story's timestamps. */
function buildAmazonOrder(/** @type {any} */ spec, /** @type {number} */ now, /** @type {string} */ key) {
	const { buildOrder } = require(path.join(REPO_ROOT, 'sandbox', 'seed'));
	const { createRng } = require(path.join(REPO_ROOT, 'sandbox', 'lib', 'rng'));
	return buildOrder(spec, { now, rng: createRng(`story-${key}-${now}`) });
}

// ---------------------------------------------------------------------------------------------
// the story

/**
 * The story's Amazon orders. `expect: 'import'` orders become Shopify orders; what happens next
 * to each is in its note.
 * @param {number} updatedMs  their lastUpdatedTime ("placed 3 minutes ago")
 * @returns {Record<string, StoryOrder>}
 */
function storyOrders(updatedMs) {
	const t = iso(updatedMs);
	const day = 24 * 3600 * 1000;
	/** @type {[string, string, 'import' | 'held', any][]} */
	const list = [
		['A1', 'fulfilled (UPS), then 1 of 2 mugs refunded in Shopify', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08875, items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 2, unitPrice: '24.99', shipping: '5.99' }, { sku: 'TEA-MATCHA-WHISK', quantity: 1, unitPrice: '18.99' }] }],
		['A2', 'SKU not in the Shopify store (custom line), fulfilled (USPS)', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.0725, items: [{ sku: 'LAMP-ANGSTROM-DESK', quantity: 1, unitPrice: '45.99', shipping: '4.99' }] }],
		['A3', 'fulfilled (FedEx), refunded on Amazon, then refunded again in Shopify', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.0825, items: [{ sku: 'YOGA-MAT-6MM', quantity: 1, unitPrice: '28.99' }] }],
		['A4', 'fulfilled (USPS), 1 of 2 bottles refunded on Amazon', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08, items: [{ sku: 'BOTTLE-STEEL-750', quantity: 2, unitPrice: '21.99', shipping: '4.99' }] }],
		['A5', 'ordered yesterday, not shipped yet: in the ship-by alert', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08, createdTime: iso(updatedMs - 1.3 * day), items: [{ sku: 'NOTEBOOK-A5-DOT', quantity: 3, unitPrice: '14.99' }] }],
		['A7', 'canceled by the buyer on Amazon before shipping', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08, items: [{ sku: 'PUZZLE-1000-FJORD', quantity: 1, unitPrice: '19.99', shipping: '3.99' }] }],
		['A6', 'cancelled in Shopify with a refund', 'import', { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08, items: [{ sku: 'CANDLE-SOY-LAVENDER', quantity: 1, unitPrice: '17.99', shipping: '4.99' }] }],
		['C1', 'Amazon.ca order in CAD, fulfilled (Canada Post)', 'import', { marketplace: 'CA', status: 'UNSHIPPED', items: [{ sku: 'SCARF-CASHMERE-GREY', quantity: 1, shipping: '6.99' }] }],
		['F1', 'fulfilled by Amazon (FBA): imported as fulfilled, nothing to confirm', 'import', { marketplace: 'US', status: 'SHIPPED', fulfilledBy: 'AMAZON', taxRate: 0.08, items: [{ sku: 'CHARGER-USBC-65W', quantity: 1, unitPrice: '39.99' }] }],
		['P1', 'Pending on Amazon (no prices yet): held until Amazon prices it', 'held', { marketplace: 'US', status: 'PENDING', items: [{ sku: 'SOAP-OLIVE-3PK', quantity: 2, unitPrice: '11.99' }] }],
	];
	/** @type {Record<string, StoryOrder>} */
	const out = {};
	for (const [key, note, expect, spec] of list) out[key] = { key, note, expect, spec: { createdTime: iso(updatedMs - 20 * 60_000), ...spec, lastUpdatedTime: t } };
	return out;
}

/**
 * Starts a production poll of the Amazon Order Trigger now (switch the workflow off and on) and
 * waits until it stored its state.
 * @param {World} world
 */
async function pollNow(world) {
	const id = /** @type {string} */ (world.wf.orders);
	const before = JSON.stringify(await triggerState(world));
	await rest.reactivate(world.n8n, id);
	await kit.waitFor(async () => JSON.stringify(await triggerState(world)) !== before, {
		timeoutMs: 60_000,
		intervalMs: 250,
		label: 'the Amazon Order Trigger to store a new poll state',
	});
}

/**
 * Step 1: seeded Amazon orders -> Shopify orders, each exactly once.
 * @param {World} world @param {Reporter} r
 */
async function stepImport(world, r) {
	const { sb } = world;
	const state = await triggerState(world);
	const floorMs = Date.parse(state && state.floor ? state.floor : iso(Date.now() - 180_000));
	// "Placed 3 minutes ago": Amazon only finds orders last updated > 2 min ago, the trigger keeps
	// 1 more minute; not before the trigger's starting point ("Start From Now").
	const updatedMs = Math.max(floorMs + 1000, Date.now() - 185_000);
	world.orders = storyOrders(updatedMs);
	// Before seeding: the template's own 5-minute schedule may poll first, which is fine.
	const sinceExec = await lastExecutionId(world);
	const now = Date.now();
	const full = Object.values(world.orders).map((o) => buildAmazonOrder(o.spec, now, o.key));
	const ids = sb.amazon.control.seedOrders(full);
	const seededAt = Date.now();
	Object.values(world.orders).forEach((o, i) => {
		o.amazonOrderId = ids[i];
		o.seededAt = seededAt;
	});
	r.log(`seeded ${ids.length} Amazon orders (last updated ${iso(updatedMs)}): ${Object.values(world.orders).map((o) => `${o.key} ${o.amazonOrderId}`).join(', ')}`);
	// The poll's window ends 3 minutes before now, to the second.
	const visibleAt = updatedMs + 181_000;
	if (Date.now() < visibleAt) await sleep(visibleAt - Date.now());

	await pollNow(world);
	const toImport = Object.values(world.orders).filter((o) => o.expect === 'import');
	const got = await kit
		.waitFor(
			() => {
				const found = toImport.filter((o) => shopifyOrdersFor(world, /** @type {string} */ (o.amazonOrderId)).length > 0);
				for (const o of found) {
					const id = /** @type {string} */ (o.amazonOrderId);
					if (!world.shopifyByAmazon[id]) {
						world.shopifyByAmazon[id] = shopifyOrdersFor(world, id)[0];
						world.latency.importMs.push(Date.now() - /** @type {number} */ (o.seededAt));
					}
				}
				return found.length === toImport.length ? found : null;
			},
			{ timeoutMs: 120_000, intervalMs: 200, label: `${toImport.length} Shopify orders` },
		)
		.catch((e) => {
			r.check('seeded Amazon orders appear in Shopify', false, msg(e));
			return null;
		});
	if (got) r.check(`${toImport.length} Amazon orders imported into Shopify by the Amazon Order Trigger`, true);

	/** @param {any[]} list */
	const createdIds = (list) => new Set(list.flatMap((e) => outItems(e, 'Create Shopify Order', 0)).filter((j) => j.created === true).map((j) => j.amazonOrderId));
	const execs = await kit
		.waitFor(
			async () => {
				const list = await executionsOf(world, 'orders', sinceExec);
				return createdIds(list).size >= toImport.length ? list : null;
			},
			{ timeoutMs: 60_000, intervalMs: 300, label: 'the import executions' },
		)
		.catch(async () => executionsOf(world, 'orders', sinceExec));
	r.check(
		`import ran as production executions (mode trigger), all successful (${execs.map((e) => `#${e.id} ${e.mode} ${e.status}`).join(', ')})`,
		execs.length > 0 && execs.every((e) => e.status === 'success' && e.mode === 'trigger'),
		execs.map((e) => ({ id: e.id, mode: e.mode, status: e.status, error: execError(e) })),
	);
	const outputs = execs.flatMap((e) => outItems(e, 'Create Shopify Order', 0));
	const failed = execs.flatMap((e) => outItems(e, 'Create Shopify Order', 1));
	const created = createdIds(execs);
	r.check(
		`Create Shopify Order: ${created.size} created, ${outputs.length - created.size} other outputs, ${failed.length} on the error output`,
		toImport.every((o) => created.has(o.amazonOrderId)) && failed.length === 0,
		{ outputs: outputs.map((j) => [j.amazonOrderId, j.created, j.reason]), failed },
	);
	const summaries = execs.flatMap((e) => outItems(e, 'Merchant Summary', 0));
	const createdSummaries = summaries.filter((x) => x.result === 'Created in Shopify');
	r.check(
		`Merchant Summary says "Created in Shopify" once per order (${createdSummaries.length}${summaries.length > createdSummaries.length ? `; also ${summaries.length - createdSummaries.length} "Already in Shopify"` : ''})`,
		createdSummaries.length === toImport.length && new Set(createdSummaries.map((x) => x.amazonOrderId)).size === toImport.length,
		summaries,
	);

	// Shape of what was created, on the Shopify side.
	for (const o of toImport) {
		const id = /** @type {string} */ (o.amazonOrderId);
		const s = world.shopifyByAmazon[id];
		if (!s) continue;
		const amazon = amazonOrder(world, id);
		const tags = s.tags || [];
		const itemIds = (s.lineItems || []).map((/** @type {any} */ l) => {
			const p = (l.properties || []).find((/** @type {any} */ a) => a.name === '_amazon_order_item_id');
			return p ? p.value : null;
		});
		const metafield = (s.metafields || []).find((/** @type {any} */ m) => m.namespace === 'amazon' && m.key === 'order_id');
		const grand = amazon.proceeds.grandTotal;
		const total = JSON.stringify(s.totals && s.totals.total);
		r.check(
			`${o.key} ${id} -> ${s.name}: linked (sourceIdentifier, amazon.order_id, tags ${tags.join('/')}, line item ids), total ${grand.currencyCode} ${grand.amount} as on Amazon`,
			s.sourceIdentifier === id &&
				!!metafield &&
				metafield.value === id &&
				tags.includes('Amazon') &&
				s.presentmentCurrency === grand.currencyCode &&
				itemIds.length === amazon.orderItems.length &&
				amazon.orderItems.every((/** @type {any} */ it) => itemIds.includes(it.orderItemId)) &&
				total.includes(`"${grand.amount}"`),
			{ shopify: { sourceIdentifier: s.sourceIdentifier, metafield, tags, presentmentCurrency: s.presentmentCurrency, itemIds, total: s.totals && s.totals.total }, amazon: amazon.proceeds },
		);
	}
	const held = Object.values(world.orders).filter((o) => o.expect === 'held');
	for (const o of held) r.check(`${o.key} ${o.amazonOrderId} (PENDING, no prices yet) is held, not imported`, shopifyOrdersFor(world, /** @type {string} */ (o.amazonOrderId)).length === 0);
	const f1 = world.orders.F1 && world.shopifyByAmazon[/** @type {string} */ (world.orders.F1.amazonOrderId)];
	if (f1) r.check(`F1 (FBA) imported as fulfilled in Shopify (${f1.displayFulfillmentStatus}), tagged FBA`, f1.displayFulfillmentStatus === 'FULFILLED' && f1.tags.includes('FBA'), f1.tags);

	// Exactly once: another production poll re-reads the same window (15 minutes of overlap).
	const beforeSecond = await lastExecutionId(world);
	const cursorBefore = (await triggerState(world)) || {};
	await pollNow(world);
	const cursorAfter = (await triggerState(world)) || {};
	await sleep(1500); // an emitting poll stores its execution right after the state
	const again = await executionsOf(world, 'orders', beforeSecond);
	const counts = toImport.map((o) => shopifyOrdersFor(world, /** @type {string} */ (o.amazonOrderId)).length);
	r.check(
		`a second poll over the same window (cursor ${cursorBefore.cursor} -> ${cursorAfter.cursor}) imports nothing again: ${again.length} new executions, each Amazon order exactly once in Shopify`,
		again.length === 0 && counts.every((c) => c === 1),
		{ executions: again.map((e) => e.id), counts },
	);
	const importStats = stats(world.latency.importMs);
	if (importStats) {
		r.metric('seeded Amazon order -> Shopify order (median)', importStats.median);
		r.metric('seeded Amazon order -> Shopify order (max)', importStats.max);
	}
}

/**
 * Step 2: fulfilled in Shopify -> confirmed on Amazon with the same date, carrier and tracking.
 * @param {World} world @param {Reporter} r
 */
async function stepFulfill(world, r) {
	const { sb } = world;
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (sb.shopify);
	const plan = [
		['A1', 'UPS', '1Z999AA10123456784', 'UPS'],
		['A2', 'USPS', '9400111899223197428490', 'USPS'],
		['A3', 'FedEx', '612999AA10123456', 'FedEx'],
		['A4', 'USPS', '9400111899223197428491', 'USPS'],
		['C1', 'Canada Post', '1234567890123456', 'Canada Post'],
	].filter(([key]) => world.orders[key] && world.shopifyByAmazon[/** @type {string} */ (world.orders[key].amazonOrderId)]);
	/** @type {{ key: string, amazonOrderId: string, fulfillment: any, at: number, company: string, number: string, amazonCarrier: string }[]} */
	const done = [];
	for (const [key, company, number, amazonCarrier] of plan) {
		const amazonOrderId = /** @type {string} */ (world.orders[key].amazonOrderId);
		const at = Date.now();
		const fulfillment = shopify.control.fulfillOrder(world.shopifyByAmazon[amazonOrderId].id, { tracking: { company, number } });
		done.push({ key, amazonOrderId, fulfillment, at, company, number, amazonCarrier });
	}
	r.log(`fulfilled ${done.length} orders in Shopify: ${done.map((d) => `${d.key} ${d.company} ${d.number}`).join(', ')}`);

	const pending = new Set(done.map((d) => d.amazonOrderId));
	await kit
		.waitFor(
			() => {
				for (const d of done) {
					if (!pending.has(d.amazonOrderId)) continue;
					const a = amazonOrder(world, d.amazonOrderId);
					if ((a.packages || []).some((/** @type {any} */ p) => p.trackingNumber === d.number)) {
						pending.delete(d.amazonOrderId);
						world.latency.confirmMs.push(Date.now() - d.at);
					}
				}
				return pending.size === 0;
			},
			{ timeoutMs: 90_000, intervalMs: 100, label: `${done.length} shipment confirmations on Amazon` },
		)
		.catch((e) => r.check('every fulfillment is confirmed on Amazon', false, msg(e)));

	for (const d of done) {
		const a = amazonOrder(world, d.amazonOrderId);
		const pkg = (a.packages || []).find((/** @type {any} */ p) => p.trackingNumber === d.number);
		const shipTime = pkg ? Date.parse(pkg.shipTime) : NaN;
		const fulfilledAt = Date.parse(d.fulfillment.createdAt);
		const sameInstant = Math.floor(shipTime / 1000) === Math.floor(fulfilledAt / 1000);
		r.check(
			`${d.key} ${d.amazonOrderId}: Amazon ${a.fulfillment.fulfillmentStatus}, package ${pkg ? pkg.packageReferenceId : '-'} ${pkg ? pkg.carrier : '-'} ${d.number}, ship date ${pkg ? pkg.shipTime : '-'} = Shopify fulfillment ${d.fulfillment.createdAt}`,
			!!pkg && a.fulfillment.fulfillmentStatus === 'SHIPPED' && pkg.carrier === d.amazonCarrier && sameInstant,
			{ packages: a.packages, shopifyFulfillment: d.fulfillment },
		);
	}
	await shopify.control.waitForWebhooks();
	const uri = await webhookUri(world, 'fulfillments');
	const deliveries = shopify.control.state().webhooks.deliveries.filter((/** @type {any} */ x) => x.topic.startsWith('fulfillments/') && x.uri === uri);
	r.check(
		`Shopify's fulfillment webhooks reached n8n (${deliveries.length} deliveries, all answered 200)`,
		deliveries.length >= done.length && deliveries.every((/** @type {any} */ x) => x.state === 'delivered'),
		deliveries.map((/** @type {any} */ x) => ({ topic: x.topic, state: x.state, attempts: x.attempts.map((/** @type {any} */ a) => a.status) })),
	);
	// Since the import: the FBA order's fulfillment reached this workflow when it was created.
	const execs = await executionsOf(world, 'fulfillments', world.marks.import || 0);
	const confirmed = execs.flatMap((e) => outItems(e, 'Mark Amazon Fulfilled', 0));
	const skipped = execs.flatMap((e) => outItems(e, 'Mark Amazon Fulfilled', 1));
	const errors = execs.flatMap((e) => outItems(e, 'Mark Amazon Fulfilled', 2));
	r.check(
		`fulfillment executions (mode webhook): ${confirmed.length} confirmed, ${skipped.length} skipped (${skipped.map((s) => s.reason).join(', ') || '-'}), ${errors.length} errors`,
		execs.length > 0 && execs.every((e) => e.status === 'success' && e.mode === 'webhook') && errors.length === 0 && confirmed.length >= done.length,
		execs.map((e) => ({ id: e.id, mode: e.mode, status: e.status, error: execError(e) })),
	);
	const f1 = world.orders.F1;
	if (f1 && world.shopifyByAmazon[/** @type {string} */ (f1.amazonOrderId)]) {
		const calls = sb.amazon.control.recordedRequests({ operation: 'confirmShipment' }).filter((/** @type {any} */ q) => q.path.includes(/** @type {string} */ (f1.amazonOrderId)));
		r.check(
			`F1 (FBA): the fulfillment Shopify created on import is skipped as fbaOrder, no confirmShipment sent`,
			skipped.some((s) => s.reason === 'fbaOrder') && calls.length === 0,
			{ skipped, calls: calls.length },
		);
	}
	const confirmStats = stats(world.latency.confirmMs);
	if (confirmStats) {
		r.metric('Shopify fulfillment -> Amazon confirmation (median)', confirmStats.median);
		r.metric('Shopify fulfillment -> Amazon confirmation (max)', confirmStats.max);
	}
}

/**
 * Step 3: a refund and a cancellation in Shopify -> Amazon feeds.
 * @param {World} world @param {Reporter} r
 */
async function stepRefundToAmazon(world, r) {
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (world.sb.shopify);
	const amazon = world.sb.amazon.control;
	const a1 = world.orders.A1 && /** @type {string} */ (world.orders.A1.amazonOrderId);
	const a6 = world.orders.A6 && /** @type {string} */ (world.orders.A6.amazonOrderId);
	const feedsBefore = amazon.feeds().length;
	const t = Date.now();
	if (a1 && world.shopifyByAmazon[a1]) {
		shopify.control.refundOrder(world.shopifyByAmazon[a1].id, { lineItems: [{ sku: 'MUG-CAFE-CREME-4', quantity: 1, restockType: 'NO_RESTOCK' }], note: 'Customer return: one cup arrived broken' });
	}
	if (a6 && world.shopifyByAmazon[a6]) {
		shopify.control.cancelOrder(world.shopifyByAmazon[a6].id, { reason: 'customer', refund: true });
	}
	r.log('refunded 1 mug of A1 in Shopify; cancelled A6 in Shopify with a refund');
	/** @param {string} orderId @param {string} type */
	const feedFor = (orderId, type) =>
		amazon
			.feeds()
			.slice(feedsBefore)
			.find((/** @type {any} */ f) => f.feedType === type && f.status === 'DONE' && feedOrderIds(world.sb, f).includes(orderId));
	if (a1) {
		const feed = await kit
			.waitFor(() => feedFor(a1, 'POST_PAYMENT_ADJUSTMENT_DATA'), { timeoutMs: 150_000, intervalMs: 500, label: `an adjustment feed for ${a1}` })
			.catch((e) => (r.check(`A1: adjustment feed on Amazon`, false, msg(e)), null));
		if (feed) {
			r.metric('Shopify refund -> Amazon adjustment feed processed', Date.now() - t);
			const events = amazon.financialEvents(a1).filter((/** @type {any} */ e) => e.kind === 'refund');
			r.check(
				`A1 ${a1}: Shopify refund -> Amazon POST_PAYMENT_ADJUSTMENT_DATA feed ${feed.feedId} DONE (${JSON.stringify(feed.summary)}), Amazon refunded the mug`,
				feed.summary && feed.summary.successful >= 1 && !(feed.summary.errors || []).length && events.length === 1,
				{ feed, events },
			);
		}
	}
	if (a6) {
		const feed = await kit
			.waitFor(() => feedFor(a6, 'POST_ORDER_ACKNOWLEDGEMENT_DATA'), { timeoutMs: 150_000, intervalMs: 500, label: `an acknowledgement feed for ${a6}` })
			.catch((e) => (r.check(`A6: cancellation feed on Amazon`, false, msg(e)), null));
		if (feed) {
			const status = amazonOrder(world, a6).fulfillment.fulfillmentStatus;
			r.check(`A6 ${a6}: cancelled in Shopify -> POST_ORDER_ACKNOWLEDGEMENT_DATA feed ${feed.feedId} DONE, Amazon order ${status}`, status === 'CANCELLED', feed);
		}
	}
	// The workflow's own view: results of Sync Refund, nothing on the failure branch.
	const execs = await kit
		.waitFor(
			async () => {
				const list = await executionsOf(world, 'refundsToAmazon', world.marks.refunds || 0);
				const synced = list.flatMap((e) => outItems(e, 'Sync Refund', 0));
				return synced.length >= (a1 ? 1 : 0) + (a6 ? 1 : 0) ? list : null;
			},
			{ timeoutMs: 60_000, intervalMs: 500, label: 'the refund executions to finish' },
		)
		.catch(() => []);
	const synced = execs.flatMap((e) => outItems(e, 'Sync Refund', 0));
	const notified = execs.flatMap((e) => outItems(e, 'Notify Merchant', 0));
	r.check(
		`refund executions (mode webhook) successful; Sync Refund: ${synced.map((s) => `${s.amazonOrderId} ${s.status}`).join(', ')}; nothing for the merchant to look at`,
		execs.length > 0 && execs.every((e) => e.status === 'success' && e.mode === 'webhook') && synced.some((s) => s.status === 'succeeded') && notified.length === 0,
		{ executions: execs.map((e) => ({ id: e.id, status: e.status, error: execError(e) })), synced, notified },
	);
	if (a1 && world.shopifyByAmazon[a1]) {
		const order = shopify.control.state().orders.find((/** @type {any} */ o) => o.id === world.shopifyByAmazon[a1].id);
		const ledger = order && order.metafields.find((/** @type {any} */ m) => m.namespace === 'amazon' && m.key === 'refund_ledger');
		r.check(`A1: the refund ledger (order metafield amazon.refund_ledger) records the sent refund`, !!ledger && /succeeded/.test(ledger.value), ledger);
	}
}

/**
 * Step 4: a refund already made on Amazon, then made again in Shopify -> refused + notified.
 * @param {World} world @param {Reporter} r
 */
async function stepAlreadyRefunded(world, r) {
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (world.sb.shopify);
	const amazon = world.sb.amazon.control;
	const a3 = world.orders.A3 && /** @type {string} */ (world.orders.A3.amazonOrderId);
	if (!a3 || !world.shopifyByAmazon[a3]) return r.skip('A refund already made on Amazon is refused', 'A3 was not imported');
	const since = await lastExecutionId(world);
	amazon.refundOnAmazon(a3);
	amazon.advanceTime(4 * 3600 * 1000); // Amazon shows refunds in Finances after a delay (up to 48 h)
	const feedsBefore = amazon.feeds().length;
	shopify.control.refundOrder(world.shopifyByAmazon[a3].id, { lineItems: [{ sku: 'YOGA-MAT-6MM', quantity: 1, restockType: 'NO_RESTOCK' }], note: 'Refund requested by e-mail' });
	r.log(`A3 ${a3}: refunded in Seller Central, then again in Shopify`);
	const execs = await kit
		.waitFor(
			async () => {
				const list = await executionsOf(world, 'refundsToAmazon', since);
				return list.some((e) => outItems(e, 'Notify Merchant', 0).some((j) => j.amazonOrderId === a3)) ? list : null;
			},
			{ timeoutMs: 90_000, intervalMs: 400, label: `the refusal of ${a3} on the notification branch` },
		)
		.catch((e) => (r.check(`A3: refusal reaches the merchant notification`, false, msg(e)), []));
	const refused = execs.flatMap((e) => outItems(e, 'Check Refund Eligibility', 1)).find((j) => j.amazonOrderId === a3);
	const notified = execs.flatMap((e) => outItems(e, 'Notify Merchant', 0)).filter((j) => j.amazonOrderId === a3);
	if (execs.length) {
		r.check(
			`A3: Check Refund Eligibility refuses it (${refused ? refused.reasonCode : 'no refusal item'}): "${refused ? refused.message : ''}"`,
			!!refused && refused.reasonCode === 'ALREADY_REFUNDED_ON_AMAZON' && refused.notifyMerchant === true,
			refused,
		);
		r.check(
			`A3: the refusal reaches "Notify Merchant" (the template's e-mail node, disabled until the merchant sets up SMTP) — ${notified.length} item(s)`,
			notified.length >= 1,
			notified,
		);
	}
	const order = shopify.control.state().orders.find((/** @type {any} */ o) => o.id === world.shopifyByAmazon[a3].id);
	r.check(`A3: the Shopify order is flagged (tag amazon-refund-failed)`, !!order && order.tags.includes('amazon-refund-failed'), order && order.tags);
	const newFeeds = amazon.feeds().slice(feedsBefore).filter((/** @type {any} */ f) => JSON.stringify(f).includes(a3));
	const refunds = amazon.financialEvents(a3).filter((/** @type {any} */ e) => e.kind === 'refund');
	r.check(`A3: nothing sent to Amazon (no feed), Amazon refunded once`, newFeeds.length === 0 && refunds.length === 1, { newFeeds, refunds });
}

/**
 * Step 5: a refund made on Amazon -> recorded in Shopify ("Amazon refunds to Shopify", run with
 * "Execute workflow" instead of waiting for its hourly schedule).
 * @param {World} world @param {Reporter} r
 */
async function stepRecordAmazonRefund(world, r) {
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (world.sb.shopify);
	const amazon = world.sb.amazon.control;
	const a4 = world.orders.A4 && /** @type {string} */ (world.orders.A4.amazonOrderId);
	const a1 = world.orders.A1 && /** @type {string} */ (world.orders.A1.amazonOrderId);
	if (!a4 || !world.shopifyByAmazon[a4] || !world.wf.refundsFromAmazon) return r.skip('A refund made on Amazon is recorded in Shopify', 'A4 or the template is missing');
	const item = amazonOrder(world, a4).orderItems[0];
	// The workflow reads Amazon finances up to 3 minutes before now (Amazon's rule is 2): the
	// refund is dated 4 minutes back so this run can see it, and Amazon's posting delay is skipped.
	const refund = amazon.refundOnAmazon(a4, [{ orderItemId: item.orderItemId, quantity: 1, amounts: { Principal: '21.99', Tax: '1.76' } }], {
		postedDate: new Date(Date.now() - 4 * 60_000).toISOString(),
	});
	amazon.advanceTime(4 * 3600 * 1000);
	r.log(`A4 ${a4}: 1 of 2 bottles refunded in Seller Central, USD 23.75 (posted ${refund.postedDate})`);
	const shopifyRefundsBefore = (id) => shopify.control.state().refunds.filter((/** @type {any} */ x) => x.orderId === id).length;
	const a1Before = a1 && world.shopifyByAmazon[a1] ? shopifyRefundsBefore(world.shopifyByAmazon[a1].id) : 0;
	const since = await lastExecutionId(world);
	const t = Date.now();
	const started = await rest.runManually(world.n8n, world.wf.refundsFromAmazon, 'Every Hour');
	const exec = await kit
		.waitFor(
			async () => (await executionsOf(world, 'refundsFromAmazon', since)).find((e) => !started.executionId || e.id === started.executionId),
			{ timeoutMs: 240_000, intervalMs: 500, label: 'the "Amazon refunds to Shopify" execution' },
		)
		.catch((e) => (r.check('"Amazon refunds to Shopify" ran', false, msg(e)), null));
	if (!exec) return;
	r.metric('"Amazon refunds to Shopify" execution', Date.now() - t);
	const recorded = outItems(exec, 'Record Amazon Refunds', 0);
	const failedItems = outItems(exec, 'Record Amazon Refunds', 1);
	const mine = recorded.find((j) => j.amazonOrderId === a4);
	r.check(
		`"Execute workflow" (mode ${exec.mode}) ${exec.status}; Record Amazon Refunds: ${recorded.map((j) => `${j.amazonOrderId} ${j.status}`).join(', ') || 'nothing'}; failed: ${failedItems.map((j) => `${j.amazonOrderId} ${j.status || j.reasonCode || j.error}`).join(', ') || 'none'}`,
		exec.status === 'success' && !!mine,
		{ error: execError(exec), recorded, failedItems },
	);
	const refunds = shopify.control.state().refunds.filter((/** @type {any} */ x) => x.orderId === world.shopifyByAmazon[a4].id);
	r.check(
		`A4 ${a4}: the Amazon refund (${mine ? mine.totalFormatted : '?'}) is a Shopify refund on ${world.shopifyByAmazon[a4].name} (${refunds
			.map((x) => `${x.lineItems.map((/** @type {any} */ l) => `${l.quantity}x ${l.sku}`).join('+') || 'no lines'}, ${JSON.stringify(x.totalRefunded)}`)
			.join('; ')}), customer not notified`,
		refunds.length === 1 && refunds[0].notify !== true && !!mine && mine.total === 2375 && JSON.stringify(refunds[0].totalRefunded).includes('23.75'),
		{ refunds, recorded: mine },
	);
	if (a1 && world.shopifyByAmazon[a1]) {
		r.check(
			`A1: the refund that went Shopify -> Amazon is not recorded back into Shopify (${a1Before} refund before, ${shopifyRefundsBefore(world.shopifyByAmazon[a1].id)} after)`,
			shopifyRefundsBefore(world.shopifyByAmazon[a1].id) === a1Before,
		);
	}
}

/**
 * Step 5: the buyer cancels on Amazon before shipping -> the Shopify order is cancelled
 * ("Amazon refunds to Shopify": its Amazon Order Trigger, event Cancellations; polled now by
 * switching the workflow off and on).
 * @param {World} world @param {Reporter} r
 */
async function stepAmazonCancellation(world, r) {
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (world.sb.shopify);
	const a7 = world.orders.A7 && /** @type {string} */ (world.orders.A7.amazonOrderId);
	const id = world.wf.refundsFromAmazon;
	if (!a7 || !world.shopifyByAmazon[a7] || !id) return r.skip('A cancellation on Amazon is recorded in Shopify', 'A7 or the template is missing');
	const data = await world.n8n.workflowStaticData(id);
	const trigger = data && data['node:Amazon Order Trigger'] && data['node:Amazon Order Trigger'].amazonOrders;
	if (!trigger || !trigger.floor) {
		r.check('"Amazon refunds to Shopify": its Amazon Order Trigger (cancellations) is active', false, data);
		return;
	}
	// Canceled "3 minutes ago", so Amazon's order search already lists the change.
	const at = Math.max(Date.parse(trigger.floor) + 1000, Date.now() - 185_000);
	const since = await lastExecutionId(world); // the trigger's own 15-minute schedule may get there first: fine
	world.sb.amazon.control.updateOrder(a7, { fulfillmentStatus: 'CANCELLED', lastUpdatedTime: iso(at) });
	r.log(`A7 ${a7}: canceled by the buyer on Amazon (${iso(at)})`);
	if (Date.now() < at + 181_000) await sleep(at + 181_000 - Date.now());
	await rest.reactivate(world.n8n, id);
	const exec = await kit
		.waitFor(async () => (await executionsOf(world, 'refundsFromAmazon', since)).find((e) => outItems(e, 'Amazon Order Trigger', 0).some((j) => j.amazonOrderId === a7)), {
			timeoutMs: 90_000,
			intervalMs: 400,
			label: `the cancellation of ${a7} in "Amazon refunds to Shopify"`,
		})
		.catch((e) => (r.check('A7: the Amazon cancellation reaches n8n', false, msg(e)), null));
	if (!exec) return;
	const done = outItems(exec, 'Record Amazon Cancellations', 0).filter((j) => j.amazonOrderId === a7);
	const failed = outItems(exec, 'Record Amazon Cancellations', 1);
	r.check(
		`A7: Amazon Order Trigger (Cancellations, mode ${exec.mode}) -> Record Amazon Cancellations: ${done.map((j) => j.status).join(', ') || 'nothing'}${failed.length ? `; failed: ${failed.map((j) => j.message || j.error).join('; ')}` : ''}`,
		exec.status === 'success' && done.length === 1 && failed.length === 0,
		{ error: execError(exec), done, failed },
	);
	// Shopify announces that cancellation (orders/cancelled, refunds/create) to "Shopify refunds and
	// cancellations to Amazon": it must not go back to Amazon, nor bother the merchant.
	await shopify.control.waitForWebhooks();
	const echoes = await kit
		.waitFor(
			async () => {
				const list = (await executionsOf(world, 'refundsToAmazon', since)).filter((e) => outItems(e, 'Shopify Order Events Trigger', 0).some((j) => j.amazon && j.amazon.amazonOrderId === a7));
				return list.length ? list : null;
			},
			{ timeoutMs: 30_000, intervalMs: 400, label: `the cancellation of ${a7} echoed by Shopify's webhooks` },
		)
		.catch(() => []);
	const decisions = echoes.flatMap((e) => [...outItems(e, 'Check Refund Eligibility', 0), ...outItems(e, 'Check Refund Eligibility', 1)]);
	const sent = echoes.flatMap((e) => outItems(e, 'Sync Refund', 0));
	const bothered = echoes.flatMap((e) => outItems(e, 'Notify Merchant', 0));
	const feeds = world.sb.amazon.control.feeds().filter((/** @type {any} */ f) => feedOrderIds(world.sb, f).includes(a7));
	r.check(
		`A7: Shopify's webhooks for that cancellation (${echoes.length} execution(s)) are not sent back to Amazon (${decisions.map((d) => d.reasonCode || d.action).join(', ') || 'no decision'}), no feed, no merchant notice`,
		echoes.length > 0 && sent.length === 0 && bothered.length === 0 && feeds.length === 0,
		{ decisions, sent, bothered, feeds },
	);
	const order = shopify.control.state().orders.find((/** @type {any} */ o) => o.id === world.shopifyByAmazon[a7].id);
	r.check(
		`A7: the Shopify order ${order ? order.name : '?'} is cancelled (${order ? order.cancelReason : '-'}, ${order ? order.displayFinancialStatus : '-'}), customer not notified`,
		!!order && !!order.cancelledAt,
		order && { cancelledAt: order.cancelledAt, cancelReason: order.cancelReason, financial: order.displayFinancialStatus, tags: order.tags },
	);
}

/**
 * The ship-by alert template ("Execute workflow"): A5 is due and unshipped.
 * @param {World} world @param {Reporter} r
 */
async function stepShipBy(world, r) {
	const a5 = world.orders.A5 && /** @type {string} */ (world.orders.A5.amazonOrderId);
	if (!world.wf.shipBy || !a5) return r.skip('ship-by alerts', 'template or A5 missing');
	const since = await lastExecutionId(world);
	const started = await rest.runManually(world.n8n, world.wf.shipBy, 'Every Hour');
	const exec = await kit
		.waitFor(async () => (await executionsOf(world, 'shipBy', since)).find((e) => !started.executionId || e.id === started.executionId), {
			timeoutMs: 120_000,
			intervalMs: 500,
			label: 'the ship-by alert execution',
		})
		.catch((e) => (r.check('"Amazon ship-by alerts" ran', false, msg(e)), null));
	if (!exec) return;
	const alert = outItems(exec, 'Alert Merchant', 0)[0];
	r.check(
		`ship-by alert (mode ${exec.mode}, ${exec.status}) lists A5 ${a5}: "${alert ? alert.subject : ''}"`,
		exec.status === 'success' && !!alert && String(alert.text || '').includes(a5),
		{ error: execError(exec), alert },
	);
}

/**
 * Optional (E2E_REAL_SCHEDULE=1): an order placed now, imported by the template's own schedule
 * (every 5 minutes), without any switching. Measures the latency a merchant sees: Amazon's
 * 2-minute search lag + the trigger's 1-minute margin + up to one poll interval.
 * @param {World} world @param {Reporter} r
 */
async function stepRealSchedule(world, r) {
	const now = Date.now();
	const spec = { marketplace: 'US', status: 'UNSHIPPED', taxRate: 0.08, createdTime: iso(now - 60_000), lastUpdatedTime: iso(now), items: [{ sku: 'SPICE-SET-12', quantity: 1, unitPrice: '32.99' }] };
	const [id] = world.sb.amazon.control.seedOrders([buildAmazonOrder(spec, now, 'R1')]);
	world.orders.R1 = { key: 'R1', note: 'placed now, imported by the 5-minute schedule', expect: 'import', spec, amazonOrderId: id, seededAt: now };
	r.log(`R1 ${id}: placed on Amazon now (${iso(now)}); waiting for the trigger's own schedule`);
	const found = await kit
		.waitFor(() => shopifyOrdersFor(world, id)[0], { timeoutMs: 11 * 60_000, intervalMs: 1000, label: `${id} in Shopify through the schedule` })
		.catch((e) => (r.check('R1: imported by a scheduled poll', false, msg(e)), null));
	if (!found) return;
	world.shopifyByAmazon[id] = found;
	r.check(`R1 ${id} -> ${found.name} by a scheduled poll, ${kit.fmtMs(Date.now() - now)} after it was placed`, true);
	r.metric('Amazon order placed -> Shopify order at the template schedule (every 5 min)', Date.now() - now);
}

/**
 * Runs the story on a set-up world. Returns the summary (see formatSummary).
 * @param {World} world
 * @param {Reporter} r
 * @param {{ progress?: (line: string) => void, realSchedule?: boolean }} [o]
 *   realSchedule: also wait (up to 11 min) for an order placed "now" to arrive through the
 *   template's own 5-minute schedule
 */
async function run(world, r, o = {}) {
	const progress = o.progress || r.log;
	const t0 = Date.now();
	/** @type {[string, string, (w: World, r: Reporter) => Promise<void>][]} */
	const steps = [
		['import', '1/7 Amazon orders -> Shopify (Amazon Order Trigger)', stepImport],
		['fulfill', '2/7 Shopify fulfillments -> Amazon shipment confirmations (webhooks)', stepFulfill],
		['refunds', '3/7 Shopify refund and cancellation -> Amazon feeds', stepRefundToAmazon],
		['recorded', '4/7 Amazon refund -> recorded in Shopify', stepRecordAmazonRefund],
		['canceled', '5/7 Amazon cancellation -> Shopify order cancelled', stepAmazonCancellation],
		['refused', '6/7 a refund already made on Amazon -> refused, merchant notified', stepAlreadyRefunded],
		['shipBy', '7/7 ship-by alert', stepShipBy],
	];
	if (o.realSchedule) steps.push(['schedule', '+ a new Amazon order at the template schedule (no switching; up to 8 minutes)', stepRealSchedule]);
	for (const [mark, title, fn] of steps) {
		progress(title);
		world.marks[mark] = await lastExecutionId(world); // the newest execution before the step
		const t = Date.now();
		try {
			await fn(world, r);
		} catch (e) {
			r.check(`${title}: ran to the end`, false, e instanceof Error ? e.stack : e);
		}
		r.metric(`step ${title.split(' ')[0]} ${mark}`, Date.now() - t);
	}
	const notes = world.sb.shopify ? world.sb.shopify.control.customerNotifications() : [];
	r.check(`no customer notification sent by Shopify at any point (${notes.length})`, notes.length === 0, notes);
	r.metric(`story (${steps.length} steps)`, Date.now() - t0);
	return collectSummary(world);
}

// ---------------------------------------------------------------------------------------------
// bad input (e2e)

/**
 * A webhook with a bad HMAC executes nothing; a wrong client secret gives a clear error in the
 * execution; a template without credentials gives a clear message.
 * @param {World} world @param {Reporter} r
 */
async function badInput(world, r) {
	const { n8n, sb } = world;
	const shopify = /** @type {NonNullable<Sandbox['shopify']>} */ (sb.shopify);

	// 1. bad HMAC
	if (world.wf.fulfillments) {
		await shopify.control.waitForWebhooks();
		const since = await lastExecutionId(world);
		const confirmsBefore = sb.amazon.control.recordedRequests({ operation: 'confirmShipment' }).length;
		const uri = await webhookUri(world, 'fulfillments');
		const sent = await shopify.control.deliverTampered('fulfillments/create', undefined, { uri });
		await shopify.control.waitForWebhooks();
		await sleep(1500);
		const ids = (Array.isArray(sent) ? sent : [sent]).map((/** @type {any} */ d) => d && d.deliveryId).filter(Boolean);
		const deliveries = shopify.control.state().webhooks.deliveries.filter((/** @type {any} */ d) => ids.includes(d.deliveryId));
		const statuses = deliveries.flatMap((/** @type {any} */ d) => d.attempts.map((/** @type {any} */ a) => a.status));
		const execs = await n8n.executions({ workflowId: world.wf.fulfillments, sinceId: since });
		r.check(
			`a fulfillments/create webhook with a wrong HMAC is answered ${[...new Set(statuses)].join('/') || '?'} and starts no execution (${execs.length})`,
			deliveries.length > 0 && statuses.length > 0 && statuses.every((s) => s === 401) && execs.length === 0 && sb.amazon.control.recordedRequests({ operation: 'confirmShipment' }).length === confirmsBefore,
			{ deliveries: deliveries.map((/** @type {any} */ d) => ({ state: d.state, attempts: d.attempts })), executions: execs.map((e) => e.id) },
		);
	}

	// 2. wrong client secret
	if (world.bad.wrongSecretWf) {
		const since = await lastExecutionId(world);
		const started = await rest.runManually(n8n, world.bad.wrongSecretWf, 'Every Hour').catch((e) => ({ error: msg(e), executionId: undefined }));
		const exec = await kit
			.waitFor(async () => (await n8n.executions({ workflowId: world.bad.wrongSecretWf, includeData: true, sinceId: since })).find((e) => e.status !== 'running' && e.status !== 'new'), {
				timeoutMs: 90_000,
				intervalMs: 400,
				label: 'the execution with the wrong client secret',
			})
			.catch((e) => (r.check('the workflow with a wrong client secret runs', false, { start: started, wait: msg(e) }), null));
		if (exec) {
			const err = execError(exec);
			const text = err ? `${err.message} ${err.description || ''}` : '';
			r.check(
				`wrong Amazon client secret: execution ${exec.status}, error on "${err && err.node}": "${err && err.message}"`,
				exec.status === 'error' && /client (ID|secret)|invalid_client/i.test(text) && !text.includes('this-is-not-the-secret'),
				err,
			);
		}
	}

	// 3. a template without credentials
	if (world.bad.noCredentialsWf) {
		const id = world.bad.noCredentialsWf;
		/** @type {string} */
		let activation = '';
		try {
			await rest.activate(n8n, id);
			activation = 'activated';
		} catch (e) {
			activation = msg(e);
		}
		r.check(
			`"${world.bad.noCredentialsName}" imported without credentials: publishing is refused with "${activation.replace(/^activate workflow \w+: /, '')}"`,
			activation !== 'activated' && /credential/i.test(activation),
			activation,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// summary

/**
 * What happened, from the sandbox's state and the stored executions (not from what the story
 * meant to do).
 * @param {World} world
 */
async function collectSummary(world) {
	const { sb } = world;
	const shopifyState = sb.shopify ? sb.shopify.control.state() : { orders: [], refunds: [], customerNotifications: [] };
	const feeds = sb.amazon.control.feeds();
	const execs = (await world.n8n.executions({ includeData: true })).filter((e) => Object.values(world.wf).includes(e.workflowId));
	const all = Object.values(world.orders);
	const orders = all.map((o) => {
		const id = /** @type {string} */ (o.amazonOrderId);
		const a = amazonOrder(world, id);
		const s = shopifyState.orders.filter((/** @type {any} */ x) => x.sourceIdentifier === id);
		return {
			key: o.key,
			amazonOrderId: id,
			marketplace: Object.entries(MARKETPLACE).find(([, v]) => v === a.salesChannel.marketplaceId)?.[0] || a.salesChannel.marketplaceId,
			channel: a.fulfillment.fulfilledBy === 'AMAZON' ? 'FBA' : 'MFN',
			amazonStatus: a.fulfillment.fulfillmentStatus,
			total: a.proceeds && a.proceeds.grandTotal ? `${a.proceeds.grandTotal.currencyCode} ${a.proceeds.grandTotal.amount}` : '(no price yet)',
			shopify: s.map((/** @type {any} */ x) => x.name).join(', ') || null,
			shopifyCount: s.length,
			note: o.note,
		};
	});
	const shipments = all
		.filter((o) => (amazonOrder(world, /** @type {string} */ (o.amazonOrderId)).packages || []).length && o.spec.fulfilledBy !== 'AMAZON')
		.map((o) => {
			const a = amazonOrder(world, /** @type {string} */ (o.amazonOrderId));
			const p = a.packages[a.packages.length - 1];
			return { key: o.key, amazonOrderId: o.amazonOrderId, carrier: p.carrier, trackingNumber: p.trackingNumber, shipTime: p.shipTime, status: a.fulfillment.fulfillmentStatus };
		});
	const notifyItems = execs.flatMap((e) => [
		...outItems(e, 'Notify Merchant', 0).map((j) => ({ j, wf: e.workflowId, alert: false })),
		...outItems(e, 'Alert Merchant', 0).map((j) => ({ j, wf: e.workflowId, alert: true })),
	]);
	const refusals = notifyItems
		.filter((x) => !x.alert)
		.map(({ j }) => ({
			amazonOrderId: j.amazonOrderId || (j.details && j.details.amazonOrderId) || (j.amazon && j.amazon.amazonOrderId) || '?',
			shopify: j.shopifyOrderName || (j.shopifyOrder && j.shopifyOrder.name) || '',
			why: j.reasonCode || j.status || '',
			message: j.message || j.error || j.reason || '',
		}));
	const skippedShipments = execs.flatMap((e) => outItems(e, 'Mark Amazon Fulfilled', 1)).map((j) => ({ amazonOrderId: j.amazonOrderId || (j.amazon && j.amazon.amazonOrderId), reason: j.reason }));
	const refundFeeds = feeds
		.filter((/** @type {any} */ f) => f.feedType === 'POST_PAYMENT_ADJUSTMENT_DATA' || f.feedType === 'POST_ORDER_ACKNOWLEDGEMENT_DATA')
		.map((/** @type {any} */ f) => ({
			feedId: f.feedId,
			type: f.feedType === 'POST_PAYMENT_ADJUSTMENT_DATA' ? 'refund (payment adjustment)' : 'cancellation (order acknowledgement)',
			status: f.status,
			summary: f.summary,
			orders: ((ids) => all.filter((o) => ids.includes(/** @type {string} */ (o.amazonOrderId))).map((o) => o.key))(feedOrderIds(sb, f)),
		}));
	const recorded = execs
		.flatMap((e) => [...outItems(e, 'Record Amazon Refunds', 0), ...outItems(e, 'Record Amazon Cancellations', 0)])
		.map((j) => ({ amazonOrderId: j.amazonOrderId, status: j.status, kind: j.amazonRefundKind || '', total: j.totalFormatted || '' }));
	const alerts = notifyItems.filter((x) => x.alert).map(({ j }) => j.subject);
	return {
		orders,
		shipments,
		skippedShipments,
		refundFeeds,
		recorded,
		refusals,
		alerts,
		customerNotifications: shopifyState.customerNotifications.length,
		executions: execs.map((e) => ({ id: e.id, workflow: (world.templates.find((t) => t.id === e.workflowId) || { file: e.workflowId }).file, mode: e.mode, status: e.status })),
		latency: { importMs: stats(world.latency.importMs), confirmMs: stats(world.latency.confirmMs) },
	};
}

/** @typedef {Awaited<ReturnType<typeof collectSummary>>} Summary */

/**
 * The summary table (plain text, fixed width).
 * @param {Summary} s
 */
function formatSummary(s) {
	/** @type {string[]} */
	const out = [];
	const line = (/** @type {string} */ t = '') => out.push(t);
	const imported = s.orders.filter((o) => o.shopify);
	line(`Amazon orders -> Shopify orders: ${imported.length} of ${s.orders.length} imported, ${s.orders.filter((o) => o.shopifyCount > 1).length} duplicates`);
	for (const o of s.orders) {
		line(`  ${o.amazonOrderId.padEnd(20)} ${o.marketplace} ${o.channel} ${o.total.padEnd(14)} -> ${(o.shopify || 'not imported').padEnd(14)} Amazon ${o.amazonStatus.padEnd(9)} ${o.note}`);
	}
	line(`Shipments confirmed on Amazon: ${s.shipments.length}`);
	for (const p of s.shipments) line(`  ${String(p.amazonOrderId).padEnd(20)} ${p.carrier.padEnd(12)} ${p.trackingNumber.padEnd(24)} shipped ${p.shipTime}`);
	for (const p of s.skippedShipments) line(`  ${String(p.amazonOrderId).padEnd(20)} skipped: ${p.reason}`);
	line(`Refunds synced: ${s.refundFeeds.length} Shopify -> Amazon, ${s.recorded.length} Amazon -> Shopify`);
	for (const f of s.refundFeeds) line(`  Shopify -> Amazon  ${f.orders.join(',').padEnd(6)} ${f.type.padEnd(38)} feed ${f.feedId} ${f.status} ${f.summary ? `${f.summary.successful} of ${f.summary.processed} messages ok` : ''}`);
	for (const x of s.recorded) line(`  Amazon -> Shopify  ${String(x.amazonOrderId).padEnd(20)} ${[x.kind, x.status, x.total].filter(Boolean).join(' ')}`);
	line(`Refusals (sent to the merchant notification): ${s.refusals.length}`);
	for (const x of s.refusals) line(`  ${String(x.amazonOrderId).padEnd(20)} ${x.shopify} ${x.why}: ${x.message}`);
	if (s.alerts.length) line(`Ship-by alerts: ${s.alerts.join(' | ')}`);
	line(`Customer notifications sent by Shopify: ${s.customerNotifications}`);
	const lat = (/** @type {any} */ x) => (x ? `median ${kit.fmtMs(x.median)}, max ${kit.fmtMs(x.max)} (n=${x.n})` : 'n/a');
	line(`Latency: seeded Amazon order -> Shopify order ${lat(s.latency.importMs)}; Shopify fulfillment -> Amazon confirmation ${lat(s.latency.confirmMs)}`);
	const byWf = /** @type {Record<string, string[]>} */ ({});
	for (const e of s.executions) (byWf[e.workflow] = byWf[e.workflow] || []).push(`${e.mode}/${e.status}`);
	line(`Executions: ${Object.entries(byWf).map(([w, l]) => `${w} ${l.length} (${[...new Set(l)].map((k) => `${l.filter((x) => x === k).length} ${k}`).join(', ')})`).join('; ')}`);
	return out.join('\n') + '\n';
}

module.exports = {
	SANDBOX_OPTIONS,
	TEMPLATES,
	setUp,
	run,
	badInput,
	collectSummary,
	formatSummary,
	storyCredentials,
	templateFiles,
	outItems,
	execError,
	pollNow,
};
