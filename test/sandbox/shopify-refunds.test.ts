import { startShopifySandbox } from '../../sandbox/shopify';
import { graphqlClient } from '../../sandbox/shopify/testing';

type Sandbox = Awaited<ReturnType<typeof startShopifySandbox>>;
type Gql = ReturnType<typeof graphqlClient>;

const REFUND = /* GraphQL */ `
	mutation RefundCreate($input: RefundInput!, $key: String!) {
		refundCreate(input: $input) @idempotent(key: $key) {
			refund { id note totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
				refundLineItems(first: 10) { nodes { quantity restockType restocked lineItem { id } subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } }
				transactions(first: 5) { nodes { id kind status gateway amountSet { shopMoney { amount } } parentTransaction { id } } } }
			order { id displayFinancialStatus totalRefundedSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } } }
			userErrors { field message }
		}
	}
`;
const ORDER = /* GraphQL */ `
	query O($id: ID!) {
		order(id: $id) {
			id displayFinancialStatus displayFulfillmentStatus cancelledAt cancelReason
			totalRefundedSet { shopMoney { amount } presentmentMoney { amount currencyCode } }
			currentTotalPriceSet { shopMoney { amount } }
			lineItems(first: 10) { nodes { id sku quantity currentQuantity refundableQuantity unfulfilledQuantity } }
			transactions(first: 10) { id kind gateway amountSet { shopMoney { amount } presentmentMoney { amount } } parentTransaction { id } }
			refunds(first: 10) { id note }
		}
	}
`;

const money = (amount: string, currencyCode = 'USD') => ({ shopMoney: { amount, currencyCode } });

async function newOrder(gql: Gql, extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
	const r = await gql(
		'mutation C($o: OrderCreateOrderInput!, $opt: OrderCreateOptionsInput) { orderCreate(order: $o, options: $opt) { order { id } userErrors { field message } } }',
		{
			opt: options,
			o: {
				lineItems: [
					{ title: 'Mug', sku: 'MUG', quantity: 2, priceSet: money('10.00'), taxLines: [{ title: 'Tax', rate: '0.1' }] },
					{ title: 'Sock', sku: 'SOCK', quantity: 1, priceSet: money('5.00') },
				],
				shippingLines: [{ title: 'Std', priceSet: money('3.00') }],
				transactions: [{ gateway: 'amazon', amountSet: money('30.00') }],
				...extra,
			},
		},
	);
	if (r.body.errors || r.body.data.orderCreate.userErrors.length) throw new Error(JSON.stringify(r.body));
	const id = r.body.data.orderCreate.order.id as string;
	const order = (await gql(ORDER, { id })).body.data.order;
	return order;
}

