import { startShopifySandbox } from '../../sandbox/shopify';
import { graphqlClient } from '../../sandbox/shopify/testing';

type Sandbox = Awaited<ReturnType<typeof startShopifySandbox>>;
type Gql = ReturnType<typeof graphqlClient>;

const CREATE = /* GraphQL */ `
	mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
		orderCreate(order: $order, options: $options) {
			order {
				id name displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
				subtotalPriceSet { ...Bag } totalPriceSet { ...Bag } totalTaxSet { ...Bag } totalShippingPriceSet { ...Bag }
				totalDiscountsSet { ...Bag } currentTotalPriceSet { ...Bag } totalRefundedSet { ...Bag } totalOutstandingSet { ...Bag }
				totalReceivedSet { ...Bag }
				discountCode
				lineItems(first: 10) {
					nodes {
						id sku quantity customAttributes { key value }
						originalUnitPriceSet { ...Bag } discountedUnitPriceAfterAllDiscountsSet { ...Bag }
						discountAllocations { allocatedAmountSet { ...Bag } discountApplication { index allocationMethod targetType } }
						taxLines(first: 5) { title rate channelLiable priceSet { ...Bag } }
					}
				}
				shippingLines(first: 5) { nodes { title originalPriceSet { ...Bag } taxLines { title priceSet { ...Bag } } } }
			}
			userErrors { field message code }
		}
	}
	fragment Bag on MoneyBag { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
`;

const money = (amount: string, currencyCode: string) => ({ shopMoney: { amount, currencyCode } });
const bag = (shop: string, shopCurrency: string, pres: string, presCurrency: string) => ({
	shopMoney: { amount: shop, currencyCode: shopCurrency },
	presentmentMoney: { amount: pres, currencyCode: presCurrency },
});

async function create(gql: Gql, order: Record<string, unknown>, options?: Record<string, unknown>) {
	const r = await gql(CREATE, { order, options });
	if (r.body.errors) throw new Error(JSON.stringify(r.body.errors));
	return r.body.data.orderCreate;
}

