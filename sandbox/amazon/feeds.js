// @ts-check
'use strict';

const { parseXml, el, toXml } = require('../lib/xml');
const { toMinor, exponent } = require('../lib/money');

/**
 * Order feeds: strict structural check of the XML (element order, cardinality, enumerations,
 * formats — amazon.md §5), business rules against the order state, effects, processing report.
 *
 * ResultMessageCode values are the SANDBOX's own (Amazon's real numbers are not documented in
 * our sources); node code should key on ResultCode (Error/Warning) and show ResultDescription.
 */

const FEED_MESSAGE_TYPE = /** @type {Record<string, string>} */ ({
	POST_PAYMENT_ADJUSTMENT_DATA: 'OrderAdjustment',
	POST_ORDER_ACKNOWLEDGEMENT_DATA: 'OrderAcknowledgement',
	POST_ORDER_FULFILLMENT_DATA: 'OrderFulfillment',
});

const ADJUSTMENT_REASONS = [
	'NoInventory', 'CustomerReturn', 'GeneralAdjustment', 'CouldNotShip', 'DifferentItem', 'Abandoned',
	'CustomerCancel', 'PriceError', 'ProductOutofStock', 'CustomerAddressIncorrect', 'Exchange', 'Other',
	'CarrierCreditDecision', 'RiskAssessmentInformationNotValid', 'CarrierCoverageFailure', 'TransactionRecord',
	'Undeliverable', 'RefusedDelivery',
];
const COMPONENT_TYPES = [
	'Principal', 'Shipping', 'Tax', 'ShippingTax', 'RestockingFee', 'RestockingFeeTax', 'GiftWrap', 'GiftWrapTax',
	'Surcharge', 'ReturnShipping', 'Goodwill', 'ExportCharge', 'COD', 'CODTax', 'Other', 'FreeReplacementReturnShipping',
];
const CANCEL_REASONS = [
	'NoInventory', 'ShippingAddressUndeliverable', 'CustomerExchange', 'BuyerCanceled', 'GeneralAdjustment',
	'CarrierCreditDecision', 'RiskAssessmentInformationNotValid', 'CarrierCoverageFailure', 'CustomerReturn',
	'MerchandiseNotReceived',
];

/** Sandbox result codes. */
const CODES = /** @type {const} */ ({
	MALFORMED: 5000,
	ENVELOPE: 5001,
	MESSAGE_TYPE: 5002,
	MERCHANT: 5003,
	SCHEMA: 8001,
	DUPLICATE_MESSAGE_ID: 8002,
	ORDER_NOT_FOUND: 18001,
	ITEM_NOT_FOUND: 18002,
	CURRENCY: 18003,
	AMOUNT_EXCEEDED: 18004,
	NOT_SHIPPED: 18005,
	CANCEL_NOT_ALLOWED: 18006,
	MARKETPLACE: 18007,
	INVALID_AMOUNT: 18008,
	QUANTITY: 18009,
	SHIPMENT: 18010,
	MERCHANT_ORDER_ID: 18011,
});

const STORE_CODE = /** @type {Record<string, number>} */ ({
	ItemNotFound: CODES.ITEM_NOT_FOUND,
	NotShipped: CODES.NOT_SHIPPED,
	AmountExceeded: CODES.AMOUNT_EXCEEDED,
	InvalidAmount: CODES.INVALID_AMOUNT,
	QuantityExceeded: CODES.QUANTITY,
	AlreadyCancelled: CODES.CANCEL_NOT_ALLOWED,
	AlreadyShipped: CODES.CANCEL_NOT_ALLOWED,
	NotAllowed: CODES.CANCEL_NOT_ALLOWED,
	InvalidInput: CODES.SHIPMENT,
	PackageToUpdateNotFound: CODES.SHIPMENT,
});