describe('Shopify sandbox: refunds', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeEach(async () => {
		sb = await startShopifySandbox({ seed: 20 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterEach(async () => sb.stop());

	it('refuses refundCreate without the @idempotent directive (mandatory since 2026-04)', async () => {
		const order = await newOrder(gql);
		for (const version of ['2026-10', '2026-07']) {
			const r = await graphqlClient(sb, { token: sb.credentials.accessToken, version })('mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { message } } }', { input: { orderId: order.id, note: 'x' } });
			expect(r.body.data).toEqual({ refundCreate: null });
			expect(r.body.errors[0]).toMatchObject({ message: 'The @idempotent directive is required for this mutation but was not provided.', path: ['refundCreate'] });
		}
		const blank = await gql(REFUND, { key: '  ', input: { orderId: order.id } });
		expect(blank.body.errors[0].message).toBe('The idempotency key cannot be an empty string or whitespace only.');
		const wrongPlace = await gql('mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o) @idempotent(key: "k") { order { id } } }', { o: {} });
		expect(wrongPlace.body.errors[0]).toMatchObject({ message: expect.stringContaining('not supported on orderCreate'), extensions: { code: 'BAD_REQUEST' } });
		expect(sb.control.state().refunds).toEqual([]);
	});

	it('returns the same refund for the same key, and an error for the same key with other input', async () => {
		const order = await newOrder(gql);
		const sale = order.transactions[0].id;
		const input = { orderId: order.id, note: 'Amazon refund', notify: false, refundLineItems: [{ lineItemId: order.lineItems.nodes[0].id, quantity: 1, restockType: 'NO_RESTOCK' }], transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '11.00' }] };
		const first = await gql(REFUND, { key: 'amazon-refund-1', input });
		expect(first.body.data.refundCreate.userErrors).toEqual([]);
		const refund = first.body.data.refundCreate.refund;
		expect(refund).toMatchObject({ note: 'Amazon refund', totalRefundedSet: { shopMoney: { amount: '11.0', currencyCode: 'USD' } } });
		expect(refund.refundLineItems.nodes[0]).toMatchObject({ quantity: 1, restockType: 'NO_RESTOCK', restocked: false, subtotalSet: { shopMoney: { amount: '10.0' } }, totalTaxSet: { shopMoney: { amount: '1.0' } } });
		expect(refund.transactions.nodes[0]).toMatchObject({ kind: 'REFUND', status: 'SUCCESS', gateway: 'amazon', parentTransaction: { id: sale } });

		const replay = await gql(REFUND, { key: 'amazon-refund-1', input });
		expect(replay.body.data.refundCreate.refund.id).toBe(refund.id);
		expect(sb.control.state().refunds).toHaveLength(1);

		const other = await gql(REFUND, { key: 'amazon-refund-1', input: { ...input, note: 'different' } });
		expect(other.body.data.refundCreate).toBeNull();
		expect(other.body.errors[0]).toMatchObject({ message: 'The same idempotency key cannot be used with different operation parameters.', extensions: { code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' } });

		const after = (await gql(ORDER, { id: order.id })).body.data.order;
		expect(after.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
		expect(after.totalRefundedSet.shopMoney.amount).toBe('11.0');
		expect(after.lineItems.nodes[0]).toMatchObject({ quantity: 2, currentQuantity: 1, refundableQuantity: 1 });
		// 30.00 total (20 + 2 tax + 5 + 3 shipping) - 11.00 of one mug and its tax
		expect(after.currentTotalPriceSet.shopMoney.amount).toBe('19.0');
	});

	it('refuses refunds beyond what is refundable, with userErrors', async () => {
		const order = await newOrder(gql);
		const sale = order.transactions[0].id;
		const tooMuchMoney = await gql(REFUND, { key: 'k1', input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '30.01' }] } });
		expect(tooMuchMoney.body.data.refundCreate.userErrors).toEqual([{ field: ['transactions', '0', 'amount'], message: 'Refund amount 30.01 USD is greater than net payment received 30.00 USD.' }]);
		const tooMany = await gql(REFUND, { key: 'k2', input: { orderId: order.id, refundLineItems: [{ lineItemId: order.lineItems.nodes[1].id, quantity: 2 }] } });
		expect(tooMany.body.data.refundCreate.userErrors[0]).toMatchObject({ field: ['refundLineItems', '0', 'quantity'] });
		const returnUnfulfilled = await gql(REFUND, { key: 'k3', input: { orderId: order.id, refundLineItems: [{ lineItemId: order.lineItems.nodes[1].id, quantity: 1, restockType: 'RETURN' }] } });
		expect(returnUnfulfilled.body.data.refundCreate.userErrors[0]).toMatchObject({ field: ['refundLineItems', '0', 'restockType'] });
		const wrongGateway = await gql(REFUND, { key: 'k4', input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'paypal', amount: '1.00' }] } });
		expect(wrongGateway.body.data.refundCreate.userErrors[0]).toMatchObject({ field: ['transactions', '0', 'gateway'] });
		const shipping = await gql(REFUND, { key: 'k5', input: { orderId: order.id, shipping: { amount: '3.01' } } });
		expect(shipping.body.data.refundCreate.userErrors[0]).toMatchObject({ field: ['shipping', 'amount'] });

		// the whole refundable amount, in two refunds, then nothing more
		const a = await gql(REFUND, { key: 'k6', input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '20.00' }] } });
		expect(a.body.data.refundCreate.userErrors).toEqual([]);
		const b = await gql(REFUND, { key: 'k7', input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '10.00' }] } });
		expect(b.body.data.refundCreate.order.displayFinancialStatus).toBe('REFUNDED');
		const c = await gql(REFUND, { key: 'k8', input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '0.01' }] } });
		expect(c.body.data.refundCreate.userErrors[0].message).toBe('Refund amount 0.01 USD is greater than net payment received 0.00 USD.');
	});

	it('refunds a CAD order in presentment currency and needs the currency field', async () => {
		const order = await newOrder(gql, {
			presentmentCurrency: 'CAD',
			lineItems: [{ title: 'Mug', quantity: 1, priceSet: money('20.00', 'CAD') }],
			shippingLines: [],
			transactions: [{ gateway: 'amazon', amountSet: money('20.00', 'CAD') }],
		});
		const sale = order.transactions[0].id;
		const tx = { orderId: order.id, parentId: sale, kind: 'REFUND', gateway: 'amazon', amount: '20.00' };
		const noCurrency = await gql(REFUND, { key: 'c1', input: { orderId: order.id, transactions: [tx] } });
		expect(noCurrency.body.data.refundCreate.userErrors[0]).toMatchObject({ field: ['currency'] });
		const ok = await gql(REFUND, { key: 'c2', input: { orderId: order.id, currency: 'CAD', transactions: [tx] } });
		// a full refund gives back exactly the shop money that was received (14.60 USD), not a re-conversion
		expect(ok.body.data.refundCreate.refund.totalRefundedSet).toEqual({ shopMoney: { amount: '14.6', currencyCode: 'USD' }, presentmentMoney: { amount: '20.0', currencyCode: 'CAD' } });
	});

	it('suggests refunds that never exceed what was paid', async () => {
		const order = await newOrder(gql, { transactions: [{ gateway: 'amazon', amountSet: money('5.00') }] });
		const r = await gql('query S($id: ID!, $r: [RefundLineItemInput!]) { order(id: $id) { suggestedRefund(refundLineItems: $r, refundShipping: true) { amountSet { shopMoney { amount } } subtotalSet { shopMoney { amount } } shipping { amountSet { shopMoney { amount } } maximumRefundableSet { shopMoney { amount } } } maximumRefundableSet { shopMoney { amount } } suggestedTransactions { amountSet { shopMoney { amount } } gateway } } } }', {
			id: order.id,
			r: [{ lineItemId: order.lineItems.nodes[0].id, quantity: 2 }],
		});
		const s = r.body.data.order.suggestedRefund;
		expect(s).toMatchObject({ subtotalSet: { shopMoney: { amount: '20.0' } }, shipping: { amountSet: { shopMoney: { amount: '3.0' } } }, maximumRefundableSet: { shopMoney: { amount: '5.0' } }, amountSet: { shopMoney: { amount: '5.0' } } });
		expect(s.suggestedTransactions).toEqual([{ amountSet: { shopMoney: { amount: '5.0' } }, gateway: 'amazon' }]);
	});
});

