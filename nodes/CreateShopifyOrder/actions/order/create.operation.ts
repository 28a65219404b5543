import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { LinkedOrderSummary } from '../../../shared/linkage';
import { ensureAmazonOrderIdDefinition, findLinkedOrder, isAmazonOrderId } from '../../../shared/linkage';
import type { AmazonOrderJson, AmazonPackageJson } from '../../../shared/mappers/amazonOrder';
import {
	AmazonOrderDataError,
	ORDER_INCLUDED_DATA,
	isAmazonOrderJson,
	isRawAmazonOrder,
	toAmazonOrderJson,
} from '../../../shared/mappers/amazonOrder';
import type { ChannelLiableMode, InventoryBehaviour, ShopifyOrderPlan, TaxesIncludedMode } from '../../../shared/mappers/shopifyOrderInput';
import { OrderMappingError, TotalsMismatchError, assertImportable, buildShopifyOrderInput } from '../../../shared/mappers/shopifyOrderInput';
import { isSupportedCurrency, toMinor } from '../../../shared/money';
import { getOrder } from '../../../shared/transport/amazon/api';
import type { AmazonClient } from '../../../shared/transport/amazon/client';
import type { Clock } from '../../../shared/transport/clock';
import type { ShopifyClient } from '../../../shared/transport/shopify/client';
import { ShopifyUnknownOutcome } from '../../../shared/transport/shopify/errors';
import { adminOrderUrl, devStoreWaitMs, isDevStoreLimitError, recordOrderCreate, shopFacts } from './shop';
import type { SkuCache } from './skus';
import { parseSkuMapping, resolveSkus } from './skus';