// ---- a tiny content-model checker -------------------------------------------------------------
/**
 * @typedef {{ text: 'string'|'positiveInt'|'nonNegInt'|'decimal'|'dateTime'|'itemCode', enum?: string[], attrs?: Record<string, { required: boolean, pattern?: RegExp }> }} TextType
 * @typedef {{ seq: Particle[] } | { any: true }} ComplexType
 * @typedef {{ el: string, type: TextType|ComplexType, min?: number, max?: number } | { choice: { el: string, type: TextType|ComplexType }[], min?: number, max?: number }} Particle
 */
/** @param {string} t @param {Partial<TextType>} [extra] @returns {TextType} */
const text = (t, extra = {}) => /** @type {TextType} */ ({ text: t, ...extra });
const AMOUNT = text('decimal', { attrs: { currency: { required: true, pattern: /^[A-Z]{3}$/ } } });
/** @param {string[]} types */
const component = (types) => ({ seq: [{ el: 'Type', type: text('string', { enum: types }) }, { el: 'Amount', type: AMOUNT }] });

/** @type {Record<string, ComplexType>} */
const BODY = {
	OrderAdjustment: {
		seq: [
			{ choice: [{ el: 'AmazonOrderID', type: text('string') }, { el: 'MerchantOrderID', type: text('string') }] },
			{ el: 'ActionType', type: text('string', { enum: ['Refund', 'Cancel'] }), min: 0 },
			{
				el: 'AdjustedItem',
				max: Infinity,
				type: {
					seq: [
						{ choice: [{ el: 'AmazonOrderItemCode', type: text('itemCode') }, { el: 'MerchantOrderItemID', type: text('string') }] },
						{ el: 'MerchantAdjustmentItemID', type: text('string'), min: 0 },
						{ el: 'AdjustmentReason', type: text('string', { enum: ADJUSTMENT_REASONS }) },
						{ el: 'DirectPaymentAdjustments', min: 0, type: { seq: [{ el: 'Component', max: Infinity, type: { seq: [{ el: 'DirectPaymentType', type: text('string') }, { el: 'Amount', type: AMOUNT }] } }] } },
						{ el: 'ItemPriceAdjustments', min: 0, type: { seq: [{ el: 'Component', max: Infinity, type: component(COMPONENT_TYPES) }] } },
						{ el: 'ItemFeeAdjustments', min: 0, type: { seq: [{ el: 'Fee', max: Infinity, type: { seq: [{ el: 'Type', type: text('string') }, { el: 'Amount', type: AMOUNT }] } }] } },
						{
							el: 'PromotionAdjustments',
							min: 0,
							max: Infinity,
							type: {
								seq: [
									{ el: 'PromotionClaimCode', type: text('string'), min: 0 },
									{ el: 'MerchantPromotionID', type: text('string'), min: 0 },
									{ el: 'Component', max: Infinity, type: component(['Principal', 'Shipping']) },
								],
							},
						},
						{ el: 'QuantityCancelled', type: text('positiveInt'), min: 0 },
						{ el: 'Quantity', type: text('positiveInt'), min: 0 },
					],
				},
			},
		],
	},
	OrderAcknowledgement: {
		seq: [
			{ el: 'AmazonOrderID', type: text('string') },
			{ el: 'MerchantOrderID', type: text('string'), min: 0 },
			{ el: 'StatusCode', type: text('string', { enum: ['Success', 'Failure'] }) },
			{
				el: 'Item',
				min: 0,
				max: Infinity,
				type: {
					seq: [
						{ el: 'AmazonOrderItemCode', type: text('itemCode') },
						{ el: 'MerchantOrderItemID', type: text('string'), min: 0 },
						{ el: 'CancelReason', type: text('string', { enum: CANCEL_REASONS }), min: 0 },
					],
				},
			},
		],
	},
	OrderFulfillment: {
		seq: [
			{ choice: [{ el: 'AmazonOrderID', type: text('string') }, { el: 'MerchantOrderID', type: text('string') }] },
			{ el: 'MerchantFulfillmentID', type: text('string'), min: 0 },
			{ el: 'FulfillmentDate', type: text('dateTime') },
			{
				el: 'FulfillmentData',
				min: 0,
				type: {
					seq: [
						{ choice: [{ el: 'CarrierCode', type: text('string') }, { el: 'CarrierName', type: text('string') }] },
						{ el: 'ShippingMethod', type: text('string'), min: 0 },
						{ el: 'ShipperTrackingNumber', type: text('string'), min: 0 },
					],
				},
			},
			{ el: 'CODCollectionMethod', type: text('string', { enum: ['DirectPayment'] }), min: 0 },
			{
				el: 'Item',
				min: 0,
				max: Infinity,
				type: {
					seq: [
						{ choice: [{ el: 'AmazonOrderItemCode', type: text('itemCode') }, { el: 'MerchantOrderItemID', type: text('string') }] },
						{ el: 'MerchantFulfillmentItemID', type: text('string'), min: 0 },
						{ el: 'Quantity', type: text('positiveInt'), min: 0 },
					],
				},
			},
		],
	},
};

