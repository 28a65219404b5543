// @ts-check
'use strict';
/**
 * templates/amazon-orders-to-shopify.json in real n8n: the file as shipped imports (no credentials
 * in it), and, with the sandbox credentials selected and "Backfill" chosen, the activated workflow
 * imports the Amazon orders into Shopify once, tagged, with the trigger's cursor persisted.
 */

const { catalogue } = require('../../sandbox/seed');

const TRIGGER = 'Amazon Order Trigger';

/** @param {number} minutes */
function minutesAgo(minutes) {
	return new Date(Math.floor((Date.now() - minutes * 60_000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

module.exports = {
	name: 'amazon-orders',
	description: 'the Amazon orders -> Shopify template imports and, activated, imports orders exactly once',
	needsSandbox: true,

	/** @param {import('../e2e').Context} ctx */
	async run(ctx) {
		await ctx.withSandbox({ seed: 11, clockScale: 1000 }, async (sb) => {
			if (!sb.shopify) return ctx.skip('amazon-orders', 'the Shopify sandbox is not available');
			const shopify = sb.shopify;
			await shopify.control.seedProducts(catalogue.map((/** @type {any} */ c) => ({ ...c, inventory: 50 })));
			const ids = sb.amazon.control.seedOrders([
				{ marketplace: 'US', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 2, shipping: '4.99' }], lastUpdatedTime: minutesAgo(30) },
				{ marketplace: 'US', items: [{ sku: 'LAMP-ANGSTROM-DESK', quantity: 1 }, { sku: 'TEA-MATCHA-WHISK', quantity: 1 }], lastUpdatedTime: minutesAgo(25) },
				{ marketplace: 'US', fulfilledBy: 'AMAZON', status: 'SHIPPED', items: [{ sku: 'YOGA-MAT-6MM', quantity: 1 }], lastUpdatedTime: minutesAgo(20) },
			]);

			await ctx.withInstance(async (n8n) => {
				// 1. The file as shipped, before any credential exists.
				const shipped = ctx.loadTemplate('amazon-orders-to-shopify');
				const imported = await ctx.attempt('import:workflow of the template as shipped', () => n8n.importWorkflows([shipped]));
				if (imported) {
					const [rows] = await n8n.queryDb([{ sql: 'SELECT nodes FROM workflow_entity WHERE id = ?', params: [imported[0].id] }]);
					const nodes = JSON.parse(rows[0].nodes);
					ctx.equal('template nodes stored', nodes.map((/** @type {any} */ n) => n.type).sort(), shipped.nodes.map((/** @type {any} */ n) => n.type).sort());
				}

				// 2. Credentials selected, first run = backfill, activated.
				await n8n.importCredentials(ctx.sandboxCredentials(sb));
				const wf = ctx.loadTemplate('amazon-orders-to-shopify');
				wf.name = 'Amazon orders to Shopify (e2e)';
				const trigger = wf.nodes.find((/** @type {any} */ n) => n.name === TRIGGER);
				trigger.parameters.firstRun = 'backfill';
				trigger.parameters.backfillDays = 1;
				const [active] = await n8n.importWorkflows([wf]);
				await n8n.publish(active.id);
				await n8n.start();
				const orders = await ctx.waitFor(
					() => {
						const all = shopify.control.state().orders.filter((/** @type {any} */ o) => ids.includes(o.sourceIdentifier));
						return all.length >= ids.length ? all : null;
					},
					{ timeoutMs: 120_000, label: 'the 3 Amazon orders in Shopify' },
				);
				ctx.equal('each Amazon order imported once', orders.map((/** @type {any} */ o) => o.sourceIdentifier).sort(), [...ids].sort());
				ctx.check('tagged Amazon', orders.every((/** @type {any} */ o) => o.tags.includes('Amazon') && o.tags.includes('Amazon US')));
				const fba = orders.find((/** @type {any} */ o) => o.sourceIdentifier === ids[2]);
				ctx.check('the FBA order is fulfilled and tagged FBA', fba && fba.displayFulfillmentStatus === 'FULFILLED' && fba.tags.includes('FBA'), fba && fba.tags);
				ctx.equal('no e-mail to buyers', shopify.control.customerNotifications(), []);

				const executions = await ctx.waitFor(
					async () => {
						const list = await n8n.executions({ workflowId: active.id, includeData: true });
						return list.some((e) => e.finished) ? list : null;
					},
					{ timeoutMs: 30_000, label: 'a finished execution' },
				);
				const done = executions.find((e) => e.finished);
				ctx.check('the execution succeeded through Merchant Summary', done && done.status === 'success' && done.runData && done.runData['Merchant Summary'], done && done.status);
				const staticData = await n8n.workflowStaticData(active.id);
				const state = staticData && staticData[`node:${TRIGGER}`] && staticData[`node:${TRIGGER}`].amazonOrders;
				ctx.check('the trigger persisted its cursor, budget and dedupe record', Boolean(state && state.cursor && state.budget && state.seen), state && Object.keys(state));
			});
		});
	},
};
