/**
 * The 1,000-order backfill benchmark: Amazon Order Trigger (backfill) -> Create Shopify Order, the
 * template in the real n8n engine, against the sandbox. Prints Amazon calls and Shopify cost points
 * per imported order, 429/THROTTLED counts and the rate-limit ceilings, and fails when an order is
 * missing, duplicated or off by a cent, or a target is missed.
 *
 *   npx jest -c jest.bench.config.js --runInBand
 */
import type { IDataObject } from 'n8n-workflow';

import { toMinor } from '../../nodes/shared/money';
import { amazonCallStats, resetAmazonCallStats } from '../../nodes/shared/transport/amazon/stats';
import { AMAZON_USAGE_PLANS } from '../../nodes/shared/transport/amazon/usagePlans';
import { resetShopifyCallStats, shopifyCallStats } from '../../nodes/shared/transport/shopify/throttle';
import type { World } from '../nodes/amazon-orders.helpers';
import { US, CA, shopifyOrders, startWorld, templateWorkflow, tick, triggerState } from '../nodes/amazon-orders.helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { printReport } = require('./print') as { printReport: (lines: string[]) => void };

const ORDERS = 1000;
const AMAZON_TARGET = 0.011;
const SHOPIFY_TARGET = 15;
/** Shopify GraphQL restore rates (points per second) by plan, shopify.md §9.1. */
const SHOPIFY_RESTORE = { Standard: 100, Advanced: 200, Plus: 1000 };
const DEV_STORE_ORDERS_PER_HOUR = 5 * 60;

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');

