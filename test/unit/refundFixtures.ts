/** Builders for the refund unit tests: v2026 orders, finances events, Shopify order facts. */
import type { IDataObject } from 'n8n-workflow';

import { fromMinor } from '../../nodes/shared/money';
import type { SpBreakdown, SpOrder, SpOrderItem } from '../../nodes/shared/transport/amazon/types';
import type { GqlRefundDetail, GqlRefundOrder } from '../../nodes/shared/refunds/shopifyOrder';

export interface ItemSpec {
	id: string;
	sku?: string;
	qty?: number;
	shipped?: number;
	/** minor units for the whole line */
	principal: number;
	tax?: number;
	shipping?: number;
	shippingTax?: number;
	discount?: number;
	buyerCancel?: boolean;
}

export function money(minor: number, currency: string) {
	return { amount: fromMinor(minor, currency), currencyCode: currency };
}

export function spItem(spec: ItemSpec, currency: string): SpOrderItem {
	const list: SpBreakdown[] = [];
	list.push({ type: 'ITEM', subtotal: money(spec.principal, currency) });
	if (spec.shipping) list.push({ type: 'SHIPPING', subtotal: money(spec.shipping, currency) });
	if (spec.tax || spec.shippingTax) {
		list.push({
			type: 'TAX',
			subtotal: money((spec.tax ?? 0) + (spec.shippingTax ?? 0), currency),
			detailedBreakdowns: [
				{ subtype: 'ITEM', value: money(spec.tax ?? 0, currency) },
				{ subtype: 'SHIPPING', value: money(spec.shippingTax ?? 0, currency) },
			],
		});
	}
	if (spec.discount) list.push({ type: 'DISCOUNT', subtotal: money(-spec.discount, currency), detailedBreakdowns: [{ subtype: 'ITEM', value: money(-spec.discount, currency) }] });
	const qty = spec.qty ?? 1;
	return {
		orderItemId: spec.id,
		quantityOrdered: qty,
		product: { sellerSku: spec.sku ?? `SKU-${spec.id}`, asin: 'B000TEST00' },
		proceeds: { breakdowns: list },
		fulfillment: { quantityFulfilled: spec.shipped ?? 0, quantityUnfulfilled: qty - (spec.shipped ?? 0) },
		...(spec.buyerCancel ? { cancellation: { cancellationRequest: { requester: 'BUYER', cancelReason: 'changed mind' } } } : {}),
	};
}

export function spOrder(opts: { id?: string; status: string; currency?: string; marketplaceId?: string; items: ItemSpec[]; fulfilledBy?: string; shipTime?: string }): SpOrder {
	const currency = opts.currency ?? 'USD';
	return {
		orderId: opts.id ?? '113-1234567-1234567',
		createdTime: '2026-11-01T10:00:00Z',
		lastUpdatedTime: '2026-11-02T10:00:00Z',
		salesChannel: { channelName: 'Amazon.com', marketplaceId: opts.marketplaceId ?? 'ATVPDKIKX0DER' },
		fulfillment: { fulfillmentStatus: opts.status, fulfilledBy: opts.fulfilledBy ?? 'MERCHANT' },
		orderItems: opts.items.map((item) => spItem(item, currency)),
		packages: opts.shipTime ? [{ packageReferenceId: '1', shipTime: opts.shipTime }] : [],
	};
}

/** A finances v0 RefundEvent with charges given as buyer-positive minor units. */
export function refundEvent(opts: {
	orderId?: string;
	posted?: string;
	currency?: string;
	items: Array<{ id: string; adj: string; principal?: number; tax?: number; shipping?: number; shippingTax?: number; promo?: number }>;
}): IDataObject {
	const currency = opts.currency ?? 'USD';
	const amount = (minor: number) => ({ CurrencyCode: currency, CurrencyAmount: -Number(fromMinor(minor, currency)) });
	return {
		AmazonOrderId: opts.orderId ?? '113-1234567-1234567',
		PostedDate: opts.posted ?? '2026-11-05T10:00:00Z',
		ShipmentItemAdjustmentList: opts.items.map((item) => ({
			SellerSKU: `SKU-${item.id}`,
			OrderItemId: item.id,
			OrderAdjustmentItemId: item.adj,
			ItemChargeAdjustmentList: [
				item.principal ? { ChargeType: 'Principal', ChargeAmount: amount(item.principal) } : undefined,
				item.tax ? { ChargeType: 'Tax', ChargeAmount: amount(item.tax) } : undefined,
				item.shipping ? { ChargeType: 'ShippingCharge', ChargeAmount: amount(item.shipping) } : undefined,
				item.shippingTax ? { ChargeType: 'ShippingTax', ChargeAmount: amount(item.shippingTax) } : undefined,
			].filter(Boolean),
			PromotionAdjustmentList: item.promo ? [{ PromotionType: 'PromotionMetaDataDefinitionValue', PromotionId: 'P1', PromotionAmount: { CurrencyCode: currency, CurrencyAmount: Number(fromMinor(item.promo, currency)) } }] : [],
		})),
	};
}

