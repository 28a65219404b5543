/**
 * templates/amazon-ship-by-alerts.json in the engine: Schedule Trigger → Mark Amazon Fulfilled
 * (Order → Find Due to Ship) → a disabled e-mail node, against the sandbox.
 */
import type { IWorkflowBase } from 'n8n-workflow';

import alertsTemplate from '../../templates/amazon-ship-by-alerts.json';
import { itemsOf, runWorkflow } from '../harness/engine';
import type { AnyJson } from './fulfillment.helpers';
import { FulfillmentWorld, withCredentials } from './fulfillment.helpers';

jest.setTimeout(60_000);

const FIND = 'Find Orders Due to Ship';
const ALERT = 'Alert Merchant';

let world: FulfillmentWorld;
const ids: Record<string, string> = {};
const shopify: Record<string, string> = {};

beforeAll(async () => {
	world = await FulfillmentWorld.start(51);
	const seed = async (key: string, spec: Parameters<FulfillmentWorld['seedAmazon']>[0], imported = true) => {
		ids[key] = world.seedAmazon(spec).id;
		if (imported) shopify[key] = (await world.importToShopify(ids[key])).shopifyOrderName;
	};
	await seed('dueSoonUnfulfilled', { items: [{ sku: 'DUE-A', quantity: 1, unitPrice: '10.00' }], shipByInHours: 5 });
	await seed('overdueNotImported', { items: [{ sku: 'DUE-B', quantity: 1, unitPrice: '10.00' }], shipByInHours: -3 }, false);
	await seed('fulfilledNotConfirmed', { items: [{ sku: 'DUE-C', quantity: 1, unitPrice: '10.00' }], shipByInHours: 10 });
	await seed('partial', { items: [{ sku: 'DUE-D', quantity: 2, unitPrice: '10.00' }], shipByInHours: 20 });
	await seed('notDueYet', { items: [{ sku: 'DUE-E', quantity: 1, unitPrice: '10.00' }], shipByInHours: 60 });
	await seed('shippedOnAmazon', { items: [{ sku: 'DUE-F', quantity: 1, unitPrice: '10.00' }], shipByInHours: 2, status: 'SHIPPED' });
	await seed('fba', { items: [{ sku: 'DUE-G', quantity: 1, unitPrice: '10.00' }], shipByInHours: 2, fulfilledBy: 'AMAZON' });
	// Shipped in Shopify while the fulfillment workflow was not running: Amazon never heard of it.
	const orders = world.sb.shopify.control.state().orders as AnyJson[];
	const byName = (name: string) => orders.find((o) => o.name === name).id as string;
	world.sb.shopify.control.fulfillOrder(byName(shopify.fulfilledNotConfirmed), { tracking: { company: 'UPS', number: '1ZDUE00000000001' } });
	world.sb.shopify.control.fulfillOrder(byName(shopify.partial), { lineItems: [{ sku: 'DUE-D', quantity: 1 }], tracking: { company: 'UPS', number: '1ZDUE00000000002' } });
});

afterAll(async () => {
	await world?.stop();
});

function template(overrides: Record<string, unknown> = {}): IWorkflowBase {
	const workflow = withCredentials(alertsTemplate as unknown as IWorkflowBase);
	Object.assign(workflow.nodes.find((n) => n.name === FIND)!.parameters, overrides);
	return workflow;
}

describe('Amazon ship-by alerts template', () => {
	it('sends one alert listing the unshipped Amazon orders due within 24 h, with their Shopify state', async () => {
		const searches = world.amazonCalls('searchOrders');
		const { run } = await runWorkflow(template(), world.engine, { mode: 'trigger', startNode: 'Every Hour' });
		const alert = itemsOf(run, ALERT).map((i) => i.json as AnyJson);
		expect(alert).toHaveLength(1);
		expect(alert[0]).toMatchObject({ count: 4, overdue: 1, dueSoon: 3, subject: '4 Amazon orders to ship (1 overdue)' });
		expect(alert[0].orders.map((o: AnyJson) => [o.amazonOrderId, o.shopifyState, o.overdue])).toEqual([
			[ids.overdueNotImported, 'notInShopify', true],
			[ids.dueSoonUnfulfilled, 'unfulfilled', false],
			[ids.fulfilledNotConfirmed, 'fulfilledNotConfirmed', false],
			[ids.partial, 'partiallyFulfilled', false],
		]);
		expect(alert[0].text).toContain(`Amazon order ${ids.dueSoonUnfulfilled} (Shopify ${shopify.dueSoonUnfulfilled}) must ship within 5 h`);
		expect(alert[0].text).toContain(`Amazon order ${ids.overdueNotImported} was due 3 h ago`);
		expect(alert[0].text).toContain('https://sellercentral.amazon.com/orders-v3/order/');
		expect(world.amazonCalls('searchOrders') - searches).toBe(1);
	});

	it('one item per order, filtered by Shopify state; nothing due means no alert', async () => {
		const { run } = await runWorkflow(template({ output: 'perOrder', shopifyStates: ['fulfilledNotConfirmed'] }), world.engine, { mode: 'trigger', startNode: 'Every Hour' });
		const found = itemsOf(run, FIND).map((i) => i.json as AnyJson);
		expect(found).toEqual([
			expect.objectContaining({ amazonOrderId: ids.fulfilledNotConfirmed, shopifyState: 'fulfilledNotConfirmed', unshippedUnits: 1, amazonStatus: 'UNSHIPPED', marketplaceId: 'ATVPDKIKX0DER' }),
		]);
		expect(found[0].shopifyOrder).toEqual({ id: expect.any(String), name: shopify.fulfilledNotConfirmed, displayFulfillmentStatus: 'FULFILLED' });
		expect(found[0].hoursLeft).toBeGreaterThan(9);
		expect(found[0].hoursLeft).toBeLessThanOrEqual(10);

		const none = await runWorkflow(template({ dueWithinHours: 1, shopifyStates: ['unfulfilled'] }), world.engine, { mode: 'trigger', startNode: 'Every Hour' });
		expect(none.run.data.resultData.runData[ALERT]).toBeUndefined();
	});

	it('a Marketplace ID of another region than the credential fails before any search', async () => {
		const searches = world.amazonCalls('searchOrders');
		const { run } = await runWorkflow(template({ dueOptions: { marketplaceIds: 'ATVPDKIKX0DER, A1PA6795UKMFR9' } }), world.engine, { mode: 'trigger', startNode: 'Every Hour' });
		const error = run.data.resultData.runData[FIND][0].error as AnyJson;
		expect(error.message).toMatch(/Marketplace Germany \(A1PA6795UKMFR9\) belongs to the Europe region \("eu"\), but the Amazon credential uses the North America region/);
		expect(world.amazonCalls('searchOrders')).toBe(searches);
	});
});
