/**
 * Shopify payloads -> the event shape of nodes/shared/orderEvents.ts, before enrichment.
 *
 * Webhooks carry REST payloads (snake_case, numeric ids, lower-case enums); polling reads GraphQL
 * (camelCase, GIDs, upper-case enums). Both are normalised here to the same values, so webhook
 * mode and polling mode emit identical events: GIDs + legacy ids as strings, ISO 8601 UTC times,
 * upper-case enums, money as decimal string + integer minor units in the presentment currency.
 * Only the fields an Amazon sync needs are read: no destination address, e-mail, phone or names.
 */
import { createHash } from 'crypto';

import { fromMinor, isSupportedCurrency, toMinor } from '../money';
import type {
	EventCancellation,
	EventCancelReason,
	EventFulfillment,
	EventFulfillmentStatus,
	EventMoney,
	EventRefund,
	EventRefundLineItem,
	EventRefundTransaction,
	EventRestockType,
} from './model';
import { orderItemIdFromRestProperties } from '../linkage';

type Json = Record<string, unknown>;

export class PayloadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PayloadError';
	}
}

// ---------------------------------------------------------------------------------------- readers

function obj(value: unknown): Json | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function arr(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function int(value: unknown, fallback = 0): number {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) ? n : fallback;
}

/** ISO 8601 UTC with milliseconds, or null. Shopify sends "2021-12-31T19:00:00-05:00" (REST) and "…Z" (GraphQL). */
export function isoTime(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function requiredTime(value: unknown, field: string): string {
	const iso = isoTime(value);
	if (!iso) throw new PayloadError(`The payload has no valid ${field}`);
	return iso;
}

// ------------------------------------------------------------------------------------------- ids

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)/;

export function gid(type: string, id: string | number): string {
	const text = String(id);
	return text.startsWith('gid://') ? text : `gid://shopify/${type}/${text}`;
}

export function legacyId(gidOrId: string): string {
	const match = GID.exec(gidOrId);
	return match ? match[2] : gidOrId;
}

/**
 * A numeric id from a REST payload, exact. JSON numbers above 2^53 lose digits when parsed, so
 * for those the digits are read from the raw body instead (`"order_id":820982911946154513`).
 */
export function exactRestId(value: unknown, key: string, rawBody?: string): string | null {
	if (typeof value === 'string' && /^\d+$/.test(value)) return value;
	if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return null;
	if (Number.isSafeInteger(value)) return String(value);
	if (rawBody) {
		const match = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(rawBody);
		if (match) return match[1];
	}
	return String(value);
}

/** The GID of a REST object: its admin_graphql_api_id, else built from the numeric id. */
function restGid(o: Json, type: string, rawBody?: string): string | null {
	const fromApi = str(o.admin_graphql_api_id);
	if (fromApi && GID.test(fromApi)) return fromApi;
	const id = exactRestId(o.id, 'id', rawBody);
	return id ? gid(type, id) : null;
}

// ----------------------------------------------------------------------------------------- money

function tryMinor(text: string, currency: string): number | undefined {
	try {
		return toMinor(text, currency, { rounding: 'halfEven' });
	} catch {
		return undefined;
	}
}

/** Decimal + minor units; unknown/absent currencies fall back to `fallbackCurrency`. */
export function eventMoney(amount: unknown, currency: string | null | undefined, fallbackCurrency: string): EventMoney {
	const code = currency && isSupportedCurrency(currency) ? currency : fallbackCurrency;
	const text = typeof amount === 'number' ? String(amount) : typeof amount === 'string' && amount.trim() !== '' ? amount.trim() : '0';
	const minor = tryMinor(text, code);
	if (minor === undefined) throw new PayloadError(`The payload has an invalid ${code} amount ${JSON.stringify(amount)}`);
	return { amount: fromMinor(minor, code), minor, currencyCode: code };
}

export function zeroMoney(currency: string): EventMoney {
	return eventMoney('0', currency, currency);
}

function addMoney(a: EventMoney, b: EventMoney): EventMoney {
	if (a.currencyCode !== b.currencyCode) {
		throw new PayloadError(`Cannot add ${b.currencyCode} to ${a.currencyCode}: the refund mixes currencies`);
	}
	const minor = a.minor + b.minor;
	return { amount: fromMinor(minor, a.currencyCode), minor, currencyCode: a.currencyCode };
}

