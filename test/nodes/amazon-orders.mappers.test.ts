/**
 * The two mappers on hand-built Orders v2026-01-01 orders that follow
 * shared/specs/amazon/orders_2026-01-01.json field for field (no sandbox needed).
 */
import type { RawAmazonOrder, RawOrderItem, RawProceedsBreakdown } from '../../nodes/shared/mappers/amazonOrder';
import { AmazonOrderDataError, isAmazonOrderJson, isRawAmazonOrder, toAmazonOrderJson } from '../../nodes/shared/mappers/amazonOrder';
import type { LineResolution, ShopifyOrderBuildOptions } from '../../nodes/shared/mappers/shopifyOrderInput';
import { OrderMappingError, TotalsMismatchError, buildShopifyOrderInput } from '../../nodes/shared/mappers/shopifyOrderInput';
import { convertMinor } from '../../nodes/shared/money';

const US = 'ATVPDKIKX0DER';
const UK = 'A1F83G8C2ARO7P';
const JP = 'A1VC38T7YXB528';
const CA = 'A2EUQ1WTGCTBG2';

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });

interface ItemSpec {
	id: string;
	sku: string;
	qty: number;
	unit: string;
	item: string;
	shipping?: string;
	giftWrap?: string;
	tax?: { ITEM?: string; SHIPPING?: string; GIFT_WRAP?: string };
	discount?: { ITEM?: string; SHIPPING?: string };
	total: string;
	facilitator?: boolean;
	promotionId?: string;
	gift?: { giftWrapLevel: string; giftMessage?: string };
}

function item(spec: ItemSpec, currency: string): RawOrderItem {
	const breakdowns: RawProceedsBreakdown[] = [{ type: 'ITEM', subtotal: money(spec.item, currency) }];
	if (spec.shipping) breakdowns.push({ type: 'SHIPPING', subtotal: money(spec.shipping, currency) });
	if (spec.giftWrap) breakdowns.push({ type: 'GIFT_WRAP', subtotal: money(spec.giftWrap, currency) });
	const sum = (values: Record<string, string>) => {
		const exponent = currency === 'JPY' ? 0 : 2;
		const total = Object.values(values).reduce((acc, v) => acc + Math.round(Number(v) * 10 ** exponent), 0);
		return (total / 10 ** exponent).toFixed(exponent);
	};
	if (spec.tax) {
		breakdowns.push({
			type: 'TAX',
			subtotal: money(sum(spec.tax), currency),
			detailedBreakdowns: Object.entries(spec.tax).map(([subtype, amount]) => ({ subtype, value: money(amount, currency) })),
		});
	}
	if (spec.discount) {
		breakdowns.push({
			type: 'DISCOUNT',
			subtotal: money(sum(spec.discount), currency),
			detailedBreakdowns: Object.entries(spec.discount).map(([subtype, amount]) => ({ subtype, value: money(amount, currency) })),
		});
	}
	return {
		orderItemId: spec.id,
		quantityOrdered: spec.qty,
		programs: [],
		product: {
			asin: `B0${spec.id.slice(-8)}`,
			title: `Title ${spec.sku}`,
			sellerSku: spec.sku,
			condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
			price: { unitPrice: money(spec.unit, currency) },
		},
		proceeds: { proceedsTotal: money(spec.total, currency), breakdowns },
		...(spec.promotionId ? { promotion: { breakdowns: [{ promotionId: spec.promotionId }] } } : {}),
		fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: spec.qty, ...(spec.gift ? { packing: { giftOption: spec.gift } } : {}) },
		...(spec.facilitator ? { tax: { taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: 'Amazon Services, Inc.' }] } } : {}),
	};
}