const FULL_READ = /* GraphQL */ `
	query FullRead($id: ID!) {
		order(id: $id) {
			id legacyResourceId name sourceName sourceIdentifier tags note createdAt updatedAt processedAt cancelledAt cancelReason
			displayFinancialStatus displayFulfillmentStatus email phone currencyCode presentmentCurrencyCode taxesIncluded test
			customAttributes { key value }
			amazonOrderId: metafield(namespace: "amazon", key: "order_id") { value type }
			metafields(first: 5) { nodes { namespace key type value jsonValue } }
			lineItems(first: 10) {
				nodes {
					id sku title name quantity currentQuantity refundableQuantity unfulfilledQuantity customAttributes { key value } variant { id }
					originalUnitPriceSet { shopMoney { amount } } discountedUnitPriceSet { shopMoney { amount } }
					taxLines(first: 3) { title rate priceSet { shopMoney { amount } } }
				}
			}
			shippingLines(first: 3) { nodes { title code originalPriceSet { shopMoney { amount } } discountedPriceSet { shopMoney { amount } } } }
			subtotalPriceSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
			totalShippingPriceSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } }
			currentSubtotalPriceSet { shopMoney { amount } } currentTotalTaxSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } }
			totalOutstandingSet { shopMoney { amount } } totalReceivedSet { shopMoney { amount } } netPaymentSet { shopMoney { amount } }
			transactions(first: 10) { id kind status gateway processedAt amountSet { shopMoney { amount } } parentTransaction { id } }
			fulfillmentOrders(first: 5) { nodes { id status requestStatus assignedLocation { location { id name } } supportedActions { action } lineItems(first: 10) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } } } }
			fulfillments(first: 5) { id name status displayStatus createdAt updatedAt trackingInfo(first: 5) { company number url } fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { id sku } } } }
			refunds(first: 5) {
				id createdAt note totalRefundedSet { shopMoney { amount } }
				refundLineItems(first: 10) { nodes { lineItem { id } quantity restockType subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } }
				transactions(first: 5) { nodes { id kind amountSet { shopMoney { amount } } } }
			}
		}
	}
`;

