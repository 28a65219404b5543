/**
 * Shopify Order Events Trigger in webhook mode, against deliveries made by the sandbox: the
 * subscription lifecycle, HMAC, duplicates, out-of-order deliveries, privacy of the output, and
 * the time Shopify waits for an answer (measured over 50 deliveries, printed, not asserted).
 */
import { useClock } from '../../nodes/shared/transport/clock';
import { printReport } from '../bench/print';
import { FakeClock } from '../harness/fakeClock';
import type { AnyJson } from './fulfillment.helpers';
import { FulfillmentWorld, fulfillmentWorkflow, last, median, TRIGGER } from './fulfillment.helpers';

jest.setTimeout(120_000);

let world: FulfillmentWorld;
const workflow = fulfillmentWorkflow({ trigger: { events: ['fulfillmentCreated', 'fulfillmentUpdated', 'refundCreated', 'orderCancelled'] } });
let uri: string;

beforeAll(async () => {
	world = await FulfillmentWorld.start(31);
	({ uri } = await world.activateWebhooks(workflow));
});

afterAll(async () => {
	await world?.stop();
});

function subscriptions(): AnyJson[] {
	return world.sb.shopify.control.state().webhooks.subscriptions.filter((s: AnyJson) => s.uri === uri);
}

async function importNew(sku: string, quantity = 1) {
	const { id } = world.seedAmazon({ items: [{ sku, quantity, unitPrice: '10.00' }] });
	return await world.importToShopify(id);
}

describe('subscriptions (checkExists, create, delete)', () => {
	it('subscribes one GraphQL webhook per topic at the trigger URL, with trimmed payloads', () => {
		expect(subscriptions().map((s) => s.topic).sort()).toEqual(['FULFILLMENTS_CREATE', 'FULFILLMENTS_UPDATE', 'ORDERS_CANCELLED', 'REFUNDS_CREATE']);
		const fulfillments = subscriptions().find((s) => s.topic === 'FULFILLMENTS_CREATE');
		expect(fulfillments.format).toBe('JSON');
		expect(fulfillments.includeFields).toContain('tracking_numbers');
		expect(fulfillments.includeFields).not.toContain('destination');
		expect(fulfillments.includeFields).not.toContain('email');
	});

	it('checkExists re-creates a subscription Shopify dropped, and only that one', async () => {
		expect((await world.webhookMethod(workflow, 'checkExists')).result).toBe(true);
		const before = subscriptions();
		const dropped = before.find((s) => s.topic === 'FULFILLMENTS_UPDATE');
		// Shopify deletes API-created subscriptions after repeated failed deliveries.
		await world.shopifyGraphql('mutation ($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId } }', { id: dropped.id });
		expect(subscriptions()).toHaveLength(3);

		expect((await world.webhookMethod(workflow, 'checkExists')).result).toBe(false);
		await world.webhookMethod(workflow, 'create');
		const after = subscriptions();
		expect(after.map((s) => s.topic).sort()).toEqual(before.map((s) => s.topic).sort());
		const kept = before.filter((s) => s.topic !== 'FULFILLMENTS_UPDATE').map((s) => s.id).sort();
		expect(after.filter((s) => s.topic !== 'FULFILLMENTS_UPDATE').map((s) => s.id).sort()).toEqual(kept);
		expect((await world.webhookMethod(workflow, 'checkExists')).result).toBe(true);
	});

	it('delete removes every subscription of this trigger; another workflow keeps its own', async () => {
		const other = fulfillmentWorkflow();
		other.id = 'other-workflow';
		await world.activateWebhooks(other);
		const otherCount = world.sb.shopify.control.state().webhooks.subscriptions.filter((s: AnyJson) => s.uri.includes('/other-workflow/')).length;
		expect(otherCount).toBe(2);
		await world.webhookMethod(other, 'delete');
		world.deactivate(other);
		expect(world.sb.shopify.control.state().webhooks.subscriptions.filter((s: AnyJson) => s.uri.includes('/other-workflow/'))).toEqual([]);
		expect(subscriptions()).toHaveLength(4);
	});
});

