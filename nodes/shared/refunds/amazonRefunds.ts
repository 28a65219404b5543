/**
 * Refunds Amazon already made on an order, normalised from either finances API:
 * - Finances v0 `listFinancialEventsByOrderId`: RefundEventList (+ GuaranteeClaimEventList for
 *   A-to-z claims, ChargebackEventList), per OrderItemId and ChargeType. Preferred: per item.
 * - Finances 2024-06-19 `listTransactions` (ORDER_ID filter): refund transactions, per item only
 *   through the SKU in the item's ProductContext, components by breakdown names.
 * Amounts are what the BUYER got back (positive minor units). Both feeds lag: Amazon says events of
 * the last 48 hours may be missing, which is why the ledger is consulted too. Pure: no I/O.
 */
import type { IDataObject } from 'n8n-workflow';

import { toMinor } from '../money';
import type { AmazonItemFacts } from './amazonOrder';
import type { Component, ComponentAmounts } from './components';
import { addAmounts, clampAtZero, compact, componentForChargeType, totalOf } from './components';

export type AmazonRefundKind = 'refund' | 'guaranteeClaim' | 'chargeback';

export interface AmazonRefundItem {
	/** Undefined when the source could not attribute the amount to an item (2024-06-19 without SKU). */
	orderItemId?: string;
	sku?: string;
	amounts: ComponentAmounts;
	/** Buyer-side amounts of charge types outside the six components (Goodwill, ReturnShipping, -RestockingFee...). */
	other: Record<string, number>;
	adjustmentItemId?: string;
}

export interface AmazonRefundRecord {
	/** Deterministic identity of this refund; the same from both finances APIs when Amazon gives adjustment item ids. */
	key: string;
	kind: AmazonRefundKind;
	source: 'financesV0' | 'transactions';
	amazonOrderId: string;
	postedDate?: string;
	currency: string;
	items: AmazonRefundItem[];
	/** Sum of all components of all items, plus the other charge types. */
	total: number;
}

type Json = IDataObject;

function asArray(value: unknown): Json[] {
	return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Json[]) : [];
}

function moneyMinor(value: unknown, currency: string, amountKey: string, currencyKey: string): { minor: number; currency: string } {
	const money = (value ?? {}) as Json;
	const code = typeof money[currencyKey] === 'string' && money[currencyKey] ? String(money[currencyKey]) : currency;
	const raw = money[amountKey];
	if (raw === undefined || raw === null || raw === '') return { minor: 0, currency: code };
	return { minor: toMinor(typeof raw === 'number' ? raw : String(raw), code, { rounding: 'halfUp' }), currency: code };
}

function refundKey(kind: AmazonRefundKind, adjustmentItemIds: string[], fallback: string): string {
	const ids = [...new Set(adjustmentItemIds.filter(Boolean))].sort();
	return ids.length ? `${kind}:${ids.join(',')}` : `${kind}:${fallback}`;
}

const KIND_LISTS: Array<[string, AmazonRefundKind]> = [
	['RefundEventList', 'refund'],
	['GuaranteeClaimEventList', 'guaranteeClaim'],
	['ChargebackEventList', 'chargeback'],
];