export function bag(minor: number, currency: string) {
	return { shopMoney: money(minor, currency), presentmentMoney: money(minor, currency) };
}

export interface ShopLine {
	id: string;
	orderItemId?: string;
	qty?: number;
}

export function shopifyOrder(opts: {
	id?: string;
	amazonOrderId?: string | null;
	fba?: boolean;
	currency?: string;
	lines: ShopLine[];
	ledger?: string;
	cancelledAt?: string;
	cancelReason?: string;
	refunds?: Array<{ id: string; total: number; note?: string }>;
	totalRefunded?: number;
	manualGateway?: boolean;
	taxesIncluded?: boolean;
}): GqlRefundOrder {
	const currency = opts.currency ?? 'USD';
	const amazonOrderId = opts.amazonOrderId === undefined ? '113-1234567-1234567' : opts.amazonOrderId;
	return {
		id: opts.id ?? 'gid://shopify/Order/1',
		name: '#1001',
		tags: amazonOrderId ? ['Amazon', 'Amazon US', ...(opts.fba ? ['FBA'] : [])] : [],
		sourceIdentifier: amazonOrderId ?? null,
		cancelledAt: opts.cancelledAt ?? null,
		cancelReason: opts.cancelReason ?? null,
		currencyCode: currency,
		presentmentCurrencyCode: currency,
		taxesIncluded: opts.taxesIncluded ?? false,
		amazonOrderId: amazonOrderId ? { value: amazonOrderId } : null,
		amazonMarketplaceId: { value: 'ATVPDKIKX0DER' },
		amazonFulfillmentChannel: { value: opts.fba ? 'AFN' : 'MFN' },
		amazonRefundLedger: opts.ledger ? { value: opts.ledger, compareDigest: 'digest-1' } : null,
		totalRefundedSet: opts.totalRefunded === undefined ? undefined : bag(opts.totalRefunded, currency),
		lineItems: {
			nodes: opts.lines.map((line) => ({
				id: line.id,
				sku: `SKU-${line.orderItemId ?? line.id}`,
				quantity: line.qty ?? 1,
				refundableQuantity: line.qty ?? 1,
				customAttributes: line.orderItemId ? [{ key: '_amazon_order_item_id', value: line.orderItemId }] : [],
			})),
		},
		transactions: [
			{ id: 'gid://shopify/OrderTransaction/1', kind: 'SALE', status: 'SUCCESS', gateway: 'amazon', manualPaymentGateway: opts.manualGateway ?? true, amountSet: bag(10000, currency) },
		],
		refunds: (opts.refunds ?? []).map((r) => ({ id: r.id, note: r.note ?? null, createdAt: '2026-11-06T00:00:00Z', totalRefundedSet: bag(r.total, currency) })),
	};
}

export function shopifyRefund(opts: {
	id?: string;
	currency?: string;
	lines?: Array<{ lineItemId: string; qty?: number; subtotal: number; tax?: number; restock?: string }>;
	shipping?: { subtotal: number; tax?: number };
	money?: number;
	note?: string;
	isReturn?: boolean;
}): GqlRefundDetail {
	const currency = opts.currency ?? 'USD';
	const lines = opts.lines ?? [];
	const computed = lines.reduce((s, l) => s + l.subtotal + (l.tax ?? 0), 0) + (opts.shipping ? opts.shipping.subtotal + (opts.shipping.tax ?? 0) : 0);
	const moneyMinor = opts.money ?? computed;
	return {
		id: opts.id ?? 'gid://shopify/Refund/9',
		note: opts.note ?? null,
		createdAt: '2026-11-06T00:00:00Z',
		order: { id: 'gid://shopify/Order/1' },
		totalRefundedSet: bag(moneyMinor, currency),
		refundLineItems: {
			nodes: lines.map((l) => ({
				quantity: l.qty ?? 1,
				restockType: l.restock ?? 'NO_RESTOCK',
				lineItem: { id: l.lineItemId },
				subtotalSet: bag(l.subtotal, currency),
				totalTaxSet: bag(l.tax ?? 0, currency),
			})),
		},
		refundShippingLines: { nodes: opts.shipping ? [{ subtotalAmountSet: bag(opts.shipping.subtotal, currency), taxAmountSet: bag(opts.shipping.tax ?? 0, currency) }] : [] },
		transactions: {
			nodes: moneyMinor > 0 ? [{ id: 'gid://shopify/OrderTransaction/2', kind: 'REFUND', status: 'SUCCESS', gateway: 'amazon', amountSet: bag(moneyMinor, currency) }] : [],
		},
		return: opts.isReturn ? { id: 'gid://shopify/Return/1' } : null,
	};
}
