/**
 * Shopify fulfillments → Amazon, end to end in the engine: the template workflow, webhooks
 * delivered by the sandbox's Shopify side to a loopback forwarder, Mark Amazon Fulfilled calling
 * the sandbox's SP-API. Assertions are on the sandbox's Amazon state and call records.
 */
import type { AnyJson, Imported } from './fulfillment.helpers';
import { FulfillmentWorld, fulfillmentWorkflow, NOTIFY } from './fulfillment.helpers';

jest.setTimeout(60_000);

let world: FulfillmentWorld;
const workflow = fulfillmentWorkflow();

beforeAll(async () => {
	world = await FulfillmentWorld.start(21);
	await world.activateWebhooks(workflow);
});

afterAll(async () => {
	await world?.stop();
});

/** Runs `act`, waits for the deliveries and executions it causes, returns what came out of them. */
async function during(act: () => unknown | Promise<unknown>) {
	const before = world.runs.length;
	const calls = { confirmShipment: world.amazonCalls('confirmShipment'), getOrder: world.amazonCalls('getOrder') };
	await act();
	await world.settle();
	const runs = world.runs.slice(before);
	const pick = (output: number) => runs.flatMap((run) => (run.data.resultData.runData['Mark Amazon Fulfilled']?.[0]?.data?.main?.[output] ?? []).map((i) => i.json as AnyJson));
	return {
		runs,
		confirmed: pick(0),
		skipped: pick(1),
		errors: runs.flatMap((run) => (run.data.resultData.runData[NOTIFY]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as AnyJson)),
		amazonCalls: {
			confirmShipment: world.amazonCalls('confirmShipment') - calls.confirmShipment,
			getOrder: world.amazonCalls('getOrder') - calls.getOrder,
		},
	};
}

function fulfillmentLegacyId(gid: string): string {
	return gid.replace(/^.*\//, '');
}

async function importNew(items: Array<{ sku: string; quantity: number }>, extra: Parameters<FulfillmentWorld['seedAmazon']>[0] = { items: [] }, options = {}): Promise<Imported> {
	const { id } = world.seedAmazon({ ...extra, items: items.map((i) => ({ ...i, unitPrice: '10.00' })) });
	return await world.importToShopify(id, options);
}

describe('one package', () => {
	it('confirms carrier, tracking and ship date with one Amazon call', async () => {
		const order = await importNew([
			{ sku: 'ONE-A', quantity: 2 },
			{ sku: 'ONE-B', quantity: 1 },
		]);
		let fulfillment: AnyJson;
		const result = await during(() => {
			fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z999AA10123456784' } });
		});

		const amazon = world.amazonOrder(order.amazonOrderId);
		expect(amazon.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(amazon.packages).toHaveLength(1);
		expect(amazon.packages[0]).toMatchObject({
			packageReferenceId: `${fulfillmentLegacyId(fulfillment.id)}01`,
			carrier: 'UPS',
			trackingNumber: '1Z999AA10123456784',
			packageItems: [
				{ orderItemId: order.lineItems[0].orderItemId, quantity: 2 },
				{ orderItemId: order.lineItems[1].orderItemId, quantity: 1 },
			],
		});
		// Same day and time as the Shopify fulfillment (seconds precision on both sides).
		expect(amazon.packages[0].shipTime).toBe(fulfillment.createdAt);

		expect(result.errors).toEqual([]);
		expect(result.confirmed).toHaveLength(1);
		expect(result.confirmed[0]).toMatchObject({
			status: 'confirmed',
			amazonOrderId: order.amazonOrderId,
			marketplaceId: 'ATVPDKIKX0DER',
			shopifyOrder: { id: order.shopifyOrderId, name: order.shopifyOrderName },
			carrier: { shopifyCarrier: 'UPS', amazonCarrierCode: 'UPS', mapped: true },
			late: false,
			latestShipDate: new Date(order.latestShipDate).toISOString(),
			amazonCalls: { getOrder: 0, confirmShipment: 1, total: 1 },
		});
		expect(result.amazonCalls).toEqual({ confirmShipment: 1, getOrder: 0 });
	});

	it('says the confirmation was late when the latest ship date has passed', async () => {
		const order = await importNew([{ sku: 'LATE-A', quantity: 1 }], { items: [], shipByInHours: -5 });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'USPS', number: '9400111899223197428490' } }));
		expect(result.confirmed[0]).toMatchObject({ late: true, carrier: { amazonCarrierCode: 'USPS' } });
		expect(result.confirmed[0].minutesLate).toBeGreaterThanOrEqual(299);
	});
});