/** Finances v0 pages (each `payload.FinancialEvents`) -> refunds, deduplicated by key. */
export function refundsFromFinancialEvents(pages: Json[], amazonOrderId: string, currency: string): AmazonRefundRecord[] {
	const byKey = new Map<string, AmazonRefundRecord>();
	for (const page of pages) {
		for (const [listName, kind] of KIND_LISTS) {
			for (const event of asArray(page[listName])) {
				if (event.AmazonOrderId && event.AmazonOrderId !== amazonOrderId) continue;
				let eventCurrency = currency;
				const items: AmazonRefundItem[] = asArray(event.ShipmentItemAdjustmentList).map((line) => {
					const amounts: Record<string, number> = {};
					const other: Record<string, number> = {};
					for (const charge of asArray(line.ItemChargeAdjustmentList)) {
						const { minor, currency: code } = moneyMinor(charge.ChargeAmount, currency, 'CurrencyAmount', 'CurrencyCode');
						eventCurrency = code;
						// Seller-side sign: a refund is negative for the seller, positive for the buyer.
						const buyer = -minor;
						const component = componentForChargeType(charge.ChargeType);
						if (component) amounts[component] = (amounts[component] ?? 0) + buyer;
						else if (!/^MarketplaceFacilitator|^TCS|^Tax(Discount|Withheld)/.test(String(charge.ChargeType))) {
							other[String(charge.ChargeType)] = (other[String(charge.ChargeType)] ?? 0) + buyer;
						}
					}
					for (const promotion of asArray(line.PromotionAdjustmentList)) {
						const { minor } = moneyMinor(promotion.PromotionAmount, currency, 'CurrencyAmount', 'CurrencyCode');
						// Taking a promotion back is positive for the seller: it reduces what the buyer gets.
						const target: Component = /ship/i.test(`${String(promotion.PromotionType ?? '')} ${String(promotion.PromotionId ?? '')}`) ? 'Shipping' : 'Principal';
						amounts[target] = (amounts[target] ?? 0) - Math.abs(minor);
					}
					return {
						orderItemId: line.OrderItemId ? String(line.OrderItemId) : undefined,
						sku: line.SellerSKU ? String(line.SellerSKU) : undefined,
						amounts: clampAtZero(amounts as ComponentAmounts),
						other,
						adjustmentItemId: line.OrderAdjustmentItemId ? String(line.OrderAdjustmentItemId) : undefined,
					};
				});
				const postedDate = event.PostedDate ? String(event.PostedDate) : undefined;
				const total = items.reduce((sum, item) => sum + totalOf(item.amounts) + Object.values(item.other).reduce((a, b) => a + b, 0), 0);
				const key = refundKey(kind, items.map((i) => i.adjustmentItemId ?? ''), `${postedDate ?? 'unknown'}:${total}`);
				if (!byKey.has(key)) {
					byKey.set(key, { key, kind, source: 'financesV0', amazonOrderId, postedDate, currency: eventCurrency, items, total });
				}
			}
		}
	}
	return [...byKey.values()];
}

interface Breakdown {
	breakdownType?: string;
	breakdownAmount?: Json;
	breakdowns?: Breakdown[];
}

/** A leaf breakdown name of Finances 2024-06-19 -> component (the model does not enumerate them). */
export function componentForBreakdown(name: string): Component | 'ignore' | undefined {
	const text = name.toLowerCase();
	if (/fee|commission|expense|withheld|facilitator/.test(text)) return 'ignore';
	const gift = /gift ?wrap/.test(text);
	const ship = /ship/.test(text);
	const tax = /tax/.test(text);
	if (gift) return tax ? 'GiftWrapTax' : 'GiftWrap';
	if (ship) return tax ? 'ShippingTax' : 'Shipping';
	if (tax) return 'Tax';
	if (/princip|product/.test(text)) return 'Principal';
	return undefined;
}

function collectLeaves(breakdowns: Breakdown[] | undefined, out: Breakdown[]): void {
	for (const breakdown of breakdowns ?? []) {
		if (breakdown.breakdowns && breakdown.breakdowns.length) collectLeaves(breakdown.breakdowns, out);
		else out.push(breakdown);
	}
}

function isRefundTransaction(transaction: Json): boolean {
	const related = asArray(transaction.relatedIdentifiers);
	if (related.some((r) => r.relatedIdentifierName === 'REFUND_ID')) return true;
	return /refund/i.test(`${String(transaction.transactionType ?? '')} ${String(transaction.description ?? '')}`);
}

