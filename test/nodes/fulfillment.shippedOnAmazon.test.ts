/**
 * A merchant-fulfilled order that was already shipped on Amazon when it is imported (a backfill,
 * "Include Already-Shipped Merchant Orders"): Create Shopify Order imports it fulfilled, with
 * Amazon's carrier and tracking and no customer notification; the fulfillment workflow that hears
 * about that fulfillment (fulfillments/create, then /update for the tracking) skips it with a
 * reason, and nothing is confirmed on Amazon again.
 */
import type { IWorkflowBase } from 'n8n-workflow';

import { itemsOf, runWorkflow } from '../harness/engine';
import type { AnyJson } from './fulfillment.helpers';
import { FulfillmentWorld, fulfillmentWorkflow, MARK } from './fulfillment.helpers';

jest.setTimeout(120_000);

const CREATE = 'Create Shopify Order';

function createWorkflow(): IWorkflowBase {
	return {
		id: 'import-shipped',
		name: 'import an Amazon order',
		active: false,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c',
				name: CREATE,
				type: 'n8n-nodes-amazon-shopify.createShopifyOrder',
				typeVersion: 1,
				position: [200, 0],
				parameters: { source: 'orderId', amazonOrderId: '={{ $json.amazonOrderId }}', unknownSku: 'customLineItem', options: {} },
				credentials: { amazonSellingPartnerApi: { id: '2', name: 'Amazon' }, shopifyAdminApi: { id: '1', name: 'Shopify' } },
				onError: 'continueErrorOutput',
			},
		],
		connections: { Manual: { main: [[{ node: CREATE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

let world: FulfillmentWorld;

beforeAll(async () => {
	world = await FulfillmentWorld.start(61);
	await world.activateWebhooks(fulfillmentWorkflow());
});

afterAll(async () => {
	await world?.stop();
});

it('is imported fulfilled with Amazon\'s tracking, and Mark Amazon Fulfilled skips it', async () => {
	const { id, order } = world.seedAmazon({ items: [{ sku: 'SHIPPED-1', quantity: 2, unitPrice: '10.00' }], status: 'SHIPPED' });
	const [pkg] = order.packages as AnyJson[];
	expect(pkg.trackingNumber).toEqual(expect.any(String));
	const confirms = world.amazonCalls('confirmShipment');
	const reads = world.amazonCalls('getOrder');

	const { run } = await runWorkflow(createWorkflow(), world.engine, { triggerItems: [{ json: { amazonOrderId: id } }] });
	expect(itemsOf(run, CREATE, 1)).toEqual([]);
	const [created] = itemsOf(run, CREATE, 0).map((i) => i.json as AnyJson);
	expect(created).toMatchObject({
		created: true,
		status: 'SHIPPED',
		fulfillmentChannel: 'MFN',
		inventoryBehaviour: 'DECREMENT_IGNORING_POLICY',
		tags: expect.arrayContaining(['Amazon', 'Amazon US', 'Shipped on Amazon']),
		fulfilledOnImport: { reason: 'shippedOnAmazon', carrier: pkg.carrier, trackingNumbers: [pkg.trackingNumber], trackingAdded: true },
	});
	expect(created.warnings).toEqual(expect.arrayContaining([expect.stringContaining('Already shipped on Amazon: imported as fulfilled')]));

	const shopifyOrder = world.shopifyOrder(created.shopifyOrderId);
	expect(shopifyOrder.displayFulfillmentStatus).toBe('FULFILLED');
	expect(shopifyOrder.fulfillments).toHaveLength(1);
	expect(shopifyOrder.fulfillments[0]).toMatchObject({ notifyCustomer: false, tracking: [expect.objectContaining({ company: pkg.carrier, number: pkg.trackingNumber })] });
	expect(world.sb.shopify.control.customerNotifications()).toEqual([]);

	// The fulfillment and its tracking update reach the fulfillment workflow: skipped, no Amazon call.
	await world.settle();
	const skipped = world.outputs().skipped.filter((s: AnyJson) => s.amazonOrderId === id);
	expect(skipped.length).toBeGreaterThanOrEqual(1);
	for (const item of skipped) expect(item).toMatchObject({ status: 'skipped', reason: 'shippedOnAmazon', amazonCalls: { total: 0 } });
	expect(skipped[0].message).toContain('already shipped on Amazon when it was imported');
	expect(world.outputs().confirmed.filter((c: AnyJson) => c.amazonOrderId === id)).toEqual([]);
	expect(world.itemsAt(MARK, 2)).toEqual([]);
	expect(world.amazonCalls('confirmShipment')).toBe(confirms);
	// Only Create Shopify Order read the order.
	expect(world.amazonCalls('getOrder')).toBe(reads + 1);
});