describe('Shopify sandbox: orderCreate totals', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 10 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterAll(async () => sb.stop());

	it('adds up a USD order to the cent: line taxes, shipping with tax, transactions', async () => {
		const { order, userErrors } = await create(gql, {
			currency: 'USD',
			lineItems: [
				{ title: 'Cup', sku: 'CUP', quantity: 3, priceSet: money('3.33', 'USD'), taxLines: [{ title: 'State tax', rate: '0.0725', channelLiable: true }], properties: [{ name: '_amazon_order_item_id', value: '111' }] },
				{ title: 'Saucer', sku: 'SAU', quantity: 1, priceSet: money('0.10', 'USD'), taxLines: [{ title: 'State tax', rate: '0.0725', channelLiable: true }] },
			],
			shippingLines: [{ title: 'Standard', priceSet: money('4.99', 'USD'), taxLines: [{ title: 'State tax', rate: '0.0725', priceSet: money('0.36', 'USD') }] }],
			transactions: [{ kind: 'SALE', status: 'SUCCESS', gateway: 'amazon', amountSet: money('16.07', 'USD') }],
		});
		expect(userErrors).toEqual([]);
		// 9.99 + 0.10 = 10.09; tax 9.99*0.0725 = 0.724 -> 0.72, 0.10*0.0725 = 0.007 -> 0.01, shipping tax 0.36
		expect(order.subtotalPriceSet).toEqual(bag('10.09', 'USD', '10.09', 'USD'));
		expect(order.totalTaxSet.shopMoney.amount).toBe('1.09');
		expect(order.totalShippingPriceSet.shopMoney.amount).toBe('4.99');
		expect(order.totalPriceSet.shopMoney.amount).toBe('16.17');
		expect(order.totalReceivedSet.shopMoney.amount).toBe('16.07');
		expect(order.totalOutstandingSet.shopMoney.amount).toBe('0.1');
		expect(order.displayFinancialStatus).toBe('PARTIALLY_PAID');
		expect(order.lineItems.nodes[0].taxLines[0]).toEqual({ title: 'State tax', rate: 0.0725, channelLiable: true, priceSet: bag('0.72', 'USD', '0.72', 'USD') });
		expect(order.lineItems.nodes[0].customAttributes).toEqual([{ key: '_amazon_order_item_id', value: '111' }]);
	});

	it('splits order-level tax lines across taxable line items and rejects taxes on both levels', async () => {
		const { order } = await create(gql, {
			lineItems: [
				{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD') },
				{ title: 'B', quantity: 1, priceSet: money('20.00', 'USD') },
				{ title: 'Gift', quantity: 1, taxable: false, priceSet: money('5.00', 'USD') },
			],
			taxLines: [{ title: 'VAT', rate: '0.1', priceSet: money('3.01', 'USD') }],
		});
		expect(order.lineItems.nodes.map((l: { taxLines: { priceSet: { shopMoney: { amount: string } } }[] }) => l.taxLines.map((t) => t.priceSet.shopMoney.amount))).toEqual([['1.0'], ['2.01'], []]);
		expect(order.totalPriceSet.shopMoney.amount).toBe('38.01');

		const both = await create(gql, {
			lineItems: [{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD'), taxLines: [{ title: 'T', rate: '0.1' }] }],
			taxLines: [{ title: 'T', rate: '0.1' }],
		});
		expect(both.order).toBeNull();
		expect(both.userErrors).toEqual([{ field: ['order', 'taxLines'], message: expect.stringContaining('not both'), code: 'INVALID' }]);
	});

	it('keeps JPY without decimals, in a JPY shop and as presentment currency of a USD shop', async () => {
		const jpyShop = await startShopifySandbox({ seed: 11, shopCurrency: 'JPY' });
		try {
			const g = graphqlClient(jpyShop, { token: jpyShop.credentials.accessToken });
			const { order } = await create(g, {
				lineItems: [{ title: 'Tea', quantity: 3, priceSet: money('1333', 'JPY'), taxLines: [{ title: '消費税', rate: '0.1' }] }],
				shippingLines: [{ title: 'Standard', priceSet: money('350', 'JPY') }],
			});
			expect(order.currencyCode).toBe('JPY');
			expect(order.subtotalPriceSet).toEqual(bag('3999.0', 'JPY', '3999.0', 'JPY'));
			expect(order.totalTaxSet.shopMoney.amount).toBe('400.0');
			expect(order.totalPriceSet.shopMoney.amount).toBe('4749.0');
		} finally {
			await jpyShop.stop();
		}

		const { order } = await create(gql, {
			presentmentCurrency: 'JPY',
			lineItems: [{ title: 'Tea', quantity: 2, priceSet: money('1500', 'JPY') }],
		});
		// fixed sandbox rate: 1 JPY = 0.0067 USD -> 1500 JPY = 10.05 USD
		expect(order.presentmentCurrencyCode).toBe('JPY');
		expect(order.lineItems.nodes[0].originalUnitPriceSet).toEqual(bag('10.05', 'USD', '1500.0', 'JPY'));
		expect(order.totalPriceSet).toEqual(bag('20.1', 'USD', '3000.0', 'JPY'));
	});

	it('keeps presentment money of a CAD order in a USD shop and converts shop money per amount, to the cent', async () => {
		const { order, userErrors } = await create(gql, {
			currency: 'USD',
			presentmentCurrency: 'CAD',
			lineItems: [{ title: 'Socks', sku: 'SOCK', quantity: 2, priceSet: money('25.00', 'CAD'), taxLines: [{ title: 'HST', rate: '0.13', priceSet: money('6.50', 'CAD') }] }],
			shippingLines: [{ title: 'Standard', priceSet: { shopMoney: { amount: '4.37', currencyCode: 'USD' }, presentmentMoney: { amount: '5.99', currencyCode: 'CAD' } } }],
			transactions: [{ gateway: 'amazon', amountSet: money('62.49', 'CAD') }],
		});
		expect(userErrors).toEqual([]);
		// rate 1 CAD = 0.73 USD: 25.00 -> 18.25; 6.50 -> 4.745 -> 4.75 (half away from zero)
		expect(order.lineItems.nodes[0].originalUnitPriceSet).toEqual(bag('18.25', 'USD', '25.0', 'CAD'));
		expect(order.lineItems.nodes[0].taxLines[0].priceSet).toEqual(bag('4.75', 'USD', '6.5', 'CAD'));
		expect(order.subtotalPriceSet).toEqual(bag('36.5', 'USD', '50.0', 'CAD'));
		expect(order.totalPriceSet).toEqual(bag('45.62', 'USD', '62.49', 'CAD'));
		expect(order.displayFinancialStatus).toBe('PAID');

		const wrong = await create(gql, { presentmentCurrency: 'CAD', lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'EUR') }] });
		expect(wrong.userErrors[0]).toMatchObject({ field: ['order', 'lineItems', '0', 'priceSet', 'shopMoney', 'currencyCode'], code: 'INVALID' });
	});

	it('applies the discount codes the 2026-10 schema offers (one per order)', async () => {
		const pct = await create(gql, {
			lineItems: [
				{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD') },
				{ title: 'B', quantity: 2, priceSet: money('5.55', 'USD') },
			],
			discountCode: { itemPercentageDiscountCode: { code: 'TEN', percentage: 10 } },
		});
		expect(pct.order.discountCode).toBe('TEN');
		expect(pct.order.totalDiscountsSet.shopMoney.amount).toBe('2.11');
		expect(pct.order.subtotalPriceSet.shopMoney.amount).toBe('18.99');
		expect(pct.order.lineItems.nodes[1].discountAllocations[0]).toMatchObject({ allocatedAmountSet: { shopMoney: { amount: '1.11' } }, discountApplication: { index: 0, targetType: 'LINE_ITEM' } });

		const fixed = await create(gql, {
			lineItems: [
				{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD') },
				{ title: 'B', quantity: 1, priceSet: money('20.00', 'USD') },
			],
			discountCode: { itemFixedDiscountCode: { code: 'FIVE', amountSet: money('5.00', 'USD') } },
		});
		expect(fixed.order.lineItems.nodes.map((l: { discountAllocations: { allocatedAmountSet: { shopMoney: { amount: string } } }[] }) => l.discountAllocations[0].allocatedAmountSet.shopMoney.amount)).toEqual(['1.67', '3.33']);
		expect(fixed.order.totalPriceSet.shopMoney.amount).toBe('25.0');

		const ship = await create(gql, {
			lineItems: [{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD') }],
			shippingLines: [{ title: 'Std', priceSet: money('4.99', 'USD') }],
			discountCode: { freeShippingDiscountCode: { code: 'SHIPFREE' } },
		});
		expect(ship.order.totalPriceSet.shopMoney.amount).toBe('10.0');
		expect(ship.order.totalDiscountsSet.shopMoney.amount).toBe('4.99');

		const two = await create(gql, {
			lineItems: [{ title: 'A', quantity: 1, priceSet: money('10.00', 'USD') }],
			discountCode: { freeShippingDiscountCode: { code: 'A' }, itemPercentageDiscountCode: { code: 'B', percentage: 5 } },
		});
		expect(two.userErrors[0]).toMatchObject({ field: ['order', 'discountCode'], code: 'INVALID' });
	});

	it('validates line items and dates with Shopify\'s userError codes', async () => {
		const r = await create(gql, { lineItems: [{ quantity: 1, variantId: 'gid://shopify/ProductVariant/1' }, { quantity: 0, title: 'x', priceSet: money('1.00', 'USD') }] });
		expect(r.order).toBeNull();
		expect(r.userErrors).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ field: ['order', 'lineItems', '0', 'variantId'], code: 'INVALID' }),
				expect.objectContaining({ field: ['order', 'lineItems', '1', 'quantity'], code: 'INVALID' }),
			]),
		);
		const redundant = await create(gql, { lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }], customerId: 'gid://shopify/Customer/1', customer: { toUpsert: { email: 'a@b.c' } } });
		expect(redundant.userErrors[0].code).toBe('REDUNDANT_CUSTOMER_FIELDS');

		// 2026-10 clamps a future processedAt to now; 2026-07 does too (clamping started in 2026-07)
		const future = await create(gql, { processedAt: '2099-01-01T00:00:00Z', lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }] });
		expect(future.userErrors).toEqual([]);
	});
});