function order(
	marketplaceId: string,
	currency: string,
	grandTotal: string,
	items: ItemSpec[],
	extra: Partial<RawAmazonOrder> = {},
): RawAmazonOrder {
	return {
		orderId: '113-1234567-1234567',
		createdTime: '2026-11-20T10:00:00Z',
		lastUpdatedTime: '2026-11-20T10:05:00Z',
		programs: ['PRIME'],
		salesChannel: { channelName: 'AMAZON', marketplaceId, marketplaceName: 'Amazon' },
		buyer: { buyerName: 'Zoë Ångström', buyerEmail: 'abc123@marketplace.amazon.com' },
		recipient: {
			deliveryAddress: {
				name: 'Zoë Ångström',
				addressLine1: '350 5th Ave',
				addressLine2: 'Apt 12B',
				city: 'New York',
				stateOrRegion: 'NY',
				postalCode: '10118',
				countryCode: 'US',
				phone: '+1 206 555 0100',
				addressType: 'RESIDENTIAL',
			},
		},
		proceeds: { grandTotal: money(grandTotal, currency), breakdowns: [] },
		fulfillment: {
			fulfillmentStatus: 'UNSHIPPED',
			fulfilledBy: 'MERCHANT',
			fulfillmentServiceLevel: 'STANDARD',
			shipByWindow: { earliestDateTime: '2026-11-20T10:00:00Z', latestDateTime: '2026-11-22T23:59:59Z' },
			deliverByWindow: { earliestDateTime: '2026-11-24T00:00:00Z', latestDateTime: '2026-11-28T23:59:59Z' },
		},
		orderItems: items.map((s) => item(s, currency)),
		...extra,
	};
}

function options(lines: LineResolution[], extra: Partial<ShopifyOrderBuildOptions> = {}): ShopifyOrderBuildOptions {
	return {
		shopCurrency: 'USD',
		namePattern: 'AMZ-{orderId}',
		extraTags: [],
		lines,
		taxesIncluded: 'auto',
		channelLiable: 'auto',
		includeShippingAddress: true,
		upsertCustomer: false,
		inventoryBehaviour: 'DECREMENT_IGNORING_POLICY',
		...extra,
	};
}

const variant = (sku: string): LineResolution => ({ kind: 'variant', variantId: `gid://shopify/ProductVariant/${sku.length}`, shopifySku: sku });
const custom: LineResolution = { kind: 'custom', reason: 'unknownSku' };

type Bag = { shopMoney: { amount: string; currencyCode: string }; presentmentMoney?: { amount: string; currencyCode: string } };
type TaxLine = { title: string; rate: string; channelLiable: boolean; priceSet: Bag };
/** The orderCreate input, typed for the assertions below. */
interface OrderInput {
	name: string;
	sourceIdentifier: string;
	processedAt: string;
	presentmentCurrency: string;
	currency?: string;
	taxesIncluded: boolean;
	financialStatus: string;
	fulfillmentStatus?: string;
	tags: string[];
	metafields: Array<Record<string, string>>;
	customAttributes: Array<{ key: string; value: string }>;
	lineItems: Array<{ variantId?: string; title?: string; sku?: string; quantity: number; priceSet: Bag; taxLines: TaxLine[]; properties: Array<{ name: string; value: string }> }>;
	shippingLines: Array<{ title: string; priceSet: Bag; taxLines: TaxLine[] }>;
	discountCode: { itemFixedDiscountCode: { code: string; amountSet: Bag } };
	transactions?: Array<{ kind: string; gateway: string; amountSet: Bag }>;
	shippingAddress?: Record<string, string>;
	customer?: unknown;
	email?: string;
}
const inputOf = (plan: { input: Record<string, unknown> }) => plan.input as unknown as OrderInput;

