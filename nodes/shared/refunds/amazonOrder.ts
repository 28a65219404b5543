/**
 * What the refund logic needs to know about an Amazon order, read from Orders API v2026-01-01
 * `getOrder` (includedData PROCEEDS, FULFILLMENT, CANCELLATION). Pure: no I/O.
 */
import { toMinor } from '../money';
import { findMarketplace } from '../marketplaces';
import type { SpMoney, SpOrder, SpOrderItem } from '../transport/amazon/types';
import type { ComponentAmounts } from './components';
import { compact } from './components';

export type AmazonOrderStatus =
	| 'PENDING_AVAILABILITY'
	| 'PENDING'
	| 'UNSHIPPED'
	| 'PARTIALLY_SHIPPED'
	| 'SHIPPED'
	| 'CANCELLED'
	| 'UNFULFILLABLE';

export interface AmazonItemFacts {
	orderItemId: string;
	sku?: string;
	asin?: string;
	quantityOrdered: number;
	quantityShipped: number;
	/** Units Amazon reports as cancelled (ordered - shipped - still unfulfilled, when the order says so). */
	quantityCancelled: number;
	/** What the buyer is charged for the whole line, net of promotions, per component. */
	charged: ComponentAmounts;
	buyerRequestedCancel: boolean;
	cancelledBy?: string;
}

export interface AmazonOrderFacts {
	orderId: string;
	marketplaceId?: string;
	currency: string;
	status: AmazonOrderStatus | string;
	fulfilledBy?: string;
	programs: string[];
	items: AmazonItemFacts[];
	/** Latest package ship time we know of (ISO), to judge the 48 h finances lag. */
	lastShipTime?: string;
	lastUpdatedTime?: string;
}

/** Amounts from Amazon may carry more digits than the currency (tax "1.595"): round half up. */
export function amazonMinor(value: SpMoney | { amount?: unknown; currencyCode?: unknown } | undefined, currency: string): number {
	if (!value || value.amount === undefined || value.amount === null || value.amount === '') return 0;
	const amount = value.amount as string | number;
	return toMinor(typeof amount === 'number' ? amount : String(amount), currency, { rounding: 'halfUp' });
}

function orderCurrency(order: SpOrder): string {
	const fromTotal = order.proceeds?.grandTotal?.currencyCode;
	if (fromTotal) return fromTotal;
	for (const item of order.orderItems ?? []) {
		const code = item.proceeds?.proceedsTotal?.currencyCode ?? item.product?.price?.unitPrice?.currencyCode;
		if (code) return code;
		for (const breakdown of item.proceeds?.breakdowns ?? []) if (breakdown.subtotal?.currencyCode) return breakdown.subtotal.currencyCode;
	}
	const marketplace = order.salesChannel?.marketplaceId ? findMarketplace(order.salesChannel.marketplaceId) : undefined;
	if (marketplace) return marketplace.currency;
	throw new Error(`Amazon order ${order.orderId} carries no currency and its marketplace is unknown`);
}

/**
 * The buyer's charges for one item by feed component, from the item's proceeds breakdowns:
 * ITEM -> Principal, SHIPPING -> Shipping, GIFT_WRAP -> GiftWrap, TAX by detailed subtype
 * (ITEM/SHIPPING/GIFT_WRAP) -> Tax/ShippingTax/GiftWrapTax, DISCOUNT by subtype reduces
 * Principal or Shipping (the buyer never paid a discount, so it can never be refunded).
 */
export function itemCharges(item: SpOrderItem, currency: string): ComponentAmounts {
	const charged = { Principal: 0, Shipping: 0, GiftWrap: 0, Tax: 0, ShippingTax: 0, GiftWrapTax: 0 };
	for (const breakdown of item.proceeds?.breakdowns ?? []) {
		const amount = amazonMinor(breakdown.subtotal, currency);
		const details = breakdown.detailedBreakdowns ?? [];
		switch (breakdown.type) {
			case 'ITEM':
				charged.Principal += amount;
				break;
			case 'SHIPPING':
				charged.Shipping += amount;
				break;
			case 'GIFT_WRAP':
				charged.GiftWrap += amount;
				break;
			case 'TAX':
				if (details.length === 0) charged.Tax += amount;
				for (const detail of details) {
					const value = amazonMinor(detail.value, currency);
					if (detail.subtype === 'SHIPPING') charged.ShippingTax += value;
					else if (detail.subtype === 'GIFT_WRAP') charged.GiftWrapTax += value;
					else charged.Tax += value;
				}
				break;
			case 'DISCOUNT':
				if (details.length === 0) charged.Principal -= Math.abs(amount);
				for (const detail of details) {
					const value = Math.abs(amazonMinor(detail.value, currency));
					if (detail.subtype === 'SHIPPING') charged.Shipping -= value;
					else charged.Principal -= value;
				}
				break;
			default:
				// COD_FEE and OTHER are not part of what a payment adjustment gives back.
				break;
		}
	}
	for (const key of Object.keys(charged) as Array<keyof typeof charged>) charged[key] = Math.max(0, charged[key]);
	return compact(charged);
}

export function readAmazonOrder(order: SpOrder): AmazonOrderFacts {
	const currency = orderCurrency(order);
	const status = order.fulfillment?.fulfillmentStatus ?? 'UNKNOWN';
	const items: AmazonItemFacts[] = (order.orderItems ?? []).map((item) => {
		const ordered = Number(item.quantityOrdered ?? 0);
		const shipped = Math.min(ordered, Number(item.fulfillment?.quantityFulfilled ?? (status === 'SHIPPED' ? ordered : 0)));
		const unfulfilled = item.fulfillment?.quantityUnfulfilled;
		let cancelled = 0;
		if (status === 'CANCELLED') cancelled = ordered - shipped;
		else if (item.cancellation?.cancellationExecution && typeof unfulfilled === 'number') cancelled = Math.max(0, ordered - shipped - unfulfilled);
		return {
			orderItemId: String(item.orderItemId),
			sku: item.product?.sellerSku,
			asin: item.product?.asin,
			quantityOrdered: ordered,
			quantityShipped: shipped,
			quantityCancelled: cancelled,
			charged: itemCharges(item, currency),
			buyerRequestedCancel: item.cancellation?.cancellationRequest?.requester === 'BUYER',
			cancelledBy: item.cancellation?.cancellationExecution?.cancelledBy,
		};
	});
	const shipTimes = (order.packages ?? []).map((p) => p.shipTime).filter((t): t is string => typeof t === 'string' && t !== '');
	shipTimes.sort();
	return {
		orderId: order.orderId,
		marketplaceId: order.salesChannel?.marketplaceId,
		currency,
		status,
		fulfilledBy: order.fulfillment?.fulfilledBy,
		programs: order.programs ?? [],
		items,
		lastShipTime: shipTimes[shipTimes.length - 1],
		lastUpdatedTime: order.lastUpdatedTime,
	};
}

export function isShippedStatus(status: string): boolean {
	return status === 'SHIPPED' || status === 'PARTIALLY_SHIPPED';
}

export function isPendingStatus(status: string): boolean {
	return status === 'PENDING' || status === 'PENDING_AVAILABILITY';
}
