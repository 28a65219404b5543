/**
 * Polling mode (n8n behind a firewall) against webhook mode: the same merchant actions in two
 * identical sandboxes, one workflow fed by the sandbox's webhook deliveries, the other by polls.
 * Amazon must end up in the same state, and the events must carry the same content.
 */
import type { IWorkflowBase } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { AnyJson } from './fulfillment.helpers';
import { pollOnce, runWorkflow } from '../harness/engine';
import { FulfillmentWorld, fulfillmentWorkflow, TRIGGER } from './fulfillment.helpers';

jest.setTimeout(120_000);

interface Driver {
	world: FulfillmentWorld;
	/** Called after every merchant action: settle webhooks, or poll. */
	observe(): Promise<void>;
}

/** The merchant's day, identical in both worlds. Returns the Amazon order ids to compare. */
async function merchantDay({ world, observe }: Driver): Promise<{ orders: string[]; events: AnyJson[] }> {
	const a = world.seedAmazon({ items: [{ sku: 'DAY-A', quantity: 2, unitPrice: '10.00' }, { sku: 'DAY-B', quantity: 1, unitPrice: '5.00' }] });
	const b = world.seedAmazon({ items: [{ sku: 'DAY-C', quantity: 3, unitPrice: '7.00' }] });
	const fba = world.seedAmazon({ fulfilledBy: 'AMAZON', items: [{ sku: 'DAY-FBA', quantity: 1, unitPrice: '9.00' }] });
	const retail = world.seedAmazon({ items: [{ sku: 'DAY-RETAIL', quantity: 1, unitPrice: '9.00' }] });
	const orderA = await world.importToShopify(a.id);
	const orderB = await world.importToShopify(b.id);
	const orderFba = await world.importToShopify(fba.id);
	const orderRetail = await world.importToShopify(retail.id, { linkage: 'none' });
	await observe();

	// A: part now (UPS), the rest with a local courier Amazon has no code for.
	const first = world.sb.shopify.control.fulfillOrder(orderA.shopifyOrderId, { lineItems: [{ sku: 'DAY-A', quantity: 1 }], tracking: { company: 'UPS', number: '1ZDAYA0000000001' } });
	await observe();
	world.sb.shopify.control.fulfillOrder(orderA.shopifyOrderId, { tracking: { company: 'Speedy Local Couriers', number: 'SLC-DAY-2' } });
	await observe();
	// A: the first label was mistyped.
	world.sb.shopify.control.updateTracking(first.id, { company: 'UPS', number: '1ZDAYA0000000009' });
	await observe();
	// B: one fulfillment, two boxes.
	world.sb.shopify.control.fulfillOrder(orderB.shopifyOrderId, { tracking: { company: 'DHL Express', numbers: ['JDDAY1', 'JDDAY2'] } });
	// FBA and retail orders are fulfilled too (nothing must reach Amazon for them).
	world.sb.shopify.control.fulfillOrder(orderFba.shopifyOrderId, { tracking: { company: 'Amazon', number: 'TBADAY1' } });
	world.sb.shopify.control.fulfillOrder(orderRetail.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZRETAIL00000001' } });
	await observe();
	// A refund on B (for the refund flow; Mark Amazon Fulfilled skips it).
	world.sb.shopify.control.refundOrder(orderB.shopifyOrderId, { lineItems: [{ sku: 'DAY-C', quantity: 1 }], note: 'one arrived broken' });
	await observe();

	const events = world.runs.map((run) => run.data.resultData.runData[TRIGGER][0].data!.main[0]!.map((i) => i.json as AnyJson)).flat();
	return { orders: [a.id, b.id, fba.id, retail.id], events };
}

/** Amazon state without ids that differ between the two sandboxes. */
function amazonView(world: FulfillmentWorld, ids: string[]) {
	return ids.map((id) => {
		const order = world.amazonOrder(id);
		const skus = new Map(order.orderItems.map((i: AnyJson) => [i.orderItemId, i.product.sellerSku]));
		return {
			status: order.fulfillment.fulfillmentStatus,
			packages: (order.packages ?? []).map((p: AnyJson) => ({
				index: p.packageReferenceId.slice(-2),
				carrier: p.carrier,
				trackingNumber: p.trackingNumber,
				items: p.packageItems.map((i: AnyJson) => `${String(skus.get(i.orderItemId))}x${i.quantity}`),
			})),
		};
	});
}

/** Event content without what only webhook mode has (delivery ids, headers) or ids that differ. */
function eventView(event: AnyJson) {
	return {
		event: event.event,
		amazon: event.amazon ? { fulfillmentChannel: event.amazon.fulfillmentChannel, isFba: event.amazon.isFba, lines: event.amazon.lineItems.map((l: AnyJson) => `${l.sku}x${l.quantity}`) } : null,
		fulfillment: event.fulfillment
			? {
					status: event.fulfillment.status,
					trackingCompany: event.fulfillment.trackingCompany,
					trackingNumbers: event.fulfillment.trackingNumbers,
					trackingUrls: event.fulfillment.trackingUrls,
					lines: event.fulfillment.lineItems.map((l: AnyJson) => `${l.sku}x${l.quantity}:${l.orderItemId ? 'linked' : 'unlinked'}`),
				}
			: undefined,
		refund: event.refund
			? {
					note: event.refund.note,
					lines: event.refund.refundLineItems.map((l: AnyJson) => [l.sku, l.quantity, l.restockType, l.subtotal, l.totalTax, Boolean(l.orderItemId)]),
					totals: event.refund.totals,
					transactions: event.refund.transactions.map((t: AnyJson) => [t.kind, t.status, t.gateway, t.amount]),
				}
			: undefined,
		keys: Object.keys(event).sort(),
	};
}

let webhookWorld: FulfillmentWorld;
let pollingWorld: FulfillmentWorld;

beforeAll(async () => {
	[webhookWorld, pollingWorld] = await Promise.all([FulfillmentWorld.start(41), FulfillmentWorld.start(41)]);
});

afterAll(async () => {
	await Promise.all([webhookWorld?.stop(), pollingWorld?.stop()]);
});

describe('polling mode', () => {
	it('produces the same Amazon state and the same events as webhook mode', async () => {
		const events = ['fulfillmentCreated', 'fulfillmentUpdated', 'refundCreated'];
		const viaWebhooks = fulfillmentWorkflow({ trigger: { events } });
		await webhookWorld.activateWebhooks(viaWebhooks);
		const webhook = await merchantDay({ world: webhookWorld, observe: async () => await webhookWorld.settle() });

		const viaPolls: IWorkflowBase = fulfillmentWorkflow({ trigger: { mode: 'polling', events } });
		expect(await pollingWorld.poll(viaPolls)).toBeNull(); // the first poll only starts the cursor
		const polling = await merchantDay({ world: pollingWorld, observe: async () => void (await pollingWorld.poll(viaPolls)) });

		expect(amazonView(pollingWorld, polling.orders)).toEqual(amazonView(webhookWorld, webhook.orders));
		const [a, b, fba, retail] = amazonView(webhookWorld, webhook.orders);
		expect(a.status).toBe('SHIPPED');
		expect(a.packages).toEqual([
			{ index: '01', carrier: 'UPS', trackingNumber: '1ZDAYA0000000009', items: ['DAY-Ax1'] },
			{ index: '01', carrier: 'Speedy Local Couriers', trackingNumber: 'SLC-DAY-2', items: ['DAY-Ax1', 'DAY-Bx1'] },
		]);
		expect(b.packages).toEqual([
			{ index: '01', carrier: 'DHL Express', trackingNumber: 'JDDAY1', items: ['DAY-Cx2'] },
			{ index: '02', carrier: 'DHL Express', trackingNumber: 'JDDAY2', items: ['DAY-Cx1'] },
		]);
		expect(fba.packages).toEqual([]);
		expect(retail).toEqual({ status: 'UNSHIPPED', packages: [] });

		// Executions of one step run concurrently, so compare the events as sets.
		const sorted = (events: AnyJson[]) => events.map((e) => JSON.stringify(eventView(e))).sort();
		expect(sorted(polling.events)).toEqual(sorted(webhook.events));
		expect(polling.events.every((e) => e.source === 'poll' && e.webhookId === null)).toBe(true);
		expect(webhook.events.every((e) => e.source === 'webhook' && typeof e.webhookId === 'string')).toBe(true);
		expect(webhook.events.map((e) => e.event).sort()).toEqual(['fulfillmentCreated', 'fulfillmentCreated', 'fulfillmentCreated', 'fulfillmentCreated', 'fulfillmentUpdated', 'refundCreated']);
	});

	it('emits nothing twice: a poll with no change returns nothing, and its cursor moves on', async () => {
		const viaPolls = fulfillmentWorkflow({ trigger: { mode: 'polling', events: ['fulfillmentCreated', 'fulfillmentUpdated', 'refundCreated'] } });
		const confirmCalls = pollingWorld.amazonCalls('confirmShipment');
		expect(await pollingWorld.poll(viaPolls)).toBeNull();
		expect(await pollingWorld.poll(viaPolls)).toBeNull();
		expect(pollingWorld.amazonCalls('confirmShipment')).toBe(confirmCalls);
		const state = pollingWorld.staticData[`node:${TRIGGER}`] as AnyJson;
		expect(Date.parse(state.cursor)).toBeGreaterThanOrEqual(Date.parse(state.since));
	});
});

describe('polling mode, more', () => {
	it('several changes between two polls come out as one event with the latest state', async () => {
		const viaPolls = fulfillmentWorkflow({ trigger: { mode: 'polling', events: ['fulfillmentCreated', 'fulfillmentUpdated'] } });
		const order = pollingWorld.seedAmazon({ items: [{ sku: 'COALESCE-A', quantity: 1, unitPrice: '10.00' }] });
		const imported = await pollingWorld.importToShopify(order.id);
		const fulfillment = pollingWorld.sb.shopify.control.fulfillOrder(imported.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZCOAL0000000001' } });
		pollingWorld.sb.shopify.control.updateTracking(fulfillment.id, { company: 'FedEx', number: '794600000000' });
		const runs = pollingWorld.runs.length;
		const confirms = pollingWorld.amazonCalls('confirmShipment');
		await pollingWorld.poll(viaPolls);
		const events = pollingWorld.runs.slice(runs).flatMap((run) => run.data.resultData.runData[TRIGGER][0].data!.main[0]!.map((i) => i.json as AnyJson));
		expect(events.map((e) => [e.event, e.fulfillment.trackingCompany, e.fulfillment.trackingNumbers])).toEqual([['fulfillmentCreated', 'FedEx', ['794600000000']]]);
		expect(pollingWorld.amazonCalls('confirmShipment') - confirms).toBe(1);
		expect(pollingWorld.amazonOrder(order.id).packages.map((p: AnyJson) => [p.carrier, p.trackingNumber])).toEqual([['FedEx', '794600000000']]);
	});

	it('"Fetch Test Event" returns recent events and leaves the cursor and the stores alone', async () => {
		const viaPolls = fulfillmentWorkflow({ trigger: { mode: 'polling', events: ['fulfillmentCreated', 'fulfillmentUpdated'] } });
		const before = JSON.stringify(pollingWorld.staticData);
		const { result } = await pollOnce(viaPolls, TRIGGER, pollingWorld.engine, { mode: 'manual', staticData: pollingWorld.staticData });
		const sample = (result?.[0] ?? []).map((i) => i.json as AnyJson);
		expect(sample.length).toBeGreaterThan(0);
		expect(sample.length).toBeLessThanOrEqual(5);
		expect(sample.every((e) => e.source === 'poll' && e.fulfillment && e.amazon)).toBe(true);
		// In the editor, a manual run goes through the node's execute(): same sample.
		const { run } = await runWorkflow(viaPolls, pollingWorld.engine, { mode: 'manual', startNode: TRIGGER });
		expect(run.data.resultData.runData[TRIGGER][0].data!.main[0]!.length).toBe(sample.length);
		expect(JSON.stringify(pollingWorld.staticData)).toBe(before);
	});

	it('"Start From" emits what happened since that time on the first poll', async () => {
		const order = pollingWorld.seedAmazon({ items: [{ sku: 'START-A', quantity: 1, unitPrice: '10.00' }] });
		const imported = await pollingWorld.importToShopify(order.id);
		await sleep(1100); // Shopify times have whole seconds: keep earlier tests' changes out of the window
		const startFrom = new Date().toISOString();
		pollingWorld.sb.shopify.control.fulfillOrder(imported.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZSTART000000001' } });
		const fresh = fulfillmentWorkflow({ trigger: { mode: 'polling', events: ['fulfillmentCreated'], options: { startFrom } } });
		fresh.id = 'fresh-polling';
		const { result, staticData } = await pollOnce(fresh, TRIGGER, pollingWorld.engine, { staticData: {} });
		const events = (result?.[0] ?? []).map((i) => i.json as AnyJson);
		expect(events.map((e) => e.amazon.amazonOrderId)).toEqual([order.id]);
		expect((staticData[`node:${TRIGGER}`] as AnyJson).since).toBe(`${startFrom.slice(0, 19)}.000Z`);
	});
});