function sum(values: EventMoney[], currency: string): EventMoney {
	return values.reduce(addMoney, zeroMoney(currency));
}

/** REST "*_set" bag: the presentment money (the order currency). */
function restSet(set: unknown): { amount: unknown; currency: string | null } | undefined {
	const money = obj(obj(set)?.presentment_money) ?? obj(obj(set)?.shop_money);
	if (!money) return undefined;
	return { amount: money.amount, currency: str(money.currency_code) };
}

/** GraphQL MoneyBag: the presentment money. */
function gqlSet(set: unknown): { amount: unknown; currency: string | null } | undefined {
	const money = obj(obj(set)?.presentmentMoney) ?? obj(obj(set)?.shopMoney);
	if (!money) return undefined;
	return { amount: money.amount, currency: str(money.currencyCode) };
}

function moneyFrom(bag: { amount: unknown; currency: string | null } | undefined, fallbackAmount: unknown, currency: string): EventMoney {
	if (bag) return eventMoney(bag.amount, bag.currency, currency);
	return eventMoney(fallbackAmount, currency, currency);
}

/** The presentment currency a REST refund is expressed in, from the first money bag that says so. */
function restRefundCurrency(refund: Json): string | null {
	for (const line of arr(refund.refund_line_items)) {
		const currency = restSet(obj(line)?.subtotal_set)?.currency;
		if (currency && isSupportedCurrency(currency)) return currency;
	}
	for (const line of arr(refund.refund_shipping_lines)) {
		const currency = restSet(obj(line)?.subtotal_amount_set)?.currency;
		if (currency && isSupportedCurrency(currency)) return currency;
	}
	for (const adj of arr(refund.order_adjustments)) {
		const currency = restSet(obj(adj)?.amount_set)?.currency;
		if (currency && isSupportedCurrency(currency)) return currency;
	}
	for (const t of arr(refund.transactions)) {
		const currency = str(obj(t)?.currency);
		if (currency && isSupportedCurrency(currency)) return currency;
	}
	return null;
}

// ----------------------------------------------------------------------------------- fulfillment

const FULFILLMENT_STATUSES: readonly EventFulfillmentStatus[] = ['SUCCESS', 'CANCELLED', 'ERROR', 'FAILURE', 'PENDING', 'OPEN'];

function fulfillmentStatus(value: unknown): EventFulfillmentStatus {
	const upper = String(value ?? '').toUpperCase() as EventFulfillmentStatus;
	return FULFILLMENT_STATUSES.includes(upper) ? upper : 'SUCCESS';
}

function cleanList(values: unknown[]): string[] {
	const out: string[] = [];
	for (const value of values) {
		const text = str(value);
		if (text && !out.includes(text)) out.push(text);
	}
	return out;
}

export interface ParsedFulfillment {
	orderLegacyId: string;
	fulfillment: EventFulfillment;
}

/** fulfillments/create and fulfillments/update payloads (REST). */
export function fulfillmentFromWebhook(payload: Json, rawBody?: string): ParsedFulfillment {
	const id = restGid(payload, 'Fulfillment', rawBody);
	const orderLegacyId = exactRestId(payload.order_id, 'order_id', rawBody);
	if (!id || !orderLegacyId) throw new PayloadError('The fulfillment payload has no id or order_id');
	const numbers = arr(payload.tracking_numbers).length ? arr(payload.tracking_numbers) : [payload.tracking_number];
	const urls = arr(payload.tracking_urls).length ? arr(payload.tracking_urls) : [payload.tracking_url];
	const lineItems = arr(payload.line_items).flatMap((raw) => {
		const line = obj(raw);
		if (!line) return [];
		const lineItemId = restGid(line, 'LineItem');
		if (!lineItemId) return [];
		return [
			{
				lineItemId,
				quantity: int(line.quantity),
				orderItemId: orderItemIdFromRestProperties(arr(line.properties) as Array<{ name?: string; value?: unknown }>) ?? null,
				sku: str(line.sku),
			},
		];
	});
	return {
		orderLegacyId,
		fulfillment: {
			id,
			legacyResourceId: legacyId(id),
			name: str(payload.name),
			status: fulfillmentStatus(payload.status),
			createdAt: requiredTime(payload.created_at, 'created_at'),
			updatedAt: isoTime(payload.updated_at) ?? requiredTime(payload.created_at, 'created_at'),
			trackingCompany: str(payload.tracking_company),
			trackingNumbers: cleanList(numbers),
			trackingUrls: cleanList(urls),
			lineItems,
		},
	};
}