describe('Shopify sandbox: idempotency, inventory, limits, notifications', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeEach(async () => {
		sb = await startShopifySandbox({ seed: 12 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterEach(async () => sb.stop());

	const defineUnique = (g: Gql) =>
		g(`mutation { metafieldDefinitionCreate(definition: { name: "Amazon order ID", namespace: "amazon", key: "order_id", type: "id", ownerType: ORDER, capabilities: { uniqueValues: { enabled: true } } }) { createdDefinition { id } userErrors { code } } }`);

	it('rejects a second order with the same unique amazon.order_id metafield', async () => {
		await defineUnique(gql);
		const order = (id: string, name: string) => ({ name, sourceIdentifier: id, metafields: [{ namespace: 'amazon', key: 'order_id', type: 'id', value: id }], lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }] });
		const first = await create(gql, order('113-0000000-0000001', 'AMZ-1'));
		expect(first.userErrors).toEqual([]);
		const second = await create(gql, order('113-0000000-0000001', 'AMZ-1-again'));
		expect(second.order).toBeNull();
		expect(second.userErrors).toEqual([{ field: ['order', 'metafields', '0', 'value'], message: expect.stringContaining('already been taken'), code: 'INVALID' }]);
		expect(sb.control.state().orders).toHaveLength(1);

		// metafieldsSet on another order with the same value: TAKEN
		const other = await create(gql, order('113-0000000-0000002', 'AMZ-2'));
		const set = await gql('mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field message code } } }', { m: [{ ownerId: other.order.id, namespace: 'amazon', key: 'order_id', type: 'id', value: '113-0000000-0000001' }] });
		expect(set.body.data.metafieldsSet.userErrors[0]).toMatchObject({ field: ['metafields', '0', 'value'], code: 'TAKEN' });

		// custom-id lookups need the unique definition
		const lookup = await gql('{ orderByIdentifier(identifier: { customId: { namespace: "amazon", key: "nope", value: "x" } }) { id } }');
		expect(lookup.body.errors[0].message).toContain('unique values');
	});

	it('tracks inventory per variant and fails INVENTORY_CLAIM_FAILED when obeying policy and short', async () => {
		const [v] = sb.control.seedProducts([{ sku: 'SKU-1', title: 'Mug', price: '19.99', inventory: 2 }]);
		const line = (q: number) => ({ lineItems: [{ variantId: v.variantId, quantity: q }] });
		const short = await create(gql, line(3), { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' });
		expect(short.order).toBeNull();
		expect(short.userErrors).toEqual([{ field: ['order', 'lineItems', '0'], message: expect.stringContaining('3 requested, 2 available'), code: 'INVENTORY_CLAIM_FAILED' }]);
		expect((await create(gql, line(2), { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' })).userErrors).toEqual([]);
		expect((await create(gql, line(5), { inventoryBehaviour: 'BYPASS' })).userErrors).toEqual([]);
		expect((await create(gql, line(1), { inventoryBehaviour: 'DECREMENT_IGNORING_POLICY' })).userErrors).toEqual([]);
		expect(sb.control.state().products[0].variants[0].inventory).toBe(-1);
		// a variant line takes the variant's price when priceSet is omitted
		const priced = await create(gql, line(1));
		expect(priced.order.totalPriceSet.shopMoney.amount).toBe('19.99');
	});

	it('allows a development store 5 orderCreate per minute of sandbox time', async () => {
		const dev = await startShopifySandbox({ seed: 13, devStore: true });
		try {
			const g = graphqlClient(dev, { token: dev.credentials.accessToken });
			const input = { lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }] };
			for (let i = 0; i < 5; i++) expect((await create(g, input)).userErrors).toEqual([]);
			const sixth = await create(g, input);
			expect(sixth.order).toBeNull();
			expect(sixth.userErrors[0].message).toMatch(/5 orders per minute with the orderCreate mutation/);
			dev.control.advanceTime(60_000);
			expect((await create(g, input)).userErrors).toEqual([]);
			expect((await g('{ shop { plan { partnerDevelopment } } }')).body.data.shop.plan.partnerDevelopment).toBe(true);
		} finally {
			await dev.stop();
		}
	});

	it('records what a customer would have received when a notify flag is true', async () => {
		const base = { email: 'buyer@example.com', lineItems: [{ title: 'x', quantity: 2, priceSet: money('1.00', 'USD') }], transactions: [{ gateway: 'amazon', amountSet: money('2.00', 'USD') }] };
		const quiet = await create(gql, base, { sendReceipt: false, sendFulfillmentReceipt: false });
		expect(sb.control.state().customerNotifications).toEqual([]);

		await create(gql, base, { sendReceipt: true });
		await create(gql, { ...base, fulfillment: { locationId: sb.control.state().locations[1].id, notifyCustomer: true, trackingCompany: 'Amazon', trackingNumber: 'TBA1' } }, { sendFulfillmentReceipt: true });
		const fo = (await gql('query Q($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { id } } } }', { id: quiet.order.id })).body.data.order.fulfillmentOrders.nodes[0].id;
		const f = await gql('mutation F($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { message } } }', { f: { notifyCustomer: true, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo, fulfillmentOrderLineItems: [] }] } });
		const fid = f.body.data.fulfillmentCreate.fulfillment.id;
		await gql('mutation T($id: ID!) { fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: { company: "UPS", number: "1Z1" }, notifyCustomer: true) { userErrors { message } } }', { id: fid });
		const sale = sb.control.state().orders[0].transactions[0].id;
		await gql('mutation R($i: RefundInput!) { refundCreate(input: $i) @idempotent(key: "n-1") { userErrors { message } } }', { i: { orderId: quiet.order.id, notify: true, transactions: [{ orderId: quiet.order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '1.00' }] } });
		const other = await create(gql, base);
		await gql('mutation C($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: false, notifyCustomer: true) { orderCancelUserErrors { message } } }', { id: other.order.id });

		expect(sb.control.state().customerNotifications.map((n: { kind: string; via: string }) => `${n.kind} <- ${n.via}`)).toEqual([
			'order_confirmation <- orderCreate.options.sendReceipt',
			'shipping_confirmation <- orderCreate.order.fulfillment.notifyCustomer',
			'shipping_confirmation <- orderCreate.options.sendFulfillmentReceipt',
			'shipping_confirmation <- fulfillmentCreate.notifyCustomer',
			'shipping_update <- fulfillmentTrackingInfoUpdate.notifyCustomer',
			'refund_notification <- refundCreate.input.notify',
			'order_cancelled <- orderCancel.notifyCustomer',
		]);
	});

	it('creates FBA orders already fulfilled at the given location', async () => {
		const fba = sb.control.state().locations[1].id;
		const { order } = await create(gql, {
			tags: ['Amazon', 'FBA'],
			fulfillmentStatus: 'FULFILLED',
			fulfillment: { locationId: fba, trackingCompany: 'Amazon', trackingNumbers: ['TBA1', 'TBA2'] },
			lineItems: [{ title: 'x', quantity: 2, requiresShipping: true, priceSet: money('1.00', 'USD') }],
		});
		expect(order.displayFulfillmentStatus).toBe('FULFILLED');
		const f = sb.control.state().fulfillments[0];
		expect(f).toMatchObject({ locationId: fba, tracking: [{ company: 'Amazon', number: 'TBA1' }, { company: 'Amazon', number: 'TBA2' }], lineItems: [{ quantity: 2 }] });
		const bad = await create(gql, { fulfillment: { locationId: 'gid://shopify/Location/1' }, lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }] });
		expect(bad.userErrors[0]).toMatchObject({ field: ['order', 'fulfillment', 'locationId'], code: 'INVALID' });
	});
});

describe('Shopify sandbox: searching orders and variants', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 14 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
		sb.control.seedProducts([
			{ sku: 'SKU-1', title: 'One', price: '1.00' },
			{ sku: 'SKU-1-RED', title: 'One red', price: '1.00' },
			{ sku: 'SKU-10', title: 'Ten', price: '1.00' },
		]);
		for (const [id, tags] of [['113-1111111-1111111', ['Amazon', 'Amazon US']], ['113-2222222-2222222', ['Amazon']], ['web-1', ['web']]] as const) {
			await create(gql, { name: `AMZ-${id}`, sourceIdentifier: id, tags, lineItems: [{ title: 'x', quantity: 1, priceSet: money('1.00', 'USD') }] });
		}
	});
	afterAll(async () => sb.stop());

	const skus = async (query: string) => (await gql('query Q($q: String!) { productVariants(first: 10, query: $q) { nodes { sku } } }', { q: query })).body.data.productVariants.nodes.map((n: { sku: string }) => n.sku);
	const names = async (query: string, extra = '') => (await gql(`query Q($q: String!) { orders(first: 10, query: $q${extra}) { nodes { name } } }`, { q: query })).body.data.orders.nodes.map((n: { name: string }) => n.name);

	it('tokenises sku searches like Shopify, so exact matching is the client\'s job', async () => {
		expect(await skus('sku:"SKU-1"')).toEqual(['SKU-1', 'SKU-1-RED']);
		expect(await skus('sku:SKU-10')).toEqual(['SKU-10']);
		expect(await skus('sku:"NOPE"')).toEqual([]);
	});

	it('filters orders by source_identifier, name, tag, status and dates', async () => {
		expect(await names('source_identifier:"113-1111111-1111111" status:any')).toEqual(['AMZ-113-1111111-1111111']);
		expect(await names('name:"AMZ-113-2222222-2222222"')).toEqual(['AMZ-113-2222222-2222222']);
		expect(await names('tag:"Amazon US"')).toEqual(['AMZ-113-1111111-1111111']);
		expect(await names('tag:Amazon', ', sortKey: CREATED_AT, reverse: true')).toEqual(['AMZ-113-2222222-2222222', 'AMZ-113-1111111-1111111']);
		expect(await names('tag:Amazon -tag:"Amazon US"')).toEqual(['AMZ-113-2222222-2222222']);
		expect(await names("created_at:>'2000-01-01T00:00:00Z' tag:web")).toEqual(['AMZ-web-1']);
		expect(await names("updated_at:>'2999-01-01T00:00:00Z'")).toEqual([]);
		expect(await names('status:cancelled')).toEqual([]);
		const warned = await gql('{ orders(first: 1, query: "colour:red") { nodes { id } } }');
		expect(warned.body.extensions.search[0].warnings).toEqual([{ field: 'colour', message: 'Invalid search field for this query.' }]);
	});

	it('paginates with cursors', async () => {
		const page1 = await gql('{ orders(first: 2, sortKey: CREATED_AT) { pageInfo { hasNextPage endCursor } nodes { name } } }');
		expect(page1.body.data.orders.pageInfo.hasNextPage).toBe(true);
		const page2 = await gql('query Q($after: String) { orders(first: 2, after: $after, sortKey: CREATED_AT) { pageInfo { hasNextPage } nodes { name } } }', { after: page1.body.data.orders.pageInfo.endCursor });
		expect(page2.body.data.orders).toEqual({ pageInfo: { hasNextPage: false }, nodes: [{ name: 'AMZ-web-1' }] });
	});
});
