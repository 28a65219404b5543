/**
 * Shopify fulfillments → Amazon, end to end in the engine: the template workflow, webhooks
 * delivered by the sandbox's Shopify side to a loopback forwarder, Mark Amazon Fulfilled calling
 * the sandbox's SP-API. Assertions are on the sandbox's Amazon state and call records.
 */
import type { AnyJson, Imported } from './fulfillment.helpers';
import { explicitWorkflow, FulfillmentWorld, fulfillmentWorkflow, MARK, NOTIFY } from './fulfillment.helpers';
import { printReport } from '../bench/print';
import { itemsOf, runWorkflow } from '../harness/engine';

jest.setTimeout(60_000);

let world: FulfillmentWorld;
const workflow = fulfillmentWorkflow();

beforeAll(async () => {
	world = await FulfillmentWorld.start(21);
	await world.activateWebhooks(workflow);
});

const tally: Array<{ test: string; fulfillments: number; confirmShipment: number; getOrder: number }> = [];

afterAll(async () => {
	await world?.stop();
	printReport([
		'Mark Amazon Fulfilled, Amazon calls per Shopify fulfillment (sandbox records):',
		...tally.map((t) => `  ${String(t.confirmShipment + t.getOrder).padStart(2)} calls (${t.confirmShipment} confirmShipment + ${t.getOrder} getOrder) / ${t.fulfillments} fulfillment(s)  ${t.test}`),
	]);
});