/**
 * @param {import('../lib/xml').XmlElement} node
 * @param {TextType|ComplexType} type
 * @param {string} path
 * @param {string[]} errors
 */
function check(node, type, path, errors) {
	if ('text' in type) {
		if (node.children.length) errors.push(`<${path}> must contain text only, found <${node.children[0].name}>`);
		const v = node.text.trim();
		for (const [name, rule] of Object.entries(type.attrs ?? {})) {
			const a = node.attrs[name];
			if (a === undefined) {
				if (rule.required) errors.push(`<${path}> needs attribute ${name}`);
			} else if (rule.pattern && !rule.pattern.test(a)) errors.push(`<${path}> attribute ${name}="${a}" is invalid`);
		}
		for (const a of Object.keys(node.attrs)) if (!(type.attrs ?? {})[a]) errors.push(`<${path}> has unexpected attribute ${a}`);
		if (v === '') errors.push(`<${path}> is empty`);
		else if (type.enum && !type.enum.includes(v)) errors.push(`<${path}> value "${v}" is not one of ${type.enum.join(', ')}`);
		else if (type.text === 'positiveInt' && !/^[1-9]\d{0,8}$/.test(v)) errors.push(`<${path}> must be a positive integer, got "${v}"`);
		else if (type.text === 'nonNegInt' && !/^\d{1,9}$/.test(v)) errors.push(`<${path}> must be a non-negative integer, got "${v}"`);
		else if (type.text === 'decimal' && !/^-?\d+(\.\d+)?$/.test(v)) errors.push(`<${path}> must be a decimal number, got "${v}"`);
		else if (type.text === 'itemCode' && !/^\d{14}$/.test(v)) errors.push(`<${path}> must be a 14-digit order item code, got "${v}"`);
		else if (type.text === 'dateTime' && !(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(v) && !Number.isNaN(Date.parse(v)))) {
			errors.push(`<${path}> must be an xs:dateTime like 2026-01-31T10:00:00Z, got "${v}"`);
		}
		return;
	}
	if ('any' in type) return;
	if (node.text.trim()) errors.push(`<${path}> must not contain text ("${node.text.trim().slice(0, 20)}")`);
	const kids = node.children;
	/** @type {Record<string, number>} */
	const totals = {};
	for (const c of kids) totals[c.name] = (totals[c.name] ?? 0) + 1;
	/** @type {Record<string, number>} */
	const seen = {};
	let k = 0;
	for (const p of type.seq) {
		const names = 'choice' in p ? p.choice.map((c) => c.el) : [p.el];
		const min = p.min ?? 1;
		const max = p.max ?? 1;
		let count = 0;
		while (k < kids.length && names.includes(kids[k].name) && count < max) {
			const t = 'choice' in p ? /** @type {any} */ (p.choice.find((c) => c.el === kids[k].name)).type : p.type;
			const nm = kids[k].name;
			seen[nm] = (seen[nm] ?? 0) + 1;
			check(kids[k], t, `${path}/${nm}${totals[nm] > 1 ? `[${seen[nm]}]` : ''}`, errors);
			k++;
			count++;
		}
		if (count < min) {
			const found = k < kids.length ? `found <${kids[k].name}>` : 'found nothing';
			errors.push(`<${path}> is missing <${names.join('> or <')}> (${found})`);
		}
	}
	if (k < kids.length) {
		const known = /** @type {{ seq: Particle[] }} */ (type).seq.flatMap((p) => ('choice' in p ? p.choice.map((c) => c.el) : [p.el]));
		errors.push(
			known.includes(kids[k].name)
				? `<${path}/${kids[k].name}> is out of order or repeated (expected order: ${known.join(', ')})`
				: `<${path}> has unexpected element <${kids[k].name}> (allowed: ${known.join(', ')})`,
		);
	}
}

