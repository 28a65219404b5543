/**
 * Shipment → Confirm: one Shopify fulfillment (or explicit fields) -> Amazon confirmShipment, one
 * call per package.
 *
 * Amazon calls per fulfillment, at most:
 *   - 0 when the fulfillment is skipped from its linkage (not Amazon, FBA, imported after it was
 *     shipped on Amazon, fulfillment cancelled) or refused by the input checks;
 *   - 1 confirmShipment per package (usually 1), when the linkage stored at import gives the
 *     marketplace, the latest ship date and the Amazon programs (Create Shopify Order writes them);
 *   - + 1 getOrder for Explicit Fields (they name no marketplace), when the linkage lacks the
 *     marketplace (or, with "When Needed", the latest ship date), when Verify Order on Amazon is
 *     "Always", or to explain a refusal (a cancelled order, an order already fully shipped). One
 *     getOrder per Amazon order per execution: fulfillments of the same order share it.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isAmazonOrderId, TAG_AMAZON, TAG_SHIPPED_ON_AMAZON } from '../../../shared/linkage';
import type { EventAmazonLinkage, EventFulfillment, EventShopifyOrder, LinkedOrder } from '../../../shared/orderEvents';
import { amazonOf, fulfillmentFromWebhook, gid, isOrderEvent, legacyId, PayloadError, shopifyOrderOf } from '../../../shared/orderEvents';
import * as amazonApi from '../../../shared/transport/amazon/api';
import type { SpApiErrorEntry } from '../../../shared/transport/amazon/errors';
import type { SpOrder } from '../../../shared/transport/amazon/types';
import type { PlannedPackage, ShipmentPlan, ShipmentRequest } from './packages';
import { planShipment } from './packages';
import type { RunContext } from '../context';

const SHOW = { resource: ['shipment'], operation: ['confirm'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'source',
		type: 'options',
		displayOptions: { show: SHOW },
		options: [
			{
				name: 'Shopify Fulfillment From Input',
				value: 'event',
				description:
					'Each input item is a fulfillment event of the Shopify Order Events Trigger (or a raw Shopify fulfillment webhook payload)',
			},
			{
				name: 'Explicit Fields',
				value: 'fields',
				description: 'Give the Amazon order, items, carrier and tracking here',
			},
		],
		default: 'event',
	},
	{
		displayName: 'Amazon Order ID',
		name: 'amazonOrderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '113-1234567-1234567',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
	},
	{
		displayName: 'Items',
		name: 'items',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		description: 'Amazon order items in this package. Leave empty to ship every item not shipped yet.',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{ displayName: 'Order Item ID', name: 'orderItemId', type: 'string', default: '', placeholder: '12345678901234' },
					{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
				],
			},
		],
	},
	{
		displayName: 'Carrier',
		name: 'carrier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'UPS',
		description: 'Shopify tracking company or Amazon carrier code. Unknown carriers are sent as "Other" with this name.',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
	},
	{
		displayName: 'Tracking Numbers',
		name: 'trackingNumbers',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1Z999AA10123456784',
		description: 'One or more, separated by commas. Each tracking number is one package.',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
	},
	{
		displayName: 'Ship Date',
		name: 'shipDate',
		type: 'dateTime',
		default: '',
		description: 'When the package left. Empty: now.',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
	},
	{
		displayName: 'Package Reference ID',
		name: 'packageReferenceId',
		type: 'string',
		default: '',
		description:
			'Amazon package to create or edit (a positive whole number). Empty: derived from the order and the tracking number, so resending the same tracking number edits the same package.',
		displayOptions: { show: { ...SHOW, source: ['fields'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: SHOW },
		options: [
			{
				displayName: 'Carrier Mappings',
				name: 'carrierMappings',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Carrier Mapping',
				default: {},
				description:
					'Your own Shopify carrier → Amazon carrier code pairs, checked before the built-in table. Map to "Other" to send the Shopify name as carrier name.',
				options: [
					{
						displayName: 'Mapping',
						name: 'mapping',
						values: [
							{ displayName: 'Shopify Carrier', name: 'shopifyCarrier', type: 'string', default: '', placeholder: 'Bob\'s Couriers' },
							{ displayName: 'Amazon Carrier Code', name: 'amazonCarrierCode', type: 'string', default: '', placeholder: 'DPD' },
						],
					},
				],
			},
			{
				displayName: 'Multiple Tracking Numbers',
				name: 'multipleTrackingNumbers',
				type: 'options',
				options: [
					{
						name: 'One Package per Tracking Number',
						value: 'splitItems',
						description: 'The shipped units are divided among the packages in line order',
					},
					{
						name: 'First Tracking Number Only',
						value: 'firstOnly',
						description: 'Send one package with every item and the first tracking number',
					},
				],
				default: 'splitItems',
			},
			{
				displayName: 'Shipping Method',
				name: 'shippingMethod',
				type: 'string',
				default: '',
				placeholder: 'UPS Ground',
				description: 'Carrier service sent to Amazon with every package',
			},
			{
				displayName: 'Verify Order on Amazon',
				name: 'verifyOrder',
				type: 'options',
				options: [
					{
						name: 'When Needed',
						value: 'whenNeeded',
						description:
							'Read the Amazon order first only when it is needed: Explicit Fields (they name no marketplace), or a linkage without the marketplace or the latest ship date. Otherwise only to explain a refusal.',
					},
					{
						name: 'Always',
						value: 'always',
						description: 'Read the Amazon order first: cancelled orders are skipped and quantities checked before anything is sent',
					},
					{
						name: 'Only on Refusal',
						value: 'onRefusal',
						description:
							'Read the order up front only where confirmShipment needs its marketplace: Explicit Fields (they name none) and a linkage without amazon.marketplace_id. Otherwise only to explain a refusal; lateness is then only known from the linkage.',
					},
				],
				default: 'whenNeeded',
			},
		],
	},
];

// ------------------------------------------------------------------------------------------ types

export type SkipReason = 'notAmazonOrder' | 'fbaOrder' | 'shippedOnAmazon' | 'canceledOnAmazon' | 'fulfillmentNotShipped' | 'notAFulfillment' | 'alreadyConfirmed';

export interface AmazonCallCount {
	getOrder: number;
	confirmShipment: number;
	total: number;
}

export type ConfirmResult = { output: 'confirmed' | 'skipped'; json: IDataObject };

/** An error that names the order and the field; the router turns it into a NodeOperationError. */
export class ConfirmError extends Error {
	constructor(
		message: string,
		readonly description: string,
		readonly amazonOrderId?: string,
		readonly field?: string,
	) {
		super(message);
		this.name = 'ConfirmError';
	}
}