/** Runs `act`, waits for the deliveries and executions it causes, returns what came out of them. */
async function during(act: () => unknown | Promise<unknown>) {
	const before = world.runs.length;
	const calls = { confirmShipment: world.amazonCalls('confirmShipment'), getOrder: world.amazonCalls('getOrder') };
	await act();
	await world.settle();
	const runs = world.runs.slice(before);
	const fulfillments = runs.filter((run) => (run.data.resultData.runData['Mark Amazon Fulfilled']?.length ?? 0) > 0).length;
	const pick = (output: number) => runs.flatMap((run) => (run.data.resultData.runData['Mark Amazon Fulfilled']?.[0]?.data?.main?.[output] ?? []).map((i) => i.json as AnyJson));
	const amazonCalls = {
		confirmShipment: world.amazonCalls('confirmShipment') - calls.confirmShipment,
		getOrder: world.amazonCalls('getOrder') - calls.getOrder,
	};
	tally.push({ test: expect.getState().currentTestName ?? '', fulfillments, ...amazonCalls });
	return {
		runs,
		confirmed: pick(0),
		skipped: pick(1),
		errors: runs.flatMap((run) => (run.data.resultData.runData[NOTIFY]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as AnyJson)),
		amazonCalls,
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

describe('several packages', () => {
	it('two fulfillments with different carriers, one of them unmapped: Other + the carrier name', async () => {
		const order = await importNew([
			{ sku: 'TWO-A', quantity: 1 },
			{ sku: 'TWO-B', quantity: 1 },
		]);
		const first = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { lineItems: [{ sku: 'TWO-A', quantity: 1 }], tracking: { company: 'FedEx', number: '794698123456' } }));
		const second = await during(() =>
			world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { lineItems: [{ sku: 'TWO-B', quantity: 1 }], tracking: { company: 'Speedy Local Couriers', number: 'SLC-000123' } }),
		);

		const amazon = world.amazonOrder(order.amazonOrderId);
		expect(amazon.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(amazon.packages.map((p: AnyJson) => [p.carrier, p.trackingNumber, p.packageItems])).toEqual([
			['FedEx', '794698123456', [{ orderItemId: order.lineItems[0].orderItemId, quantity: 1 }]],
			['Speedy Local Couriers', 'SLC-000123', [{ orderItemId: order.lineItems[1].orderItemId, quantity: 1 }]],
		]);
		expect(first.confirmed[0].carrier).toEqual({ shopifyCarrier: 'FedEx', amazonCarrierCode: 'FedEx', carrierName: null, mapped: true });
		expect(second.confirmed[0].carrier).toEqual({ shopifyCarrier: 'Speedy Local Couriers', amazonCarrierCode: 'Other', carrierName: 'Speedy Local Couriers', mapped: false });
		expect(second.confirmed[0].packages[0]).toMatchObject({ carrierCode: 'Other', carrierName: 'Speedy Local Couriers', carrierMapped: false });
		expect(first.amazonCalls.confirmShipment + second.amazonCalls.confirmShipment).toBe(2);
	});

	it('several tracking numbers on one fulfillment are several packages', async () => {
		const order = await importNew([{ sku: 'MULTI-A', quantity: 3 }]);
		let fulfillment: AnyJson;
		const result = await during(() => {
			fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'DHL Express', numbers: ['JD0001', 'JD0002'] } });
		});
		const id = fulfillmentLegacyId(fulfillment.id);
		const amazon = world.amazonOrder(order.amazonOrderId);
		expect(amazon.packages.map((p: AnyJson) => [p.packageReferenceId, p.carrier, p.trackingNumber, p.packageItems[0].quantity])).toEqual([
			[`${id}01`, 'DHL Express', 'JD0001', 2],
			[`${id}02`, 'DHL Express', 'JD0002', 1],
		]);
		expect(amazon.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(result.confirmed[0].amazonCalls).toEqual({ getOrder: 0, confirmShipment: 2, total: 2 });
	});

	it('a tracking edit in Shopify edits the same Amazon package', async () => {
		const order = await importNew([{ sku: 'EDIT-A', quantity: 1 }]);
		let fulfillment: AnyJson;
		await during(() => {
			fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1ZWRONG0000000001' } });
		});
		const edit = await during(() => world.sb.shopify.control.updateTracking(fulfillment.id, { company: 'UPS', number: '1Z999AA10123456784' }));

		const amazon = world.amazonOrder(order.amazonOrderId);
		expect(amazon.packages).toHaveLength(1);
		expect(amazon.packages[0]).toMatchObject({ packageReferenceId: `${fulfillmentLegacyId(fulfillment.id)}01`, trackingNumber: '1Z999AA10123456784', carrier: 'UPS' });
		expect(edit.runs).toHaveLength(1);
		expect(edit.runs[0].data.resultData.runData['Shopify Order Events Trigger'][0].data?.main[0]?.[0].json).toMatchObject({ event: 'fulfillmentUpdated' });
		expect(edit.confirmed[0].packages[0].packageReferenceId).toBe(`${fulfillmentLegacyId(fulfillment.id)}01`);
		expect(edit.amazonCalls).toEqual({ confirmShipment: 1, getOrder: 0 });
	});

	it('a partial fulfillment, then the rest', async () => {
		const order = await importNew([
			{ sku: 'PART-A', quantity: 2 },
			{ sku: 'PART-B', quantity: 1 },
		]);
		await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { lineItems: [{ sku: 'PART-A', quantity: 1 }], tracking: { company: 'USPS', number: '9400100000000000000001' } }));
		expect(world.amazonOrder(order.amazonOrderId).fulfillment.fulfillmentStatus).toBe('PARTIALLY_SHIPPED');

		const rest = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'USPS', number: '9400100000000000000002' } }));
		const amazon = world.amazonOrder(order.amazonOrderId);
		expect(amazon.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(amazon.packages.map((p: AnyJson) => [p.trackingNumber, p.packageItems])).toEqual([
			['9400100000000000000001', [{ orderItemId: order.lineItems[0].orderItemId, quantity: 1 }]],
			[
				'9400100000000000000002',
				[
					{ orderItemId: order.lineItems[0].orderItemId, quantity: 1 },
					{ orderItemId: order.lineItems[1].orderItemId, quantity: 1 },
				],
			],
		]);
		expect(amazon.orderItems.map((i: AnyJson) => i.fulfillment.quantityUnfulfilled)).toEqual([0, 0]);
		expect(rest.amazonCalls).toEqual({ confirmShipment: 1, getOrder: 0 });
	});
});

