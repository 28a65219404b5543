import { startAmazonSandbox } from '../../sandbox/amazon';
import { createTestClient } from '../../sandbox/amazon/testClient';
import { parseXml } from '../../sandbox/lib/xml';

type Sandbox = Awaited<ReturnType<typeof startAmazonSandbox>>;
type XmlEl = ReturnType<typeof parseXml>;

const US = 'ATVPDKIKX0DER';
const HOUR = 3600 * 1000;
const FAST = { rate: 1000, burst: 1000 };

const text = (el: XmlEl | undefined, name: string) => el?.children.find((c) => c.name === name)?.text.trim();

interface Report {
	summary: Record<string, number>;
	results: { messageId: string; code: string; resultMessageCode: string; description: string; amazonOrderId?: string }[];
}

function readReport(xml: string): Report {
	const root = parseXml(xml);
	const report = root.children.find((c) => c.name === 'Message')?.children.find((c) => c.name === 'ProcessingReport') as XmlEl;
	const summaryEl = report.children.find((c) => c.name === 'ProcessingSummary') as XmlEl;
	return {
		summary: Object.fromEntries(summaryEl.children.map((c) => [c.name, Number(c.text)])),
		results: report.children
			.filter((c) => c.name === 'Result')
			.map((r) => ({
				messageId: text(r, 'MessageID') as string,
				code: text(r, 'ResultCode') as string,
				resultMessageCode: text(r, 'ResultMessageCode') as string,
				description: text(r, 'ResultDescription') as string,
				amazonOrderId: text(r.children.find((c) => c.name === 'AdditionalInfo'), 'AmazonOrderID'),
			})),
	};
}

