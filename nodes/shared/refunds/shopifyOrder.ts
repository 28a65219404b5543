/**
 * The Shopify side of a refund, read from the RefundOrderContext and RefundDetail documents
 * (transport/shopify/documents.ts). Amounts are taken in the currency of the Amazon order: the
 * presentment money when it is in that currency, else the shop money; a Shopify order in neither
 * cannot be refunded on Amazon without a conversion rate, and is refused. Pure: no I/O.
 */
import { toMinor } from '../money';
import type { AmazonLinkage, OrderMappingResult } from '../linkage';
import { PROPERTY_ORDER_ITEM_ID, readLinkage } from '../linkage';

export interface GqlMoney {
	amount: string;
	currencyCode: string;
}

export interface GqlMoneyBag {
	shopMoney?: GqlMoney | null;
	presentmentMoney?: GqlMoney | null;
}

export interface GqlRefundSummary {
	id: string;
	createdAt?: string | null;
	note?: string | null;
	totalRefundedSet?: GqlMoneyBag | null;
}

export interface GqlOrderTransaction {
	id: string;
	kind: string;
	status: string;
	gateway?: string | null;
	manualPaymentGateway?: boolean | null;
	parentTransaction?: { id: string } | null;
	amountSet?: GqlMoneyBag | null;
}

/** The `order` of RefundOrderContext. */
export interface GqlRefundOrder extends OrderMappingResult {
	legacyResourceId?: string;
	note?: string | null;
	cancelReason?: string | null;
	currencyCode?: string;
	presentmentCurrencyCode?: string;
	taxesIncluded?: boolean;
	displayFinancialStatus?: string | null;
	amazonRefundLedger?: { value: string; compareDigest?: string | null } | null;
	totalRefundedSet?: GqlMoneyBag | null;
	lineItems?: {
		nodes: Array<{
			id: string;
			sku?: string | null;
			name?: string | null;
			quantity: number;
			refundableQuantity?: number | null;
			customAttributes?: Array<{ key: string; value?: string | null }>;
		}>;
	};
	transactions?: GqlOrderTransaction[];
	refunds?: GqlRefundSummary[];
}

/** The `refund` of RefundDetail. */
export interface GqlRefundDetail extends GqlRefundSummary {
	order?: { id: string } | null;
	refundLineItems?: {
		pageInfo?: { hasNextPage: boolean } | null;
		nodes: Array<{
			quantity: number;
			restockType?: string | null;
			lineItem: { id: string };
			subtotalSet?: GqlMoneyBag | null;
			totalTaxSet?: GqlMoneyBag | null;
		}>;
	} | null;
	refundShippingLines?: { nodes: Array<{ subtotalAmountSet?: GqlMoneyBag | null; taxAmountSet?: GqlMoneyBag | null }> } | null;
	transactions?: { nodes: GqlOrderTransaction[] } | null;
	return?: { id: string } | null;
}

export interface ShopifyLineFacts {
	lineItemId: string;
	sku?: string;
	name?: string;
	quantity: number;
	refundableQuantity?: number;
	orderItemId?: string;
}

export interface ShopifyOrderFacts {
	id: string;
	legacyId?: string;
	name?: string;
	tags: string[];
	note: string;
	cancelledAt?: string;
	cancelReason?: string;
	currencyCode?: string;
	presentmentCurrencyCode?: string;
	taxesIncluded: boolean;
	linkage?: AmazonLinkage;
	ledgerValue?: string;
	/** compareDigest of the ledger metafield; null = the metafield does not exist yet. */
	ledgerDigest: string | null;
	lines: ShopifyLineFacts[];
	transactions: GqlOrderTransaction[];
	refunds: GqlRefundSummary[];
	totalRefunded?: GqlMoneyBag | null;
}

export interface ShopifyRefundLine {
	lineItemId: string;
	orderItemId?: string;
	quantity: number;
	restockType?: string;
	/** Line subtotal for the refunded units (after discounts; includes tax when taxes are included). */
	subtotal: number;
	tax: number;
}

export interface ShopifyRefundFacts {
	id: string;
	createdAt?: string;
	note: string;
	currency: string;
	lines: ShopifyRefundLine[];
	shipping: { subtotal: number; tax: number };
	/** Money given back: SUCCESS and PENDING REFUND transactions (a pending one is promised to the buyer); failed ones do not count. */
	moneyRefunded: number;
	hasTransactions: boolean;
	hasReturn: boolean;
}

export class CurrencyMismatchError extends Error {
	constructor(readonly expected: string, readonly found: string[]) {
		super(`Shopify amounts are in ${found.join('/') || 'no currency'}, but the Amazon order is in ${expected}`);
		this.name = 'CurrencyMismatchError';
	}
}