describe('skipped, with a reason', () => {
	it('a non-Amazon order never starts an execution ("Only Amazon Orders")', async () => {
		const { id } = world.seedAmazon({ items: [{ sku: 'RETAIL-A', quantity: 1, unitPrice: '10.00' }] });
		const order = await world.importToShopify(id, { linkage: 'none' });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000001' } }));
		expect(result.runs).toHaveLength(0);
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
	});

	it('a non-Amazon order that reaches the node is skipped (Only Amazon Orders off)', async () => {
		const all = fulfillmentWorkflow({ trigger: { onlyAmazonOrders: false } });
		all.id = 'all-orders';
		await world.activateWebhooks(all);
		try {
			const { id } = world.seedAmazon({ items: [{ sku: 'RETAIL-B', quantity: 1, unitPrice: '10.00' }] });
			const order = await world.importToShopify(id, { linkage: 'none' });
			const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000002' } }));
			expect(result.skipped).toHaveLength(1);
			expect(result.skipped[0]).toMatchObject({ status: 'skipped', reason: 'notAmazonOrder', amazonCalls: { total: 0 } });
			expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
		} finally {
			await world.webhookMethod(all, 'delete');
			world.deactivate(all);
		}
	});

	it('an FBA order: Amazon ships it, no call', async () => {
		const { id } = world.seedAmazon({ fulfilledBy: 'AMAZON', items: [{ sku: 'FBA-A', quantity: 1, unitPrice: '10.00' }] });
		const order = await world.importToShopify(id);
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'Amazon', number: 'TBA000000000001' } }));
		expect(result.skipped).toEqual([expect.objectContaining({ reason: 'fbaOrder', amazonOrderId: id })]);
		expect(result.skipped[0].message).toContain('fulfilled by Amazon');
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
		expect(world.amazonOrder(id).packages ?? []).toEqual([]);
	});

	it('an order canceled on Amazon: refused once, read once, skipped', async () => {
		const order = await importNew([{ sku: 'CXL-A', quantity: 1 }]);
		world.sb.amazon.control.updateOrder(order.amazonOrderId, { fulfillmentStatus: 'CANCELLED' });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000003' } }));
		expect(result.skipped).toEqual([expect.objectContaining({ reason: 'canceledOnAmazon', amazonOrderId: order.amazonOrderId })]);
		expect(result.skipped[0].amazonCalls).toEqual({ getOrder: 1, confirmShipment: 1, total: 2 });
		expect(result.errors).toEqual([]);
		expect(world.amazonOrder(order.amazonOrderId).packages ?? []).toEqual([]);
	});

	it('an order canceled on Amazon with "Verify Order on Amazon: Always": one read, nothing sent', async () => {
		const verify = fulfillmentWorkflow({ markOptions: { verifyOrder: 'always' } });
		verify.id = 'verify-always';
		world.deactivate(workflow);
		await world.activateWebhooks(verify);
		try {
			const order = await importNew([{ sku: 'CXL-B', quantity: 1 }]);
			world.sb.amazon.control.updateOrder(order.amazonOrderId, { fulfillmentStatus: 'CANCELLED' });
			const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000004' } }));
			expect(result.skipped).toEqual([expect.objectContaining({ reason: 'canceledOnAmazon', amazonOrderId: order.amazonOrderId })]);
			expect(result.skipped[0].amazonCalls).toEqual({ getOrder: 1, confirmShipment: 0, total: 1 });
			expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 1 });
		} finally {
			await world.webhookMethod(verify, 'delete');
			world.deactivate(verify);
			await world.activateWebhooks(workflow);
		}
	});
});

