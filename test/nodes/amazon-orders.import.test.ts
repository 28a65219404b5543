/**
 * Amazon orders into Shopify through the template (Amazon Order Trigger -> Create Shopify Order ->
 * Merchant Summary, failures -> Notify Merchant), in the real n8n engine against the sandbox.
 * Every test asserts on the Shopify sandbox's state: orders, totals, tags, metafields, stock, and
 * that Shopify sent the buyer nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import { toMinor } from '../../nodes/shared/money';
import type { World } from './amazon-orders.helpers';
import { CA, DE, JP, US, minutesAgo, ordersFor, seed, startWorld, templateWorkflow, tick } from './amazon-orders.helpers';

type ShopifyOrder = ReturnType<typeof ordersFor>[number] & IDataObject;
type Money = { amount: string; currencyCode: string };
type Bag = { shop: Money; presentment: Money };

const backfill = { firstRun: 'backfill', backfillDays: 2 };

function amazonTotal(world: World, id: string): { amount: string; currencyCode: string } {
	return world.sb.amazon.control.getOrder(id).proceeds.grandTotal;
}

function one(world: World, id: string): ShopifyOrder {
	const found = ordersFor(world, id);
	expect(found).toHaveLength(1);
	return found[0] as ShopifyOrder;
}

function totalOf(order: ShopifyOrder): Bag {
	return (order.totals as { total: Bag }).total;
}

function sameAmount(a: string, b: string, currency: string): boolean {
	return toMinor(a, currency) === toMinor(b, currency);
}

/** The Shopify total in the Amazon currency equals Amazon's grand total to the cent. */
function expectTotalsEqual(world: World, id: string): ShopifyOrder {
	const order = one(world, id);
	const amazon = amazonTotal(world, id);
	const total = totalOf(order).presentment;
	expect(total.currencyCode).toBe(amazon.currencyCode);
	expect(sameAmount(total.amount, amazon.amount, amazon.currencyCode)).toBe(true);
	return order;
}

function inventoryOf(world: World, sku: string): number | null {
	for (const p of world.sb.shopify!.control.state().products as Array<{ variants: Array<{ sku: string; inventory: number | null }> }>) {
		const v = p.variants.find((x) => x.sku === sku);
		if (v) return v.inventory;
	}
	return null;
}