interface Source {
	amazonOrderId: string;
	marketplaceId: string | null;
	latestShipDate: string | null;
	programs: string[];
	shopifyOrder: Pick<EventShopifyOrder, 'id' | 'name'> | null;
	fulfillment: Pick<EventFulfillment, 'id' | 'name'> | null;
	request: Omit<ShipmentRequest, 'multipleTrackingNumbers' | 'carrierTable' | 'shippingMethod'>;
	/** Explicit fields without items: ship everything not shipped yet (needs the Amazon order). */
	allRemaining: boolean;
}

interface Options {
	carrierMappings?: { mapping?: Array<{ shopifyCarrier?: string; amazonCarrierCode?: string }> };
	multipleTrackingNumbers?: 'splitItems' | 'firstOnly';
	shippingMethod?: string;
	verifyOrder?: 'whenNeeded' | 'always' | 'onRefusal';
}

// ---------------------------------------------------------------------------------------- helpers

function skipped(reason: SkipReason, message: string, context: IDataObject, calls: AmazonCallCount): ConfirmResult {
	return { output: 'skipped', json: { status: 'skipped', reason, message, ...context, amazonCalls: { ...calls } } };
}

function describeOrder(source: Pick<Source, 'amazonOrderId' | 'shopifyOrder' | 'fulfillment'>): string {
	const parts = [source.shopifyOrder?.name ? `Shopify ${source.shopifyOrder.name}` : null, source.fulfillment?.name ? `fulfillment ${source.fulfillment.name}` : null].filter(Boolean);
	return `Amazon order ${source.amazonOrderId}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function carrierTableOf(options: Options): Record<string, string> | undefined {
	const entries = (options.carrierMappings?.mapping ?? [])
		.filter((m) => (m.shopifyCarrier ?? '').trim() && (m.amazonCarrierCode ?? '').trim())
		.map((m) => [String(m.shopifyCarrier).trim(), String(m.amazonCarrierCode).trim()] as const);
	return entries.length ? Object.fromEntries(entries) : undefined;
}

function spApiErrorsOf(error: unknown): SpApiErrorEntry[] {
	const response = (error as { errorResponse?: { errors?: unknown } }).errorResponse;
	return Array.isArray(response?.errors) ? (response.errors as SpApiErrorEntry[]) : [];
}

function orderedFromLinkage(linkage: EventAmazonLinkage): Map<string, number> {
	const ordered = new Map<string, number>();
	for (const line of linkage.lineItems) ordered.set(line.orderItemId, (ordered.get(line.orderItemId) ?? 0) + line.quantity);
	return ordered;
}

// ------------------------------------------------------------------------------------ input read

async function linkageFromShopify(ctx: RunContext, orderLegacyId: string): Promise<{ shopifyOrder: EventShopifyOrder; amazon: EventAmazonLinkage | null }> {
	let cached = ctx.linkageCache.get(orderLegacyId);
	if (!cached) {
		cached = (async () => {
			const shopify = await ctx.shopify();
			const data = await shopify.run<{ order: LinkedOrder | null }>('OrderAmazonMapping', { id: gid('Order', orderLegacyId) });
			if (!data.order) {
				throw new ConfirmError(`Shopify order ${orderLegacyId} does not exist`, 'Check that the fulfillment belongs to the shop of the Shopify credential.', undefined, 'order_id');
			}
			return { shopifyOrder: shopifyOrderOf(data.order, orderLegacyId), amazon: amazonOf(data.order) };
		})();
		ctx.linkageCache.set(orderLegacyId, cached);
	}
	return await cached;
}

function parseRawFulfillment(json: IDataObject): ReturnType<typeof fulfillmentFromWebhook> {
	let problem: string | undefined;
	try {
		return fulfillmentFromWebhook(json);
	} catch (error) {
		if (!(error instanceof PayloadError)) problem = `unexpected payload (${(error as Error).message})`;
		else problem = error.message;
	}
	throw new ConfirmError(`The input is not a valid Shopify fulfillment: ${problem}`, 'Pass a fulfillment event of the Shopify Order Events Trigger.', undefined, 'fulfillment');
}

type ReadResult = { source: Source } | { skip: ConfirmResult };

async function readFromEvent(ctx: RunContext, json: IDataObject, calls: AmazonCallCount): Promise<ReadResult> {
	let fulfillment: EventFulfillment;
	let shopifyOrder: EventShopifyOrder;
	let amazon: EventAmazonLinkage | null;
	if (isOrderEvent(json)) {
		if (!json.fulfillment || (json.event !== 'fulfillmentCreated' && json.event !== 'fulfillmentUpdated')) {
			return { skip: skipped('notAFulfillment', `The input is a ${json.event} event, not a fulfillment: nothing to confirm.`, { shopifyOrder: json.shopifyOrder }, calls) };
		}
		fulfillment = json.fulfillment;
		shopifyOrder = json.shopifyOrder;
		amazon = json.amazon;
		if (json.linkageError) ({ shopifyOrder, amazon } = await linkageFromShopify(ctx, shopifyOrder.legacyResourceId));
	} else if (json.order_id !== undefined && (json.tracking_numbers !== undefined || json.line_items !== undefined)) {
		const parsed = parseRawFulfillment(json);
		fulfillment = parsed.fulfillment;
		({ shopifyOrder, amazon } = await linkageFromShopify(ctx, parsed.orderLegacyId));
		const ids = new Map((amazon?.lineItems ?? []).map((l) => [legacyId(l.lineItemId), l.orderItemId]));
		fulfillment = { ...fulfillment, lineItems: fulfillment.lineItems.map((l) => ({ ...l, orderItemId: ids.get(legacyId(l.lineItemId)) ?? l.orderItemId })) };
	} else {
		throw new ConfirmError(
			'The input item is neither a Shopify Order Events Trigger event nor a Shopify fulfillment',
			'Connect the Shopify Order Events Trigger, or set Input to Explicit Fields.',
			undefined,
			'input',
		);
	}

	const context: IDataObject = {
		amazonOrderId: amazon?.amazonOrderId ?? null,
		shopifyOrder: { id: shopifyOrder.id, name: shopifyOrder.name },
		fulfillment: { id: fulfillment.id, name: fulfillment.name },
	};
	if (!amazon) {
		if (shopifyOrder.tags.includes(TAG_AMAZON)) {
			throw new ConfirmError(
				`Shopify order ${shopifyOrder.name ?? shopifyOrder.legacyResourceId} is tagged ${TAG_AMAZON} but has no Amazon order ID (metafield amazon.order_id, or the source identifier)`,
				'Without the linkage the node cannot tell which Amazon order to confirm. Re-import the order with Create Shopify Order, or set the metafield amazon.order_id on the Shopify order.',
				undefined,
				'amazon.order_id',
			);
		}
		return { skip: skipped('notAmazonOrder', `Shopify order ${shopifyOrder.name ?? shopifyOrder.legacyResourceId} is not an Amazon order.`, context, calls) };
	}
	if (amazon.isFba) {
		return { skip: skipped('fbaOrder', `Amazon order ${amazon.amazonOrderId} is fulfilled by Amazon (FBA): Amazon ships and confirms it.`, context, calls) };
	}
	if (shopifyOrder.tags.includes(TAG_SHIPPED_ON_AMAZON)) {
		return {
			skip: skipped(
				'shippedOnAmazon',
				`Amazon order ${amazon.amazonOrderId} was already shipped on Amazon when it was imported (tagged "${TAG_SHIPPED_ON_AMAZON}"): its Shopify fulfillment records Amazon's shipment, so there is nothing to confirm.`,
				context,
				calls,
			),
		};
	}
	if (fulfillment.status === 'CANCELLED' || fulfillment.status === 'ERROR' || fulfillment.status === 'FAILURE') {
		return {
			skip: skipped(
				'fulfillmentNotShipped',
				`Fulfillment ${fulfillment.name ?? fulfillment.legacyResourceId} is ${fulfillment.status.toLowerCase()} in Shopify: nothing shipped, nothing to confirm. (Amazon cannot un-confirm a package.)`,
				context,
				calls,
			),
		};
	}
	const source: Source = {
		amazonOrderId: amazon.amazonOrderId,
		marketplaceId: amazon.marketplaceId,
		latestShipDate: amazon.latestShipDate,
		programs: amazon.programs ?? [],
		shopifyOrder: { id: shopifyOrder.id, name: shopifyOrder.name },
		fulfillment: { id: fulfillment.id, name: fulfillment.name },
		allRemaining: false,
		request: {
			subject: '',
			amazonOrderId: amazon.amazonOrderId,
			fulfillmentLegacyId: fulfillment.legacyResourceId,
			carrier: fulfillment.trackingCompany,
			trackingNumbers: fulfillment.trackingNumbers,
			shipDate: fulfillment.createdAt,
			lines: fulfillment.lineItems.map((l) => ({ orderItemId: l.orderItemId, quantity: l.quantity, label: `${l.sku ?? 'without SKU'} (${l.lineItemId})` })),
			ordered: orderedFromLinkage(amazon),
		},
	};
	source.request.subject = describeOrder(source);
	return { source };
}

