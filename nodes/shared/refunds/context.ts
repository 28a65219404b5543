/**
 * Gathering the facts a refund decision needs, with as few calls as possible: one Shopify query
 * for the order (linkage, lines, transactions, refunds, ledger), one for the refund, then, only
 * when the order could be sent at all, Amazon getOrder and the order's financial events.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AmazonClient } from '../transport/amazon/client';
import { getOrder, listFinancialEventsByOrderId, listTransactions } from '../transport/amazon/api';
import type { ShopifyClient } from '../transport/shopify/client';
import type { AmazonOrderFacts } from './amazonOrder';
import { readAmazonOrder } from './amazonOrder';
import type { AmazonRefundRecord } from './amazonRefunds';
import { refundsFromFinancialEvents, refundsFromTransactions } from './amazonRefunds';
import type { Decision, EligibilityOptions, RefundRequest } from './eligibility';
import { decideEligibility, earlyDecision } from './eligibility';
import type { OutEntry, RefundLedger } from './ledger';
import { findEntry, parseLedger, upsertEntry } from './ledger';
import type { GqlRefundDetail, GqlRefundOrder, ShopifyOrderFacts } from './shopifyOrder';
import { settle } from './settle';
import { readShopifyOrder } from './shopifyOrder';

/** includedData for getOrder: prices per component, shipped units, cancellations, ship times. */
export const REFUND_INCLUDED_DATA = ['PROCEEDS', 'FULFILLMENT', 'CANCELLATION', 'PACKAGES'];

export type FinancesSource = 'auto' | 'financesV0' | 'transactions';

export class OrderNotFoundError extends Error {
	constructor(readonly orderId: string) {
		super(`Shopify order ${orderId} was not found (deleted, or the credential is for another shop)`);
		this.name = 'OrderNotFoundError';
	}
}

export interface ShopifySide {
	order: ShopifyOrderFacts;
	ledger: RefundLedger;
	refundDetail?: GqlRefundDetail;
}

export async function loadShopifyOrder(shopify: ShopifyClient, orderId: string): Promise<{ order: ShopifyOrderFacts; ledger: RefundLedger }> {
	const data = await shopify.run<{ order: GqlRefundOrder | null }>('RefundOrderContext', { id: orderId });
	if (!data.order) throw new OrderNotFoundError(orderId);
	const order = readShopifyOrder(data.order);
	return { order, ledger: parseLedger(order.ledgerValue) };
}

export async function loadShopifySide(shopify: ShopifyClient, orderId: string, request: RefundRequest): Promise<ShopifySide> {
	const { order, ledger } = await loadShopifyOrder(shopify, orderId);
	let refundDetail: GqlRefundDetail | undefined;
	if (request.source === 'shopifyRefund') {
		const data = await shopify.run<{ refund: GqlRefundDetail | null }>('RefundDetail', { id: request.shopifyRefundId });
		refundDetail = data.refund && (!data.refund.order || data.refund.order.id === order.id) ? data.refund : undefined;
	}
	return { order, ledger, refundDetail };
}

function httpCodeOf(error: unknown): number {
	const code = (error as { httpCode?: string | null })?.httpCode;
	return Number(code ?? 0);
}

export interface AmazonSide {
	amazon?: AmazonOrderFacts;
	amazonNotFound?: boolean;
	amazonRefunds: AmazonRefundRecord[];
	financesError?: string;
	financesSource?: 'financesV0' | 'transactions';
}

/** getOrder (404 = not found) and the order's refunds from finances, v0 first, 2024-06-19 as fallback. */
export async function loadAmazonSide(amazonClient: AmazonClient, amazonOrderId: string, source: FinancesSource = 'auto'): Promise<AmazonSide> {
	const order = await settle(async () => await getOrder(amazonClient, amazonOrderId, REFUND_INCLUDED_DATA));
	if (!order.ok) {
		if (httpCodeOf(order.error) === 404) return { amazonNotFound: true, amazonRefunds: [] };
		throw order.error;
	}
	const amazon: AmazonOrderFacts = readAmazonOrder(order.value);
	let v0Error: string | undefined;
	if (source !== 'transactions') {
		const pages = await settle(async () => await listFinancialEventsByOrderId(amazonClient, amazonOrderId));
		if (pages.ok) return { amazon, amazonRefunds: refundsFromFinancialEvents(pages.value as IDataObject[], amazonOrderId, amazon.currency), financesSource: 'financesV0' };
		// Finances v0 is deprecated (removal announced for 2027): fall back when it is gone or refused.
		v0Error = (pages.error as Error).message;
		if (source === 'financesV0') return { amazon, amazonRefunds: [], financesError: v0Error };
	}
	const transactions = await settle(async () => await listTransactions(amazonClient, amazonOrderId));
	if (transactions.ok) {
		return { amazon, amazonRefunds: refundsFromTransactions(transactions.value, amazonOrderId, amazon.currency, amazon.items), financesSource: 'transactions' };
	}
	return { amazon, amazonRefunds: [], financesError: [v0Error, (transactions.error as Error).message].filter(Boolean).join('; ') };
}

export interface CheckInput {
	request: RefundRequest;
	shopifyOrderId: string;
	options?: EligibilityOptions;
	financesSource?: FinancesSource;
	now: number;
	/**
	 * Refunds of the same order found eligible earlier in this execution and not sent yet: counted
	 * as already refunded, so two refunds of one item in one run cannot both take the same money.
	 */
	earlier?: Map<string, OutEntry[]>;
}

/** What an eligible decision will write to the ledger: counted by later checks of the same run. */
export function provisionalEntry(decision: Decision, now: number): OutEntry | undefined {
	if (!decision.eligible || !decision.amounts || decision.action === 'resume') return undefined;
	return {
		dir: 'out',
		key: decision.ledgerKey,
		shopifyRefundId: decision.shopifyRefundId,
		path: decision.action === 'fullCancellation' ? 'cancel' : decision.action === 'partialCancellation' ? 'partialCancel' : 'refund',
		feedType: decision.feedType ?? '',
		marketplaceId: decision.marketplaceId ?? '',
		amazonOrderId: decision.amazonOrderId ?? '',
		currency: decision.currency ?? '',
		items: decision.amounts.items.map((i) => ({ orderItemId: i.orderItemId, amounts: i.components, ...(i.quantityCancelled ? { quantityCancelled: i.quantityCancelled } : {}) })),
		total: decision.amounts.total,
		status: 'pending',
		updatedAt: new Date(now).toISOString(),
	};
}

/** The whole check for one item: Shopify side, early decision, Amazon side, decision. */
export async function checkRefund(shopify: ShopifyClient, amazonClient: AmazonClient, input: CheckInput): Promise<{ decision: Decision; shopify: ShopifySide }> {
	const side = await loadShopifySide(shopify, input.shopifyOrderId, input.request);
	let ledger = side.ledger;
	for (const entry of input.earlier?.get(side.order.id) ?? []) if (!findEntry(ledger, entry.key)) ledger = upsertEntry(ledger, entry);
	const base = { request: input.request, order: side.order, refundDetail: side.refundDetail, ledger, options: input.options };
	const early = earlyDecision(base);
	if (early) return { decision: early, shopify: side };
	const amazonSide = await loadAmazonSide(amazonClient, side.order.linkage?.amazonOrderId ?? '', input.financesSource);
	const decision = decideEligibility({ ...base, ...amazonSide, now: input.now });
	const provisional = provisionalEntry(decision, input.now);
	if (provisional && input.earlier) input.earlier.set(side.order.id, [...(input.earlier.get(side.order.id) ?? []), provisional]);
	return { decision, shopify: side };
}