/** @param {import('../lib/xml').XmlElement} node @param {string} name */
const child = (node, name) => node.children.find((c) => c.name === name);
/** @param {import('../lib/xml').XmlElement} node @param {string} name */
const childText = (node, name) => child(node, name)?.text.trim();

/**
 * @typedef {{ messageId: string, code: number, description: string, amazonOrderId?: string }} ResultEntry
 * @typedef {{ status: 'DONE'|'FATAL', processed: number, successful: number, errors: ResultEntry[] }} ProcessOutcome
 */

/**
 * Process one feed document. Applies effects through the store.
 * @param {{ feedType: string, marketplaceIds: string[] }} feed
 * @param {Buffer|null} content
 * @param {string} contentType
 * @param {{ store: any, sellerId: string, wall: number }} ctx
 * @returns {ProcessOutcome}
 */
function processFeed(feed, content, contentType, ctx) {
	/** @param {number} code @param {string} description @returns {ProcessOutcome} */
	const fatal = (code, description) => ({ status: 'FATAL', processed: 0, successful: 0, errors: [{ messageId: '0', code, description }] });
	if (!content || content.length === 0) return fatal(CODES.MALFORMED, 'The feed document has no content: upload it (PUT to the URL from createFeedDocument) before calling createFeed.');
	if (!/^(text|application)\/xml\b/i.test(contentType)) return fatal(CODES.MALFORMED, `${feed.feedType} is an XML feed, but the feed document was created with Content-Type "${contentType}" (use "text/xml; charset=UTF-8").`);
	let root;
	try {
		root = parseXml(content);
	} catch (err) {
		return fatal(CODES.MALFORMED, `The XML you submitted is ill-formed: ${/** @type {Error} */ (err).message}`);
	}
	if (root.name !== 'AmazonEnvelope') return fatal(CODES.ENVELOPE, `The root element must be <AmazonEnvelope>, found <${root.name}>.`);
	const expected = FEED_MESSAGE_TYPE[feed.feedType];
	/** @type {string[]} */
	const envErrors = [];
	check(
		root,
		{
			seq: [
				{ el: 'Header', type: { seq: [{ el: 'DocumentVersion', type: text('string') }, { el: 'MerchantIdentifier', type: text('string') }] } },
				{ el: 'MessageType', type: text('string') },
				{ el: 'MarketplaceName', type: text('string'), min: 0 },
				{ el: 'PurgeAndReplace', type: text('string', { enum: ['true', 'false'] }), min: 0 },
				{ el: 'Message', max: Infinity, type: { any: true } },
			],
		},
		'AmazonEnvelope',
		envErrors,
	);
	if (envErrors.length) return fatal(CODES.ENVELOPE, `The envelope is invalid: ${envErrors.join('; ')}`);
	const messageType = childText(root, 'MessageType');
	if (messageType !== expected) return fatal(CODES.MESSAGE_TYPE, `MessageType "${messageType}" does not match feed type ${feed.feedType} (expected ${expected}).`);
	const merchant = childText(/** @type {any} */ (child(root, 'Header')), 'MerchantIdentifier');
	if (merchant !== ctx.sellerId) return fatal(CODES.MERCHANT, `MerchantIdentifier "${merchant}" is not your seller ID (merchant token).`);

	const messages = root.children.filter((c) => c.name === 'Message');
	/** @type {ResultEntry[]} */
	const errors = [];
	let successful = 0;
	const seenIds = new Set();
	for (const [i, msg] of messages.entries()) {
		const messageId = childText(msg, 'MessageID') ?? '';
		const orderId = (() => {
			const body = child(msg, expected);
			return body ? childText(body, 'AmazonOrderID') ?? childText(body, 'MerchantOrderID') : undefined;
		})();
		/** @param {number} code @param {string} description */
		const err = (code, description) => errors.push({ messageId: messageId || String(i + 1), code, description, amazonOrderId: orderId });
		/** @type {string[]} */
		const schema = [];
		check(
			msg,
			{
				seq: [
					{ el: 'MessageID', type: text('positiveInt') },
					{ el: 'OperationType', type: text('string', { enum: ['Update', 'Delete', 'PartialUpdate'] }), min: 0 },
					{ el: expected, type: BODY[expected] },
				],
			},
			'Message',
			schema,
		);
		if (schema.length) {
			err(CODES.SCHEMA, `XML schema violation: ${schema.join('; ')}`);
			continue;
		}
		if (seenIds.has(messageId)) {
			err(CODES.DUPLICATE_MESSAGE_ID, `MessageID ${messageId} is used by more than one message; MessageIDs must be unique within a feed.`);
			continue;
		}
		seenIds.add(messageId);
		const body = /** @type {import('../lib/xml').XmlElement} */ (child(msg, expected));
		const outcome =
			expected === 'OrderAdjustment'
				? adjustment(body, feed, ctx)
				: expected === 'OrderAcknowledgement'
					? acknowledgement(body, feed, ctx)
					: fulfillment(body, feed, ctx);
		if (outcome) err(outcome.code, outcome.description);
		else successful++;
	}
	return { status: 'DONE', processed: messages.length, successful, errors };
}