describe('toAmazonOrderJson', () => {
	const usOrder = () =>
		order(US, 'USD', '68.27', [
			{ id: '10000000000001', sku: 'MUG-1', qty: 2, unit: '24.99', item: '49.98', shipping: '4.99', tax: { ITEM: '3.62', SHIPPING: '0.36' }, discount: { ITEM: '-5.00' }, total: '53.95', facilitator: true, promotionId: 'PLM-1' },
			{ id: '10000000000002', sku: 'SOCK-1', qty: 1, unit: '12.99', item: '12.99', tax: { ITEM: '1.33' }, total: '14.32', facilitator: true },
		]);

	it('flattens items, proceeds, programs, fulfillment window and recipient', () => {
		const json = toAmazonOrderJson(usOrder());
		expect(json).toMatchObject({
			amazonOrderId: '113-1234567-1234567',
			marketplace: 'US',
			status: 'UNSHIPPED',
			fulfillmentChannel: 'MFN',
			currency: 'USD',
			pricesAvailable: true,
			isPrime: true,
			isReplacement: false,
			latestShipDate: '2026-11-22T23:59:59Z',
			taxCollectedByAmazon: true,
			addressComplete: true,
			itemCount: 2,
			unitCount: 3,
			sellerCentralUrl: 'https://sellercentral.amazon.com/orders-v3/order/113-1234567-1234567',
		});
		expect(json.totals).toMatchObject({ grandTotal: '68.27', items: '62.97', shipping: '4.99', tax: '5.31', itemTax: '4.95', shippingTax: '0.36', discount: '5.00', itemDiscount: '5.00' });
		expect(json.items[0]).toMatchObject({ sku: 'MUG-1', quantity: 2, unitPrice: '24.99', itemPrice: '49.98', itemDiscount: '5.00', total: '53.95', priceIncludesTax: false, promotionIds: ['PLM-1'] });
		expect(json.shippingAddress?.name).toBe('Zoë Ångström');
		expect(isAmazonOrderJson(json)).toBe(true);
		expect(isRawAmazonOrder(usOrder())).toBe(true);
	});

	it('leaves personal data out when asked', () => {
		const json = toAmazonOrderJson(usOrder(), { omitPersonalData: true });
		expect(json.shippingAddress).toMatchObject({ name: null, addressLine1: null, phone: null, city: 'New York', postalCode: '10118' });
		expect(json.buyer).toMatchObject({ name: null, email: null });
		expect(json.addressComplete).toBe(false);
	});

	it('marks Pending orders as not priced (no prices, no totals)', () => {
		const raw = usOrder();
		raw.fulfillment!.fulfillmentStatus = 'PENDING';
		delete raw.proceeds;
		for (const i of raw.orderItems) {
			delete i.proceeds;
			delete i.product.price;
		}
		const json = toAmazonOrderJson(raw);
		expect(json.pricesAvailable).toBe(false);
		expect(json.totals).toBeNull();
		expect(json.items[0].itemPrice).toBeNull();
	});

	it("names the order and the field when Amazon's numbers do not add up", () => {
		const raw = usOrder();
		raw.proceeds!.grandTotal = money('68.28', 'USD');
		expect(() => toAmazonOrderJson(raw)).toThrow(AmazonOrderDataError);
		expect(() => toAmazonOrderJson(raw)).toThrow(/113-1234567-1234567: proceeds.grandTotal/);
		const mixed = usOrder();
		mixed.orderItems[1].proceeds!.proceedsTotal = money('14.32', 'EUR');
		expect(() => toAmazonOrderJson(mixed)).toThrow(/orderItems\[1\]\.proceeds\.proceedsTotal: the amount is in EUR but the order is in USD/);
	});

	it('reads replacement orders and their original', () => {
		const raw = order(US, 'USD', '0.00', [{ id: '10000000000003', sku: 'MUG-1', qty: 1, unit: '0.00', item: '0.00', total: '0.00' }], {
			associatedOrders: [{ orderId: '113-7654321-7654321', associationType: 'REPLACEMENT_ORIGINAL_ID' }],
		});
		expect(toAmazonOrderJson(raw)).toMatchObject({ isReplacement: true, replacedOrderId: '113-7654321-7654321' });
	});
});