/** Finances 2024-06-19 transactions of one order -> refunds; items matched to order items by SKU. */
export function refundsFromTransactions(
	transactions: Json[],
	amazonOrderId: string,
	currency: string,
	orderItems: readonly AmazonItemFacts[] = [],
): AmazonRefundRecord[] {
	const byKey = new Map<string, AmazonRefundRecord>();
	for (const transaction of transactions) {
		if (!isRefundTransaction(transaction)) continue;
		const related = asArray(transaction.relatedIdentifiers);
		const orderId = related.find((r) => r.relatedIdentifierName === 'ORDER_ID')?.relatedIdentifierValue;
		if (orderId && orderId !== amazonOrderId) continue;
		const total = moneyMinor(transaction.totalAmount, currency, 'currencyAmount', 'currencyCode');
		const adjustmentIds: string[] = [];
		const items: AmazonRefundItem[] = asArray(transaction.items).map((item) => {
			const adjustmentItemId = asArray(item.relatedIdentifiers).find((r) => r.itemRelatedIdentifierName === 'ORDER_ADJUSTMENT_ITEM_ID')?.itemRelatedIdentifierValue;
			if (adjustmentItemId) adjustmentIds.push(String(adjustmentItemId));
			const product = asArray(item.contexts).find((c) => c.contextType === 'ProductContext' || c.sku);
			const sku = product?.sku ? String(product.sku) : undefined;
			const leaves: Breakdown[] = [];
			collectLeaves(item.breakdowns as Breakdown[] | undefined, leaves);
			const amounts: Record<string, number> = {};
			const other: Record<string, number> = {};
			for (const leaf of leaves) {
				const { minor } = moneyMinor(leaf.breakdownAmount, currency, 'currencyAmount', 'currencyCode');
				const component = componentForBreakdown(String(leaf.breakdownType ?? ''));
				if (component === 'ignore') continue;
				if (component) amounts[component] = (amounts[component] ?? 0) - minor;
				else other[String(leaf.breakdownType ?? 'Other')] = (other[String(leaf.breakdownType ?? 'Other')] ?? 0) - minor;
			}
			if (leaves.length === 0) {
				const { minor } = moneyMinor(item.totalAmount, currency, 'currencyAmount', 'currencyCode');
				amounts.Principal = -minor;
			}
			const matches = sku ? orderItems.filter((o) => o.sku === sku) : [];
			return {
				orderItemId: matches.length === 1 ? matches[0].orderItemId : undefined,
				sku,
				amounts: clampAtZero(amounts as ComponentAmounts),
				other,
				adjustmentItemId: adjustmentItemId ? String(adjustmentItemId) : undefined,
			};
		});
		if (items.length === 0 && total.minor !== 0) {
			items.push({ amounts: { Principal: Math.max(0, -total.minor) }, other: {} });
		}
		const refundId = related.find((r) => r.relatedIdentifierName === 'REFUND_ID')?.relatedIdentifierValue;
		const key = refundKey('refund', adjustmentIds, `txn:${String(refundId ?? transaction.transactionId ?? transaction.postedDate ?? 'unknown')}`);
		const itemsTotal = items.reduce((sum, item) => sum + totalOf(item.amounts) + Object.values(item.other).reduce((a, b) => a + b, 0), 0);
		if (!byKey.has(key)) {
			byKey.set(key, {
				key,
				kind: 'refund',
				source: 'transactions',
				amazonOrderId,
				postedDate: transaction.postedDate ? String(transaction.postedDate) : undefined,
				currency: total.currency,
				items,
				total: itemsTotal || Math.max(0, -total.minor),
			});
		}
	}
	return [...byKey.values()];
}

/** Sum of refunded amounts per order item (unattributed amounts under the key ''). */
export function refundedByItem(refunds: readonly AmazonRefundRecord[]): Map<string, ComponentAmounts> {
	const out = new Map<string, ComponentAmounts>();
	for (const refund of refunds) {
		for (const item of refund.items) {
			const id = item.orderItemId ?? '';
			out.set(id, addAmounts(out.get(id) ?? {}, item.amounts));
		}
	}
	return out;
}

/** Per-item buyer totals of one refund (all six components), for matching against the ledger. */
export function refundItemTotals(refund: AmazonRefundRecord): Map<string, number> {
	const out = new Map<string, number>();
	for (const item of refund.items) {
		const id = item.orderItemId ?? '';
		out.set(id, (out.get(id) ?? 0) + totalOf(compact(item.amounts)));
	}
	return out;
}