/**
 * @param {any} store @param {import('../lib/xml').XmlElement} body @param {string[]} marketplaceIds
 * @returns {{ rec: any } | { code: number, description: string }}
 */
function findOrder(store, body, marketplaceIds) {
	const amazonId = childText(body, 'AmazonOrderID');
	const merchantId = childText(body, 'MerchantOrderID');
	const rec = amazonId ? store.get(amazonId) : store.byAlias(merchantId);
	if (!rec) {
		return {
			code: CODES.ORDER_NOT_FOUND,
			description: amazonId ? `Order ${amazonId} was not found for this seller.` : `No order has MerchantOrderID ${merchantId} (it is set by an OrderAcknowledgement).`,
		};
	}
	if (!marketplaceIds.includes(rec.marketplaceId)) {
		return { code: CODES.MARKETPLACE, description: `Order ${rec.order.orderId} belongs to marketplace ${rec.marketplaceId}, which is not in this feed's marketplaceIds (${marketplaceIds.join(', ')}).` };
	}
	return { rec };
}

/**
 * @param {any} rec @param {import('../lib/xml').XmlElement} node
 * @returns {{ item: any } | { code: number, description: string }}
 */
function findItem(rec, node) {
	const code = childText(node, 'AmazonOrderItemCode');
	const merchant = childText(node, 'MerchantOrderItemID');
	const id = code ?? rec.merchantItemIds[merchant ?? ''];
	const item = id ? rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === id) : undefined;
	if (!item) {
		return {
			code: CODES.ITEM_NOT_FOUND,
			description: code ? `AmazonOrderItemCode ${code} is not an item of order ${rec.order.orderId}.` : `MerchantOrderItemID ${merchant} is not mapped to an item of order ${rec.order.orderId}.`,
		};
	}
	return { item };
}

/**
 * @param {any} rec @param {import('../lib/xml').XmlElement} amountEl @param {string} where
 * @returns {number | { code: number, description: string }}
 */
function amountOf(rec, amountEl, where) {
	const currency = amountEl.attrs.currency;
	if (currency !== rec.currency) return { code: CODES.CURRENCY, description: `${where}: currency ${currency} does not match the order currency ${rec.currency}.` };
	const v = toMinor(amountEl.text.trim(), rec.currency);
	if (v === null) return { code: CODES.INVALID_AMOUNT, description: `${where}: "${amountEl.text.trim()}" has more than ${exponent(rec.currency)} decimal place(s) for ${rec.currency}.` };
	return v;
}