function readFromFields(ctx: IExecuteFunctions, i: number): Source {
	const amazonOrderId = String(ctx.getNodeParameter('amazonOrderId', i, '')).trim();
	if (!isAmazonOrderId(amazonOrderId)) {
		throw new ConfirmError(`"${amazonOrderId}" is not an Amazon order ID`, 'Amazon order IDs look like 113-1234567-1234567.', undefined, 'amazonOrderId');
	}
	const rows = (ctx.getNodeParameter('items', i, {}) as { item?: Array<{ orderItemId?: string; quantity?: number }> }).item ?? [];
	const lines = rows.map((row, index) => ({ orderItemId: String(row.orderItemId ?? '').trim() || null, quantity: Number(row.quantity ?? 0), label: `Items[${index}]` }));
	const packageReferenceId = String(ctx.getNodeParameter('packageReferenceId', i, '')).trim();
	const shipDate = String(ctx.getNodeParameter('shipDate', i, '') ?? '').trim();
	if (shipDate && Number.isNaN(Date.parse(shipDate))) {
		throw new ConfirmError(`Amazon order ${amazonOrderId}: Ship Date "${shipDate}" is not a date`, 'Use an ISO 8601 date-time such as 2026-11-27T14:00:00Z.', amazonOrderId, 'shipDate');
	}
	const source: Source = {
		amazonOrderId,
		marketplaceId: null,
		latestShipDate: null,
		programs: [],
		shopifyOrder: null,
		fulfillment: null,
		allRemaining: lines.length === 0,
		request: {
			subject: `Amazon order ${amazonOrderId}`,
			amazonOrderId,
			carrier: String(ctx.getNodeParameter('carrier', i, '')),
			trackingNumbers: String(ctx.getNodeParameter('trackingNumbers', i, '')).split(',').map((n) => n.trim()).filter(Boolean),
			shipDate: shipDate || null,
			lines,
			...(packageReferenceId ? { packageReferenceId } : {}),
		},
	};
	return source;
}