/** A GraphQL Fulfillment (polling; selection in documents.ts FulfillmentEventDetails). */
export function fulfillmentFromGraphql(node: Json): EventFulfillment {
	const id = str(node.id);
	if (!id) throw new PayloadError('The fulfillment has no id');
	const tracking = arr(node.trackingInfo).map((t) => obj(t) ?? {});
	const lineItems = arr(obj(node.fulfillmentLineItems)?.nodes).flatMap((raw) => {
		const line = obj(raw);
		const item = obj(line?.lineItem);
		const lineItemId = str(item?.id);
		if (!line || !lineItemId) return [];
		const attributes = arr(item?.customAttributes).map((a) => ({ name: str(obj(a)?.key) ?? undefined, value: obj(a)?.value }));
		return [{ lineItemId, quantity: int(line.quantity), orderItemId: orderItemIdFromRestProperties(attributes) ?? null, sku: str(item?.sku) }];
	});
	return {
		id,
		legacyResourceId: str(node.legacyResourceId) ?? legacyId(id),
		name: str(node.name),
		status: fulfillmentStatus(node.status),
		createdAt: requiredTime(node.createdAt, 'createdAt'),
		updatedAt: isoTime(node.updatedAt) ?? requiredTime(node.createdAt, 'createdAt'),
		trackingCompany: tracking.map((t) => str(t.company)).find((c): c is string => c !== null) ?? null,
		trackingNumbers: cleanList(tracking.map((t) => t.number)),
		trackingUrls: cleanList(tracking.map((t) => t.url)),
		lineItems,
	};
}

/**
 * What an Amazon confirmation depends on: status group, carrier, tracking numbers and URLs, and the
 * shipped lines. Shipment-status updates (in transit, delivered) leave it unchanged, so they are
 * not re-emitted as "tracking changed".
 */