/**
 * @param {import('../lib/xml').XmlElement} body
 * @param {{ marketplaceIds: string[] }} feed
 * @param {{ store: any, wall: number }} ctx
 * @returns {{ code: number, description: string } | null}
 */
function adjustment(body, feed, ctx) {
	const found = findOrder(ctx.store, body, feed.marketplaceIds);
	if (!('rec' in found)) return found;
	const rec = found.rec;
	const action = childText(body, 'ActionType');
	/** @type {import('./store').RefundLine[]} */
	const refunds = [];
	/** @type {{ orderItemId: string, qty: number, reason?: string }[]} */
	const cancels = [];
	for (const [n, adj] of body.children.filter((c) => c.name === 'AdjustedItem').entries()) {
		const where = `AdjustedItem[${n + 1}]`;
		const f = findItem(rec, adj);
		if (!('item' in f)) return f;
		const id = f.item.orderItemId;
		/** @type {Record<string, number>} */
		const amounts = {};
		for (const comp of child(adj, 'ItemPriceAdjustments')?.children ?? []) {
			const type = /** @type {string} */ (childText(comp, 'Type'));
			const v = amountOf(rec, /** @type {any} */ (child(comp, 'Amount')), `${where} ${type}`);
			if (typeof v !== 'number') return v;
			if (v < 0) return { code: CODES.INVALID_AMOUNT, description: `${where} ${type}: amounts are what is given back to the buyer and must not be negative (got ${childText(comp, 'Amount')}).` };
			if (amounts[type] !== undefined) return { code: CODES.SCHEMA, description: `${where}: component Type ${type} appears twice.` };
			amounts[type] = v;
		}
		let promotion = 0;
		for (const promo of adj.children.filter((c) => c.name === 'PromotionAdjustments')) {
			for (const comp of promo.children.filter((c) => c.name === 'Component')) {
				const v = amountOf(rec, /** @type {any} */ (child(comp, 'Amount')), `${where} PromotionAdjustments ${childText(comp, 'Type')}`);
				if (typeof v !== 'number') return v;
				promotion += Math.abs(v);
			}
		}
		for (const comp of [...(child(adj, 'DirectPaymentAdjustments')?.children ?? []), ...(child(adj, 'ItemFeeAdjustments')?.children ?? [])]) {
			const v = amountOf(rec, /** @type {any} */ (child(comp, 'Amount')), `${where} ${comp.name}`);
			if (typeof v !== 'number') return v;
		}
		const qtyCancelled = childText(adj, 'QuantityCancelled');
		const quantity = childText(adj, 'Quantity');
		const hasPrice = Object.keys(amounts).length > 0 || promotion > 0;
		if (qtyCancelled) {
			if (action === 'Refund') return { code: CODES.SCHEMA, description: `${where}: QuantityCancelled cannot be used with ActionType Refund.` };
			if (hasPrice) return { code: CODES.SCHEMA, description: `${where}: a cancellation (QuantityCancelled) of unshipped units carries no price adjustments — nothing was charged.` };
			cancels.push({ orderItemId: id, qty: Number(qtyCancelled), reason: childText(adj, 'AdjustmentReason') });
			continue;
		}
		if (action === 'Cancel') return { code: CODES.SCHEMA, description: `${where}: ActionType Cancel needs QuantityCancelled.` };
		if (!hasPrice) return { code: CODES.SCHEMA, description: `${where}: nothing to adjust (no ItemPriceAdjustments, PromotionAdjustments or QuantityCancelled).` };
		refunds.push({
			orderItemId: id,
			amounts,
			promotion,
			reason: childText(adj, 'AdjustmentReason'),
			merchantAdjustmentItemId: childText(adj, 'MerchantAdjustmentItemID'),
			quantity: quantity ? Number(quantity) : undefined,
		});
	}
	// validate everything first (a message is applied completely or not at all)
	/** @type {Record<string, number>} */
	const cancelByItem = {};
	for (const c of cancels) {
		cancelByItem[c.orderItemId] = (cancelByItem[c.orderItemId] ?? 0) + c.qty;
		const item = rec.order.orderItems.find((/** @type {any} */ it) => it.orderItemId === c.orderItemId);
		if (rec.order.fulfillment.fulfillmentStatus === 'CANCELLED') return { code: CODES.CANCEL_NOT_ALLOWED, description: `Order ${rec.order.orderId} is already canceled.` };
		if (rec.order.fulfillment.fulfilledBy === 'AMAZON') return { code: CODES.CANCEL_NOT_ALLOWED, description: `Order ${rec.order.orderId} is fulfilled by Amazon; units cannot be canceled by the seller.` };
		const open = item.quantityOrdered - (rec.shipped[c.orderItemId] ?? 0) - (rec.cancelled[c.orderItemId] ?? 0);
		if (cancelByItem[c.orderItemId] > open) return { code: CODES.QUANTITY, description: `QuantityCancelled ${cancelByItem[c.orderItemId]} for item ${c.orderItemId} exceeds the ${open} unshipped unit(s).` };
	}
	if (refunds.length) {
		const e = ctx.store.checkRefund(rec, refunds);
		if (e) return { code: STORE_CODE[e.code] ?? CODES.AMOUNT_EXCEEDED, description: e.message };
	}
	for (const c of cancels) {
		const r = ctx.store.cancelUnits(rec, c.orderItemId, c.qty, ctx.wall, c.reason);
		if (!r.ok) return { code: STORE_CODE[r.error.code] ?? CODES.CANCEL_NOT_ALLOWED, description: r.error.message };
	}
	if (refunds.length) {
		const r = ctx.store.refund(rec, refunds, { source: 'feed', wall: ctx.wall });
		if (!r.ok) return { code: STORE_CODE[r.error.code] ?? CODES.AMOUNT_EXCEEDED, description: r.error.message };
	}
	return null;
}

