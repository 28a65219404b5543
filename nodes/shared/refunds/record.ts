/**
 * Recording a refund made on Amazon in Shopify, without moving money and without telling the
 * customer (Amazon already told them). Pure planning; the refundCreate call is in recordAmazonRefunds.ts.
 *
 * How "no money moved" is guaranteed, following Shopify's schema (RefundInput, OrderTransactionInput):
 * - The REFUND transaction is added only when the order's parent SALE/CAPTURE transaction is on a
 *   MANUAL payment gateway (OrderTransaction.manualPaymentGateway = true, as Create Shopify Order
 *   imports Amazon orders with gateway "amazon"). A manual gateway has no processor behind it:
 *   Shopify records the refund and its amount (reports, financial status), and no money moves.
 * - On any other gateway a transaction could reach a real card, so no transaction is sent: the
 *   refund is recorded with refund line items (and shipping) only, which Shopify books at 0 money.
 * - notify is always false; the refund note carries a marker so Check Refund Eligibility knows
 *   the refund came from Amazon, in addition to the ledger's `in` entry.
 */
import { createHash } from 'crypto';

import { fromMinor } from '../money';
import type { AmazonOrderFacts } from './amazonOrder';
import type { AmazonRefundRecord } from './amazonRefunds';
import { totalOf } from './components';
import { RECORDED_NOTE_MARKER } from './eligibility';
import type { LedgerItem, RefundLedger } from './ledger';
import type { GqlOrderTransaction, ShopifyOrderFacts } from './shopifyOrder';
import { bagMinor } from './shopifyOrder';

export type RestockChoice = 'NO_RESTOCK' | 'RETURN';

export interface RecordOptions {
	/** Whether refunded units go back to stock in Shopify (Amazon returns are often not resellable). */
	restockType?: RestockChoice;
	locationId?: string;
}

export interface RecordPlan {
	idempotencyKey: string;
	amazonRefundKey: string;
	recordedAs: 'manualGatewayTransaction' | 'lineItemsOnly' | 'noteOnly';
	/** refundCreate `input` (RefundInput), or undefined when nothing can be recorded as a refund. */
	input?: Record<string, unknown>;
	note: string;
	currency: string;
	total: number;
	items: LedgerItem[];
	warnings: string[];
}