export function fulfillmentFingerprint(f: EventFulfillment): string {
	const lines = f.lineItems.map((l) => `${legacyId(l.lineItemId)}x${l.quantity}`).sort();
	const material = JSON.stringify([
		f.status === 'CANCELLED' ? 'cancelled' : 'active',
		(f.trackingCompany ?? '').toLowerCase(),
		f.trackingNumbers,
		f.trackingUrls,
		lines,
	]);
	return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------- refund

const RESTOCK_TYPES: readonly EventRestockType[] = ['NO_RESTOCK', 'CANCEL', 'RETURN', 'LEGACY_RESTOCK'];

function restockType(value: unknown): EventRestockType {
	const upper = String(value ?? '').toUpperCase() as EventRestockType;
	return RESTOCK_TYPES.includes(upper) ? upper : 'NO_RESTOCK';
}

function finishRefund(base: Omit<EventRefund, 'totals' | 'isZeroAmount'>): EventRefund {
	const c = base.currencyCode;
	const refunded = sum(
		base.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS' && t.amount.currencyCode === c).map((t) => t.amount),
		c,
	);
	return {
		...base,
		totals: {
			lineItemsSubtotal: sum(base.refundLineItems.map((l) => l.subtotal), c),
			lineItemsTax: sum(base.refundLineItems.map((l) => l.totalTax), c),
			shipping: base.shipping.subtotal,
			shippingTax: base.shipping.tax,
			refunded,
		},
		isZeroAmount: refunded.minor === 0,
	};
}

export interface ParsedRefund {
	orderLegacyId: string;
	refundLegacyId: string;
	/** The refund before the currency is known for sure; see `completeRefund`. */
	build: (fallbackCurrency: string | null) => EventRefund;
}

/** refunds/create payload (REST). Money needs a currency, which a payload without money bags lacks: `build` takes the order's. */
export function refundFromWebhook(payload: Json, rawBody?: string): ParsedRefund {
	const id = restGid(payload, 'Refund', rawBody);
	const orderLegacyId = exactRestId(payload.order_id, 'order_id', rawBody);
	if (!id || !orderLegacyId) throw new PayloadError('The refund payload has no id or order_id');
	const createdAt = requiredTime(payload.created_at, 'created_at');
	const build = (fallbackCurrency: string | null): EventRefund => {
		const currency = restRefundCurrency(payload) ?? fallbackCurrency;
		if (!currency) throw new PayloadError(`Refund ${legacyId(id)} names no currency and the order's currency is unknown`);
		const refundLineItems: EventRefundLineItem[] = arr(payload.refund_line_items).flatMap((raw) => {
			const line = obj(raw);
			if (!line) return [];
			const item = obj(line.line_item) ?? {};
			const lineItemId = restGid(item, 'LineItem') ?? (exactRestId(line.line_item_id, 'line_item_id') ? gid('LineItem', String(exactRestId(line.line_item_id, 'line_item_id'))) : null);
			if (!lineItemId) return [];
			const refundLineId = exactRestId(line.id, 'id');
			const locationId = exactRestId(line.location_id, 'location_id');
			return [
				{
					id: refundLineId ? gid('RefundLineItem', refundLineId) : null,
					lineItemId,
					orderItemId: orderItemIdFromRestProperties(arr(item.properties) as Array<{ name?: string; value?: unknown }>) ?? null,
					sku: str(item.sku),
					quantity: int(line.quantity),
					restockType: restockType(line.restock_type),
					locationId: locationId ? gid('Location', locationId) : null,
					subtotal: moneyFrom(restSet(line.subtotal_set), line.subtotal, currency),
					totalTax: moneyFrom(restSet(line.total_tax_set), line.total_tax, currency),
				},
			];
		});
		let shippingLines = arr(payload.refund_shipping_lines).map((raw) => {
			const line = obj(raw) ?? {};
			return {
				subtotal: moneyFrom(restSet(line.subtotal_amount_set ?? line.amount_set), line.subtotal_amount ?? line.amount, currency),
				tax: moneyFrom(restSet(line.tax_amount_set ?? line.total_tax_set), line.tax_amount ?? line.total_tax, currency),
			};
		});
		if (shippingLines.length === 0) {
			// Older API versions record refunded shipping as a negative "shipping_refund" order adjustment.
			shippingLines = arr(payload.order_adjustments)
				.map((raw) => obj(raw) ?? {})
				.filter((adj) => adj.kind === 'shipping_refund')
				.map((adj) => {
					const amount = moneyFrom(restSet(adj.amount_set), adj.amount, currency);
					const tax = moneyFrom(restSet(adj.tax_amount_set), adj.tax_amount, currency);
					return { subtotal: negateIfNegative(amount), tax: negateIfNegative(tax) };
				});
		}
		const transactions: EventRefundTransaction[] = arr(payload.transactions).flatMap((raw) => {
			const t = obj(raw);
			if (!t) return [];
			const tid = restGid(t, 'OrderTransaction');
			if (!tid) return [];
			const parent = exactRestId(t.parent_id, 'parent_id');
			return [
				{
					id: tid,
					kind: String(t.kind ?? '').toUpperCase(),
					status: String(t.status ?? '').toUpperCase(),
					gateway: str(t.gateway),
					amount: eventMoney(t.amount, str(t.currency), currency),
					parentTransactionId: parent ? gid('OrderTransaction', parent) : null,
					processedAt: isoTime(t.processed_at) ?? isoTime(t.created_at),
				},
			];
		});
		return finishRefund({
			id,
			legacyResourceId: legacyId(id),
			createdAt,
			processedAt: isoTime(payload.processed_at),
			note: str(payload.note),
			currencyCode: currency,
			refundLineItems,
			shipping: {
				subtotal: sum(shippingLines.map((s) => s.subtotal), currency),
				tax: sum(shippingLines.map((s) => s.tax), currency),
			},
			transactions,
		});
	};
	return { orderLegacyId, refundLegacyId: legacyId(id), build };
}

function negateIfNegative(m: EventMoney): EventMoney {
	if (m.minor >= 0) return m;
	return { amount: fromMinor(-m.minor, m.currencyCode), minor: -m.minor, currencyCode: m.currencyCode };
}

/** A GraphQL Refund (polling; selection in documents.ts RefundEventDetails). */
export function refundFromGraphql(node: Json, orderCurrency: string): EventRefund {
	const id = str(node.id);
	if (!id) throw new PayloadError('The refund has no id');
	const currency = gqlSet(node.totalRefundedSet)?.currency ?? orderCurrency;
	const refundLineItems: EventRefundLineItem[] = arr(obj(node.refundLineItems)?.nodes).flatMap((raw) => {
		const line = obj(raw);
		const item = obj(line?.lineItem);
		const lineItemId = str(item?.id);
		if (!line || !lineItemId) return [];
		const attributes = arr(item?.customAttributes).map((a) => ({ name: str(obj(a)?.key) ?? undefined, value: obj(a)?.value }));
		return [
			{
				id: str(line.id),
				lineItemId,
				orderItemId: orderItemIdFromRestProperties(attributes) ?? null,
				sku: str(item?.sku),
				quantity: int(line.quantity),
				restockType: restockType(line.restockType),
				locationId: str(obj(line.location)?.id),
				subtotal: moneyFrom(gqlSet(line.subtotalSet), undefined, currency),
				totalTax: moneyFrom(gqlSet(line.totalTaxSet), undefined, currency),
			},
		];
	});
	const shippingLines = arr(obj(node.refundShippingLines)?.nodes).map((raw) => {
		const line = obj(raw) ?? {};
		return { subtotal: moneyFrom(gqlSet(line.subtotalAmountSet), undefined, currency), tax: moneyFrom(gqlSet(line.taxAmountSet), undefined, currency) };
	});
	const transactions: EventRefundTransaction[] = arr(obj(node.transactions)?.nodes).flatMap((raw) => {
		const t = obj(raw);
		const tid = str(t?.id);
		if (!t || !tid) return [];
		return [
			{
				id: tid,
				kind: String(t.kind ?? '').toUpperCase(),
				status: String(t.status ?? '').toUpperCase(),
				gateway: str(t.gateway),
				amount: moneyFrom(gqlSet(t.amountSet), undefined, currency),
				parentTransactionId: str(obj(t.parentTransaction)?.id),
				processedAt: isoTime(t.processedAt),
			},
		];
	});
	return finishRefund({
		id,
		legacyResourceId: str(node.legacyResourceId) ?? legacyId(id),
		createdAt: requiredTime(node.createdAt, 'createdAt'),
		processedAt: isoTime(node.processedAt),
		note: str(node.note),
		currencyCode: currency,
		refundLineItems,
		shipping: {
			subtotal: sum(shippingLines.map((s) => s.subtotal), currency),
			tax: sum(shippingLines.map((s) => s.tax), currency),
		},
		transactions,
	});
}

// ---------------------------------------------------------------------------------- cancellation

const CANCEL_REASONS: readonly EventCancelReason[] = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'];

export function cancelReason(value: unknown): EventCancelReason | null {
	const upper = String(value ?? '').toUpperCase() as EventCancelReason;
	return CANCEL_REASONS.includes(upper) ? upper : null;
}

export interface ParsedCancellation {
	orderLegacyId: string;
	cancellation: EventCancellation;
}

/** orders/cancelled payload (REST, the full order: only the cancellation fields are read). */
export function cancellationFromWebhook(payload: Json, rawBody?: string): ParsedCancellation {
	const id = restGid(payload, 'Order', rawBody);
	if (!id) throw new PayloadError('The order payload has no id');
	return {
		orderLegacyId: legacyId(id),
		cancellation: {
			cancelledAt: requiredTime(payload.cancelled_at, 'cancelled_at'),
			reason: cancelReason(payload.cancel_reason),
			refundIds: arr(payload.refunds).flatMap((r) => {
				const refund = obj(r);
				const rid = refund ? restGid(refund, 'Refund') : null;
				return rid ? [rid] : [];
			}),
		},
	};
}