/**
 * @param {import('../lib/xml').XmlElement} body
 * @param {{ marketplaceIds: string[] }} feed
 * @param {{ store: any, wall: number }} ctx
 */
function acknowledgement(body, feed, ctx) {
	const found = findOrder(ctx.store, body, feed.marketplaceIds);
	if (!('rec' in found)) return found;
	const rec = found.rec;
	const status = childText(body, 'StatusCode');
	const merchantOrderId = childText(body, 'MerchantOrderID');
	/** @type {Record<string, string>} */
	const reasons = {};
	/** @type {Record<string, string>} */
	const merchantItems = {};
	for (const itemEl of body.children.filter((c) => c.name === 'Item')) {
		const f = findItem(rec, itemEl);
		if (!('item' in f)) return f;
		const reason = childText(itemEl, 'CancelReason');
		if (reason && status === 'Success') return { code: CODES.SCHEMA, description: `CancelReason is only allowed with StatusCode Failure (item ${f.item.orderItemId}).` };
		if (reason) reasons[f.item.orderItemId] = reason;
		const mid = childText(itemEl, 'MerchantOrderItemID');
		if (mid) merchantItems[mid] = f.item.orderItemId;
	}
	if (merchantOrderId) {
		const other = ctx.store.byAlias(merchantOrderId);
		if (other && other !== rec) return { code: CODES.MERCHANT_ORDER_ID, description: `MerchantOrderID ${merchantOrderId} is already used by order ${other.order.orderId}.` };
	}
	if (status === 'Failure') {
		const first = Object.values(reasons)[0];
		const r = ctx.store.cancelOrder(rec, { by: 'MERCHANT', reasons, defaultReason: first ?? 'GeneralAdjustment', wall: ctx.wall });
		if (!r.ok) return { code: STORE_CODE[r.error.code] ?? CODES.CANCEL_NOT_ALLOWED, description: r.error.message };
	} else if (rec.order.fulfillment.fulfillmentStatus === 'CANCELLED') {
		return { code: CODES.CANCEL_NOT_ALLOWED, description: `Order ${rec.order.orderId} is canceled; it cannot be acknowledged with Success.` };
	}
	if (merchantOrderId) setAlias(ctx.store, rec, merchantOrderId);
	Object.assign(rec.merchantItemIds, merchantItems);
	return null;
}