// ----------------------------------------------------------------------------------- Amazon side

async function amazonOrder(ctx: RunContext, amazonOrderId: string, calls: AmazonCallCount): Promise<SpOrder> {
	let cached = ctx.orderCache.get(amazonOrderId);
	if (!cached) {
		calls.getOrder++;
		calls.total++;
		cached = (async () => await amazonApi.getOrder(await ctx.amazon(), amazonOrderId, ['FULFILLMENT', 'PACKAGES']))();
		ctx.orderCache.set(amazonOrderId, cached);
	}
	return await cached;
}

/** Checks that need the Amazon order. Returns a skip, or updates `source` and the plan inputs. */
function checkAgainstOrder(source: Source, order: SpOrder, calls: AmazonCallCount, context: IDataObject): ConfirmResult | undefined {
	const subject = source.request.subject;
	if (order.fulfillment?.fulfilledBy === 'AMAZON') {
		return skipped('fbaOrder', `${subject} is fulfilled by Amazon (FBA): Amazon ships and confirms it.`, context, calls);
	}
	const status = order.fulfillment?.fulfillmentStatus;
	if (status === 'CANCELLED') {
		return skipped('canceledOnAmazon', `${subject} is canceled on Amazon: it must not be shipped, and Amazon refuses a shipment confirmation.`, context, calls);
	}
	if ((order.programs ?? []).includes('FBM_SHIP_PLUS')) throw shipPlusError(source);
	if (status === 'PENDING' || status === 'PENDING_AVAILABILITY') {
		throw new ConfirmError(
			`${subject} is ${status} on Amazon: the buyer's payment is not authorized yet, so it cannot be confirmed as shipped`,
			'Do not ship Pending orders. Run this step again once Amazon shows the order as Unshipped.',
			source.amazonOrderId,
			'amazonOrderId',
		);
	}
	source.marketplaceId = order.salesChannel?.marketplaceId ?? source.marketplaceId;
	source.latestShipDate = order.fulfillment?.shipByWindow?.latestDateTime ?? source.latestShipDate;
	const ordered = new Map(order.orderItems.map((item) => [item.orderItemId, item.quantityOrdered]));
	if (source.allRemaining) {
		source.request.lines = order.orderItems
			.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered - (item.fulfillment?.quantityFulfilled ?? 0), label: item.orderItemId }))
			.filter((line) => line.quantity > 0);
		if (source.request.lines.length === 0) {
			return skipped('alreadyConfirmed', `${subject}: every item is shipped on Amazon already.`, context, calls);
		}
	}
	source.request.ordered = ordered;
	return undefined;
}