export const description: INodeProperties[] = [
	{
		displayName: 'Amazon Order',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'From Input Item',
				value: 'inputItem',
				description: 'The incoming item is an order as the Amazon Order Trigger emits it (or a raw SP-API order)',
			},
			{
				name: 'By Amazon Order ID',
				value: 'orderId',
				description: 'Fetch the order from Amazon (getOrder) by its ID',
			},
		],
		default: 'inputItem',
	},
	{
		displayName: 'Amazon Order ID',
		name: 'amazonOrderId',
		type: 'string',
		default: '={{ $json.amazonOrderId }}',
		required: true,
		placeholder: '113-1234567-1234567',
		displayOptions: { show: { source: ['orderId'] } },
	},
	{
		displayName: 'Unknown SKUs',
		name: 'unknownSku',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Create a Custom Line Item',
				value: 'customLineItem',
				description: 'Import the line with the Amazon title, SKU and price, without a product (no stock change)',
			},
			{ name: 'Fail the Order', value: 'fail', description: 'Create nothing and report the SKUs' },
			{ name: 'Skip the Order', value: 'skip', description: 'Create nothing and output the order as skipped' },
		],
		default: 'customLineItem',
		description: 'What to do when an Amazon SKU matches no Shopify variant (after the mapping table)',
	},
	{
		displayName: 'SKU Mapping',
		name: 'skuMapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add mapping',
		default: {},
		description: 'Amazon SKUs whose Shopify SKU differs. The Shopify SKU may also be a variant ID (gid://shopify/ProductVariant/…).',
		options: [
			{
				displayName: 'Mapping',
				name: 'mappings',
				values: [
					{ displayName: 'Amazon SKU', name: 'amazonSku', type: 'string', default: '' },
					{ displayName: 'Shopify SKU', name: 'shopifySku', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Customer',
				name: 'customer',
				type: 'options',
				options: [
					{ name: 'None', value: 'none', description: 'No Shopify customer; Amazon keeps the buyer relationship' },
					{ name: 'From Buyer E-Mail', value: 'fromBuyerEmail', description: 'Create the customer, or update it when it exists, with the anonymised Amazon buyer e-mail' },
				],
				default: 'none',
			},
			{
				displayName: 'Development Store Limit',
				name: 'devStoreLimit',
				type: 'options',
				options: [
					{ name: 'Wait', value: 'wait', description: 'Wait until Shopify accepts the next order (5 per minute)' },
					{ name: 'Fail', value: 'fail', description: 'Fail the order with an explanation instead of waiting' },
				],
				default: 'wait',
				description: 'Shopify development and trial stores accept at most 5 new orders per minute',
			},
			{
				displayName: 'Exchange Rates',
				name: 'exchangeRates',
				type: 'string',
				default: '',
				placeholder: 'CAD=0.73, GBP=1.27',
				description:
					'For orders in another currency than the shop: how much of the shop currency one unit is worth. Without a rate the Amazon amounts are sent as presentment money and Shopify converts them.',
			},
			{
				displayName: 'Inventory',
				name: 'inventoryBehaviour',
				type: 'options',
				options: [
					{
						name: 'Decrement, Ignoring Policy',
						value: 'DECREMENT_IGNORING_POLICY',
						description: 'The sale happened on Amazon: always take the units from Shopify stock (merchant-fulfilled orders)',
					},
					{
						name: 'Decrement, Obeying Policy',
						value: 'DECREMENT_OBEYING_POLICY',
						description: 'Fail the order when Shopify has too few units and the product does not allow overselling',
					},
					{ name: 'Do Not Change Stock', value: 'BYPASS' },
				],
				default: 'DECREMENT_IGNORING_POLICY',
				description:
					'For merchant-fulfilled orders, also those already shipped on Amazon before the import (the goods left your stock; they are imported as fulfilled). FBA orders never change Shopify stock.',
			},
			{
				displayName: 'Marketplace Facilitator Tax',
				name: 'channelLiable',
				type: 'options',
				options: [
					{ name: 'As Amazon Reports It', value: 'auto', description: 'Channel-liable when Amazon says it collects and remits the tax' },
					{ name: 'Always Amazon', value: 'always' },
					{ name: 'Never Amazon', value: 'never' },
				],
				default: 'auto',
				description: 'Whether tax lines are flagged as collected and remitted by Amazon (channel liable)',
			},
			{
				displayName: 'Order Name',
				name: 'namePattern',
				type: 'string',
				default: 'AMZ-{orderId}',
				description: 'Shopify order name. {orderId}, {marketplace} and {sellerOrderId} are replaced.',
			},
			{
				displayName: 'Prices Include Tax',
				name: 'taxesIncluded',
				type: 'options',
				options: [
					{ name: 'As On Amazon', value: 'auto', description: 'Like the marketplace shows them (UK, EU, JP include tax; US, CA do not)' },
					{ name: 'Yes', value: 'yes' },
					{ name: 'No', value: 'no' },
				],
				default: 'auto',
			},
			{
				displayName: 'Shipping Address',
				name: 'shippingAddress',
				type: 'options',
				options: [
					{
						name: 'Required for Orders to Ship',
						value: 'required',
						description: 'Fail merchant-fulfilled orders to ship when Amazon sent no full address',
					},
					{ name: 'When Available', value: 'ifAvailable', description: 'Import with what Amazon sent (maybe only city and postal code)' },
					{ name: 'Omit (No Personal Data)', value: 'omit', description: 'Never store the address in Shopify' },
				],
				default: 'required',
			},
			{
				displayName: 'SKU Mapping (JSON)',
				name: 'skuMappingJson',
				type: 'json',
				default: '',
				placeholder: '{ "AMZ-MUG-1": "MUG-1" }',
				description: 'More mappings, as {"Amazon SKU": "Shopify SKU"} or [{"amazonSku": "…", "shopifySku": "…"}]. The table above wins.',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'wholesale, priority',
				description: 'Comma-separated tags added to Amazon, Amazon &lt;country&gt;, FBA and Amazon Replacement',
			},
			{
				displayName: 'Tax Line Title',
				name: 'taxTitle',
				type: 'string',
				default: '',
				placeholder: 'Sales tax',
				description: "Title of the tax lines. Empty: the marketplace's usual name (Sales tax, VAT, GST, Consumption tax).",
			},
		],
	},
];

interface Options {
	customer?: 'none' | 'fromBuyerEmail';
	devStoreLimit?: 'wait' | 'fail';
	exchangeRates?: string;
	inventoryBehaviour?: InventoryBehaviour;
	channelLiable?: ChannelLiableMode;
	namePattern?: string;
	taxesIncluded?: TaxesIncludedMode;
	shippingAddress?: 'required' | 'ifAvailable' | 'omit';
	skuMappingJson?: unknown;
	tags?: string;
	taxTitle?: string;
}

/** Everything one execution shares between items. */
export interface RunContext {
	node: INode;
	shopify: ShopifyClient;
	amazon: () => Promise<AmazonClient>;
	clock: Clock;
	skuCache: SkuCache;
	/** sourceIdentifier matches found up front for the execution's orders (linkage fallback). */
	prefetched?: { ids: Set<string>; found: Map<string, LinkedOrderSummary> };
}

/**
 * A failure of one item: a NodeOperationError that names the order and the field (in its context,
 * for the error item under continueOnFail) and says what to do (description).
 */
export function orderError(node: INode, message: string, orderId: string | undefined, field: string | undefined, description: string): NodeOperationError {
	const error = new NodeOperationError(node, message, { description, level: 'warning' });
	if (orderId) error.context.amazonOrderId = orderId;
	if (field) error.context.field = field;
	return error;
}

/** Keeps n8n errors (with their HTTP context) as they are, wraps anything else. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}

const IMPORTABLE_SHIP_STATUSES = new Set(['UNSHIPPED', 'PARTIALLY_SHIPPED']);

function parseRates(node: INode, text: string | undefined, orderId: string): Map<string, string> {
	const rates = new Map<string, string>();
	for (const part of (text ?? '').split(/[,;\n]/)) {
		const trimmed = part.trim();
		if (!trimmed) continue;
		const match = /^([A-Za-z]{3})\s*[=:]\s*(\d+(?:\.\d+)?)$/.exec(trimmed);
		if (!match) {
			throw orderError(node, `Exchange rate "${trimmed}" is not understood`, orderId, 'options.exchangeRates', 'Write rates as CAD=0.73, GBP=1.27 (units of the shop currency per unit).');
		}
		rates.set(match[1].toUpperCase(), match[2]);
	}
	return rates;
}

/** The Amazon order of this item, as clean JSON. */
async function readOrder(this: IExecuteFunctions, itemIndex: number, ctx: RunContext, omitPersonalData: boolean): Promise<AmazonOrderJson> {
	const source = this.getNodeParameter('source', itemIndex) as string;
	if (source === 'orderId') {
		const id = String(this.getNodeParameter('amazonOrderId', itemIndex) ?? '').trim();
		if (!isAmazonOrderId(id)) {
			throw orderError(ctx.node, `"${id}" is not an Amazon order ID`, id || undefined, 'amazonOrderId', 'Amazon order IDs look like 113-1234567-1234567.');
		}
		let raw;
		try {
			raw = await getOrder(await ctx.amazon(), id, ORDER_INCLUDED_DATA);
		} catch (error) {
			const status = (error as NodeApiError).httpCode;
			if (String(status) === '404') {
				throw orderError(ctx.node, `Amazon order ${id} was not found`, id, 'amazonOrderId', 'Check the order ID, and that the Amazon credential is for the seller account and region of this order.');
			}
			throw asNodeError(ctx.node, error);
		}
		if (!raw) throw orderError(ctx.node, `Amazon order ${id} was not found`, id, 'amazonOrderId', 'Check the order ID and the credential.');
		return toAmazonOrderJson(raw as never, { omitPersonalData });
	}
	const json = this.getInputData()[itemIndex].json as IDataObject;
	if (typeof json.dataError === 'string') {
		throw orderError(ctx.node, String(json.dataError), String(json.amazonOrderId ?? ''), 'order', 'Amazon sent amounts that do not add up; check the order in Seller Central and import it by hand if needed.');
	}
	if (isAmazonOrderJson(json)) {
		if (!omitPersonalData) return json;
		return { ...json, shippingAddress: null, buyer: json.buyer ? { ...json.buyer, name: null, email: null } : null };
	}
	if (isRawAmazonOrder(json)) return toAmazonOrderJson(json, { omitPersonalData });
	throw orderError(
		ctx.node,
		'The input item is not an Amazon order',
		typeof json.amazonOrderId === 'string' ? json.amazonOrderId : undefined,
		'source',
		'Connect this node to the Amazon Order Trigger, or choose "By Amazon Order ID" and give the order ID.',
	);
}

async function findExisting(ctx: RunContext, amazonOrderId: string): Promise<LinkedOrderSummary | undefined> {
	if (ctx.prefetched?.ids.has(amazonOrderId)) {
		const exact = await ctx.shopify.run<{ orderByIdentifier: LinkedOrderSummary | null }>('OrderByAmazonId', { value: amazonOrderId });
		return exact.orderByIdentifier ?? ctx.prefetched.found.get(amazonOrderId);
	}
	return await findLinkedOrder(ctx.shopify, amazonOrderId);
}

/** The exact lookup only (unique metafield, no search-index lag): after a lost response or a TAKEN. */
async function findByMetafield(ctx: RunContext, amazonOrderId: string): Promise<LinkedOrderSummary | undefined> {
	const exact = await ctx.shopify.run<{ orderByIdentifier: LinkedOrderSummary | null }>('OrderByAmazonId', { value: amazonOrderId });
	return exact.orderByIdentifier ?? undefined;
}

function summary(order: AmazonOrderJson): IDataObject {
	return {
		amazonOrderId: order.amazonOrderId,
		marketplaceId: order.marketplaceId,
		marketplace: order.marketplace,
		fulfillmentChannel: order.fulfillmentChannel,
		status: order.status,
	};
}

function existingOutput(order: AmazonOrderJson, existing: LinkedOrderSummary, domain: string, warnings: string[], reason: string): IDataObject {
	const total = existing.totalPriceSet?.presentmentMoney ?? existing.totalPriceSet?.shopMoney;
	return {
		created: false,
		reason,
		...summary(order),
		shopifyOrderId: existing.id,
		shopifyOrderLegacyId: existing.legacyResourceId ?? null,
		shopifyOrderName: existing.name,
		shopifyAdminUrl: adminOrderUrl(domain, existing.legacyResourceId),
		totals: total
			? { currency: order.currency, amazon: order.totals?.grandTotal ?? null, shopify: total.amount, shopifyCurrency: total.currencyCode }
			: { currency: order.currency, amazon: order.totals?.grandTotal ?? null, shopify: null },
		warnings,
	};
}

interface CreatedOrder {
	id: string;
	legacyResourceId?: string;
	name: string;
	totalPriceSet?: { presentmentMoney?: { amount: string; currencyCode: string } };
}

/**
 * A merchant-fulfilled order imported after it shipped on Amazon is created fulfilled (orderCreate
 * `fulfillmentStatus: FULFILLED`); this puts Amazon's carrier and tracking on that fulfillment,
 * without notifying the customer. Never fails the import: the order exists, problems are warnings.
 */
async function addAmazonTracking(ctx: RunContext, shopifyOrderId: string, order: AmazonOrderJson): Promise<{ shipment: IDataObject; warnings: string[] }> {
	const packages = (Array.isArray(order.packages) ? order.packages : []).filter((p: AmazonPackageJson) => p.trackingNumber && p.status !== 'CANCELLED');
	const warnings: string[] = [];
	if (!packages.length) {
		return { shipment: { carrier: null, trackingNumbers: [], trackingAdded: false }, warnings: ['Amazon sent no package tracking for this order: its Shopify fulfillment has none.'] };
	}
	// Shopify keeps one carrier per fulfillment: the first package's carrier and its tracking numbers.
	const carrier = packages[0].carrier;
	const numbers = [...new Set(packages.filter((p) => p.carrier === carrier).map((p) => p.trackingNumber as string))];
	const others = packages.filter((p) => p.carrier !== carrier);
	if (others.length) {
		warnings.push(`Shopify keeps one carrier per fulfillment: the tracking of ${others.map((p) => `${p.carrier ?? 'unknown carrier'} ${p.trackingNumber}`).join(', ')} is not on it.`);
	}
	const shipment: IDataObject = { carrier, trackingNumbers: numbers, trackingAdded: false };
	let problem: string | undefined;
	try {
		const data = await ctx.shopify.run<{ order: { fulfillments: Array<{ id: string; status: string }> } | null }>('ImportedOrderFulfillments', { id: shopifyOrderId });
		const fulfillment = data.order?.fulfillments.find((f) => f.status !== 'CANCELLED');
		if (!fulfillment) {
			problem = 'Shopify shows no fulfillment on the new order';
		} else {
			const result = await ctx.shopify.run<{ fulfillmentTrackingInfoUpdate: { userErrors: Array<{ message: string }> } }>('ImportedOrderTracking', {
				fulfillmentId: fulfillment.id,
				trackingInfoInput: { ...(carrier ? { company: carrier } : {}), numbers },
			});
			const errors = result.fulfillmentTrackingInfoUpdate.userErrors;
			if (errors.length) problem = `Shopify refused it: ${errors.map((e) => e.message).join('; ')}`;
			else shipment.trackingAdded = true;
		}
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem) warnings.push(`Amazon's tracking (${carrier ?? 'unknown carrier'} ${numbers.join(', ')}) was not added to the Shopify fulfillment: ${problem}. Add it in Shopify if needed; the order is imported.`);
	return { shipment, warnings };
}

interface CreateResult {
	order?: CreatedOrder;
	existing?: LinkedOrderSummary;
	recovered?: boolean;
}

/** orderCreate, never twice: look again after an unknown outcome; a TAKEN metafield means "exists". */
async function createOnce(ctx: RunContext, plan: ShopifyOrderPlan, amazonOrderId: string, devStore: boolean, devStoreLimit: 'wait' | 'fail'): Promise<CreateResult> {
	const { shopify, clock } = ctx;
	let unknownOutcomes = 0;
	let limitWaits = 0;
	for (;;) {
		if (devStore) {
			const wait = devStoreWaitMs(shopify.shopKey, clock.now());
			if (wait > 0) {
				if (devStoreLimit === 'fail') {
					throw orderError(
						ctx.node,
						`Shopify development stores accept at most 5 new orders per minute; the next one fits in ${Math.ceil(wait / 1000)} s`,
						amazonOrderId,
						'orderCreate',
						'Run the step again in a minute, set "Development Store Limit" to Wait, or import into a paid store.',
					);
				}
				await clock.sleep(wait);
			}
		}
		let payload: { orderCreate: { order: CreatedOrder | null; userErrors: Array<{ field?: string[] | null; message: string; code?: string | null }> } };
		try {
			payload = await shopify.run('ImportAmazonOrder', { order: plan.input, options: plan.options });
		} catch (error) {
			if (!(error instanceof ShopifyUnknownOutcome)) throw asNodeError(ctx.node, error);
			// Maybe created, maybe not: look (exactly, by the unique metafield) before any retry.
			for (const delay of [0, 1000, 3000]) {
				if (delay) await clock.sleep(delay);
				const found = await findByMetafield(ctx, amazonOrderId);
				if (found) return { existing: found, recovered: true };
			}
			// Not there: the request never took effect, so sending it again cannot duplicate it.
			if (++unknownOutcomes <= 2) continue;
			throw orderError(
				ctx.node,
				`Shopify did not confirm the order for Amazon order ${amazonOrderId} after ${unknownOutcomes} attempts, and it does not exist`,
				amazonOrderId,
				'orderCreate',
				'Shopify did not answer. Run the step again later; the order will not be created twice.',
			);
		} finally {
			if (devStore) recordOrderCreate(shopify.shopKey, clock.now());
		}
		const { order, userErrors } = payload.orderCreate;
		if (order && userErrors.length === 0) return { order };
		const taken = userErrors.find((e) => e.code === 'TAKEN' || /already been taken|must be unique|already exists|unique/i.test(e.message));
		if (taken) {
			// A concurrent execution created it between our lookup and our create.
			const found = await findByMetafield(ctx, amazonOrderId);
			if (found) return { existing: found };
		}
		const limit = userErrors.find((e) => isDevStoreLimitError(e.message));
		if (limit && devStoreLimit === 'wait' && ++limitWaits <= 10) {
			// Rejected before anything was written: wait for the minute to pass, then send it again.
			await clock.sleep(Math.max(devStoreWaitMs(shopify.shopKey, clock.now()), 15_000));
			continue;
		}
		const parts = userErrors.map((e) => `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message}${e.code ? ` [${e.code}]` : ''}`);
		throw orderError(
			ctx.node,
			`Shopify refused to create the order for Amazon order ${amazonOrderId}: ${parts.join('; ') || 'no order returned'}`,
			amazonOrderId,
			userErrors[0]?.field?.join('.') ?? 'orderCreate',
			limit
				? 'Shopify development and trial stores accept at most 5 new orders per minute. Set "Development Store Limit" to Wait, or run the step again in a minute.'
				: userErrors.some((e) => e.code === 'INVENTORY_CLAIM_FAILED')
					? 'Shopify has fewer units than Amazon sold and the product does not allow overselling. Restock it, or set Options → Inventory to "Decrement, Ignoring Policy" (the sale already happened on Amazon).'
					: 'Shopify checked the input and refused it; nothing was created. The field path says which value to fix.',
		);
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number, ctx: RunContext): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as Options;
	const addressMode = options.shippingAddress ?? 'required';
	let order: AmazonOrderJson;
	try {
		order = await readOrder.call(this, itemIndex, ctx, addressMode === 'omit');
	} catch (error) {
		if (error instanceof AmazonOrderDataError) throw orderError(ctx.node, error.message, error.orderId, error.field, 'Amazon sent amounts that do not add up; check the order in Seller Central.');
		throw asNodeError(ctx.node, error);
	}
	const id = order.amazonOrderId;
	const warnings: string[] = [];
	const shop = await shopFacts(ctx.shopify, ctx.clock);

	// Never a duplicate: is it already in Shopify?
	await ensureAmazonOrderIdDefinition(ctx.shopify);
	const existing = await findExisting(ctx, id);
	if (existing) return existingOutput(order, existing, shop.myshopifyDomain, warnings, 'exists');

	if (order.status === 'CANCELLED') {
		return { created: false, skipped: true, reason: 'cancelled', ...summary(order), warnings: ['The order was canceled on Amazon before it was imported; nothing was created.'] };
	}
	try {
		assertImportable(order);
	} catch (error) {
		if (error instanceof OrderMappingError) throw orderError(ctx.node, error.message, id, error.field, error.hint);
		throw asNodeError(ctx.node, error);
	}
	if (addressMode === 'required' && order.fulfillmentChannel === 'MFN' && IMPORTABLE_SHIP_STATUSES.has(order.status) && !order.addressComplete) {
		throw orderError(
			ctx.node,
			`Amazon order ${id} has no complete shipping address (name, street, city, postal code, country), and it must be shipped from Shopify`,
			id,
			'shippingAddress',
			'Amazon sends the address only to apps with the "Direct-to-Consumer Shipping" role: add the role to the app and re-authorize it. Or set Options → Shipping Address to "When Available".',
		);
	}
	if (addressMode === 'ifAvailable' && order.fulfillmentChannel === 'MFN' && IMPORTABLE_SHIP_STATUSES.has(order.status) && !order.addressComplete) {
		warnings.push('Imported with an incomplete shipping address (Amazon sends the full address only to apps with the Direct-to-Consumer Shipping role); complete it before shipping.');
	}
	if (order.fulfillmentChannel === 'MFN' && order.status === 'PARTIALLY_SHIPPED') {
		warnings.push('Part of this order was already shipped on Amazon; it was imported unfulfilled. Fulfil only what is left.');
	}

	// SKUs
	const rows = ((this.getNodeParameter('skuMapping', itemIndex, {}) as IDataObject).mappings ?? []) as Array<{ amazonSku?: string; shopifySku?: string }>;
	let mapping: Map<string, string>;
	try {
		mapping = parseSkuMapping(rows, options.skuMappingJson);
	} catch (error) {
		throw orderError(ctx.node, `SKU Mapping (JSON) is not valid JSON: ${(error as Error).message}`, id, 'options.skuMappingJson', 'Write it as {"Amazon SKU": "Shopify SKU"}.');
	}
	const skus = await resolveSkus(ctx.shopify, ctx.skuCache, order.items, mapping);
	warnings.push(...skus.warnings);
	const unknownPolicy = this.getNodeParameter('unknownSku', itemIndex, 'customLineItem') as string;
	if (skus.unknown.length && unknownPolicy === 'fail') {
		throw orderError(
			ctx.node,
			`Amazon order ${id} has SKUs that match no Shopify variant: ${skus.unknown.join(', ')}`,
			id,
			'items.sku',
			'Add the products to Shopify, map the SKUs in "SKU Mapping", or set "Unknown SKUs" to create custom line items.',
		);
	}
	if (skus.unknown.length && unknownPolicy === 'skip') {
		return { created: false, skipped: true, reason: 'unknownSku', unknownSkus: skus.unknown, ...summary(order), warnings };
	}

	// Replacement: link to the Shopify order of the original.
	let replacedShopifyOrder: { id: string; name: string } | undefined;
	if (order.isReplacement && order.replacedOrderId) {
		const original = await findExisting(ctx, order.replacedOrderId);
		if (original) replacedShopifyOrder = { id: original.id, name: original.name };
		else warnings.push(`The original Amazon order ${order.replacedOrderId} of this replacement is not in Shopify.`);
	}

	const rates = parseRates(ctx.node, options.exchangeRates, id);
	if (!isSupportedCurrency(shop.currencyCode)) {
		throw orderError(ctx.node, `The shop currency ${shop.currencyCode} is not supported`, id, 'shopCurrency', 'Check the Shopify store currency.');
	}
	let plan: ShopifyOrderPlan;
	try {
		plan = buildShopifyOrderInput(order, {
			shopCurrency: shop.currencyCode,
			namePattern: options.namePattern?.trim() || 'AMZ-{orderId}',
			extraTags: (options.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean),
			lines: skus.lines,
			taxesIncluded: options.taxesIncluded ?? 'auto',
			channelLiable: options.channelLiable ?? 'auto',
			includeShippingAddress: addressMode !== 'omit',
			upsertCustomer: options.customer === 'fromBuyerEmail',
			exchangeRate: rates.get(order.currency),
			inventoryBehaviour: options.inventoryBehaviour ?? 'DECREMENT_IGNORING_POLICY',
			replacedShopifyOrder,
			taxTitle: options.taxTitle,
		});
	} catch (error) {
		if (error instanceof TotalsMismatchError) {
			throw orderError(ctx.node, error.message, id, 'totals', 'Nothing was created. Check the order in Seller Central, and report the order ID if Amazon\'s numbers look right.');
		}
		if (error instanceof OrderMappingError) throw orderError(ctx.node, error.message, id, error.field, error.hint);
		throw asNodeError(ctx.node, error);
	}
	warnings.push(...plan.warnings);
	if (order.currency !== shop.currencyCode && !rates.get(order.currency)) {
		warnings.push(`The order is in ${order.currency} and the shop in ${shop.currencyCode}: Shopify converted the amounts (no exchange rate was given).`);
	}

	const result = await createOnce(ctx, plan, id, shop.devStore, options.devStoreLimit ?? 'wait');
	const lineDetails = order.items.map((item, i) => {
		const r = skus.lines[i];
		return {
			orderItemId: item.orderItemId,
			amazonSku: item.sku,
			quantity: item.quantity,
			resolution: r.kind === 'variant' ? (r.mappedFrom ? 'mapped' : 'matched') : 'customLineItem',
			shopifySku: r.kind === 'variant' ? r.shopifySku : item.sku,
			variantId: r.kind === 'variant' ? r.variantId : null,
		};
	});
	const lines = {
		total: lineDetails.length,
		matched: lineDetails.filter((l) => l.resolution === 'matched').length,
		mapped: lineDetails.filter((l) => l.resolution === 'mapped').length,
		customLineItems: lineDetails.filter((l) => l.resolution === 'customLineItem').length,
		unknownSkus: skus.unknown,
		details: lineDetails,
	};
	if (result.existing) {
		const out = existingOutput(order, result.existing, shop.myshopifyDomain, warnings, result.recovered ? 'createdResponseLost' : 'createdConcurrently');
		// Shopify committed our create but the answer was lost: this execution did create it.
		return { ...out, created: result.recovered === true, recoveredAfterLostResponse: result.recovered === true, lines };
	}
	const created = result.order!;
	let amazonShipment: IDataObject | undefined;
	if (order.fulfillmentChannel === 'MFN' && order.status === 'SHIPPED') {
		const tracked = await addAmazonTracking(ctx, created.id, order);
		amazonShipment = tracked.shipment;
		warnings.push(...tracked.warnings);
	}
	const reported = created.totalPriceSet?.presentmentMoney;
	if (reported && reported.currencyCode === order.currency && reported.amount !== undefined) {
		const same = toMinor(reported.amount, order.currency, { rounding: 'halfUp' }) === toMinor(plan.totals.shopify, order.currency);
		if (!same) warnings.push(`Shopify reports a total of ${reported.currencyCode} ${reported.amount}, not ${plan.totals.currency} ${plan.totals.shopify}. Check the order.`);
	}
	return {
		created: true,
		...summary(order),
		shopifyOrderId: created.id,
		shopifyOrderLegacyId: created.legacyResourceId ?? null,
		shopifyOrderName: created.name,
		shopifyAdminUrl: adminOrderUrl(shop.myshopifyDomain, created.legacyResourceId),
		totals: { ...plan.totals, shopifyReported: reported?.amount ?? null },
		taxesIncluded: plan.taxesIncluded,
		inventoryBehaviour: plan.options.inventoryBehaviour,
		tags: plan.input.tags as string[],
		lines,
		...(amazonShipment ? { fulfilledOnImport: { reason: 'shippedOnAmazon', ...amazonShipment } } : {}),
		warnings,
	};
}

/** What the router puts in an error item (continueOnFail) or in the thrown error. */
export function describeFailure(error: unknown): { message: string; description?: string; orderId?: string; field?: string } {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const context = error.context ?? {};
		return {
			message: error.message,
			description: error.description ?? undefined,
			orderId: typeof context.amazonOrderId === 'string' ? context.amazonOrderId : undefined,
			field: typeof context.field === 'string' ? context.field : undefined,
		};
	}
	return { message: (error as Error)?.message ?? String(error) };
}