describe('Amazon orders into Shopify (US shop, USD)', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ extraProducts: [{ sku: 'CASE-Sensitive-1', title: 'Case-sensitive SKU product', price: '9.99' }] });
	});
	afterAll(async () => world.sb.stop());
	beforeEach(() => world.sb.amazon.control.reset());
	afterEach(() => {
		// Customers hear from Amazon only.
		expect(world.sb.shopify!.control.customerNotifications()).toEqual([]);
	});

	it('multi-item, multi-quantity, promotion, shipping tax and marketplace-facilitator tax: totals to the cent', async () => {
		const mugStock = inventoryOf(world, 'MUG-CAFE-CREME-4')!;
		const [id] = seed(world, [
			{
				marketplace: 'US',
				address: { addressLine1: '350 5th Ave', addressLine2: 'Apt 12B', city: 'New York', stateOrRegion: 'NY', postalCode: '10118', tax: 0.08875 },
				programs: ['PRIME'],
				serviceLevel: 'STANDARD',
				items: [
					{ sku: 'MUG-CAFE-CREME-4', quantity: 2, shipping: '5.99', promotion: { id: 'PLM-SPRING10', item: '5.00', shipping: '1.00' } },
					{ sku: 'BOTTLE-STEEL-750', quantity: 3 },
				],
				lastUpdatedTime: minutesAgo(20),
			},
		]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.failed).toEqual([]);
		expect(r.created).toHaveLength(1);
		expect(r.created[0]).toMatchObject({ created: true, amazonOrderId: id, totals: { equal: true, difference: '0.00' }, lines: { total: 2, matched: 2 } });

		const order = expectTotalsEqual(world, id);
		expect(order).toMatchObject({
			name: `AMZ-${id}`,
			sourceIdentifier: id,
			sourceUrl: `https://sellercentral.amazon.com/orders-v3/order/${id}`,
			tags: expect.arrayContaining(['Amazon', 'Amazon US']),
			displayFinancialStatus: 'PAID',
			displayFulfillmentStatus: 'UNFULFILLED',
			customerId: null,
			email: null,
		});
		expect(order.processedAt).toBe(world.sb.amazon.control.getOrder(id).createdTime);
		expect(order.metafields).toEqual(
			expect.arrayContaining([
				{ namespace: 'amazon', key: 'order_id', type: 'id', value: id },
				{ namespace: 'amazon', key: 'fulfillment_channel', type: 'single_line_text_field', value: 'MFN' },
			]),
		);
		const lines = order.lineItems as Array<{ sku: string; quantity: number; variantId: string | null; taxLines: Array<{ channelLiable: boolean }>; properties: Array<{ name: string; value: string }> }>;
		expect(lines.map((l) => [l.sku, l.quantity])).toEqual([['MUG-CAFE-CREME-4', 2], ['BOTTLE-STEEL-750', 3]]);
		expect(lines.every((l) => l.variantId !== null)).toBe(true);
		// Amazon collects US sales tax (marketplace facilitator): channel liable.
		expect(lines.every((l) => l.taxLines.length === 1 && l.taxLines[0].channelLiable)).toBe(true);
		expect(lines[0].properties).toEqual(expect.arrayContaining([{ name: '_amazon_order_item_id', value: expect.any(String) }]));
		expect(order.discountCode).toMatchObject({ code: 'Amazon PLM-SPRING10' });
		const shipping = order.shippingLines as Array<{ title: string; price: Bag; taxLines: Array<{ channelLiable: boolean; presentment: Money }> }>;
		expect(shipping[0].title).toBe('Amazon Standard');
		expect(shipping[0].price.presentment.amount).toBe('4.99');
		expect(shipping[0].taxLines[0]).toMatchObject({ channelLiable: true });
		const transactions = order.transactions as Array<{ kind: string; status: string; gateway: string; amount: Bag }>;
		expect(transactions).toHaveLength(1);
		expect(transactions[0]).toMatchObject({ kind: 'SALE', status: 'SUCCESS', gateway: 'Amazon' });
		expect(sameAmount(transactions[0].amount.presentment.amount, amazonTotal(world, id).amount, 'USD')).toBe(true);
		expect(order.customAttributes).toEqual(
			expect.arrayContaining([
				{ key: 'Amazon order ID', value: id },
				{ key: 'Amazon programs', value: 'PRIME' },
				{ key: 'Latest ship date', value: world.sb.amazon.control.getOrder(id).fulfillment.shipByWindow.latestDateTime },
			]),
		);
		// Merchant-fulfilled: the units leave Shopify stock.
		expect(inventoryOf(world, 'MUG-CAFE-CREME-4')).toBe(mugStock - 2);
		expect(r.summary[0]).toMatchObject({ result: 'Created in Shopify', amazonOrderId: id, shopifyOrder: `AMZ-${id}` });
	});

	it('gift wrap becomes its own shipping line with its tax; the gift message is on the line item', async () => {
		const [id] = seed(world, [
			{
				marketplace: 'US',
				address: { addressLine1: '500 Congress Ave', city: 'Austin', stateOrRegion: 'TX', postalCode: '78701', tax: 0.0825 },
				items: [{ sku: 'CANDLE-SOY-LAVENDER', quantity: 1, shipping: '4.99', giftWrap: '3.99', giftMessage: 'Happy birthday, Zoë! 🎉' }],
				lastUpdatedTime: minutesAgo(20),
			},
		]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.created[0]).toMatchObject({ created: true });
		const order = expectTotalsEqual(world, id);
		const shipping = order.shippingLines as Array<{ title: string; code: string; price: Bag; taxLines: Array<{ presentment: Money }> }>;
		const wrap = shipping.find((s) => s.code === 'GIFT_WRAP')!;
		expect(wrap.title).toBe('Gift wrap');
		expect(wrap.price.presentment.amount).toBe('3.99');
		expect(wrap.taxLines[0].presentment.amount).toBe('0.33');
		const line = (order.lineItems as Array<{ properties: Array<{ name: string; value: string }> }>)[0];
		expect(line.properties).toEqual(expect.arrayContaining([{ name: 'Gift message', value: 'Happy birthday, Zoë! 🎉' }]));
	});

	it('a CAD order in a USD shop: presentment currency CAD equal to Amazon; shop money converted', async () => {
		const [id] = seed(world, [{ marketplace: 'CA', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 1, shipping: '6.99' }], lastUpdatedTime: minutesAgo(20) }]);
		const r = await tick(world, templateWorkflow({ trigger: { ...backfill, marketplaceIds: [US, CA] } }));
		expect(r.created[0]).toMatchObject({ created: true, totals: { currency: 'CAD', equal: true, shopCurrency: 'USD' } });
		const order = expectTotalsEqual(world, id);
		expect(order).toMatchObject({ currency: 'USD', presentmentCurrency: 'CAD', tags: expect.arrayContaining(['Amazon CA']) });
		const total = totalOf(order);
		expect(total.shop.currencyCode).toBe('USD');
		expect(toMinor(total.shop.amount, 'USD')).toBeLessThan(toMinor(total.presentment.amount, 'CAD'));
		expect(r.created[0].warnings).toEqual(expect.arrayContaining([expect.stringMatching(/Shopify converted/)]));
	});

	it('a CAD order with an exchange rate: shop money converted by the node, presentment still exact', async () => {
		const [id] = seed(world, [{ marketplace: 'CA', items: [{ sku: 'TEA-MATCHA-WHISK', quantity: 2 }], lastUpdatedTime: minutesAgo(20) }]);
		const r = await tick(world, templateWorkflow({ trigger: { ...backfill, marketplaceIds: [CA] }, createOptions: { exchangeRates: 'CAD=0.73' } }));
		expect(r.created[0]).toMatchObject({ created: true, totals: { currency: 'CAD', equal: true, shopCurrency: 'USD', shopTotal: expect.any(String) } });
		const order = expectTotalsEqual(world, id);
		expect(sameAmount(totalOf(order).shop.amount, String(r.created[0].totals && (r.created[0].totals as IDataObject).shopTotal), 'USD')).toBe(true);
	});

	it('an unknown SKU becomes a custom line item by default; "fail" and "skip" create nothing', async () => {
		const [custom] = seed(world, [{ marketplace: 'US', items: [{ sku: 'LAMP-ANGSTROM-DESK', quantity: 1 }, { sku: 'MUG-CAFE-CREME-4', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.created[0]).toMatchObject({ created: true, lines: { total: 2, matched: 1, customLineItems: 1, unknownSkus: ['LAMP-ANGSTROM-DESK'] } });
		const order = expectTotalsEqual(world, custom);
		const lamp = (order.lineItems as Array<{ sku: string; title: string; variantId: string | null; requiresShipping: boolean }>).find((l) => l.sku === 'LAMP-ANGSTROM-DESK')!;
		expect(lamp).toMatchObject({ variantId: null, requiresShipping: true, title: 'Ångström LED Desk Lamp, Dimmable' });

		world.sb.amazon.control.reset();
		const [failing] = seed(world, [{ marketplace: 'US', items: [{ sku: 'PEN-FOUNTAIN-NAVY', quantity: 1 }], lastUpdatedTime: minutesAgo(30) }]);
		const failed = await tick(world, templateWorkflow({ trigger: backfill, create: { unknownSku: 'fail' } }));
		expect(failed.created).toEqual([]);
		expect(failed.failed).toHaveLength(1);
		expect(failed.failed[0]).toMatchObject({ amazonOrderId: failing, details: { amazonOrderId: failing, field: 'items.sku' } });
		expect(String(failed.failed[0].error)).toMatch(new RegExp(`${failing}.*PEN-FOUNTAIN-NAVY`));
		expect(ordersFor(world, failing)).toHaveLength(0);

		const skipped = await tick(world, templateWorkflow({ trigger: backfill, create: { unknownSku: 'skip' } }));
		expect(skipped.created[0]).toMatchObject({ created: false, skipped: true, reason: 'unknownSku', unknownSkus: ['PEN-FOUNTAIN-NAVY'] });
		expect(ordersFor(world, failing)).toHaveLength(0);
	});

	it('SKUs match exactly after trimming: whitespace is ignored, letter case is not (warning instead)', async () => {
		const [spaced, cased] = seed(world, [
			{ marketplace: 'US', items: [{ sku: '  MUG-CAFE-CREME-4 ', quantity: 1, unitPrice: '24.99' }], lastUpdatedTime: minutesAgo(30) },
			{ marketplace: 'US', items: [{ sku: 'case-sensitive-1', quantity: 1, unitPrice: '9.99' }], lastUpdatedTime: minutesAgo(30) },
		]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		const byId = Object.fromEntries(r.created.map((c) => [c.amazonOrderId, c]));
		expect(byId[spaced]).toMatchObject({ created: true, lines: { matched: 1, customLineItems: 0 } });
		expect(byId[cased]).toMatchObject({ created: true, lines: { matched: 0, customLineItems: 1, unknownSkus: ['case-sensitive-1'] } });
		expect(byId[cased].warnings).toEqual(expect.arrayContaining([expect.stringMatching(/"CASE-Sensitive-1" differs only by letter case/)]));
		const spacedLine = (one(world, spaced).lineItems as Array<{ variantId: string | null }>)[0];
		expect(spacedLine.variantId).not.toBeNull();
		expect((one(world, cased).lineItems as Array<{ variantId: string | null }>)[0].variantId).toBeNull();

		// A mapping table fixes the case difference.
		world.sb.amazon.control.reset();
		const [mapped] = seed(world, [{ marketplace: 'US', items: [{ sku: 'case-sensitive-1', quantity: 2, unitPrice: '9.99' }], lastUpdatedTime: minutesAgo(30) }]);
		const m = await tick(world, templateWorkflow({ trigger: backfill, create: { skuMapping: { mappings: [{ amazonSku: 'case-sensitive-1', shopifySku: 'CASE-Sensitive-1' }] } } }));
		expect(m.created[0]).toMatchObject({ created: true, lines: { mapped: 1, customLineItems: 0 } });
		expect((one(world, mapped).lineItems as Array<{ variantId: string | null; properties: Array<{ name: string; value: string }> }>)[0].properties).toEqual(
			expect.arrayContaining([{ name: 'Amazon SKU', value: 'case-sensitive-1' }]),
		);
	});

	it('an FBA order is imported as fulfilled, tagged FBA, without touching stock', async () => {
		const before = inventoryOf(world, 'YOGA-MAT-6MM')!;
		const [id] = seed(world, [{ marketplace: 'US', fulfilledBy: 'AMAZON', status: 'SHIPPED', items: [{ sku: 'YOGA-MAT-6MM', quantity: 2 }], lastUpdatedTime: minutesAgo(30) }]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.created[0]).toMatchObject({ created: true, fulfillmentChannel: 'AFN', inventoryBehaviour: 'BYPASS' });
		const order = expectTotalsEqual(world, id);
		expect(order).toMatchObject({ displayFulfillmentStatus: 'FULFILLED', tags: expect.arrayContaining(['Amazon', 'Amazon US', 'FBA']) });
		expect(order.metafields).toEqual(expect.arrayContaining([{ namespace: 'amazon', key: 'fulfillment_channel', type: 'single_line_text_field', value: 'AFN' }]));
		expect(inventoryOf(world, 'YOGA-MAT-6MM')).toBe(before);
	});

	it('a replacement order is tagged and linked to its original', async () => {
		const [original] = seed(world, [{ marketplace: 'US', items: [{ sku: 'SPICE-SET-12', quantity: 1 }], lastUpdatedTime: minutesAgo(50) }]);
		const [replacement] = seed(world, [{ marketplace: 'US', replacementOf: original, items: [{ sku: 'SPICE-SET-12', quantity: 1 }], lastUpdatedTime: minutesAgo(20) }]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.created.map((c) => c.created)).toEqual([true, true]);
		const originalOrder = one(world, original);
		const order = expectTotalsEqual(world, replacement);
		expect(order.tags).toEqual(expect.arrayContaining(['Amazon', 'Amazon Replacement']));
		expect(order.metafields).toEqual(expect.arrayContaining([{ namespace: 'amazon', key: 'replaced_order_id', type: 'single_line_text_field', value: original }]));
		expect(order.customAttributes).toEqual(
			expect.arrayContaining([
				{ key: 'Replaces Amazon order', value: original },
				{ key: 'Replaces Shopify order', value: originalOrder.name },
			]),
		);
		expect(order.transactions).toEqual([]);
	});

	it('60 line items, non-ASCII names and addresses', async () => {
		const items = Array.from({ length: 60 }, (_, i) => ({ sku: `BULK-${String(i).padStart(2, '0')}-Ærø`, title: `Bündel Nr. ${i} — 抹茶`, quantity: 1 + (i % 3), unitPrice: '1.25' }));
		const [id] = seed(world, [
			{
				marketplace: 'US',
				buyer: { name: 'Zoë Ångström-Øresund' },
				address: { addressLine1: 'Königstraße 12', addressLine2: 'Hinterhaus, 3. OG', city: 'Niño Springs', stateOrRegion: 'NY', postalCode: '10118', tax: 0.08875 },
				items,
				lastUpdatedTime: minutesAgo(20),
			},
		]);
		const r = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(r.created[0]).toMatchObject({ created: true, lines: { total: 60, customLineItems: 60 } });
		const order = expectTotalsEqual(world, id);
		const lines = order.lineItems as Array<{ title: string; sku: string }>;
		expect(lines).toHaveLength(60);
		expect(lines[7]).toMatchObject({ title: 'Bündel Nr. 7 — 抹茶', sku: 'BULK-07-Ærø' });
		expect(order.shippingAddress).toMatchObject({ firstName: 'Zoë', lastName: 'Ångström-Øresund', address1: 'Königstraße 12', city: 'Niño Springs' });
	});

	it('an order canceled before import is never created', async () => {
		const [id] = seed(world, [{ marketplace: 'US', status: 'CANCELLED', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 1 }], lastUpdatedTime: minutesAgo(20) }]);
		const newOrders = await tick(world, templateWorkflow({ trigger: backfill }));
		expect(newOrders.emitted).toEqual([]);
		// Even when it reaches Create Shopify Order (any update), nothing is created.
		const anyUpdate = await tick(world, templateWorkflow({ trigger: { ...backfill, event: 'anyUpdate' } }));
		expect(anyUpdate.emitted).toMatchObject([{ amazonOrderId: id, event: 'cancellation' }]);
		expect(anyUpdate.created[0]).toMatchObject({ created: false, skipped: true, reason: 'cancelled' });
		expect(ordersFor(world, id)).toHaveLength(0);
	});
});

describe('Amazon orders into Shopify: EUR shop, prices with VAT included', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ shopCurrency: 'EUR', region: 'eu', marketplaceIds: [DE] });
	});
	afterAll(async () => world.sb.stop());

	it('imports a German order with VAT-inclusive prices, shipping VAT and a promotion, to the cent', async () => {
		const [id] = seed(world, [
			{
				marketplace: 'DE',
				buyer: { name: 'Jürgen Groß' },
				address: { addressLine1: 'Straße des 17. Juni 135', city: 'Berlin', stateOrRegion: 'Berlin', postalCode: '10623' },
				items: [
					{ sku: 'JACKET-UEBERGROESSE-XL', quantity: 1, shipping: '3.99', promotion: { id: 'DE-WINTER', item: '7.99' } },
					{ sku: 'CANDLE-SOY-LAVENDER', quantity: 3 },
				],
				lastUpdatedTime: minutesAgo(20),
			},
		]);
		const r = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }));
		expect(r.created[0]).toMatchObject({ created: true, taxesIncluded: true, totals: { currency: 'EUR', equal: true } });
		const order = expectTotalsEqual(world, id);
		expect(order).toMatchObject({ taxesIncluded: true, presentmentCurrency: 'EUR', currency: 'EUR', tags: expect.arrayContaining(['Amazon DE']) });
		const amazon = world.sb.amazon.control.getOrder(id);
		const lines = order.lineItems as Array<{ unitPrice: Bag; taxLines: Array<{ title: string }> }>;
		// The shelf price as the buyer saw it, VAT included.
		expect(lines[0].unitPrice.presentment.amount).toBe(amazon.orderItems[0].product.price.unitPrice.amount);
		expect(lines[0].taxLines[0].title).toBe('VAT');
		expect(order.shippingAddress).toMatchObject({ firstName: 'Jürgen', lastName: 'Groß', address1: 'Straße des 17. Juni 135' });
	});
});