/** Quantities already on Amazon in packages other than the ones this shipment writes. */
function checkRemaining(source: Source, order: SpOrder, plan: ShipmentPlan): void {
	const ours = new Set(plan.packages.map((p) => p.packageReferenceId));
	const elsewhere = new Map<string, number>();
	for (const pkg of order.packages ?? []) {
		if (ours.has(pkg.packageReferenceId)) continue;
		for (const item of pkg.packageItems ?? []) elsewhere.set(item.orderItemId, (elsewhere.get(item.orderItemId) ?? 0) + item.quantity);
	}
	for (const [orderItemId, quantity] of plan.totals) {
		const item = order.orderItems.find((i) => i.orderItemId === orderItemId);
		if (!item) continue;
		const room = item.quantityOrdered - (elsewhere.get(orderItemId) ?? 0);
		if (quantity > room) {
			throw new ConfirmError(
				`${source.request.subject}: ${quantity} × order item ${orderItemId} shipped, but only ${Math.max(room, 0)} of ${item.quantityOrdered} are not in another Amazon package yet`,
				'Amazon already has packages for this item (from an earlier Shopify fulfillment, or confirmed in Seller Central). Check the order in Seller Central; nothing was sent.',
				source.amazonOrderId,
				'items.quantity',
			);
		}
	}
}