export function shortHash(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

/** The note marker of a recorded Amazon refund (kept short: Shopify refund notes hold 255 characters). */
export function recordMarker(amazonRefundKey: string): string {
	const id = amazonRefundKey.length > 48 ? `h:${shortHash(amazonRefundKey)}` : amazonRefundKey;
	return `${RECORDED_NOTE_MARKER} ${id}]`;
}

/** Deterministic @idempotent key: the same Amazon refund always maps to the same Shopify refund. */
export function recordIdempotencyKey(amazonOrderId: string, amazonRefundKey: string): string {
	return `amazon-refund-${amazonOrderId}-${shortHash(amazonRefundKey)}`;
}

/** The sale (or capture) a REFUND transaction refers to. */
export function parentSaleTransaction(transactions: readonly GqlOrderTransaction[]): GqlOrderTransaction | undefined {
	return transactions.find((t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS');
}

/** Shopify refunds that no ledger entry knows (neither sent to Amazon nor recorded from it). */
export function unlinkedShopifyRefunds(order: ShopifyOrderFacts, ledger: RefundLedger): ShopifyOrderFacts['refunds'] {
	const linked = new Set<string>();
	for (const entry of ledger.entries) {
		if (entry.dir === 'in' && entry.shopifyRefundId) linked.add(entry.shopifyRefundId);
		if (entry.dir === 'out' && entry.shopifyRefundId) linked.add(entry.shopifyRefundId);
	}
	return order.refunds.filter((r) => !linked.has(r.id) && !(r.note ?? '').includes(RECORDED_NOTE_MARKER));
}

/** The Shopify refund an earlier run already created for this Amazon refund (found by its note marker). */
export function existingRecordedRefund(order: ShopifyOrderFacts, amazonRefundKey: string): string | undefined {
	const marker = recordMarker(amazonRefundKey);
	return order.refunds.find((r) => (r.note ?? '').includes(marker))?.id;
}

/**
 * A Shopify refund the merchant made by hand for the same amount: the Amazon refund is already in
 * Shopify's books, so it is linked, not recorded a second time.
 */
export function findMirrorRefund(refund: AmazonRefundRecord, order: ShopifyOrderFacts, ledger: RefundLedger): string | undefined {
	const candidates = unlinkedShopifyRefunds(order, ledger).filter((r) => bagMinor(r.totalRefundedSet, refund.currency) === refund.total);
	return candidates.length ? candidates[0].id : undefined;
}

export function planRecord(refund: AmazonRefundRecord, order: ShopifyOrderFacts, amazon: AmazonOrderFacts | undefined, options: RecordOptions = {}): RecordPlan {
	const currency = refund.currency;
	const warnings: string[] = [];
	const items: LedgerItem[] = [];
	const refundLineItems: Array<Record<string, unknown>> = [];
	let shippingMinor = 0;
	for (const item of refund.items) {
		if (item.orderItemId) items.push({ orderItemId: item.orderItemId, amounts: item.amounts });
		shippingMinor += item.amounts.Shipping ?? 0;
		const principal = item.amounts.Principal ?? 0;
		const line = item.orderItemId ? order.lines.find((l) => l.orderItemId === item.orderItemId) : undefined;
		const amazonItem = item.orderItemId ? amazon?.items.find((i) => i.orderItemId === item.orderItemId) : undefined;
		if (!line || !amazonItem || principal <= 0) continue;
		const linePrincipal = amazonItem.charged.Principal ?? 0;
		// Whole units only: a partial (goodwill) amount is recorded as money without line items.
		if (linePrincipal > 0 && (principal * amazonItem.quantityOrdered) % linePrincipal === 0) {
			const units = (principal * amazonItem.quantityOrdered) / linePrincipal;
			const refundable = line.refundableQuantity ?? line.quantity;
			if (Number.isInteger(units) && units > 0 && units <= refundable) {
				refundLineItems.push({
					lineItemId: line.lineItemId,
					quantity: units,
					restockType: options.restockType ?? 'NO_RESTOCK',
					...(options.restockType === 'RETURN' && options.locationId ? { locationId: options.locationId } : {}),
				});
			} else if (units > refundable) {
				warnings.push(`Amazon refunded ${units} unit(s) of ${line.sku ?? line.lineItemId} but Shopify has ${refundable} refundable; recorded as an amount.`);
			}
		}
	}
	const total = refund.total;
	const posted = refund.postedDate ? refund.postedDate.slice(0, 10) : 'an unknown date';
	const kind = refund.kind === 'refund' ? 'refund' : refund.kind === 'guaranteeClaim' ? 'A-to-z claim' : 'chargeback';
	const note = `Amazon ${kind} of ${posted} recorded by n8n: no money moved, customer not notified. ${recordMarker(refund.key)}`;
	const idempotencyKey = recordIdempotencyKey(refund.amazonOrderId, refund.key);
	const parent = parentSaleTransaction(order.transactions);
	const differentCurrencies = order.currencyCode && order.presentmentCurrencyCode && order.currencyCode !== order.presentmentCurrencyCode;
	const base: Record<string, unknown> = {
		orderId: order.id,
		note,
		notify: false,
		...(differentCurrencies ? { currency } : {}),
		...(refund.postedDate ? { processedAt: refund.postedDate } : {}),
	};
	if (refundLineItems.length) base.refundLineItems = refundLineItems;
	if (shippingMinor > 0) base.shipping = { amount: fromMinor(shippingMinor, currency) };

	if (parent && parent.manualPaymentGateway === true && total > 0) {
		return {
			idempotencyKey,
			amazonRefundKey: refund.key,
			recordedAs: 'manualGatewayTransaction',
			input: {
				...base,
				transactions: [{ orderId: order.id, parentId: parent.id, kind: 'REFUND', gateway: parent.gateway ?? 'amazon', amount: fromMinor(total, currency) }],
			},
			note,
			currency,
			total,
			items,
			warnings,
		};
	}
	if (parent && parent.manualPaymentGateway !== true) {
		warnings.push(`The order was paid through "${parent.gateway ?? 'unknown'}", not a manual gateway: a refund transaction could move real money, so only the refunded items and shipping are recorded, without an amount.`);
	} else if (!parent) {
		warnings.push('The order has no successful sale transaction to refund against; only the refunded items and shipping are recorded, without an amount.');
	}
	if (!refundLineItems.length && shippingMinor <= 0) {
		return { idempotencyKey, amazonRefundKey: refund.key, recordedAs: 'noteOnly', note, currency, total, items, warnings: [...warnings, 'Nothing in this refund maps to whole Shopify line items or shipping; it is recorded in the order note and the ledger only.'] };
	}
	return { idempotencyKey, amazonRefundKey: refund.key, recordedAs: 'lineItemsOnly', input: base, note, currency, total, items, warnings };
}

export function ledgerTotal(items: readonly LedgerItem[]): number {
	return items.reduce((sum, item) => sum + totalOf(item.amounts), 0);
}
