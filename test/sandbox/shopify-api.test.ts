import { parse, validate } from 'graphql';
import { startShopifySandbox } from '../../sandbox/shopify';
import { REFERENCE_OPERATIONS } from '../../sandbox/shopify/reference-operations';
import { loadSchema, resolveSpecsDir } from '../../sandbox/shopify/schema';
import { graphqlClient, specsAvailable } from '../../sandbox/shopify/testing';
import { DOCUMENTS } from '../../nodes/shared/transport/shopify/documents';

type Sandbox = Awaited<ReturnType<typeof startShopifySandbox>>;

const HAS_SPECS = specsAvailable();
const itSpecs = HAS_SPECS ? it : it.skip;
const op = (id: string) => {
	const found = REFERENCE_OPERATIONS.find((o) => o.id === id);
	if (!found) throw new Error(`no reference operation ${id}`);
	return found;
};

async function token(sb: Sandbox, body: Record<string, string>, json = false) {
	const res = await fetch(`${sb.url}/admin/oauth/access_token`, {
		method: 'POST',
		headers: { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
		body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Shopify sandbox: auth', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 1 });
	});
	afterAll(async () => sb.stop());

	it('issues client-credentials tokens (form and JSON) that work until they expire in sandbox time', async () => {
		const form = await token(sb, { grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
		expect(form.status).toBe(200);
		expect(form.body).toEqual({ access_token: expect.stringMatching(/^shpat_/), scope: expect.stringContaining('write_orders'), expires_in: 86399 });
		const json = await token(sb, { grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret }, true);
		expect(json.status).toBe(200);

		const gql = graphqlClient(sb, { token: String(form.body.access_token) });
		expect((await gql('{ shop { name } }')).status).toBe(200);

		sb.control.advanceTime(86398 * 1000);
		expect((await gql('{ shop { name } }')).status).toBe(200);
		sb.control.advanceTime(2000);
		const expired = await gql('{ shop { name } }');
		expect(expired.status).toBe(401);
		expect(expired.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });

		// the static shpat_ token of the legacy custom app never expires
		expect((await graphqlClient(sb, { token: sb.credentials.accessToken })('{ shop { name } }')).status).toBe(200);
		expect(sb.control.stats().tokenRequests).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
	});

	it('expireTokens() invalidates issued tokens, not the static one', async () => {
		const t = await token(sb, { grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
		expect(sb.control.expireTokens().expired).toBeGreaterThanOrEqual(1);
		expect((await graphqlClient(sb, { token: String(t.body.access_token) })('{ shop { name } }')).status).toBe(401);
		expect((await graphqlClient(sb, { token: sb.credentials.accessToken })('{ shop { name } }')).status).toBe(200);
	});

	it('rejects missing, wrong and unknown tokens with 401 in Shopify\'s shape', async () => {
		for (const t of ['', 'shpat_nope']) {
			const r = await graphqlClient(sb, { token: t })('{ shop { name } }');
			expect(r.status).toBe(401);
			expect(r.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
		}
	});

	it('rejects bad client credentials and grants like an OAuth server', async () => {
		const bad = await token(sb, { grant_type: 'client_credentials', client_id: sb.credentials.clientId, client_secret: 'shpss_wrong' });
		expect(bad.status).toBe(401);
		expect(bad.body.error).toBe('invalid_client');
		const grant = await token(sb, { grant_type: 'refresh_token', client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
		expect(grant.status).toBe(400);
		expect(grant.body.error).toBe('unsupported_grant_type');
		const missing = await token(sb, { grant_type: 'client_credentials' });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toBe('invalid_request');
		expect(sb.control.stats().tokenRequests.byError).toMatchObject({ invalid_client: 1, unsupported_grant_type: 1, invalid_request: 1 });
	});

	it('answers 404 for an API version it does not serve', async () => {
		const r = await graphqlClient(sb, { token: sb.credentials.accessToken, version: '2023-01' })('{ shop { name } }');
		expect(r.status).toBe(404);
	});
});

describe('Shopify sandbox: strict GraphQL', () => {
	let sb: Sandbox;
	let gql: ReturnType<typeof graphqlClient>;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 2 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
	});
	afterAll(async () => sb.stop());

	it('reports which spec it validates against', () => {
		expect(sb.control.state().specValidation).toBe(HAS_SPECS ? 'sdl' : expect.stringMatching(/^subset: /));
	});

	it('rejects an unknown field the way Shopify does', async () => {
		const r = await gql('query Q { shop { name nope } }');
		expect(r.status).toBe(200);
		expect(r.body.data).toBeUndefined();
		expect(r.body.errors).toEqual([
			{
				message: "Field 'nope' doesn't exist on type 'Shop'",
				locations: [{ line: 1, column: 23 }],
				path: ['query Q', 'shop', 'nope'],
				extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'nope' },
			},
		]);
		expect(r.body.extensions.cost.throttleStatus).toEqual(expect.objectContaining({ maximumAvailable: 2000 }));
		// the request log says what Shopify would reject (the contract ledger reads it)
		await gql('query Ok { shop { name } }');
		const log = sb.control.recordedRequests();
		expect(log.find((x: { operation: string }) => x.operation === 'Q')).toMatchObject({ operationName: null, validationErrors: ["Field 'nope' doesn't exist on type 'Shop'"] });
		expect(log.find((x: { operation: string }) => x.operation === 'Ok')).toMatchObject({ validationErrors: [], status: 200 });
	});

	it('rejects a wrong argument, a missing required argument and a wrong variable type', async () => {
		const wrongArg = await gql('{ orders(first: 1, sortBy: ID) { nodes { id } } }');
		expect(wrongArg.body.errors[0]).toMatchObject({ message: "Field 'orders' doesn't accept argument 'sortBy'", extensions: { code: 'argumentNotAccepted' } });
		const missing = await gql('{ order { id } }');
		expect(missing.body.errors[0]).toMatchObject({ message: "Field 'order' is missing required arguments: id", extensions: { code: 'missingRequiredArguments' } });
		const mismatch = await gql('query Q($id: String!) { order(id: $id) { id } }', { id: 'gid://shopify/Order/1' });
		expect(mismatch.body.errors[0]).toMatchObject({ message: 'Type mismatch on variable $id and argument id (String! / ID!)', extensions: { code: 'variableMismatch' } });
		const badValue = await gql('query Q($n: Int) { orders(first: $n) { nodes { id } } }', { n: 'ten' });
		expect(badValue.body.errors[0]).toMatchObject({ message: 'Variable $n of type Int was provided invalid value', extensions: { code: 'INVALID_VARIABLE', value: 'ten' } });
		const badInput = await gql('mutation M($o: OrderCreateOrderInput!) { orderCreate(order: $o) { userErrors { message } } }', { o: { lineItems: [{ quantity: 1, title: 'x', colour: 'red' }] } });
		expect(badInput.body.errors[0].extensions.code).toBe('INVALID_VARIABLE');
		const badDate = await gql('mutation M($o: OrderCreateOrderInput!) { orderCreate(order: $o) { userErrors { message } } }', { o: { processedAt: 'yesterday' } });
		expect(badDate.body.errors[0].extensions.problems[0].explanation).toContain('DateTime');
		const parseError = await gql('{ shop { name }');
		expect(parseError.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Parse error on /), extensions: { code: 'parseError' } });
	});

	it('enforces @oneOf inputs and connection page sizes', async () => {
		const both = await gql('{ orderByIdentifier(identifier: { id: "gid://shopify/Order/1", customId: { key: "k", value: "v" } }) { id } }');
		expect(both.body.errors[0].message).toMatch(/exactly one key/);
		const noFirst = await gql('{ orders { nodes { id } } }');
		expect(noFirst.body.errors[0]).toMatchObject({ message: 'you must provide one of first or last', path: ['query', 'orders'] });
	});

	it('names a valid field the sandbox does not implement instead of returning a silent null', async () => {
		const r = await gql('{ shop { name resourceLimits { maxProductVariants } } }');
		expect(r.status).toBe(200);
		expect(r.body.errors).toEqual([
			expect.objectContaining({ message: 'Shop.resourceLimits is not implemented by the Shopify sandbox', path: ['shop', 'resourceLimits'], extensions: { code: 'SANDBOX_NOT_IMPLEMENTED', typeName: 'Shop', fieldName: 'resourceLimits' } }),
		]);
	});

	it('rejects a malformed global id like Shopify', async () => {
		const r = await gql('{ order(id: "123") { id } }');
		expect(r.body.errors[0]).toMatchObject({ message: "Invalid global id '123'", extensions: { code: 'argumentLiteralsIncompatible' } });
	});

	it('denies fields the access scopes do not cover', async () => {
		const narrow = await startShopifySandbox({ seed: 3, scopes: ['read_products'] });
		try {
			const r = await graphqlClient(narrow, { token: narrow.credentials.accessToken })('{ orders(first: 1) { nodes { id } } }');
			expect(r.body.errors[0]).toMatchObject({ extensions: { code: 'ACCESS_DENIED' } });
			expect(r.body.errors[0].message).toContain('read_orders');
		} finally {
			await narrow.stop();
		}
	});

	it('serves 2026-07 as well, on its own schema', async () => {
		const r = await graphqlClient(sb, { token: sb.credentials.accessToken, version: '2026-07' })('{ shop { currencyCode } }');
		expect(r.status).toBe(200);
		expect(r.body.data.shop.currencyCode).toBe('USD');
		expect(r.headers.get('x-shopify-api-version')).toBe('2026-07');
	});
});

describe('Shopify sandbox: the research-note operations (shopify.md §11)', () => {
	let sb: Sandbox;
	let gql: ReturnType<typeof graphqlClient>;
	beforeAll(async () => {
		sb = await startShopifySandbox({ seed: 4 });
		gql = graphqlClient(sb, { token: sb.credentials.accessToken });
		sb.control.seedProducts([{ sku: 'SKU-1', title: 'Mug', price: '19.99', inventory: 5 }]);
	});
	afterAll(async () => sb.stop());

	itSpecs('all validate against the real 2026-10 and 2026-07 schemas', () => {
		const dir = resolveSpecsDir();
		for (const version of ['2026-10', '2026-07']) {
			const { schema, source } = loadSchema(dir, version);
			expect(source).toBe('sdl');
			for (const o of REFERENCE_OPERATIONS) expect({ id: o.id, errors: validate(schema, parse(o.query)).map((e) => e.message) }).toEqual({ id: o.id, errors: [] });
		}
	});

	it('resolve with state, in the order a sync would send them', async () => {
		const shop = await gql(op('op16').query);
		expect(shop.body.data.shop).toMatchObject({ myshopifyDomain: 'sandbox-shop.myshopify.com', currencyCode: 'USD', plan: { partnerDevelopment: false, shopifyPlus: false } });
		expect(shop.body.data.currentAppInstallation.accessScopes).toContainEqual({ handle: 'write_orders' });

		const variants = await gql(op('op01').query, op('op01').variables);
		const variant = variants.body.data.productVariants.nodes[0];
		expect(variant).toMatchObject({ sku: 'SKU-1', price: '19.99', inventoryItem: { tracked: true }, product: { title: 'Mug', status: 'ACTIVE' } });

		const def = await gql(op('op17').query);
		expect(def.body.data.metafieldDefinitionCreate).toMatchObject({ createdDefinition: { namespace: 'amazon', key: 'order_id', type: { name: 'id' }, capabilities: { uniqueValues: { enabled: true, eligible: true } } }, userErrors: [] });
		const again = await gql(op('op17').query);
		expect(again.body.data.metafieldDefinitionCreate.userErrors).toEqual([{ field: ['definition', 'key'], message: "Key is in use for Order metafields on the 'amazon' namespace.", code: 'TAKEN' }]);

		expect((await gql(op('op03').query, op('op03').variables)).body.data.orderByIdentifier).toBeNull();

		const vars = JSON.parse(JSON.stringify(op('op04').variables)) as { order: { lineItems: { variantId?: string }[] } };
		vars.order.lineItems[0].variantId = variant.id;
		const created = await gql(op('op04').query, vars);
		expect(created.body.data.orderCreate.userErrors).toEqual([]);
		const order = created.body.data.orderCreate.order;
		expect(order).toMatchObject({ name: 'AMZ-113-1234567-1234567', sourceName: 'amazon', sourceIdentifier: '113-1234567-1234567', tags: ['amazon', 'amazon-mfn'], displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED' });
		// 2 x 19.99 + 2.80 tax + 5.00 + 4.99 shipping
		expect(order.totalPriceSet.shopMoney).toEqual({ amount: '52.77', currencyCode: 'USD' });

		expect((await gql(op('op03').query, op('op03').variables)).body.data.orderByIdentifier).toMatchObject({ id: order.id });
		const bySource = await gql(op('op02').query, op('op02').variables);
		expect(bySource.body.data.orders.nodes.map((n: { id: string }) => n.id)).toEqual([order.id]);

		const mapping = await gql(op('op18').query, { id: order.id });
		expect(mapping.body.data.order.amazonOrderId).toEqual({ value: '113-1234567-1234567' });
		expect(mapping.body.data.order.lineItems.nodes[1].customAttributes).toEqual([{ key: 'ASIN', value: 'B000000000' }]);

		// op 09 and op 12 as written ask for 20 x 50 nested items: over Shopify's 1000-point cap
		const fo = await gql(op('op09').query, { id: order.id });
		expect(fo.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', cost: 2123, maxCost: 1000 });
		const smallerFo = op('op09').query.replace('fulfillmentOrders(first: 20)', 'fulfillmentOrders(first: 5)');
		const fos = (await gql(smallerFo, { id: order.id })).body.data.order.fulfillmentOrders.nodes;
		expect(fos).toHaveLength(1);
		expect(fos[0]).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED', assignedLocation: { location: { name: 'Shop location' } } });
		expect(fos[0].supportedActions).toContainEqual({ action: 'CREATE_FULFILLMENT' });

		const fulfil = await gql(op('op10').query, {
			fulfillment: {
				notifyCustomer: false,
				trackingInfo: { company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
				lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fos[0].id, fulfillmentOrderLineItems: [{ id: fos[0].lineItems.nodes[0].id, quantity: 1 }] }],
			},
		});
		expect(fulfil.body.data.fulfillmentCreate.userErrors).toEqual([]);
		expect(fulfil.body.data.fulfillmentCreate.fulfillment).toMatchObject({ status: 'SUCCESS', trackingInfo: [{ company: 'UPS', number: '1Z999AA10123456784' }] });

		const read = await gql(op('op12').query.replace('fulfillments(first: 20)', 'fulfillments(first: 5)'), { id: order.id });
		expect(read.body.data.order.displayFulfillmentStatus).toBe('PARTIALLY_FULFILLED');
		expect(read.body.data.order.fulfillments[0]).toMatchObject({ name: 'AMZ-113-1234567-1234567.1', displayStatus: 'FULFILLED', location: { name: 'Shop location' }, fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { sku: 'SKU-1' } }] } });
		expect((await gql(op('op12').query, { id: order.id })).body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');

		const lines = mapping.body.data.order.lineItems.nodes;
		const suggested = await gql(op('op06').query, { id: order.id, refundLineItems: [{ lineItemId: lines[0].id, quantity: 1, restockType: 'RETURN' }], refundShipping: false });
		const s = suggested.body.data.order.suggestedRefund;
		// one mug: 19.99 + half of the 2.80 line tax
		expect(s.amountSet.shopMoney).toEqual({ amount: '21.39', currencyCode: 'USD' });
		expect(s.subtotalSet.shopMoney.amount).toBe('19.99');
		expect(s.totalTaxSet.shopMoney.amount).toBe('1.4');
		expect(s.suggestedTransactions[0]).toMatchObject({ gateway: 'amazon', kind: 'SUGGESTED_REFUND', parentTransaction: { id: expect.stringMatching(/OrderTransaction/) } });

		const refundVars = JSON.parse(JSON.stringify(op('op07').variables).split('gid://shopify/Order/1').join(order.id).split('gid://shopify/LineItem/1').join(lines[0].id).split('gid://shopify/OrderTransaction/1').join(s.suggestedTransactions[0].parentTransaction.id));
		const refund = await gql(op('op07').query, refundVars);
		expect(refund.body.data.refundCreate.userErrors).toEqual([]);
		expect(refund.body.data.refundCreate.refund).toMatchObject({ note: 'Amazon refund', totalRefundedSet: { shopMoney: { amount: '24.98', currencyCode: 'USD' } }, refundLineItems: { nodes: [{ quantity: 1, restockType: 'NO_RESTOCK' }] } });

		const subs = await gql(op('op13').query, op('op13').variables);
		const sub = subs.body.data.webhookSubscriptionCreate.webhookSubscription;
		expect(sub).toMatchObject({ topic: 'FULFILLMENTS_CREATE', uri: 'https://n8n.example.com/webhook/abc/webhook', format: 'JSON', filter: null, includeFields: [], apiVersion: { handle: '2026-10' } });
		const list = await gql(op('op15a').query, { topics: ['FULFILLMENTS_CREATE'], uri: 'https://n8n.example.com/webhook/abc/webhook' });
		expect(list.body.data.webhookSubscriptions.nodes.map((n: { id: string }) => n.id)).toEqual([sub.id]);
		const del = await gql(op('op15b').query, { id: sub.id });
		expect(del.body.data.webhookSubscriptionDelete).toEqual({ deletedWebhookSubscriptionId: sub.id, userErrors: [] });

		// a second order to cancel (the first has a fulfillment, which Shopify won't cancel)
		const vars2 = JSON.parse(JSON.stringify(vars).split('113-1234567-1234567').join('113-7654321-7654321'));
		const second = (await gql(op('op04').query, vars2)).body.data.orderCreate.order;
		const cancel = await gql(op('op08').query, { ...op('op08').variables, orderId: second.id });
		expect(cancel.body.data.orderCancel).toEqual({ job: { id: expect.stringMatching(/^gid:\/\/shopify\/Job\//), done: false }, orderCancelUserErrors: [] });
		const refused = await gql(op('op08').query, { ...op('op08').variables, orderId: order.id });
		expect(refused.body.data.orderCancel.orderCancelUserErrors[0]).toMatchObject({ field: ['orderId'], code: 'INVALID' });

		expect(sb.control.state().customerNotifications).toEqual([]);
	});
});

describe('Shopify sandbox: the node pack documents', () => {
	it('every document in nodes/shared/transport/shopify/documents.ts validates against the sandbox schema and the fallback subset', () => {
		const sdl = loadSchema(resolveSpecsDir(), '2026-10').schema;
		const subset = loadSchema('/nonexistent-specs-dir', '2026-10');
		expect(subset.source).toBe('subset');
		for (const [name, text] of Object.entries(DOCUMENTS)) {
			const doc = parse(text);
			expect({ name, errors: validate(sdl, doc).map((e) => e.message) }).toEqual({ name, errors: [] });
			const subsetErrors = validate(subset.schema, doc).map((e) => `${e.message} (regenerate the subset: node sandbox/shopify/tools/make-subset.js)`);
			expect({ name, subsetErrors }).toEqual({ name, subsetErrors: [] });
		}
		for (const o of REFERENCE_OPERATIONS) expect({ id: o.id, subsetErrors: validate(subset.schema, parse(o.query)).map((e) => e.message) }).toEqual({ id: o.id, subsetErrors: [] });
	});

	it('every node-pack query resolves against a populated sandbox without unimplemented fields', async () => {
		const sb = await startShopifySandbox({ seed: 6 });
		try {
			const gql = graphqlClient(sb, { token: sb.credentials.accessToken });
			const [v] = sb.control.seedProducts([{ sku: 'SKU-1', title: 'Mug', price: '10.00', inventory: 5 }]);
			await gql(op('op17').query);
			const created = await gql('mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } userErrors { message } } }', {
				o: {
					sourceIdentifier: '113-1',
					tags: ['Amazon'],
					metafields: [
						{ namespace: 'amazon', key: 'order_id', type: 'id', value: '113-1' },
						{ namespace: 'amazon', key: 'refund_ledger', type: 'json', value: '{}' },
					],
					lineItems: [{ variantId: v.variantId, quantity: 2, priceSet: { shopMoney: { amount: '10.00', currencyCode: 'USD' } }, properties: [{ name: '_amazon_order_item_id', value: '1' }] }],
					transactions: [{ gateway: 'amazon', amountSet: { shopMoney: { amount: '20.00', currencyCode: 'USD' } } }],
				},
			});
			const orderId = created.body.data.orderCreate.order.id;
			const fulfillment = sb.control.fulfillOrder(orderId, { lineItems: [{ sku: 'SKU-1', quantity: 1 }], tracking: { company: 'UPS', number: '1Z' } });
			const refund = sb.control.refundOrder(orderId, { lineItems: [{ sku: 'SKU-1', quantity: 1 }] });
			const variables = { id: orderId, orderId, ids: [orderId], fulfillmentId: fulfillment.id, refundId: refund.id, query: 'tag:Amazon', first: 10, after: null, value: '113-1', topics: ['ORDERS_CREATE'], uri: 'https://n8n.example/webhook' };
			for (const [name, text] of Object.entries(DOCUMENTS)) {
				if (!/^\s*query\b/.test(text)) continue;
				const r = await gql(text, variables);
				const problems = (r.body.errors ?? []).map((e: { message: string }) => e.message);
				expect({ name, status: r.status, problems }).toEqual({ name, status: 200, problems: [] });
			}
		} finally {
			await sb.stop();
		}
	});

	it('falls back to the subset schema when the SDL is absent, and says so', async () => {
		const sb = await startShopifySandbox({ seed: 5, specsDir: '/nonexistent-specs-dir' });
		try {
			expect(sb.control.state().specValidation).toMatch(/^subset: admin-2026-10\.graphql not found in /);
			const gql = graphqlClient(sb, { token: sb.credentials.accessToken });
			expect((await gql(op('op16').query)).body.data.shop.currencyCode).toBe('USD');
			expect((await gql('{ shop { nope } }')).body.errors[0].extensions.code).toBe('undefinedField');
			const noIdem = await gql('mutation R($input: RefundInput!) { refundCreate(input: $input) { userErrors { message } } }', { input: { orderId: 'gid://shopify/Order/1' } });
			expect(noIdem.body.errors[0].message).toContain('The @idempotent directive is required for this mutation');
		} finally {
			await sb.stop();
		}
	});
});