describe('Shopify sandbox: reading an order back, and editing it', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 22 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterAll(async () => sb.stop());

	it('serves every order field the nodes read, consistent after fulfilment and refund', async () => {
		const order = await newOrder(gql, { metafields: [{ namespace: 'amazon', key: 'order_id', type: 'id', value: '113-1' }], customAttributes: [{ key: 'amazon_order_id', value: '113-1' }] });
		sb.control.fulfillOrder(order.id, { lineItems: [{ sku: 'MUG', quantity: 2 }], tracking: { company: 'UPS', number: '1Z1' } });
		sb.control.refundOrder(order.id, { lineItems: [{ sku: 'SOCK', quantity: 1 }] });
		const r = await gql(FULL_READ, { id: order.id });
		expect(r.body.errors).toBeUndefined();
		const o = r.body.data.order;
		expect(o).toMatchObject({
			displayFinancialStatus: 'PARTIALLY_REFUNDED',
			displayFulfillmentStatus: 'FULFILLED',
			amazonOrderId: { value: '113-1', type: 'id' },
			subtotalPriceSet: { shopMoney: { amount: '25.0' } },
			totalPriceSet: { shopMoney: { amount: '30.0' } },
			currentTotalPriceSet: { shopMoney: { amount: '25.0' } },
			currentSubtotalPriceSet: { shopMoney: { amount: '20.0' } },
			totalRefundedSet: { shopMoney: { amount: '5.0' } },
			netPaymentSet: { shopMoney: { amount: '25.0' } },
			totalOutstandingSet: { shopMoney: { amount: '0.0' } },
		});
		expect(o.lineItems.nodes[1]).toMatchObject({ sku: 'SOCK', quantity: 1, currentQuantity: 0, refundableQuantity: 0, unfulfilledQuantity: 0 });
		expect(o.fulfillmentOrders.nodes[0]).toMatchObject({ status: 'CLOSED', supportedActions: [] });
		expect(o.fulfillments[0].fulfillmentLineItems.nodes).toEqual([{ id: expect.any(String), quantity: 2, lineItem: { id: o.lineItems.nodes[0].id, sku: 'MUG' } }]);
		expect(o.refunds[0]).toMatchObject({ totalRefundedSet: { shopMoney: { amount: '5.0' } }, refundLineItems: { nodes: [{ quantity: 1, restockType: 'NO_RESTOCK', subtotalSet: { shopMoney: { amount: '5.0' } } }] } });
	});

	it('edits tags, note, custom attributes and metafields, and announces orders/updated', async () => {
		const order = await newOrder(gql);
		const added = await gql('mutation A($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { ... on Order { tags } } userErrors { message } } }', { id: order.id, tags: ['Amazon', 'FBA, Amazon US'] });
		expect(added.body.data.tagsAdd.node.tags).toEqual(['Amazon', 'FBA', 'Amazon US']);
		const removed = await gql('mutation R($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { ... on Order { tags } } userErrors { message } } }', { id: order.id, tags: ['fba'] });
		expect(removed.body.data.tagsRemove.node.tags).toEqual(['Amazon', 'Amazon US']);
		const updated = await gql('mutation U($input: OrderInput!) { orderUpdate(input: $input) { order { note customAttributes { key value } } userErrors { message } } }', { input: { id: order.id, note: 'Staff note: refund synced', customAttributes: [{ key: 'amazon_refund', value: 'done' }] } });
		expect(updated.body.data.orderUpdate.order).toEqual({ note: 'Staff note: refund synced', customAttributes: [{ key: 'amazon_refund', value: 'done' }] });
		const set = await gql('mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key value compareDigest } userErrors { field message code } } }', { m: [{ ownerId: order.id, namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{"refunds":[]}' }] });
		const digest = set.body.data.metafieldsSet.metafields[0].compareDigest;
		const stale = await gql('mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field code } } }', { m: [{ ownerId: order.id, namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{}', compareDigest: 'old' }] });
		expect(stale.body.data.metafieldsSet.userErrors).toEqual([{ field: ['metafields', '0', 'compareDigest'], code: 'STALE_OBJECT' }]);
		const fresh = await gql('mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { code } } }', { m: [{ ownerId: order.id, namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{"refunds":[1]}', compareDigest: digest }] });
		expect(fresh.body.data.metafieldsSet.userErrors).toEqual([]);
		const badJson = await gql('mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { code } } }', { m: [{ ownerId: order.id, namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{oops' }] });
		expect(badJson.body.data.metafieldsSet.userErrors).toEqual([{ code: 'INVALID_VALUE' }]);
		const missing = await gql('mutation A($id: ID!) { tagsAdd(id: $id, tags: ["x"]) { userErrors { field message } } }', { id: 'gid://shopify/Order/1' });
		expect(missing.body.data.tagsAdd.userErrors[0].field).toEqual(['id']);
	});
});

describe('Shopify sandbox: cancellations and merchant actions', () => {
	let sb: Sandbox;
	let gql: Gql;
	beforeEach(async () => {
		sb = await startShopifySandbox({ seed: 21 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterEach(async () => sb.stop());

	it('orderCancel returns a job, refunds through the original payment and restocks', async () => {
		const [v] = sb.control.seedProducts([{ sku: 'MUG', title: 'Mug', price: '10.00', inventory: 5 }]);
		const order = await newOrder(gql, { lineItems: [{ variantId: v.variantId, quantity: 2, priceSet: money('10.00') }], shippingLines: [], transactions: [{ gateway: 'amazon', amountSet: money('20.00') }] }, { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' });
		expect(sb.control.state().products[0].variants[0].inventory).toBe(3);
		const c = await gql('mutation C($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false, staffNote: "Cancelled on Amazon", refundMethod: { originalPaymentMethodsRefund: true }) { job { id done } jobResult { done status } orderCancelUserErrors { field message code } } }', { id: order.id });
		expect(c.body.data.orderCancel).toMatchObject({ job: { done: false }, jobResult: { done: false, status: 'STARTED' }, orderCancelUserErrors: [] });
		const job = await gql('query J($id: ID!) { job(id: $id) { id done } }', { id: c.body.data.orderCancel.job.id });
		expect(job.body.data.job.done).toBe(true);
		const after = (await gql(ORDER, { id: order.id })).body.data.order;
		expect(after).toMatchObject({ cancelReason: 'CUSTOMER', displayFinancialStatus: 'REFUNDED', totalRefundedSet: { shopMoney: { amount: '20.0' } }, currentTotalPriceSet: { shopMoney: { amount: '0.0' } } });
		expect(after.cancelledAt).toEqual(expect.any(String));
		expect(sb.control.state().products[0].variants[0].inventory).toBe(5);
		const again = await gql('mutation C($id: ID!) { orderCancel(orderId: $id, reason: OTHER, restock: false) { orderCancelUserErrors { field code } } }', { id: order.id });
		expect(again.body.data.orderCancel.orderCancelUserErrors).toEqual([{ field: ['orderId'], code: 'INVALID' }]);
		const missing = await gql('mutation C($id: ID!) { orderCancel(orderId: $id, reason: OTHER, restock: false) { orderCancelUserErrors { field code } } }', { id: 'gid://shopify/Order/42' });
		expect(missing.body.data.orderCancel.orderCancelUserErrors).toEqual([{ field: ['orderId'], code: 'NOT_FOUND' }]);
	});

	it('control: fulfil, update tracking, refund and cancel as a merchant would', async () => {
		const order = await newOrder(gql);
		const f = sb.control.fulfillOrder(order.id, { lineItems: [{ sku: 'MUG', quantity: 2 }], tracking: { company: 'UPS', number: '1Z1' } });
		expect(f).toMatchObject({ status: 'SUCCESS', tracking: [{ company: 'UPS', number: '1Z1', url: expect.stringContaining('ups.com') }], lineItems: [{ sku: 'MUG', quantity: 2 }] });
		expect(sb.control.updateTracking(f.id, { company: 'FedEx', numbers: ['F1', 'F2'] }).tracking.map((t: { number: string }) => t.number)).toEqual(['F1', 'F2']);
		const refund = sb.control.refundOrder(order.id, { lineItems: [{ sku: 'MUG', quantity: 1 }], note: 'damaged', restock: true });
		// one mug + its tax, back through the amazon payment
		expect(refund).toMatchObject({ note: 'damaged', totalRefunded: { shop: { amount: '11.00' } }, lineItems: [{ sku: 'MUG', quantity: 1, restockType: 'RETURN', restocked: true }], transactions: [{ gateway: 'amazon', kind: 'REFUND' }] });
		const shipping = sb.control.refundOrder(order.id, { shippingAmount: '3.00' });
		expect(shipping.totalRefunded.shop.amount).toBe('3.00');
		expect(() => sb.control.cancelOrder(order.id, { reason: 'customer' })).toThrow(/fulfilled/);

		const other = await newOrder(gql);
		const cancelled = sb.control.cancelOrder(other.id, { reason: 'customer', refund: true });
		expect(cancelled.order).toMatchObject({ cancelReason: 'CUSTOMER', displayFinancialStatus: 'REFUNDED' });
		expect(cancelled.refund?.totalRefunded.shop.amount).toBe('30.00');
		expect(sb.control.state().customerNotifications).toEqual([]);
	});
});