function samePackage(existing: NonNullable<SpOrder['packages']>[number], planned: PlannedPackage): boolean {
	const carrier = planned.carrierCode === 'Other' ? planned.carrierName : planned.carrierCode;
	const items = (list: Array<{ orderItemId: string; quantity: number }>) =>
		list.map((i) => `${i.orderItemId}x${i.quantity}`).sort().join(',');
	return (
		existing.trackingNumber === planned.trackingNumber &&
		existing.carrier === carrier &&
		items(existing.packageItems ?? []) === items(planned.orderItems) &&
		(existing.shipTime ?? '').slice(0, 10) === planned.shipDate.slice(0, 10)
	);
}

/** Keeps the execution's cached Amazon order in step with what was just confirmed (no extra call). */
function rememberPackage(ctx: RunContext, amazonOrderId: string, pkg: PlannedPackage): void {
	const cached = ctx.orderCache.get(amazonOrderId);
	if (!cached) return;
	void cached.then(
		(order) => {
			const packages = (order.packages ?? []).filter((p) => p.packageReferenceId !== pkg.packageReferenceId);
			packages.push({
				packageReferenceId: pkg.packageReferenceId,
				carrier: pkg.carrierCode === 'Other' ? pkg.carrierName : pkg.carrierCode,
				trackingNumber: pkg.trackingNumber,
				shipTime: pkg.shipDate,
				packageItems: pkg.orderItems.map((item) => ({ ...item })),
			});
			order.packages = packages;
		},
		() => undefined,
	);
}

function shipPlusError(source: Pick<Source, 'amazonOrderId' | 'request'>): ConfirmError {
	return new ConfirmError(
		`${source.request.subject} is a Ship+ order (FBM_SHIP_PLUS): Amazon does not accept shipment confirmations for it`,
		'Ship+ orders are confirmed by Amazon when the label is bought through Amazon Buy Shipping. Buy the label there (or in Seller Central); nothing was sent.',
		source.amazonOrderId,
		'amazonOrderId',
	);
}