describe('deliveries', () => {
	it('emits one event per fulfillment with the Amazon linkage and no buyer data', async () => {
		const order = await importNew('WH-EVENT', 2);
		const runs = world.runs.length;
		world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z999AA10123456784' } });
		await world.settle();
		const delivery = last(world.deliveries('fulfillments/create'));
		expect(delivery.attempts.map((a: AnyJson) => a.status)).toEqual([200]);
		expect(world.runs.length).toBe(runs + 1);
		const event = last(world.runs).data.resultData.runData[TRIGGER][0].data!.main[0]![0].json as AnyJson;
		expect(event).toMatchObject({
			event: 'fulfillmentCreated',
			topic: 'fulfillments/create',
			source: 'webhook',
			webhookId: delivery.webhookId,
			shopifyEventId: delivery.eventId,
			shop: 'sandbox-shop.myshopify.com',
			isAmazonOrder: true,
			linkageError: null,
			shopifyOrder: { id: order.shopifyOrderId, name: order.shopifyOrderName, currencyCode: 'USD' },
			amazon: {
				amazonOrderId: order.amazonOrderId,
				marketplaceId: 'ATVPDKIKX0DER',
				fulfillmentChannel: 'MFN',
				isFba: false,
				lineItems: [{ lineItemId: order.lineItems[0].id, orderItemId: order.lineItems[0].orderItemId, sku: 'WH-EVENT', quantity: 2 }],
			},
			fulfillment: {
				status: 'SUCCESS',
				trackingCompany: 'UPS',
				trackingNumbers: ['1Z999AA10123456784'],
				lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 2, orderItemId: order.lineItems[0].orderItemId, sku: 'WH-EVENT' }],
			},
		});
		const shopifyOrder = world.shopifyOrder(order.shopifyOrderId);
		const text = JSON.stringify(event);
		for (const pii of [shopifyOrder.email, shopifyOrder.phone, shopifyOrder.shippingAddress?.address1, shopifyOrder.shippingAddress?.lastName].filter(Boolean)) {
			expect(text).not.toContain(pii);
		}
	});

	it('answers 401 to a wrong signature and starts nothing', async () => {
		const runs = world.runs.length;
		const calls = world.amazonCalls('confirmShipment');
		const [delivery] = (await world.sb.shopify.control.deliverTampered('fulfillments/create')) as AnyJson[];
		await world.settle();
		expect(delivery.attempts.map((a: AnyJson) => a.status)).toEqual([401]);
		expect(world.runs.length).toBe(runs);
		expect(world.amazonCalls('confirmShipment')).toBe(calls);
	});

	it('answers 200 to a duplicate delivery and starts nothing', async () => {
		const order = await importNew('WH-DUP');
		world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZDUP0000000000001' } });
		await world.settle();
		const original = last(world.deliveries('fulfillments/create'));
		const runs = world.runs.length;
		const calls = world.amazonCalls('confirmShipment');

		const duplicate = (await world.sb.shopify.control.deliverDuplicate(original.deliveryId)) as AnyJson;
		await world.settle();
		expect(duplicate.webhookId).toBe(original.webhookId);
		expect(duplicate.attempts.map((a: AnyJson) => a.status)).toEqual([200]);
		expect(world.runs.length).toBe(runs);
		expect(world.amazonCalls('confirmShipment')).toBe(calls);
		expect(world.amazonOrder(order.amazonOrderId).packages).toHaveLength(1);
	});

	it('drops an older version delivered after a newer one (create after update, update after update)', async () => {
		const order = await importNew('WH-ORDER');
		const fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZOLD00000000000001' } });
		await world.settle();
		const created = last(world.deliveries('fulfillments/create'));
		world.sb.shopify.control.updateTracking(fulfillment.id, { company: 'UPS', number: '1ZMID00000000000002' });
		await world.settle();
		const middle = last(world.deliveries('fulfillments/update'));
		world.sb.shopify.control.updateTracking(fulfillment.id, { company: 'UPS', number: '1ZNEW00000000000003' });
		await world.settle();
		expect(world.amazonOrder(order.amazonOrderId).packages[0].trackingNumber).toBe('1ZNEW00000000000003');

		const runs = world.runs.length;
		const calls = world.amazonCalls('confirmShipment');
		// Shopify retries for hours and promises no order: the creation and the first edit arrive again, late.
		const late = [
			...((await world.sb.shopify.control.deliverStale('fulfillments/create', created.payload, { ageSeconds: 600 })) as AnyJson[]),
			...((await world.sb.shopify.control.deliverStale('fulfillments/update', middle.payload, { ageSeconds: 300 })) as AnyJson[]),
		].filter((d) => d.uri === uri);
		await world.settle();
		expect(late.map((d) => d.attempts.map((a: AnyJson) => a.status))).toEqual([[200], [200]]);
		expect(world.runs.length).toBe(runs);
		expect(world.amazonCalls('confirmShipment')).toBe(calls);
		const packages = world.amazonOrder(order.amazonOrderId).packages;
		expect(packages).toHaveLength(1);
		expect(packages[0].trackingNumber).toBe('1ZNEW00000000000003');
	});

	it('emits refunds and cancellations for the refund flow, with amounts in minor units', async () => {
		const order = await importNew('WH-REFUND', 2);
		const runs = world.runs.length;
		world.sb.shopify.control.refundOrder(order.shopifyOrderId, { lineItems: [{ sku: 'WH-REFUND', quantity: 1 }], note: 'damaged' });
		await world.settle();
		world.sb.shopify.control.cancelOrder(order.shopifyOrderId, { reason: 'customer', refund: true });
		await world.settle();
		const events = world.runs.slice(runs).map((run) => run.data.resultData.runData[TRIGGER][0].data!.main[0]![0].json as AnyJson);
		const refund = events.find((e) => e.event === 'refundCreated' && e.refund.note === 'damaged');
		expect(refund).toMatchObject({
			topic: 'refunds/create',
			amazon: { amazonOrderId: order.amazonOrderId },
			refund: {
				currencyCode: 'USD',
				refundLineItems: [{ lineItemId: order.lineItems[0].id, orderItemId: order.lineItems[0].orderItemId, quantity: 1, restockType: 'NO_RESTOCK', subtotal: { amount: '10.00', minor: 1000, currencyCode: 'USD' } }],
				totals: { lineItemsSubtotal: { minor: 1000 } },
			},
		});
		expect(refund.refund.totals.refunded.minor).toBe(refund.refund.transactions.filter((t: AnyJson) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((a: number, t: AnyJson) => a + t.amount.minor, 0));
		const cancelled = events.find((e) => e.event === 'orderCancelled');
		expect(cancelled).toMatchObject({ topic: 'orders/cancelled', cancellation: { reason: 'CUSTOMER' }, amazon: { amazonOrderId: order.amazonOrderId } });
		expect(cancelled.shopifyOrder.cancelledAt).toBe(cancelled.cancellation.cancelledAt);
		// Mark Amazon Fulfilled skips what is not a fulfillment.
		const skipped = world.runs.slice(runs).flatMap((run) => (run.data.resultData.runData['Mark Amazon Fulfilled']?.[0]?.data?.main?.[1] ?? []).map((i) => i.json as AnyJson));
		expect(skipped.every((s) => s.reason === 'notAFulfillment')).toBe(true);
	});
});