/** The MoneyBag side that is in `currency`, in minor units; undefined when neither side is. */
export function bagMinor(bag: GqlMoneyBag | null | undefined, currency: string): number | undefined {
	if (!bag) return 0;
	for (const money of [bag.presentmentMoney, bag.shopMoney]) {
		if (money && money.currencyCode === currency) return toMinor(money.amount, currency, { rounding: 'halfUp' });
	}
	if (!bag.presentmentMoney && !bag.shopMoney) return 0;
	return undefined;
}

function requireBag(bag: GqlMoneyBag | null | undefined, currency: string): number {
	const minor = bagMinor(bag, currency);
	if (minor === undefined) {
		throw new CurrencyMismatchError(currency, [bag?.presentmentMoney?.currencyCode, bag?.shopMoney?.currencyCode].filter((c): c is string => Boolean(c)));
	}
	return minor;
}

export function readShopifyOrder(order: GqlRefundOrder): ShopifyOrderFacts {
	const lines: ShopifyLineFacts[] = (order.lineItems?.nodes ?? []).map((line) => ({
		lineItemId: line.id,
		sku: line.sku ?? undefined,
		name: line.name ?? undefined,
		quantity: line.quantity,
		refundableQuantity: line.refundableQuantity ?? undefined,
		orderItemId: line.customAttributes?.find((a) => a.key === PROPERTY_ORDER_ITEM_ID)?.value ?? undefined,
	}));
	const ledger = order.amazonRefundLedger;
	return {
		id: order.id,
		legacyId: order.legacyResourceId,
		name: order.name,
		tags: order.tags ?? [],
		note: order.note ?? '',
		cancelledAt: order.cancelledAt ?? undefined,
		cancelReason: order.cancelReason ?? undefined,
		currencyCode: order.currencyCode,
		presentmentCurrencyCode: order.presentmentCurrencyCode,
		taxesIncluded: Boolean(order.taxesIncluded),
		linkage: readLinkage(order),
		ledgerValue: ledger?.value,
		ledgerDigest: ledger ? (ledger.compareDigest ?? null) : null,
		lines,
		transactions: order.transactions ?? [],
		refunds: order.refunds ?? [],
		totalRefunded: order.totalRefundedSet,
	};
}

/** Successful (or pending) refund transactions, in minor units of `currency`. */
export function refundTransactionsTotal(transactions: readonly GqlOrderTransaction[], currency: string): number {
	let total = 0;
	for (const transaction of transactions) {
		if (transaction.kind !== 'REFUND') continue;
		if (transaction.status !== 'SUCCESS' && transaction.status !== 'PENDING') continue;
		total += requireBag(transaction.amountSet, currency);
	}
	return total;
}

export function readShopifyRefund(refund: GqlRefundDetail, order: ShopifyOrderFacts, currency: string): ShopifyRefundFacts {
	if (refund.refundLineItems?.pageInfo?.hasNextPage) {
		throw new Error(`Shopify refund ${refund.id} has more than 50 line items; refund it in Seller Central (this pack reads 50 per refund).`);
	}
	const orderItemByLine = new Map(order.lines.map((line) => [line.lineItemId, line.orderItemId]));
	const lines = (refund.refundLineItems?.nodes ?? []).map((line) => ({
		lineItemId: line.lineItem.id,
		orderItemId: orderItemByLine.get(line.lineItem.id),
		quantity: line.quantity,
		restockType: line.restockType ?? undefined,
		subtotal: requireBag(line.subtotalSet, currency),
		tax: requireBag(line.totalTaxSet, currency),
	}));
	const shipping = { subtotal: 0, tax: 0 };
	for (const line of refund.refundShippingLines?.nodes ?? []) {
		shipping.subtotal += requireBag(line.subtotalAmountSet, currency);
		shipping.tax += requireBag(line.taxAmountSet, currency);
	}
	const transactions = refund.transactions?.nodes ?? [];
	const hasTransactions = transactions.some((t) => t.kind === 'REFUND');
	const moneyRefunded = hasTransactions
		? refundTransactionsTotal(transactions, currency)
		: Math.max(0, bagMinor(refund.totalRefundedSet, currency) ?? 0);
	return {
		id: refund.id,
		createdAt: refund.createdAt ?? undefined,
		note: refund.note ?? '',
		currency,
		lines,
		shipping,
		moneyRefunded,
		hasTransactions,
		hasReturn: Boolean(refund.return),
	};
}

/** Total refunded on the Shopify order (all refunds), in `currency`, or undefined on a currency mismatch. */
export function orderRefundedTotal(order: ShopifyOrderFacts, currency: string): number | undefined {
	if (order.totalRefunded) return bagMinor(order.totalRefunded, currency);
	let total = 0;
	for (const refund of order.refunds) {
		const minor = bagMinor(refund.totalRefundedSet, currency);
		if (minor === undefined) return undefined;
		total += minor;
	}
	return total;
}