describe('benchmark: 1,000-order backfill, Amazon -> Shopify', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ seed: 2026, marketplaceIds: [US, CA] });
	});
	afterAll(async () => world.sb.stop());

	it('imports every order once, to the cent, within the Amazon and Shopify budgets', async () => {
		world.sb.amazon.control.generateOrders(ORDERS, { marketplaces: ['US', 'CA'], statuses: ['UNSHIPPED'] });
		const amazonOrders = new Map<string, { amount: string; currencyCode: string }>(
			(world.sb.amazon.control.listOrders() as Array<{ orderId: string; proceeds: { grandTotal: { amount: string; currencyCode: string } } }>).map((o) => [o.orderId, o.proceeds.grandTotal]),
		);
		const workflow = templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 7, marketplaceIds: [US, CA] } });
		resetAmazonCallStats();
		resetShopifyCallStats();
		const shopifyBefore = world.sb.shopify.control.stats();

		const started = Date.now();
		let staticData: IDataObject = {};
		const created: IDataObject[] = [];
		const failed: IDataObject[] = [];
		let polls = 0;
		do {
			const r = await tick(world, workflow, staticData);
			staticData = r.staticData;
			created.push(...r.created);
			failed.push(...r.failed);
			polls++;
		} while (triggerState(staticData).window && polls < 20);
		const seconds = (Date.now() - started) / 1000;

		// ---- correctness
		expect(failed).toEqual([]);
		expect(created.filter((c) => c.created === true)).toHaveLength(ORDERS);
		const orders = shopifyOrders(world).filter((o) => amazonOrders.has(o.sourceIdentifier));
		expect(orders).toHaveLength(ORDERS);
		expect(new Set(orders.map((o) => o.sourceIdentifier)).size).toBe(ORDERS);
		const offByACent = orders.filter((o) => {
			const amazon = amazonOrders.get(o.sourceIdentifier)!;
			const shopify = (o.totals as { total: { presentment: { amount: string; currencyCode: string } } }).total.presentment;
			return shopify.currencyCode !== amazon.currencyCode || toMinor(shopify.amount, amazon.currencyCode, { rounding: 'halfUp' }) !== toMinor(amazon.amount, amazon.currencyCode);
		});
		expect(offByACent).toEqual([]);
		expect(world.sb.shopify.control.customerNotifications()).toEqual([]);

		// ---- Amazon
		const amazon = amazonCallStats();
		const amazonCalls = Object.values(amazon).reduce((n, s) => n + s.calls, 0);
		const amazon429 = Object.values(amazon).reduce((n, s) => n + s.throttled, 0);
		const sandboxAmazon = world.sb.amazon.control.stats();
		const sandbox429 = Number(sandboxAmazon.statuses?.['429'] ?? 0);
		const amazonPerOrder = amazonCalls / ORDERS;

		// ---- Shopify
		const shopify = shopifyCallStats();
		const shopifyActual = Object.values(shopify).reduce((n, s) => n + s.actualCost, 0);
		const shopifyRequested = Object.values(shopify).reduce((n, s) => n + s.requestedCost, 0);
		const shopifyThrottled = Object.values(shopify).reduce((n, s) => n + s.throttled, 0);
		const sandboxShopify = world.sb.shopify.control.stats();
		const sandboxThrottled = sandboxShopify.totals.throttled - shopifyBefore.totals.throttled;
		const pointsPerOrder = shopifyActual / ORDERS;

		// ---- ceilings (orders per hour)
		const importRate = (ORDERS / seconds) * 3600;
		const amazonCeiling = AMAZON_USAGE_PLANS.searchOrders.rate * 3600 * 100;
		const amazonBurst = AMAZON_USAGE_PLANS.searchOrders.burst * 100;
		const shopifyCeilings = Object.entries(SHOPIFY_RESTORE).map(([plan, rate]) => [plan, (rate / pointsPerOrder) * 3600] as const);

		const lines = [
			`Amazon -> Shopify backfill: ${int(ORDERS)} orders (US + CA, ~20% FBA), ${polls} poll(s), ${fmt(seconds, 1)} s against the sandbox`,
			'',
			`Amazon SP-API calls:        ${amazonCalls} (${Object.entries(amazon).map(([op, s]) => `${op} ${s.calls}`).join(', ')})`,
			`  per imported order:       ${fmt(amazonPerOrder, 4)}  (target <= ${AMAZON_TARGET}; ${fmt(amazonPerOrder / AMAZON_TARGET, 2)} x target)`,
			`  429 received:             ${amazon429} (sandbox counted ${sandbox429})`,
			`Shopify GraphQL:            ${Object.values(shopify).reduce((n, s) => n + s.calls, 0)} calls, ${int(shopifyActual)} points charged (${int(shopifyRequested)} requested before refunds)`,
			`  per imported order:       ${fmt(pointsPerOrder, 2)} points  (target <= ${SHOPIFY_TARGET}; ${fmt(pointsPerOrder / SHOPIFY_TARGET, 2)} x target)`,
			...Object.entries(shopify)
				.sort((a, b) => b[1].actualCost - a[1].actualCost)
				.map(([doc, s]) => `    ${doc.padEnd(32)} ${String(s.calls).padStart(5)} calls ${fmt(s.actualCost / ORDERS, 3).padStart(8)} points/order`),
			`  THROTTLED received:       ${shopifyThrottled} (sandbox counted ${sandboxThrottled})`,
			'',
			'Rate-limit ceilings (orders per hour):',
			`  Amazon searchOrders plan (${AMAZON_USAGE_PLANS.searchOrders.rate} rps x 100 orders/page): ${int(amazonCeiling)}/h sustained, + ${int(amazonBurst)} at once from the burst`,
			...shopifyCeilings.map(([plan, ceiling]) => `  Shopify ${plan.padEnd(8)} (${SHOPIFY_RESTORE[plan as keyof typeof SHOPIFY_RESTORE]} points/s): ${int(ceiling)}/h`),
			`  Shopify development store (5 orderCreate/min): ${int(DEV_STORE_ORDERS_PER_HOUR)}/h`,
			`  This run's import rate (sandbox, real time): ${int(importRate)}/h`,
			`  Ratios ceiling / import rate: Amazon ${fmt(amazonCeiling / importRate, 3)}, Shopify Standard ${fmt(shopifyCeilings[0][1] / importRate, 3)}, dev store ${fmt(DEV_STORE_ORDERS_PER_HOUR / importRate, 4)}`,
			`  Steady state: the searchOrders plan carries ${int(amazonCeiling)} orders/h; Shopify Standard carries ${fmt(shopifyCeilings[0][1] / amazonCeiling, 1)} x that.`,
		];
		printReport(lines);

		expect(amazon429).toBe(0);
		expect(sandbox429).toBe(0);
		expect(shopifyThrottled).toBe(0);
		expect(amazonPerOrder).toBeLessThanOrEqual(AMAZON_TARGET);
		expect(pointsPerOrder).toBeLessThanOrEqual(SHOPIFY_TARGET);
	});
});