describe('refused before anything is sent to Amazon', () => {
	it('no tracking number: a message naming the order and the field; adding tracking in Shopify confirms it', async () => {
		const order = await importNew([{ sku: 'NOTRACK-A', quantity: 1 }]);
		let fulfillment: AnyJson;
		const result = await during(() => {
			fulfillment = world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, {});
		});
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].details).toMatchObject({ field: 'trackingNumbers', amazonOrderId: order.amazonOrderId });
		expect(result.errors[0].error).toContain(`Amazon order ${order.amazonOrderId} (Shopify ${order.shopifyOrderName}`);
		expect(result.errors[0].error).toContain('has no tracking number');
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });

		const fixed = await during(() => world.sb.shopify.control.updateTracking(fulfillment.id, { company: 'Royal Mail', number: 'RM123456789GB' }));
		expect(fixed.confirmed).toHaveLength(1);
		expect(world.amazonOrder(order.amazonOrderId).packages[0]).toMatchObject({ carrier: 'Royal Mail', trackingNumber: 'RM123456789GB' });
	});

	it('a shipped line that is not part of the Amazon order', async () => {
		const order = await importNew([{ sku: 'LINE-A', quantity: 1 }], { items: [] }, { extraLine: true });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000005' } }));
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].details).toMatchObject({ field: 'fulfillment.lineItems', amazonOrderId: order.amazonOrderId });
		expect(result.errors[0].error).toContain('GIFT-BOX');
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
	});

	it('a Shopify order tagged Amazon without its linkage', async () => {
		const { id } = world.seedAmazon({ items: [{ sku: 'NOLINK-A', quantity: 1, unitPrice: '10.00' }] });
		const order = await world.importToShopify(id, { linkage: 'tagOnly' });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000006' } }));
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].details).toMatchObject({ field: 'amazon.order_id' });
		expect(result.errors[0].error).toContain(`Shopify order ${order.shopifyOrderName} is tagged Amazon but has no Amazon order ID`);
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
	});

	it('a Ship+ order known from the import: a clear message, no call', async () => {
		const order = await importNew([{ sku: 'SHIPPLUS-A', quantity: 1 }], { items: [], programs: ['FBM_SHIP_PLUS'] });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000007' } }));
		expect(result.errors[0].error).toContain('is a Ship+ order (FBM_SHIP_PLUS)');
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 0 });
	});

	it.each([
		['items not in the order', [{ orderItemId: '99999999999999', quantity: 1 }], 'items.orderItemId', /99999999999999 is not an item of this Amazon order/],
		['more quantity than ordered', 'tooMany', 'items.quantity', /shipped, but only 2 were ordered/],
	])('explicit fields with %s: the order is read, nothing is sent', async (_name, items, field, message) => {
		const { id, order } = world.seedAmazon({ items: [{ sku: 'EXPL-A', quantity: 2, unitPrice: '10.00' }] });
		const rows = items === 'tooMany' ? [{ orderItemId: order.orderItems[0].orderItemId, quantity: 3 }] : items;
		const before = { confirm: world.amazonCalls('confirmShipment'), get: world.amazonCalls('getOrder') };
		const { run } = await runWorkflow(explicitWorkflow({ amazonOrderId: id, items: { item: rows }, carrier: 'UPS', trackingNumbers: '1Z0000000000000008' }), world.engine);
		const errors = itemsOf(run, MARK, 2).map((i) => i.json as AnyJson);
		expect(errors).toHaveLength(1);
		expect(errors[0].details).toMatchObject({ field, amazonOrderId: id });
		expect(errors[0].error).toMatch(message);
		expect(errors[0].error).toContain(id);
		expect(world.amazonCalls('confirmShipment') - before.confirm).toBe(0);
		expect(world.amazonCalls('getOrder') - before.get).toBe(1);
	});
});

