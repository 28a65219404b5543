// @ts-check
'use strict';
/**
 * The real problems merchants hit, provoked in a real n8n with the templates untouched, so the
 * README's Troubleshooting section quotes what n8n and our nodes actually say (the scenario prints
 * each message as `» quote: …`):
 *  - the app lacks the PII role (Direct-to-Consumer Shipping): merchant-fulfilled orders come
 *    without a shipping address and go to the template's failure branch, with the fix;
 *  - a Shopify development store (5 orderCreate a minute): six orders in one poll, the sixth waits
 *    for the minute and is created (Create Shopify Order's default "Development Store Limit: Wait");
 *  - 429s: Amazon throttles the order search three times in a row (the trigger retries, then skips
 *    the poll and says so in the log: no failed execution), Shopify throttles orderCreate twice
 *    (retried, created once);
 *  - a wrong Shopify API version in the credential (HTTP 404, and the hint);
 *  - a wrong API secret key (legacy app token): every webhook is answered 401, nothing runs.
 */

const kit = require('../lib/e2e-kit');
const rest = require('../lib/n8n-rest');
const story = require('../lib/story');

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = {
	name: 'troubleshooting',
	description: 'missing PII role, dev-store order limit, 429s, wrong API version, wrong webhook secret: what the merchant sees',
	needsSandbox: true,

	/** @param {import('../e2e').Context} ctx */
	async run(ctx) {
		/** @param {string} what @param {unknown} text */
		const quote = (what, text) => ctx.log(`» quote (${what}): ${typeof text === 'string' ? text : JSON.stringify(text)}`);
		await ctx.withSandbox({ ...story.SANDBOX_OPTIONS, seed: 11, devStore: true }, async (sb) => {
			const shopify = /** @type {NonNullable<typeof sb.shopify>} */ (sb.shopify);
			const { catalogue, buildOrder } = require('../../sandbox/seed');
			const { createRng } = require('../../sandbox/lib/rng');
			await shopify.control.seedProducts(catalogue);
			await ctx.withInstance(async (n8n) => {
				const good = story.storyCredentials(sb);
				const shopGood = /** @type {import('../lib/n8n-instance').CredentialInput} */ (good.find((c) => c.type === 'shopifyAdminApi'));
				const [, , wrongVersion, wrongSecret] = await n8n.importCredentials([
					...good,
					{ name: 'Shopify (API version 2023-04)', type: 'shopifyAdminApi', data: { ...shopGood.data, apiVersion: '2023-04' } },
					{
						name: 'Shopify (legacy token, wrong API secret key)',
						type: 'shopifyAdminApi',
						data: { ...shopGood.data, authentication: 'accessToken', apiSecretKey: 'shpss_00000000000000000000000000000000' },
					},
				]);
				const amazonCred = n8n.credentials.find((c) => c.type === 'amazonSellingPartnerApi');
				/** @type {Record<string, { id: string, name: string }>} */
				const amazonRef = amazonCred ? { amazonSellingPartnerApi: { id: amazonCred.id, name: amazonCred.name } } : {};
				const [orders] = await n8n.importWorkflows([kit.loadTemplate(story.TEMPLATES.orders)]);
				const shipBy = kit.loadTemplate(story.TEMPLATES.shipBy);
				shipBy.name += ' (API version 2023-04)';
				const [shipByOld] = await n8n.importWorkflows([shipBy], { credentialsByType: { ...amazonRef, shopifyAdminApi: { id: wrongVersion.id, name: wrongVersion.name } } });
				const hooks = kit.loadTemplate(story.TEMPLATES.fulfillments);
				hooks.name += ' (wrong API secret key)';
				const [hooksBad] = await n8n.importWorkflows([hooks], { credentialsByType: { ...amazonRef, shopifyAdminApi: { id: wrongSecret.id, name: wrongSecret.name } } });
				await n8n.publish(orders.id);
				await n8n.publish(hooksBad.id);
				await n8n.start();
				await n8n.login();
				/** @type {any} */
				const world = { n8n, wf: { orders: orders.id } };
				const state = await ctx.waitFor(
					async () => {
						const data = await n8n.workflowStaticData(orders.id);
						const st = data && data['node:Amazon Order Trigger'] && data['node:Amazon Order Trigger'].amazonOrders;
						const subscribed = shopify.control.state().webhooks.subscriptions.length >= 2;
						return st && st.floor && subscribed ? st : null;
					},
					{ timeoutMs: 90_000, intervalMs: 300, label: 'activation' },
				);

				// One ordinary (empty) poll first: the trigger learns Amazon's rate from x-amzn-RateLimit-Limit
				// (the sandbox's is 60x Amazon's), so after the 429 below its budget refills in seconds, not 3 minutes.
				await sleep(2500); // so that the poll has a window to search (it ends 3 minutes before now)
				await story.pollNow(world);
				const learned = await n8n.workflowStaticData(orders.id);
				const budget = learned['node:Amazon Order Trigger'].amazonOrders.budget;
				ctx.check(`the trigger adopted Amazon's rate from x-amzn-RateLimit-Limit (${budget && budget.rate}/s)`, !!budget && budget.rate > 0.0056, budget);

				// ---- seed: one merchant-fulfilled order (no PII role) + six FBA orders, "3 minutes ago"
				const since = Number((await n8n.queryDb([{ sql: 'SELECT max(id) AS m FROM execution_entity' }]))[0][0].m || 0);
				sb.amazon.control.setPiiRole(false);
				const updated = Math.max(Date.parse(state.floor) + 1000, Date.now() - 185_000);
				const now = Date.now();
				/** @param {any} spec @param {string} key */
				const build = (spec, key) => buildOrder({ createdTime: iso(updated - 600_000), lastUpdatedTime: iso(updated), taxRate: 0.08, ...spec }, { now, rng: createRng(`ts-${key}-${now}`) });
				// Ordered 30 hours ago: due to ship within 24 hours, so the ship-by alert below reads Shopify.
				const mfn = build({ marketplace: 'US', status: 'UNSHIPPED', createdTime: iso(updated - 30 * 3600_000), items: [{ sku: 'KNIFE-CHEF-8IN', quantity: 1, unitPrice: '89.99' }] }, 'M1');
				const fba = [1, 2, 3, 4, 5, 6].map((i) => build({ marketplace: 'US', status: 'SHIPPED', fulfilledBy: 'AMAZON', items: [{ sku: 'BAG-TOTE-CANVAS', quantity: i, unitPrice: '12.99' }] }, `F${i}`));
				const [m1, ...fbaIds] = sb.amazon.control.seedOrders([mfn, ...fba]);
				if (Date.now() < updated + 181_000) await sleep(updated + 181_000 - Date.now());

				// ---- 429 from Amazon on the order search: the poll is skipped, not failed
				// Three 429s in a row: the trigger retries a 429 while Amazon's usage plan lets it (up to 3
				// attempts within 20 s), then skips the poll. With Amazon's real rate (one search per ~3
				// minutes) the first 429 already ends the poll.
				sb.amazon.control.faults.set({ operation: 'searchOrders', kind: '429', count: 3 });
				shopify.control.faults.set({ operation: 'orderCreate', kind: '429', count: 2 });
				const logBefore = n8n.logsSinceStart().length;
				/** @type {string | undefined} */
				let throttledLine;
				// The trigger's own searchOrders budget may skip a poll first ("budget is empty for 3 s more").
				for (let i = 0; i < 10 && !throttledLine; i++) {
					await story.pollNow(world);
					throttledLine = n8n
						.logsSinceStart()
						.slice(logBefore)
						.split('\n')
						.find((l) => /throttled/i.test(l));
					if (!throttledLine) await sleep(2000);
				}
				ctx.check(`Amazon 429 on searchOrders: the poll is skipped with a log line, no execution`, !!throttledLine && (await n8n.executions({ workflowId: orders.id, sinceId: since })).length === 0, throttledLine);
				if (throttledLine) quote('Amazon 429, server log', throttledLine.trim());

				// ---- the next poll imports: PII refusal, six FBA orders through the dev-store limit
				await ctx.waitFor(
					async () => {
						try {
							await story.pollNow(world);
						} catch {
							return false;
						}
						return (await n8n.executions({ workflowId: orders.id, sinceId: since })).length > 0;
					},
					{ timeoutMs: 60_000, intervalMs: 3000, label: 'a poll that emits (the searchOrders budget refills in seconds at clockScale 60)' },
				);
				const t = Date.now();
				const exec = await ctx.waitFor(
					async () => (await n8n.executions({ workflowId: orders.id, includeData: true, sinceId: since })).find((e) => e.status !== 'running' && e.status !== 'new'),
					{ timeoutMs: 180_000, intervalMs: 1000, label: 'the import execution (the sixth order waits for the dev-store minute)' },
				);
				ctx.metric('import of 6 orders into a development store', Date.now() - t);
				const created = story.outItems(exec, 'Create Shopify Order', 0);
				const failed = story.outItems(exec, 'Create Shopify Order', 1);
				const notified = story.outItems(exec, 'Notify Merchant', 0);
				const pii = failed.find((j) => j.amazonOrderId === m1 || (j.details && j.details.amazonOrderId === m1));
				const misrouted = created.find((j) => j.error && ((j.details && j.details.amazonOrderId === m1) || j.amazonOrderId === m1));
				// Known gap on n8n 1.x (README, Troubleshooting): its error output only takes {error} or
				// {error, message} items, so ours stay on the success output. Reported as a skip with the
				// reason there, never hidden; on 2.x this is a hard check.
				const knownOneXGap = !pii && !!misrouted && n8n.version.startsWith('1.');
				if (knownOneXGap) {
					ctx.skip(
						`no PII role: ${m1} goes to the failure branch and "Notify Merchant" gets it`,
						`known issue on n8n ${n8n.version}: the failure item {error, details} stays on the success output (README: Known issue on n8n 1.x)`,
					);
					ctx.check(`no PII role on n8n ${n8n.version}: the failure item names ${m1} and the shipping address as the field`, !!misrouted.details && misrouted.details.field === 'shippingAddress', misrouted);
				} else ctx.check(
					`no PII role: ${m1} goes to the failure branch with the shipping address as the field, and "Notify Merchant" gets it${
						misrouted
							? ` — NOT on n8n ${n8n.version}: the failure item {error, details} came out of the SUCCESS output (Merchant Summary calls it "Already in Shopify"): n8n 1.x's "Continue (using error output)" moves only items whose json is {error} or {error, message} (n8n-core WorkflowExecute.handleNodeErrorOutput); 2.x also accepts details`
							: ''
					}`,
					!!pii && pii.details && pii.details.field === 'shippingAddress' && notified.length === 1,
					{ failed, misrouted, notified: notified.length, status: exec.status, error: story.execError(exec) },
				);
				if (!pii && misrouted) {
					quote('no PII role, error (success output on 1.x)', misrouted.error);
					quote('no PII role, what to do', misrouted.details && misrouted.details.description);
				}
				if (pii) {
					quote('no PII role, error', pii.error);
					quote('no PII role, what to do', pii.details.description);
				}
				const fbaCreated = created.filter((j) => fbaIds.includes(j.amazonOrderId) && j.created === true);
				ctx.check(
					`development store, 5 orders a minute: all 6 FBA orders created in one execution (${exec.status}), the sixth after waiting for the minute (${kit.fmtMs(Date.now() - t)})`,
					fbaCreated.length === 6 && exec.status === 'success',
					{ created: created.map((j) => [j.amazonOrderId, j.created, j.warnings]), failed },
				);
				const faults = shopify.control.state().faultsInjected;
				ctx.check(`Shopify 429 on orderCreate (2 injected): retried, each order created once`, shopify.control.state().orders.length === 6, faults);

				// ---- wrong API version
				const since2 = Number((await n8n.queryDb([{ sql: 'SELECT max(id) AS m FROM execution_entity' }]))[0][0].m || 0);
				await rest.runManually(n8n, shipByOld.id, 'Every Hour');
				const old = await ctx.waitFor(
					async () => (await n8n.executions({ workflowId: shipByOld.id, includeData: true, sinceId: since2 })).find((e) => e.status !== 'running' && e.status !== 'new'),
					{ timeoutMs: 60_000, intervalMs: 500, label: 'the execution with API version 2023-04' },
				);
				const err = story.execError(old);
				ctx.check(`API version 2023-04 in the credential: the execution fails with ${err && err.message}`, old.status === 'error' && !!err && /404|version/i.test(`${err.message} ${err.description}`), err);
				if (err) {
					quote('wrong API version, error', err.message);
					quote('wrong API version, what to do', err.description);
				}

				// ---- wrong API secret key: the FBA imports above fired fulfillments/create at the workflow
				await shopify.control.waitForWebhooks();
				const data = await n8n.workflowStaticData(hooksBad.id);
				const uri = data && data['node:Shopify Order Events Trigger'] && data['node:Shopify Order Events Trigger'].subscriptions && data['node:Shopify Order Events Trigger'].subscriptions.uri;
				const deliveries = shopify.control.state().webhooks.deliveries.filter((/** @type {any} */ d) => d.uri === uri);
				const statuses = [...new Set(deliveries.flatMap((/** @type {any} */ d) => d.attempts.map((/** @type {any} */ a) => a.status)))];
				const ran = await n8n.executions({ workflowId: hooksBad.id });
				ctx.check(
					`wrong API secret key: ${deliveries.length} fulfillment webhooks answered ${statuses.join('/')} (${deliveries.length ? deliveries[0].state : '-'} after Shopify's retries), no execution`,
					deliveries.length > 0 && statuses.length === 1 && statuses[0] === 401 && ran.length === 0,
					{ uri, deliveries: deliveries.map((/** @type {any} */ d) => ({ state: d.state, attempts: d.attempts.length })) },
				);
				const probe = uri ? await kit.waitFor(() => require('../lib/n8n-instance').httpRequest('POST', uri, { body: { id: 1 }, headers: { 'x-shopify-hmac-sha256': 'AAAA', 'x-shopify-topic': 'fulfillments/create' } }), { timeoutMs: 5000 }) : null;
				if (probe) quote('wrong webhook secret, what Shopify receives', `HTTP ${probe.status} ${probe.text}`);
			});
		});
	},
};