describe('Amazon sandbox: Feeds (refunds, cancellations, fulfillment)', () => {
	let sb: Sandbox;
	let client: ReturnType<typeof createTestClient>;

	beforeAll(async () => {
		sb = await startAmazonSandbox({
			seed: 4,
			feedProcessingMs: 60 * 1000,
			refundEventDelayMs: HOUR,
			rateLimits: { createFeed: FAST, getFeedDocument: FAST, createFeedDocument: FAST, listTransactions: FAST, listFinancialEventsByOrderId: FAST },
		});
		client = createTestClient(sb);
	});
	afterAll(async () => sb.stop());
	beforeEach(async () => {
		sb.control.reset();
		await client.newToken();
	});

	const envelope = (messageType: string, messages: string[], merchant = sb.credentials.sellerId) =>
		`<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${merchant}</MerchantIdentifier></Header>
  <MessageType>${messageType}</MessageType>
  ${messages.map((m, i) => (m.startsWith('<MessageID>') ? `<Message>${m}</Message>` : `<Message><MessageID>${i + 1}</MessageID>${m}</Message>`)).join('\n  ')}
</AmazonEnvelope>`;
	const adjustment = (orderId: string, itemId: string, components: [string, string, string?][], extra = '') =>
		`<OrderAdjustment><AmazonOrderID>${orderId}</AmazonOrderID><AdjustedItem><AmazonOrderItemCode>${itemId}</AmazonOrderItemCode><AdjustmentReason>CustomerReturn</AdjustmentReason><ItemPriceAdjustments>${components
			.map(([type, amount, currency]) => `<Component><Type>${type}</Type><Amount currency="${currency ?? 'USD'}">${amount}</Amount></Component>`)
			.join('')}</ItemPriceAdjustments>${extra}</AdjustedItem></OrderAdjustment>`;

	/** Submit, let the feed finish (sandbox time), and read the report. */
	async function run(feedType: string, xml: string, marketplaceIds = [US]) {
		const { feedId } = await client.submitFeed({ feedType, marketplaceIds, content: xml });
		sb.control.advanceTime(60 * 1000);
		const feed = await client.get(`/feeds/2021-06-30/feeds/${feedId}`);
		expect(feed.status).toBe(200);
		const doc = await client.get(`/feeds/2021-06-30/documents/${feed.body.resultFeedDocumentId}`);
		expect(doc.body.compressionAlgorithm).toBe('GZIP');
		const download = await client.download(doc.body.url, doc.body.compressionAlgorithm);
		expect(download.gzipped).toBe(true);
		return { feedId, status: feed.body.processingStatus as string, report: readReport(download.text) };
	}

	const seedShipped = () =>
		sb.control.seedOrders([{ marketplace: 'US', status: 'SHIPPED', items: [{ sku: 'MUG-CAFE-CREME-4', quantity: 2, unitPrice: '20.00', shipping: '5.00', taxRate: 0.1 }] }])[0];
	const seedUnshipped = () => sb.control.seedOrders([{ marketplace: 'US', status: 'UNSHIPPED', items: [{ sku: 'BAG-TOTE-CANVAS', quantity: 2, unitPrice: '10.00' }] }])[0];
	const firstItem = (orderId: string) => sb.control.getOrder(orderId).orderItems[0].orderItemId as string;

	it('processes a valid refund: IN_QUEUE -> IN_PROGRESS -> DONE, gzip report, refund events after the delay', async () => {
		const id = seedShipped();
		const item = firstItem(id);
		const xml = envelope('OrderAdjustment', [adjustment(id, item, [['Principal', '20.00'], ['Tax', '2.00']])]);
		const { feedId } = await client.submitFeed({ feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], content: xml });
		expect((await client.get(`/feeds/2021-06-30/feeds/${feedId}`)).body).toMatchObject({ feedId, feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], processingStatus: 'IN_QUEUE' });
		sb.control.advanceTime(30 * 1000);
		expect((await client.get(`/feeds/2021-06-30/feeds/${feedId}`)).body).toMatchObject({ processingStatus: 'IN_PROGRESS', processingStartTime: expect.any(String) });
		sb.control.advanceTime(30 * 1000);
		const done = (await client.get(`/feeds/2021-06-30/feeds/${feedId}`)).body;
		expect(done).toMatchObject({ processingStatus: 'DONE', processingEndTime: expect.any(String), resultFeedDocumentId: expect.any(String) });

		const doc = await client.get(`/feeds/2021-06-30/documents/${done.resultFeedDocumentId}`);
		expect(doc.body).toEqual({ feedDocumentId: done.resultFeedDocumentId, url: expect.any(String), compressionAlgorithm: 'GZIP' });
		const gz = await client.download(doc.body.url, 'GZIP');
		expect(gz.gzipped).toBe(true);
		expect(gz.headers.get('content-encoding')).toBeNull();
		const report = readReport(gz.text);
		expect(report.summary).toEqual({ MessagesProcessed: 1, MessagesSuccessful: 1, MessagesWithError: 0, MessagesWithWarning: 0 });
		expect(report.results).toEqual([]);
		// with enableContentEncodingUrlHeader the URL serves Content-Encoding: gzip (fetch inflates it)
		const enc = await client.get(`/feeds/2021-06-30/documents/${done.resultFeedDocumentId}`, { enableContentEncodingUrlHeader: true });
		expect(await (await fetch(enc.body.url)).text()).toContain('<ProcessingReport>');

		// the refund is recorded at once but shows up in Finances only after refundEventDelayMs
		expect(sb.control.state().orders[0].items[0].refunded).toEqual({ Principal: '20.00', Tax: '2.00', NetCredit: '22.00' });
		const early = await client.get(`/finances/v0/orders/${id}/financialEvents`);
		expect(early.body.payload.FinancialEvents.RefundEventList).toEqual([]);
		expect(early.body.payload.FinancialEvents.ShipmentEventList).toHaveLength(1);
		sb.control.advanceTime(HOUR);
		await client.newToken();
		const later = await client.get(`/finances/v0/orders/${id}/financialEvents`);
		const refunds = later.body.payload.FinancialEvents.RefundEventList;
		expect(refunds).toHaveLength(1);
		expect(refunds[0]).toMatchObject({ AmazonOrderId: id, MarketplaceName: 'Amazon.com' });
		expect(refunds[0].ShipmentItemAdjustmentList[0]).toMatchObject({
			OrderItemId: item,
			SellerSKU: 'MUG-CAFE-CREME-4',
			OrderAdjustmentItemId: expect.stringMatching(/^\d+$/),
			ItemChargeAdjustmentList: [
				{ ChargeType: 'Principal', ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: -20 } },
				{ ChargeType: 'Tax', ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: -2 } },
			],
		});
		const tx = await client.get('/finances/2024-06-19/transactions', { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: id });
		expect(tx.status).toBe(200);
		const refundTx = tx.body.payload.transactions.find((t: { description: string }) => t.description === 'Refund Order');
		expect(refundTx).toMatchObject({ transactionType: 'Refund', totalAmount: { currencyCode: 'USD' } });
		expect(refundTx.relatedIdentifiers).toEqual(expect.arrayContaining([{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: id }, expect.objectContaining({ relatedIdentifierName: 'REFUND_ID' })]));
		expect(refundTx.totalAmount.currencyAmount).toBeLessThan(0);
		expect(tx.body.payload.transactions.map((t: { description: string }) => t.description)).toContain('Order Payment');
	});

	it('reports each invalid message with its own Result and applies the valid ones', async () => {
		const id = seedShipped();
		const item = firstItem(id);
		const xml = envelope('OrderAdjustment', [
			adjustment(id, item, [['Principal', '5.00']]),
			adjustment(id, item, [['Principal', '5.00', 'EUR']]),
			adjustment(id, '12345678901234', [['Principal', '5.00']]),
			`<OrderAdjustment><AmazonOrderID>${id}</AmazonOrderID><AdjustedItem><AdjustmentReason>CustomerReturn</AdjustmentReason><AmazonOrderItemCode>${item}</AmazonOrderItemCode></AdjustedItem></OrderAdjustment>`,
			adjustment(id, item, [['Refund', '5.00']]),
			adjustment(id, item, [['Principal', '36.00']]),
			adjustment('111-9999999-9999999', item, [['Principal', '1.00']]),
			adjustment(id, item, [['Shipping', '1.005']]),
			'<MessageID>1</MessageID>' + adjustment(id, item, [['Principal', '1.00']]),
		]);
		const { status, report } = await run('POST_PAYMENT_ADJUSTMENT_DATA', xml);
		expect(status).toBe('DONE');
		expect(report.summary).toEqual({ MessagesProcessed: 9, MessagesSuccessful: 1, MessagesWithError: 8, MessagesWithWarning: 0 });
		const byId = Object.fromEntries(report.results.map((r) => [r.messageId + (r.resultMessageCode === '8002' ? 'dup' : ''), r]));
		expect(byId['2']).toMatchObject({ code: 'Error', resultMessageCode: '18003', amazonOrderId: id, description: expect.stringContaining('currency EUR does not match the order currency USD') });
		expect(byId['3']).toMatchObject({ resultMessageCode: '18002', description: expect.stringContaining('12345678901234') });
		expect(byId['4']).toMatchObject({ resultMessageCode: '8001', description: expect.stringContaining('AmazonOrderItemCode') });
		expect(byId['5']).toMatchObject({ resultMessageCode: '8001', description: expect.stringContaining('"Refund" is not one of Principal') });
		expect(byId['6']).toMatchObject({ resultMessageCode: '18004', description: expect.stringContaining('5.00 already refunded') });
		expect(byId['7']).toMatchObject({ resultMessageCode: '18001', amazonOrderId: '111-9999999-9999999' });
		expect(byId['8']).toMatchObject({ resultMessageCode: '18008', description: expect.stringContaining('decimal place') });
		expect(byId['1dup']).toMatchObject({ resultMessageCode: '8002' });
		expect(sb.control.state().orders[0].items[0].refunded.Principal).toBe('5.00');
	});

	it('cancels an unshipped order with an OrderAcknowledgement Failure', async () => {
		const id = seedUnshipped();
		const item = firstItem(id);
		const before = sb.control.getOrder(id).lastUpdatedTime;
		const xml = envelope('OrderAcknowledgement', [
			`<OrderAcknowledgement><AmazonOrderID>${id}</AmazonOrderID><MerchantOrderID>SHOPIFY-1001</MerchantOrderID><StatusCode>Failure</StatusCode><Item><AmazonOrderItemCode>${item}</AmazonOrderItemCode><CancelReason>BuyerCanceled</CancelReason></Item></OrderAcknowledgement>`,
		]);
		const { report } = await run('POST_ORDER_ACKNOWLEDGEMENT_DATA', xml);
		expect(report.summary.MessagesSuccessful).toBe(1);
		const order = sb.control.getOrder(id);
		expect(order.fulfillment.fulfillmentStatus).toBe('CANCELLED');
		expect(order.orderItems[0].cancellation.cancellationExecution).toEqual({ cancelledBy: 'MERCHANT', cancelReason: 'BuyerCanceled' });
		expect(order.orderItems[0].fulfillment).toEqual({ quantityFulfilled: 0, quantityUnfulfilled: 0 });
		expect(order.orderAliases).toEqual([{ aliasId: 'SHOPIFY-1001', aliasType: 'SELLER_ORDER_ID' }]);
		expect(Date.parse(order.lastUpdatedTime)).toBeGreaterThan(Date.parse(before));
		// a second cancellation is an error the node must treat as "already done"
		const again = await run('POST_ORDER_ACKNOWLEDGEMENT_DATA', xml);
		expect(again.report.results[0]).toMatchObject({ resultMessageCode: '18006', description: expect.stringContaining('already canceled') });
	});

	it('refuses to cancel after shipment and to refund before shipment', async () => {
		const shipped = seedShipped();
		const unshipped = seedUnshipped();
		const cancel = await run(
			'POST_ORDER_ACKNOWLEDGEMENT_DATA',
			envelope('OrderAcknowledgement', [`<OrderAcknowledgement><AmazonOrderID>${shipped}</AmazonOrderID><StatusCode>Failure</StatusCode></OrderAcknowledgement>`]),
		);
		expect(cancel.report.results).toEqual([expect.objectContaining({ messageId: '1', resultMessageCode: '18006', amazonOrderId: shipped, description: expect.stringContaining('cannot be canceled') })]);
		expect(sb.control.getOrder(shipped).fulfillment.fulfillmentStatus).toBe('SHIPPED');

		const refund = await run('POST_PAYMENT_ADJUSTMENT_DATA', envelope('OrderAdjustment', [adjustment(unshipped, firstItem(unshipped), [['Principal', '10.00']])]));
		expect(refund.report.results).toEqual([expect.objectContaining({ resultMessageCode: '18005', description: expect.stringContaining('has not shipped') })]);
	});

	it('cancels unshipped units with QuantityCancelled and ships with an OrderFulfillment feed', async () => {
		const id = seedUnshipped();
		const item = firstItem(id);
		const cancel = await run(
			'POST_PAYMENT_ADJUSTMENT_DATA',
			envelope('OrderAdjustment', [`<OrderAdjustment><AmazonOrderID>${id}</AmazonOrderID><ActionType>Cancel</ActionType><AdjustedItem><AmazonOrderItemCode>${item}</AmazonOrderItemCode><AdjustmentReason>NoInventory</AdjustmentReason><QuantityCancelled>1</QuantityCancelled></AdjustedItem></OrderAdjustment>`]),
		);
		expect(cancel.report.summary.MessagesSuccessful).toBe(1);
		expect(sb.control.getOrder(id).orderItems[0].fulfillment).toEqual({ quantityFulfilled: 0, quantityUnfulfilled: 1 });
		const ship = await run(
			'POST_ORDER_FULFILLMENT_DATA',
			envelope('OrderFulfillment', [
				`<OrderFulfillment><AmazonOrderID>${id}</AmazonOrderID><FulfillmentDate>${new Date(Date.now() - 60000).toISOString()}</FulfillmentDate><FulfillmentData><CarrierCode>USPS</CarrierCode><ShipperTrackingNumber>9400100000000000000000</ShipperTrackingNumber></FulfillmentData></OrderFulfillment>`,
			]),
		);
		expect(ship.report.summary.MessagesSuccessful).toBe(1);
		const order = sb.control.getOrder(id);
		expect(order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
		expect(order.packages[0]).toMatchObject({ carrier: 'USPS', packageItems: [{ orderItemId: item, quantity: 1 }] });
	});

	it('fails documents that cannot be processed with FATAL and a report', async () => {
		const id = seedShipped();
		const cases: [string, string, string][] = [
			['<AmazonEnvelope><Header>', '5000', 'ill-formed'],
			['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><AmazonEnvelope/>', '5000', 'DOCTYPE'],
			[envelope('OrderAdjustment', [adjustment(id, firstItem(id), [['Principal', '1.00']])], 'A_SOMEONE_ELSE'), '5003', 'MerchantIdentifier'],
			[envelope('OrderAcknowledgement', ['<OrderAcknowledgement/>']), '5002', 'does not match feed type'],
			[envelope('OrderAdjustment', []), '5001', 'missing <Message>'],
			['<AmazonEnvelope><MessageType>OrderAdjustment</MessageType></AmazonEnvelope>', '5001', 'Header'],
		];
		for (const [xml, code, words] of cases) {
			const { status, report } = await run('POST_PAYMENT_ADJUSTMENT_DATA', xml);
			expect(status).toBe('FATAL');
			expect(report.results[0]).toMatchObject({ code: 'Error', resultMessageCode: code, description: expect.stringContaining(words) });
		}
		expect(sb.control.state().orders[0].items[0].refunded).toEqual({});
	});

	it('enforces the pre-signed upload URL: Content-Type, signature, 5-minute expiry', async () => {
		const doc = await client.post('/feeds/2021-06-30/documents', { contentType: 'text/xml; charset=UTF-8' });
		expect(doc.status).toBe(201);
		expect(doc.body).toEqual({ feedDocumentId: expect.any(String), url: expect.stringContaining('/_uploads/') });
		const wrongType = await fetch(doc.body.url, { method: 'PUT', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
		expect(wrongType.status).toBe(403);
		expect(await wrongType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
		const tampered = await fetch(doc.body.url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'), { method: 'PUT', headers: { 'content-type': 'text/xml; charset=UTF-8' }, body: '<x/>' });
		expect(tampered.status).toBe(403);
		sb.control.advanceTime(5 * 60 * 1000);
		const expired = await fetch(doc.body.url, { method: 'PUT', headers: { 'content-type': 'text/xml; charset=UTF-8' }, body: '<x/>' });
		expect(expired.status).toBe(403);
		expect(await expired.text()).toContain('Request has expired');

		// never uploaded -> the feed goes FATAL
		const { status, report } = await (async () => {
			const f = await client.post('/feeds/2021-06-30/feeds', { feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], inputFeedDocumentId: doc.body.feedDocumentId });
			expect(f.status).toBe(202);
			sb.control.advanceTime(60 * 1000);
			await client.newToken();
			const feed = await client.get(`/feeds/2021-06-30/feeds/${f.body.feedId}`);
			return { status: feed.body.processingStatus, report: readReport(sb.control.feedReport(f.body.feedId)) };
		})();
		expect(status).toBe('FATAL');
		expect(report.results[0].description).toContain('no content');
	});

	it('validates createFeed and createFeedDocument', async () => {
		const noDoc = await client.post('/feeds/2021-06-30/feeds', { feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], inputFeedDocumentId: 'amzn1.tortuga.4.na.nope' });
		expect(noDoc.status).toBe(400);
		expect(noDoc.body.errors[0].message).toContain('inputFeedDocumentId');
		const doc = await client.post('/feeds/2021-06-30/documents', { contentType: 'text/xml; charset=UTF-8' });
		const badType = await client.post('/feeds/2021-06-30/feeds', { feedType: 'POST_PRODUCT_DATA', marketplaceIds: [US], inputFeedDocumentId: doc.body.feedDocumentId });
		expect(badType.status).toBe(400);
		const badMarket = await client.post('/feeds/2021-06-30/feeds', { feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: ['A1AM78C64UM0Y8'], inputFeedDocumentId: doc.body.feedDocumentId });
		expect(badMarket.status).toBe(400);
		const missing = await client.post('/feeds/2021-06-30/documents', {});
		expect(missing.status).toBe(400);
		expect(missing.body.errors[0].message).toContain('contentType');
	});

	it('cancels a feed only while IN_QUEUE and lists feeds', async () => {
		const { feedId } = await client.submitFeed({ feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], content: envelope('OrderAdjustment', []) });
		expect((await client.request('DELETE', `/feeds/2021-06-30/feeds/${feedId}`)).status).toBe(200);
		expect((await client.get(`/feeds/2021-06-30/feeds/${feedId}`)).body.processingStatus).toBe('CANCELLED');
		const second = await client.submitFeed({ feedType: 'POST_PAYMENT_ADJUSTMENT_DATA', marketplaceIds: [US], content: envelope('OrderAdjustment', []) });
		sb.control.advanceTime(30 * 1000);
		expect((await client.request('DELETE', `/feeds/2021-06-30/feeds/${second.feedId}`)).status).toBe(400);
		sb.control.setRateLimit('getFeeds', FAST);
		const list = await client.get('/feeds/2021-06-30/feeds', { feedTypes: 'POST_PAYMENT_ADJUSTMENT_DATA' });
		expect(list.body.feeds.map((f: { feedId: string }) => f.feedId).sort()).toEqual([feedId, second.feedId].sort());
	});

	it('refundOnAmazon (Seller Central) posts refund events later and caps later feed refunds', async () => {
		const id = seedShipped();
		const item = firstItem(id);
		const r = sb.control.refundOnAmazon(id, [{ orderItemId: item, amounts: { Principal: '30.00' } }]);
		expect(r).toMatchObject({ refundId: expect.any(String), items: [{ orderItemId: item, charges: { Principal: '-30.00' } }] });
		expect(Date.parse(r.visibleAt)).toBeGreaterThan(Date.now());
		expect(sb.control.financialEvents(id).find((e: { kind: string }) => e.kind === 'refund')).toMatchObject({ visible: false, source: 'sellerCentral' });
		const over = await run('POST_PAYMENT_ADJUSTMENT_DATA', envelope('OrderAdjustment', [adjustment(id, item, [['Principal', '15.00']])]));
		expect(over.report.results[0]).toMatchObject({ resultMessageCode: '18004', description: expect.stringContaining('30.00 already refunded') });
		sb.control.advanceTime(HOUR);
		await client.newToken();
		const ev = await client.get(`/finances/v0/orders/${id}/financialEvents`);
		expect(ev.body.payload.FinancialEvents.RefundEventList).toHaveLength(1);
		expect(() => sb.control.refundOnAmazon(seedUnshipped())).toThrow(/nothing shipped/);
	});
});