async function explainRefusal(
	ctx: RunContext,
	source: Source,
	error: unknown,
	pkg: PlannedPackage,
	confirmed: PlannedPackage[],
	calls: AmazonCallCount,
	context: IDataObject,
): Promise<ConfirmResult | ConfirmError | undefined> {
	const first = spApiErrorsOf(error)[0] ?? {};
	const text = `${first.code ?? ''} ${first.message ?? ''} ${first.details ?? ''}`;
	const done = confirmed.length ? ` Packages already confirmed in this run: ${confirmed.map((p) => p.packageReferenceId).join(', ')}.` : '';
	const subject = source.request.subject;
	let order: SpOrder | undefined;
	if (first.code === 'PackageToUpdateNotFound' || /cancel|fulfilled by amazon|AFN/i.test(text)) {
		order = await amazonOrder(ctx, source.amazonOrderId, calls).catch(() => undefined);
	}
	if (order?.fulfillment?.fulfillmentStatus === 'CANCELLED' && confirmed.length === 0) {
		return skipped('canceledOnAmazon', `${subject} is canceled on Amazon: it must not be shipped. Amazon refused the confirmation: ${first.message ?? ''}`.trim(), context, calls);
	}
	if (order?.fulfillment?.fulfilledBy === 'AMAZON' && confirmed.length === 0) {
		return skipped('fbaOrder', `${subject} is fulfilled by Amazon (FBA): Amazon ships and confirms it.`, context, calls);
	}
	if (first.code === 'PackageToUpdateNotFound') {
		const packages = (order?.packages ?? []).map((p) => `${p.packageReferenceId} (${p.carrier ?? '?'} ${p.trackingNumber ?? ''})`.trim());
		return new ConfirmError(
			`${subject}: Amazon found no package ${pkg.packageReferenceId} to update and will not add one (PackageToUpdateNotFound)${order?.fulfillment?.fulfillmentStatus === 'SHIPPED' ? ': the order is already fully shipped on Amazon' : ''}.${done}`,
			`Amazon only accepts new packages while units are unshipped. ${packages.length ? `Its packages: ${packages.join('; ')}. ` : ''}To correct tracking, edit the Shopify fulfillment that created the package, or the package in Seller Central.`,
			source.amazonOrderId,
			'packageReferenceId',
		);
	}
	if (/FBM_SHIP_PLUS|Ship\+/i.test(text)) return shipPlusError(source);
	if (/carrier/i.test(text)) {
		return new ConfirmError(
			`${subject}: Amazon refused carrier "${pkg.carrierCode}${pkg.carrierName ? ` / ${pkg.carrierName}` : ''}": ${first.message ?? ''}${done}`,
			'Add a Carrier Mapping (Options) from the Shopify carrier to a valid Amazon carrier code, or to "Other" to send the name.',
			source.amazonOrderId,
			'carrierCode',
		);
	}
	if (done) {
		return new ConfirmError(`${subject}: package ${pkg.packageReferenceId} was refused: ${first.message ?? (error as Error).message}.${done}`, 'Fix the cause and run again: confirmed packages are edited in place, not duplicated.', source.amazonOrderId, 'packageDetail');
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------- execute

export async function execute(this: IExecuteFunctions, i: number, ctx: RunContext): Promise<ConfirmResult> {
	const calls: AmazonCallCount = { getOrder: 0, confirmShipment: 0, total: 0 };
	const options = this.getNodeParameter('options', i, {}) as Options;
	const verify = options.verifyOrder ?? 'whenNeeded';
	const sourceKind = this.getNodeParameter('source', i, 'event') as string;

	let source: Source;
	if (sourceKind === 'fields') {
		source = readFromFields(this, i);
	} else {
		const read = await readFromEvent(ctx, this.getInputData()[i].json, calls);
		if ('skip' in read) return read.skip;
		source = read.source;
	}
	const context: IDataObject = {
		amazonOrderId: source.amazonOrderId,
		shopifyOrder: source.shopifyOrder,
		fulfillment: source.fulfillment,
	};
	if (source.programs.includes('FBM_SHIP_PLUS')) throw shipPlusError(source);

	// Input checks that need no call run first: nothing reaches Amazon if they fail.
	const requestFor = (): ShipmentRequest => ({
		...source.request,
		multipleTrackingNumbers: options.multipleTrackingNumbers ?? 'splitItems',
		carrierTable: carrierTableOf(options),
		...(options.shippingMethod?.trim() ? { shippingMethod: options.shippingMethod.trim() } : {}),
	});
	const now = () => ctx.clock.now();
	if (!source.allRemaining) planShipment(requestFor(), now());

	let order: SpOrder | undefined;
	const needOrder =
		verify === 'always' || !source.marketplaceId || source.allRemaining || (verify === 'whenNeeded' && !source.latestShipDate);
	if (needOrder) {
		order = await amazonOrder(ctx, source.amazonOrderId, calls);
		const skip = checkAgainstOrder(source, order, calls, context);
		if (skip) return skip;
	}
	const plan = planShipment(requestFor(), now());
	if (order) {
		checkRemaining(source, order, plan);
		const existing = order.packages ?? [];
		if (plan.packages.every((p) => existing.some((e) => e.packageReferenceId === p.packageReferenceId && samePackage(e, p)))) {
			return skipped('alreadyConfirmed', `${source.request.subject}: Amazon already has ${plan.packages.length === 1 ? 'this package' : 'these packages'} with the same carrier, tracking and items.`, { ...context, packages: plan.packages.map((p) => p.packageReferenceId) }, calls);
		}
	}
	const marketplaceId = source.marketplaceId;
	if (!marketplaceId) {
		throw new ConfirmError(`${source.request.subject}: the Amazon marketplace is unknown`, 'The linkage has no amazon.marketplace_id metafield and the Amazon order could not be read.', source.amazonOrderId, 'marketplaceId');
	}

	const amazon = await ctx.amazon();
	const confirmed: PlannedPackage[] = [];
	for (const pkg of plan.packages) {
		try {
			calls.confirmShipment++;
			calls.total++;
			await amazonApi.confirmShipment(amazon, source.amazonOrderId, {
				marketplaceId,
				packageDetail: {
					packageReferenceId: pkg.packageReferenceId,
					carrierCode: pkg.carrierCode,
					...(pkg.carrierName ? { carrierName: pkg.carrierName } : {}),
					...(pkg.shippingMethod ? { shippingMethod: pkg.shippingMethod } : {}),
					trackingNumber: pkg.trackingNumber,
					shipDate: pkg.shipDate,
					orderItems: pkg.orderItems.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantity })),
				},
			});
			confirmed.push(pkg);
			rememberPackage(ctx, source.amazonOrderId, pkg);
		} catch (error) {
			const explained = await explainRefusal(ctx, source, error, pkg, confirmed, calls, context);
			if (explained instanceof ConfirmError) throw explained;
			if (explained) return explained;
			throw new NodeApiError(ctx.node, error as JsonObject);
		}
	}

	const confirmedAt = new Date(now()).toISOString();
	const latest = source.latestShipDate ? Date.parse(source.latestShipDate) : NaN;
	const late = Number.isNaN(latest) ? null : now() > latest;
	return {
		output: 'confirmed',
		json: {
			status: 'confirmed',
			...context,
			marketplaceId,
			packages: plan.packages.map((p) => ({
				packageReferenceId: p.packageReferenceId,
				trackingNumber: p.trackingNumber,
				carrierCode: p.carrierCode,
				carrierName: p.carrierName ?? null,
				carrierMapped: p.carrierMapped,
				shipDate: p.shipDate,
				orderItems: p.orderItems.map((item) => ({ ...item })),
			})),
			carrier: { shopifyCarrier: source.request.carrier, amazonCarrierCode: plan.carrier.carrierCode, carrierName: plan.carrier.carrierName ?? null, mapped: plan.carrier.mapped },
			shipDate: plan.shipDate,
			confirmedAt,
			latestShipDate: Number.isNaN(latest) ? null : new Date(latest).toISOString(),
			late,
			minutesLate: late ? Math.round((now() - latest) / 60000) : 0,
			unsentTrackingNumbers: plan.unsentTrackingNumbers,
			amazonCalls: { ...calls },
		},
	};
}