describe("Amazon's refusals, explained", () => {
	it('Ship+ not recorded at import: Amazon refuses and the message says why', async () => {
		const order = await importNew([{ sku: 'SHIPPLUS-B', quantity: 1 }], { items: [], programs: ['FBM_SHIP_PLUS'] }, { programsAttribute: 'none' });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000009' } }));
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].error).toContain('is a Ship+ order (FBM_SHIP_PLUS)');
		expect(result.errors[0].details.description).toContain('Buy Shipping');
		expect(result.amazonCalls).toEqual({ confirmShipment: 1, getOrder: 0 });
	});

	it('an order imported by another tool (no ship-by date in Shopify): one read first, then the confirmation', async () => {
		const order = await importNew([{ sku: 'OTHERTOOL-A', quantity: 1 }], { items: [], shipByInHours: 3 }, { attributes: false });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000011' } }));
		expect(result.confirmed[0]).toMatchObject({ late: false, latestShipDate: new Date(order.latestShipDate).toISOString(), amazonCalls: { getOrder: 1, confirmShipment: 1, total: 2 } });
	});

	it('a Ship+ order imported by another tool: the read finds it, nothing is sent', async () => {
		const order = await importNew([{ sku: 'SHIPPLUS-C', quantity: 1 }], { items: [], programs: ['FBM_SHIP_PLUS'] }, { attributes: false });
		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000012' } }));
		expect(result.errors[0].error).toContain('is a Ship+ order (FBM_SHIP_PLUS)');
		expect(result.amazonCalls).toEqual({ confirmShipment: 0, getOrder: 1 });
	});

	it('PackageToUpdateNotFound: the order was fully shipped elsewhere (Seller Central)', async () => {
		const order = await importNew([{ sku: 'PTUNF-A', quantity: 1 }]);
		// The merchant confirmed it by hand first (explicit fields, Amazon-style package id "1").
		const manual = await runWorkflow(
			explicitWorkflow({ amazonOrderId: order.amazonOrderId, carrier: 'UPS', trackingNumbers: '1ZMANUAL000000001', packageReferenceId: '1' }),
			world.engine,
		);
		expect(itemsOf(manual.run, MARK, 0).map((i) => (i.json as AnyJson).status)).toEqual(['confirmed']);

		const result = await during(() => world.sb.shopify.control.fulfillOrder(order.shopifyOrderId, { tracking: { company: 'UPS', number: '1Z0000000000000010' } }));
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].error).toContain('PackageToUpdateNotFound');
		expect(result.errors[0].error).toContain('already fully shipped on Amazon');
		expect(result.errors[0].details.description).toContain('1 (UPS 1ZMANUAL000000001)');
		expect(result.amazonCalls).toEqual({ confirmShipment: 1, getOrder: 1 });
	});

	it('a carrier code Amazon does not know (a bad merchant mapping)', async () => {
		const { id } = world.seedAmazon({ items: [{ sku: 'BADCARRIER-A', quantity: 1, unitPrice: '10.00' }] });
		const { run } = await runWorkflow(
			explicitWorkflow({ amazonOrderId: id, carrier: 'Bobs Couriers', trackingNumbers: 'BOB-1', options: { carrierMappings: { mapping: [{ shopifyCarrier: 'Bobs Couriers', amazonCarrierCode: 'BobExpress' }] } } }),
			world.engine,
		);
		const errors = itemsOf(run, MARK, 2).map((i) => i.json as AnyJson);
		expect(errors).toHaveLength(1);
		expect(errors[0].details).toMatchObject({ field: 'carrierCode', amazonOrderId: id });
		expect(errors[0].error).toContain('Amazon refused carrier "BobExpress"');
		expect(errors[0].details.description).toContain('Carrier Mapping');
	});
});

describe('without "Continue On Fail"', () => {
	it('stops the workflow with an error that names the order, the field and what to do', async () => {
		const { id } = world.seedAmazon({ items: [{ sku: 'STRICT-A', quantity: 1, unitPrice: '10.00' }] });
		const strict = explicitWorkflow({ amazonOrderId: id, carrier: 'UPS', trackingNumbers: '={{ $json.tracking ?? "" }}' });
		delete (strict.nodes[1] as { onError?: string }).onError;
		const { run } = await runWorkflow(strict, world.engine);
		const error = run.data.resultData.runData[MARK][0].error as AnyJson;
		expect(error.message).toBe(`Amazon order ${id}: the shipment has no tracking number`);
		expect(error.description).toContain('Valid Tracking Rate');
		expect(error.context.itemIndex).toBe(0);
	});
});