describe('Amazon orders into Shopify: JPY shop', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld({ shopCurrency: 'JPY', region: 'fe', marketplaceIds: [JP] });
	});
	afterAll(async () => world.sb.stop());

	it('imports a Japanese order in yen (no decimals), consumption tax included', async () => {
		const [id] = seed(world, [
			{
				marketplace: 'JP',
				buyer: { name: '山田 太郎' },
				address: { addressLine1: '神南1-2-3', addressLine2: 'サンプルビル 5F', city: '渋谷区', stateOrRegion: '東京都', postalCode: '150-0041' },
				items: [{ sku: 'TEAPOT-CAST-IRON', quantity: 2, shipping: '500' }, { sku: 'TEA-MATCHA-WHISK', quantity: 1 }],
				lastUpdatedTime: minutesAgo(20),
			},
		]);
		const r = await tick(world, templateWorkflow({ trigger: { firstRun: 'backfill', backfillDays: 1 } }));
		expect(r.created[0]).toMatchObject({ created: true, totals: { currency: 'JPY', equal: true } });
		const order = expectTotalsEqual(world, id);
		expect(totalOf(order).presentment.amount).not.toMatch(/\.\d*[1-9]/);
		expect(order.shippingAddress).toMatchObject({ firstName: '山田', lastName: '太郎', city: '渋谷区', address1: '神南1-2-3' });
		expect((order.lineItems as Array<{ taxLines: Array<{ title: string }> }>)[0].taxLines[0].title).toBe('Consumption tax');
	});
});