describe('buildShopifyOrderInput', () => {
	it('US: multi-item, multi-quantity, promotion, shipping tax, marketplace facilitator tax; totals to the cent', () => {
		const json = toAmazonOrderJson(
			order(US, 'USD', '68.27', [
				{ id: '10000000000001', sku: 'MUG-1', qty: 2, unit: '24.99', item: '49.98', shipping: '4.99', tax: { ITEM: '3.62', SHIPPING: '0.36' }, discount: { ITEM: '-5.00' }, total: '53.95', facilitator: true, promotionId: 'PLM-1' },
				{ id: '10000000000002', sku: 'SOCK-1', qty: 1, unit: '12.99', item: '12.99', tax: { ITEM: '1.33' }, total: '14.32', facilitator: true },
			]),
		);
		const plan = buildShopifyOrderInput(json, options([variant('MUG-1'), custom], { extraTags: ['wholesale', 'Amazon'] }));
		expect(plan.totals).toMatchObject({ amazon: '68.27', shopify: '68.27', difference: '0.00', equal: true });
		expect(plan.taxesIncluded).toBe(false);
		const input = inputOf(plan);
		expect(input.name).toBe('AMZ-113-1234567-1234567');
		expect(input.sourceIdentifier).toBe('113-1234567-1234567');
		expect(input.processedAt).toBe('2026-11-20T10:00:00Z');
		expect(input.tags).toEqual(['Amazon', 'Amazon US', 'wholesale']);
		expect(input.lineItems[0]).toMatchObject({ variantId: expect.any(String), quantity: 2, priceSet: { shopMoney: { amount: '24.99', currencyCode: 'USD' } } });
		expect(input.lineItems[0].taxLines[0]).toMatchObject({ title: 'Sales tax', channelLiable: true, priceSet: { shopMoney: { amount: '3.62' } } });
		expect(input.lineItems[1]).toMatchObject({ title: 'Title SOCK-1', sku: 'SOCK-1', requiresShipping: true, taxable: true });
		expect(input.lineItems[1].properties).toEqual(expect.arrayContaining([{ name: '_amazon_order_item_id', value: '10000000000002' }]));
		expect(input.discountCode.itemFixedDiscountCode).toMatchObject({ code: 'Amazon PLM-1', amountSet: { shopMoney: { amount: '5.00' } } });
		expect(input.shippingLines[0]).toMatchObject({ title: 'Amazon Standard', priceSet: { shopMoney: { amount: '4.99' } } });
		expect(input.shippingLines[0].taxLines[0].priceSet.shopMoney.amount).toBe('0.36');
		expect(input.transactions?.[0]).toMatchObject({ kind: 'SALE', gateway: 'Amazon', amountSet: { shopMoney: { amount: '68.27' } } });
		expect(input.customAttributes).toEqual(
			expect.arrayContaining([
				{ key: 'Amazon order ID', value: '113-1234567-1234567' },
				{ key: 'Latest ship date', value: '2026-11-22T23:59:59Z' },
				{ key: 'Amazon programs', value: 'PRIME' },
			]),
		);
		expect(input.shippingAddress).toMatchObject({ firstName: 'Zoë', lastName: 'Ångström', provinceCode: 'NY', countryCode: 'US', zip: '10118' });
		expect(input.customer).toBeUndefined();
		expect(input.email).toBeUndefined();
		expect(plan.options).toEqual({ inventoryBehaviour: 'DECREMENT_IGNORING_POLICY', sendReceipt: false, sendFulfillmentReceipt: false });
	});

	it('UK: prices with VAT included, gift wrap as its own shipping line', () => {
		// unitPrice is the shelf price; ITEM is the net part; ITEM + TAX(ITEM) = unitPrice x quantity.
		const json = toAmazonOrderJson(
			order(UK, 'GBP', '42.47', [
				{ id: '20000000000001', sku: 'LAMP-1', qty: 1, unit: '38.99', item: '32.49', shipping: '2.49', giftWrap: '0.33', tax: { ITEM: '6.50', SHIPPING: '0.50', GIFT_WRAP: '0.06' }, total: '42.37', gift: { giftWrapLevel: 'Classic', giftMessage: 'Alles Gute!' } },
				{ id: '20000000000002', sku: 'HOOK-1', qty: 1, unit: '0.10', item: '0.08', tax: { ITEM: '0.02' }, total: '0.10' },
			]),
		);
		expect(json.items[0].priceIncludesTax).toBe(true);
		const plan = buildShopifyOrderInput(json, options([variant('LAMP-1'), variant('HOOK-1')], { shopCurrency: 'GBP' }));
		const input = inputOf(plan);
		expect(plan.taxesIncluded).toBe(true);
		expect(input.taxesIncluded).toBe(true);
		expect(input.lineItems[0].priceSet.shopMoney.amount).toBe('38.99');
		expect(input.lineItems[0].taxLines[0]).toMatchObject({ title: 'VAT', rate: '0.20006', channelLiable: false });
		expect(input.lineItems[0].properties).toEqual(expect.arrayContaining([{ name: 'Gift wrap', value: 'Classic' }, { name: 'Gift message', value: 'Alles Gute!' }]));
		expect(input.shippingLines.map((line) => line.title)).toEqual(['Amazon Standard', 'Gift wrap']);
		expect(input.shippingLines[0].priceSet.shopMoney.amount).toBe('2.99');
		expect(input.shippingLines[1].priceSet.shopMoney.amount).toBe('0.39');
		expect(plan.totals.shopify).toBe('42.47');
	});

	it('JPY: no decimals', () => {
		const json = toAmazonOrderJson(
			order(JP, 'JPY', '5800', [{ id: '30000000000001', sku: 'TEAPOT-1', qty: 2, unit: '2900', item: '5273', tax: { ITEM: '527' }, total: '5800' }]),
		);
		const plan = buildShopifyOrderInput(json, options([variant('TEAPOT-1')], { shopCurrency: 'JPY' }));
		const input = inputOf(plan);
		expect(input.lineItems[0].priceSet.shopMoney).toEqual({ amount: '2900', currencyCode: 'JPY' });
		expect(input.transactions?.[0].amountSet.shopMoney.amount).toBe('5800');
		expect(input.lineItems[0].taxLines[0].title).toBe('Consumption tax');
	});

	it('a CAD order in a USD shop: presentment CAD exact; shop money converted at the given rate, or by Shopify', () => {
		const json = toAmazonOrderJson(
			order(CA, 'CAD', '38.41', [{ id: '40000000000001', sku: 'MUG-1', qty: 1, unit: '33.99', item: '33.99', tax: { ITEM: '4.42' }, total: '38.41' }]),
		);
		const byShopify = buildShopifyOrderInput(json, options([variant('MUG-1')]));
		const input = inputOf(byShopify);
		expect(input.presentmentCurrency).toBe('CAD');
		expect(input.currency).toBe('USD');
		const bag = input.lineItems[0].priceSet;
		expect(bag.presentmentMoney).toEqual({ amount: '33.99', currencyCode: 'CAD' });
		expect(bag.shopMoney).toEqual({ amount: '33.99', currencyCode: 'CAD' });
		expect(byShopify.totals.shopTotal).toBeNull();

		const withRate = buildShopifyOrderInput(json, options([variant('MUG-1')], { exchangeRate: '0.73' }));
		const converted = inputOf(withRate).lineItems[0].priceSet;
		expect(converted.shopMoney).toEqual({ amount: '24.81', currencyCode: 'USD' });
		expect(converted.presentmentMoney).toEqual({ amount: '33.99', currencyCode: 'CAD' });
		expect(withRate.totals).toMatchObject({ amazon: '38.41', shopify: '38.41', shopCurrency: 'USD', shopTotal: '28.04' });
		expect(convertMinor(3841, 'CAD', 'USD', '0.73')).toBe(2804);
	});

	it('FBA orders are imported as fulfilled, without touching stock, tagged FBA', () => {
		const raw = order(US, 'USD', '24.99', [{ id: '50000000000001', sku: 'MUG-1', qty: 1, unit: '24.99', item: '24.99', total: '24.99' }]);
		raw.fulfillment!.fulfilledBy = 'AMAZON';
		raw.fulfillment!.fulfillmentStatus = 'SHIPPED';
		const plan = buildShopifyOrderInput(toAmazonOrderJson(raw), options([variant('MUG-1')]));
		expect(inputOf(plan).fulfillmentStatus).toBe('FULFILLED');
		expect(inputOf(plan).tags).toContain('FBA');
		expect(plan.options.inventoryBehaviour).toBe('BYPASS');
	});

	it('merchant-fulfilled orders already shipped on Amazon are imported fulfilled, tagged, with a warning; stock as chosen', () => {
		const raw = order(US, 'USD', '24.99', [{ id: '50000000000002', sku: 'MUG-1', qty: 1, unit: '24.99', item: '24.99', total: '24.99' }], {
			packages: [{ packageReferenceId: '1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shipTime: '2026-11-21T10:00:00Z', packageStatus: { status: 'SHIPPED' }, packageItems: [{ orderItemId: '50000000000002', quantity: 1 }] }],
		});
		raw.fulfillment!.fulfillmentStatus = 'SHIPPED';
		const json = toAmazonOrderJson(raw);
		expect(json.packages).toEqual([
			{ packageReferenceId: '1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', shippingService: null, shipTime: '2026-11-21T10:00:00Z', status: 'SHIPPED', items: [{ orderItemId: '50000000000002', quantity: 1 }] },
		]);
		const plan = buildShopifyOrderInput(json, options([variant('MUG-1')]));
		expect(inputOf(plan).fulfillmentStatus).toBe('FULFILLED');
		expect(inputOf(plan).tags).toEqual(['Amazon', 'Amazon US', 'Shipped on Amazon']);
		expect(plan.options.inventoryBehaviour).toBe('DECREMENT_IGNORING_POLICY');
		expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringContaining('Already shipped on Amazon: imported as fulfilled')]));

		// Unshipped and partially shipped orders stay unfulfilled.
		raw.fulfillment!.fulfillmentStatus = 'UNSHIPPED';
		expect(inputOf(buildShopifyOrderInput(toAmazonOrderJson(raw), options([variant('MUG-1')]))).fulfillmentStatus).toBeUndefined();
	});

	it('replacement orders are tagged and linked to their original; a zero total has no transaction', () => {
		const raw = order(US, 'USD', '0.00', [{ id: '60000000000001', sku: 'MUG-1', qty: 1, unit: '0.00', item: '0.00', total: '0.00' }], {
			associatedOrders: [{ orderId: '113-7654321-7654321', associationType: 'REPLACEMENT_ORIGINAL_ID' }],
		});
		const plan = buildShopifyOrderInput(toAmazonOrderJson(raw), options([variant('MUG-1')], { replacedShopifyOrder: { id: 'gid://shopify/Order/1', name: 'AMZ-113-7654321-7654321' } }));
		const input = inputOf(plan);
		expect(input.tags).toContain('Amazon Replacement');
		expect(input.metafields).toEqual(expect.arrayContaining([{ namespace: 'amazon', key: 'replaced_order_id', type: 'single_line_text_field', value: '113-7654321-7654321' }]));
		expect(input.customAttributes).toEqual(expect.arrayContaining([{ key: 'Replaces Shopify order', value: 'AMZ-113-7654321-7654321' }]));
		expect(input.transactions).toBeUndefined();
		expect(input.financialStatus).toBe('PAID');
	});

	it('a line total that is not a whole number of cents per unit: unit rounded up, difference in the discount, total exact', () => {
		const json = toAmazonOrderJson(order(US, 'USD', '10.00', [{ id: '70000000000001', sku: 'MUG-1', qty: 3, unit: '3.33', item: '10.00', total: '10.00' }]));
		const plan = buildShopifyOrderInput(json, options([variant('MUG-1')], { taxesIncluded: 'no' }));
		const input = inputOf(plan);
		expect(input.lineItems[0].priceSet.shopMoney.amount).toBe('3.34');
		expect(input.discountCode.itemFixedDiscountCode.amountSet.shopMoney.amount).toBe('0.02');
		expect(plan.totals.equal).toBe(true);
		expect(plan.warnings).toHaveLength(1);
	});

	it('refuses Pending orders, unsupported currencies and more than 250 lines, naming the order and the field', () => {
		const pending = order(US, 'USD', '1.00', [{ id: '80000000000001', sku: 'A', qty: 1, unit: '1.00', item: '1.00', total: '1.00' }]);
		pending.fulfillment!.fulfillmentStatus = 'PENDING';
		expect(() => buildShopifyOrderInput(toAmazonOrderJson(pending), options([custom]))).toThrow(/113-1234567-1234567: the order is Pending/);

		const json = toAmazonOrderJson(order(US, 'USD', '1.00', [{ id: '80000000000002', sku: 'A', qty: 1, unit: '1.00', item: '1.00', total: '1.00' }]));
		const bad = { ...json, currency: 'XXY' };
		expect(() => buildShopifyOrderInput(bad, options([custom]))).toThrow(OrderMappingError);

		const many = Array.from({ length: 251 }, (_, i) => ({ id: String(90000000000000 + i), sku: `S${i}`, qty: 1, unit: '1.00', item: '1.00', total: '1.00' }));
		const big = toAmazonOrderJson(order(US, 'USD', '251.00', many));
		let caught: unknown;
		try {
			buildShopifyOrderInput(big, options(many.map(() => custom)));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(OrderMappingError);
		expect((caught as OrderMappingError).field).toBe('items');
		expect((caught as Error).message).toMatch(/251 items, more than the 250/);
	});

	it('never builds an input whose total differs from Amazon (TotalsMismatchError names the difference)', () => {
		const json = toAmazonOrderJson(order(US, 'USD', '24.99', [{ id: '11000000000001', sku: 'MUG-1', qty: 1, unit: '24.99', item: '24.99', total: '24.99' }]));
		const tampered = { ...json, totals: { ...json.totals!, grandTotal: '25.00' } };
		expect(() => buildShopifyOrderInput(tampered, options([variant('MUG-1')]))).toThrow(TotalsMismatchError);
		expect(() => buildShopifyOrderInput(tampered, options([variant('MUG-1')]))).toThrow(/difference USD -0.01/);
	});

	it('upserts a customer only when asked, from the buyer e-mail', () => {
		const json = toAmazonOrderJson(order(US, 'USD', '24.99', [{ id: '12000000000001', sku: 'MUG-1', qty: 1, unit: '24.99', item: '24.99', total: '24.99' }]));
		const plan = buildShopifyOrderInput(json, options([variant('MUG-1')], { upsertCustomer: true }));
		expect(inputOf(plan).customer).toEqual({ toUpsert: { email: 'abc123@marketplace.amazon.com', firstName: 'Zoë', lastName: 'Ångström', tags: ['Amazon'] } });
	});
});