describe('Shopify unavailable during enrichment', () => {
	it('still emits the acknowledged event, and Mark Amazon Fulfilled reads the linkage itself', async () => {
		const order = await importNew('WH-OUTAGE');
		const clock = new FakeClock(Date.now());
		useClock(clock); // the client's retry back-off takes no real time
		try {
			world.sb.shopify.control.faults.set({ operation: 'OrderAmazonMapping', kind: '503', count: 6 });
			const runs = world.runs.length;
			world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZOUTAGE00000001' } });
			await world.settle();
			expect(last(world.deliveries('fulfillments/create')).attempts.map((a: AnyJson) => a.status)).toEqual([200]);
			const run = world.runs.slice(runs)[0];
			const event = run.data.resultData.runData[TRIGGER][0].data!.main[0]![0].json as AnyJson;
			expect(event).toMatchObject({ event: 'fulfillmentCreated', isAmazonOrder: false, amazon: null });
			expect(event.linkageError).toContain("Could not read the order's Amazon linkage from Shopify");
			const confirmed = run.data.resultData.runData['Mark Amazon Fulfilled'][0].data!.main[0]!.map((i) => i.json as AnyJson);
			expect(confirmed).toEqual([expect.objectContaining({ status: 'confirmed', amazonOrderId: order.amazonOrderId })]);
			expect(world.amazonOrder(order.amazonOrderId).packages[0].trackingNumber).toBe('1ZOUTAGE00000001');
		} finally {
			world.sb.shopify.control.faults.clear();
			useClock();
		}
	});
});

describe('response time', () => {
	it('answers Shopify before any outbound call: median over 50 deliveries', async () => {
		world.ackMs.length = 0;
		const since = world.deliveries().length;
		for (let i = 0; i < 10; i++) {
			const order = await importNew(`WH-SPEED-${i}`);
			const fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: `1ZSPEED${i}000000000` } });
			for (let edit = 1; edit <= 4; edit++) {
				world.sb.shopify.control.updateTracking(fulfillment.id, { company: 'UPS', number: `1ZSPEED${i}00000000${edit}` });
			}
		}
		await world.settle();
		const deliveries = world.deliveries().slice(since).filter((d) => d.uri === uri && d.topic.startsWith('fulfillments/'));
		expect(deliveries).toHaveLength(50);
		expect(deliveries.every((d) => d.attempts.length === 1 && d.attempts[0].status === 200)).toBe(true);
		const http = deliveries.map((d) => d.attempts[0].responseTimeMs as number);
		const inNode = world.ackMs.slice(-50);
		printReport([
			'Shopify Order Events Trigger, webhook response time (50 fulfillment deliveries by the sandbox, each then enriched and confirmed on Amazon):',
			`  median ${median(http).toFixed(2)} ms at Shopify's side (HTTP round trip on loopback), max ${Math.max(...http).toFixed(2)} ms`,
			`  median ${median(inNode).toFixed(2)} ms inside n8n (request received -> 200 sent), max ${Math.max(...inNode).toFixed(2)} ms`,
		]);
	});
});