/** @param {any} store @param {any} rec @param {string} merchantOrderId */
function setAlias(store, rec, merchantOrderId) {
	rec.sellerOrderId = merchantOrderId;
	rec.order.orderAliases = [{ aliasId: merchantOrderId, aliasType: 'SELLER_ORDER_ID' }];
	store.aliasSet?.(merchantOrderId, rec.order.orderId);
}

/**
 * @param {import('../lib/xml').XmlElement} body
 * @param {{ marketplaceIds: string[] }} feed
 * @param {{ store: any, wall: number }} ctx
 */
function fulfillment(body, feed, ctx) {
	const found = findOrder(ctx.store, body, feed.marketplaceIds);
	if (!('rec' in found)) return found;
	const rec = found.rec;
	const data = child(body, 'FulfillmentData');
	const carrierCode = data ? childText(data, 'CarrierCode') : undefined;
	const carrierName = data ? childText(data, 'CarrierName') : undefined;
	/** @type {{ orderItemId: string, quantity: number }[]} */
	const lines = [];
	for (const itemEl of body.children.filter((c) => c.name === 'Item')) {
		const f = findItem(rec, itemEl);
		if (!('item' in f)) return f;
		const q = childText(itemEl, 'Quantity');
		const open = f.item.quantityOrdered - (rec.shipped[f.item.orderItemId] ?? 0) - (rec.cancelled[f.item.orderItemId] ?? 0);
		lines.push({ orderItemId: f.item.orderItemId, quantity: q ? Number(q) : open });
	}
	const r = ctx.store.applyPackage(
		rec,
		{
			carrierCode: carrierCode ?? 'Other',
			carrierName: carrierCode ? undefined : carrierName ?? 'Unknown',
			shippingMethod: data ? childText(data, 'ShippingMethod') : undefined,
			trackingNumber: (data ? childText(data, 'ShipperTrackingNumber') : undefined) ?? 'NO-TRACKING',
			shipDate: /** @type {string} */ (childText(body, 'FulfillmentDate')),
			orderItems: lines,
		},
		{ wall: ctx.wall, allItemsWhenEmpty: true },
	);
	if (!r.ok) return { code: STORE_CODE[r.error.code] ?? CODES.SHIPMENT, description: r.error.message };
	return null;
}

/**
 * The XML processing report (amazon.md §4).
 * @param {ProcessOutcome} outcome @param {string} feedId @param {string} sellerId
 */
function processingReport(outcome, feedId, sellerId) {
	return toXml(
		el('AmazonEnvelope', { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd' }, [
			el('Header', null, [el('DocumentVersion', null, ['1.02']), el('MerchantIdentifier', null, [sellerId])]),
			el('MessageType', null, ['ProcessingReport']),
			el('Message', null, [
				el('MessageID', null, ['1']),
				el('ProcessingReport', null, [
					el('DocumentTransactionID', null, [feedId]),
					el('StatusCode', null, ['Complete']),
					el('ProcessingSummary', null, [
						el('MessagesProcessed', null, [outcome.processed]),
						el('MessagesSuccessful', null, [outcome.successful]),
						el('MessagesWithError', null, [outcome.status === 'FATAL' ? 0 : outcome.errors.length]),
						el('MessagesWithWarning', null, [0]),
					]),
					...outcome.errors.map((e) =>
						el('Result', null, [
							el('MessageID', null, [e.messageId]),
							el('ResultCode', null, ['Error']),
							el('ResultMessageCode', null, [e.code]),
							el('ResultDescription', null, [e.description]),
							e.amazonOrderId ? el('AdditionalInfo', null, [el('AmazonOrderID', null, [e.amazonOrderId])]) : null,
						]),
					),
				]),
			]),
		]),
	);
}

module.exports = { processFeed, processingReport, FEED_MESSAGE_TYPE, ADJUSTMENT_REASONS, COMPONENT_TYPES, CANCEL_REASONS, CODES };
