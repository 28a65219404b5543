/**
 * Check Refund Eligibility, as a pure function: given what Shopify and Amazon say about an order
 * and the ledger, may this Shopify refund or cancellation be sent to Amazon, by which path, and
 * with which amounts per Amazon item and component? Every refusal has a stable reason code and a
 * message a merchant can act on. No I/O here: context.ts gathers the facts.
 */
import { allocateMinor, formatMoney, toMinor } from '../money';
import type { AmazonItemFacts, AmazonOrderFacts } from './amazonOrder';
import { isPendingStatus, isShippedStatus } from './amazonOrder';
import type { AmazonRefundRecord } from './amazonRefunds';
import { refundedByItem } from './amazonRefunds';
import { allocateRefund, chargesForUnits } from './allocate';
import type { ComponentAmounts } from './components';
import { clampAtZero, maxAmounts, subtractAmounts, totalOf } from './components';
import type { OutEntry, RefundLedger } from './ledger';
import { findOut, inEntryForShopifyRefund, ledgerCancelledUnits, ledgerRefundedByItem } from './ledger';
import type { AdjustmentReason, CancelReason, ReasonCode } from './reasons';
import { REASON_CODES, adjustmentReasonFor, cancelReasonFor, notifyByDefault, partialCancelReasonFor } from './reasons';
import { reconcile } from './reconcile';
import { settleSync } from './settle';
import type { GqlRefundDetail, ShopifyOrderFacts, ShopifyRefundFacts } from './shopifyOrder';
import { CurrencyMismatchError, orderRefundedTotal, readShopifyRefund } from './shopifyOrder';

export const FEED_PAYMENT_ADJUSTMENT = 'POST_PAYMENT_ADJUSTMENT_DATA';
export const FEED_ORDER_ACKNOWLEDGEMENT = 'POST_ORDER_ACKNOWLEDGEMENT_DATA';
export type FeedType = typeof FEED_PAYMENT_ADJUSTMENT | typeof FEED_ORDER_ACKNOWLEDGEMENT;

/** Marker the Amazon -> Shopify direction writes into the notes of refunds it records. */
export const RECORDED_NOTE_MARKER = '[amazon-refund-recorded';

/** Amazon says finances may miss the events of the last 48 hours. */
export const FINANCES_LAG_MS = 48 * 3600 * 1000;

export interface ExplicitLine {
	/** Amazon OrderItemId, or a Shopify line item gid/id, or a SKU. */
	item: string;
	quantity?: number;
}

export type RefundRequest =
	| { kind: 'refund'; source: 'shopifyRefund'; shopifyRefundId: string }
	| { kind: 'cancellation'; source: 'shopifyCancellation' }
	| {
			kind: 'refund' | 'cancellation';
			source: 'explicit';
			reference: string;
			lines: ExplicitLine[];
			/** Total given back, a decimal in the Amazon order's currency ("12.50", JPY "1500"). */
			amount?: string;
			/** Shipping given back, a decimal in the Amazon order's currency. */
			shippingAmount?: string;
			note?: string;
	  };

export interface EligibilityOptions {
	adjustmentReason?: AdjustmentReason;
	cancelReason?: CancelReason;
	/** Re-send a refund Amazon refused before (after the merchant fixed the cause). */
	retryFailed?: boolean;
	toleranceMinor?: number;
}

export interface EligibilityInput {
	request: RefundRequest;
	order: ShopifyOrderFacts;
	refundDetail?: GqlRefundDetail;
	amazon?: AmazonOrderFacts;
	amazonNotFound?: boolean;
	amazonRefunds?: AmazonRefundRecord[];
	/** Finances could not be read (role missing, API removed): decided on the ledger alone, with a warning. */
	financesError?: string;
	ledger: RefundLedger;
	now: number;
	options?: EligibilityOptions;
}

export interface DecisionItem {
	orderItemId: string;
	sku?: string;
	/** Units refunded or canceled in Shopify for this item. */
	quantity?: number;
	/** Unshipped units canceled on Amazon (QuantityCancelled, or the whole order's units). */
	quantityCancelled?: number;
	/** Money given back on Amazon, per component (what the payment adjustment carries). */
	components: ComponentAmounts;
	total: number;
	/** Value of the canceled units, per component: not charged by Amazon, so not sent as money. */
	cancelledValue?: ComponentAmounts;
}

export interface Decision {
	eligible: boolean;
	reasonCode: ReasonCode;
	reason: string;
	message: string;
	notifyMerchant: boolean;
	/** cancel when the Amazon order is unshipped, refund when shipped. */
	path?: 'refund' | 'cancel';
	/** How Sync Refund sends it. `resume` = finish an earlier submission, never send again. */
	action?: 'paymentAdjustment' | 'partialCancellation' | 'fullCancellation' | 'resume';
	feedType?: FeedType;
	ledgerKey: string;
	request: RefundRequest;
	shopifyOrderId: string;
	shopifyOrderName?: string;
	shopifyRefundId?: string;
	amazonOrderId?: string;
	marketplaceId?: string;
	currency?: string;
	/**
	 * total = money given back on Amazon (payment adjustments); cancelledValueTotal = value of the
	 * units canceled before shipment (never charged by Amazon, so never sent as money).
	 */
	amounts?: { total: number; totalFormatted: string; cancelledValueTotal?: number; items: DecisionItem[] };
	adjustmentReason?: AdjustmentReason;
	/** Reason for the canceled units of a partially shipped order (their own AdjustedItem). */
	partialCancelReason?: AdjustmentReason;
	cancelReason?: CancelReason;
	shopifyMoneyRefunded?: number;
	alreadyRefunded?: {
		total: number;
		amazonRefunds: Array<{ key: string; postedDate?: string; total: number; knownToLedger: boolean }>;
	};
	refundable?: { total: number; items: Array<{ orderItemId: string; components: ComponentAmounts }> };
	financesMayLag: boolean;
	warnings: string[];
	resume?: Pick<OutEntry, 'status' | 'feedId' | 'feedDocumentId' | 'messageId' | 'submittedAt'>;
}

function ledgerKeyFor(request: RefundRequest, order: ShopifyOrderFacts): string {
	if (request.source === 'shopifyRefund') return `refund:${request.shopifyRefundId}`;
	if (request.source === 'shopifyCancellation') return `cancel:${order.id}`;
	return `manual:${request.reference}`;
}

interface Base {
	request: RefundRequest;
	ledgerKey: string;
	order: ShopifyOrderFacts;
	amazon?: AmazonOrderFacts;
	warnings: string[];
	financesMayLag: boolean;
}

function decision(base: Base, code: ReasonCode, message: string, extra: Partial<Decision> = {}): Decision {
	const { request, order, amazon } = base;
	return {
		eligible: code === 'ELIGIBLE',
		reasonCode: code,
		reason: REASON_CODES[code],
		message,
		notifyMerchant: notifyByDefault(code),
		ledgerKey: base.ledgerKey,
		request,
		shopifyOrderId: order.id,
		shopifyOrderName: order.name,
		shopifyRefundId: request.source === 'shopifyRefund' ? request.shopifyRefundId : undefined,
		amazonOrderId: order.linkage?.amazonOrderId ?? amazon?.orderId,
		marketplaceId: amazon?.marketplaceId ?? order.linkage?.marketplaceId,
		currency: amazon?.currency,
		financesMayLag: base.financesMayLag,
		warnings: base.warnings,
		...extra,
	};
}

function fmt(minor: number, currency: string): string {
	return formatMoney({ amount: minor, currency });
}

function orderLabel(order: ShopifyOrderFacts): string {
	return order.name ? `Shopify order ${order.name}` : `Shopify order ${order.id}`;
}

/** Resolves explicit lines (Amazon item id, Shopify line id or SKU) to Amazon items. */
function resolveExplicitLine(line: ExplicitLine, order: ShopifyOrderFacts, amazon: AmazonOrderFacts): AmazonItemFacts | undefined {
	const key = line.item.trim();
	const direct = amazon.items.find((i) => i.orderItemId === key);
	if (direct) return direct;
	const shopifyLine = order.lines.find((l) => l.lineItemId === key || l.lineItemId.endsWith(`/${key}`));
	if (shopifyLine?.orderItemId) return amazon.items.find((i) => i.orderItemId === shopifyLine.orderItemId);
	const bySku = amazon.items.filter((i) => i.sku === key);
	return bySku.length === 1 ? bySku[0] : undefined;
}

interface Movement {
	/** Units per Amazon item (refund lines). */
	units: Map<string, number>;
	/** Product money per Amazon item, or undefined when computed from Amazon's prices. */
	money: Map<string, number>;
	shippingMoney: number;
	target: number;
	unmappedMoney: number;
	unmappedLines: string[];
	isReturn: boolean;
	note: string;
	hasUnits: boolean;
	moneyMoved: boolean;
}

function movementFromShopifyRefund(refund: ShopifyRefundFacts, taxesIncluded: boolean): Movement {
	const units = new Map<string, number>();
	const money = new Map<string, number>();
	let unmappedMoney = 0;
	const unmappedLines: string[] = [];
	for (const line of refund.lines) {
		const lineMoney = taxesIncluded ? line.subtotal : line.subtotal + line.tax;
		if (!line.orderItemId) {
			if (lineMoney > 0 || line.quantity > 0) {
				unmappedMoney += lineMoney;
				unmappedLines.push(line.lineItemId);
			}
			continue;
		}
		units.set(line.orderItemId, (units.get(line.orderItemId) ?? 0) + line.quantity);
		money.set(line.orderItemId, (money.get(line.orderItemId) ?? 0) + lineMoney);
	}
	const shippingMoney = taxesIncluded ? refund.shipping.subtotal : refund.shipping.subtotal + refund.shipping.tax;
	return {
		units,
		money,
		shippingMoney,
		target: refund.moneyRefunded,
		unmappedMoney,
		unmappedLines,
		isReturn: refund.hasReturn || refund.lines.some((l) => l.restockType === 'RETURN'),
		note: refund.note,
		hasUnits: [...units.values()].some((u) => u > 0),
		moneyMoved: refund.moneyRefunded > 0,
	};
}

function remainingUnitsToCancel(item: AmazonItemFacts, ledgerCancelled: Map<string, number>): number {
	return Math.max(0, item.quantityOrdered - item.quantityShipped - item.quantityCancelled - (ledgerCancelled.get(item.orderItemId) ?? 0));
}

function baseFor(input: Pick<EligibilityInput, 'request' | 'order' | 'amazon'>): Base {
	return {
		request: input.request,
		ledgerKey: ledgerKeyFor(input.request, input.order),
		order: input.order,
		amazon: input.amazon,
		warnings: [],
		financesMayLag: false,
	};
}

/**
 * The decisions that need no Amazon call: not an Amazon order, FBA, recorded from Amazon, already
 * sent. Context loaders run this first so that these items cost no SP-API budget.
 */
export function earlyDecision(input: Omit<EligibilityInput, 'now'> & { now?: number }, base: Base = baseFor(input)): Decision | undefined {
	const { request, order, amazon, ledger } = input;
	const options = input.options ?? {};
	const label = orderLabel(order);

	// 1. Is it an Amazon order at all?
	if (!order.linkage) {
		return decision(base, 'NOT_AMAZON_ORDER', `${label} is not linked to an Amazon order (no amazon.order_id metafield, or no Amazon tag and Amazon order id), so there is nothing to send to Amazon.`);
	}
	const amazonOrderId = order.linkage.amazonOrderId;
	if (order.linkage.isFba || amazon?.fulfilledBy === 'AMAZON') {
		return decision(base, 'FBA_ORDER', `Amazon order ${amazonOrderId} is fulfilled by Amazon (FBA). Amazon handles FBA returns and refunds itself; refund it in Seller Central if Amazon has not.`);
	}

	// 2. Loop protection: a refund we recorded from Amazon never goes back.
	if (request.source === 'shopifyRefund') {
		const recorded = inEntryForShopifyRefund(ledger, request.shopifyRefundId);
		const note = input.refundDetail?.note ?? order.refunds.find((r) => r.id === request.shopifyRefundId)?.note ?? '';
		if (recorded || note.includes(RECORDED_NOTE_MARKER)) {
			return decision(base, 'RECORDED_FROM_AMAZON', `This Shopify refund records a refund Amazon already made on order ${amazonOrderId}${recorded?.postedDate ? ` (posted ${recorded.postedDate})` : ''}; it is not sent back to Amazon.`);
		}
	}

	// 3. Exactly once: has this refund or cancellation been sent before? A refund made by a Shopify
	// cancellation and the cancellation itself are one Amazon cancellation (key cancel:<order>).
	const cancelKey = `cancel:${order.id}`;
	const previous = findOut(ledger, base.ledgerKey) ?? (order.cancelledAt || request.kind === 'cancellation' ? findOut(ledger, cancelKey) : undefined);
	if (previous) {
		base.ledgerKey = previous.key;
		if (previous.status === 'succeeded') {
			return decision(base, 'ALREADY_SYNCED', `Already sent to Amazon in feed ${previous.feedId ?? '?'} (message ${previous.messageId ?? '?'}) and accepted; nothing is sent again.`, {
				path: previous.path === 'refund' ? 'refund' : 'cancel',
			});
		}
		if (previous.status === 'failed' && !options.retryFailed) {
			return decision(base, 'PREVIOUSLY_FAILED', `Sent to Amazon before (feed ${previous.feedId ?? '?'}) and Amazon refused it: ${previous.resultMessage ?? 'no message'}. Fix the cause, then run with "Retry Refused Submissions" on.`, {
				path: previous.path === 'refund' ? 'refund' : 'cancel',
			});
		}
		if (previous.status !== 'failed') {
			const path = previous.path === 'refund' ? 'refund' : 'cancel';
			const message = previous.deferredUntil && !previous.feedId
				? 'An earlier submission was claimed but not sent yet (Amazon\'s createFeed budget was empty); Sync Refund will send it, once.'
				: `An earlier submission is ${previous.status} (feed ${previous.feedId ?? 'not known yet'}); Sync Refund will finish it and never send it twice.`;
			return decision(base, 'ELIGIBLE', message, {
				path,
				action: 'resume',
				feedType: previous.feedType as FeedType,
				currency: previous.currency,
				amounts: {
					total: previous.total,
					totalFormatted: fmt(previous.total, previous.currency),
					items: previous.items.map((i) => ({ orderItemId: i.orderItemId, components: i.amounts, total: totalOf(i.amounts), quantityCancelled: i.quantityCancelled })),
				},
				resume: { status: previous.status, feedId: previous.feedId, feedDocumentId: previous.feedDocumentId, messageId: previous.messageId, submittedAt: previous.submittedAt },
				notifyMerchant: false,
			});
		}
	}

	return undefined;
}

export function decideEligibility(input: EligibilityInput): Decision {
	const { request, order, amazon, ledger } = input;
	const options = input.options ?? {};
	const base = baseFor(input);
	const label = orderLabel(order);
	const early = earlyDecision(input, base);
	if (early) return early;
	const amazonOrderId = (order.linkage as NonNullable<ShopifyOrderFacts['linkage']>).amazonOrderId;

	// 4. The Amazon order.
	if (input.amazonNotFound || !amazon) {
		return decision(base, 'AMAZON_ORDER_NOT_FOUND', `Amazon does not know order ${amazonOrderId}. Check that the Amazon credential's region and seller match the order, and the order id on ${label}.`);
	}
	const currency = amazon.currency;
	if (amazon.status === 'CANCELLED') {
		// Quiet when Shopify is canceled too (the same state, for example recorded from Amazon).
		const quiet = request.kind === 'cancellation' || Boolean(order.cancelledAt);
		return decision(base, 'ALREADY_CANCELED_ON_AMAZON', quiet
			? `Amazon order ${amazonOrderId} is already canceled on Amazon; nothing to send.`
			: `Amazon order ${amazonOrderId} is canceled on Amazon, so the buyer was never charged and there is nothing to refund there. The Shopify refund stays as is.`, { notifyMerchant: !quiet });
	}
	if (isPendingStatus(amazon.status)) {
		return decision(base, 'AMAZON_ORDER_PENDING', `Amazon order ${amazonOrderId} is still ${amazon.status}: Amazon accepts cancellations and refunds once the order is Unshipped. Run this again later.`);
	}
	const shipped = isShippedStatus(amazon.status);
	const path: 'refund' | 'cancel' = shipped ? 'refund' : 'cancel';

	// Finances lag and availability.
	const lastActivity = [amazon.lastShipTime, ...ledger.entries.map((e) => e.updatedAt)].filter((t): t is string => Boolean(t)).map((t) => Date.parse(t)).filter(Number.isFinite);
	base.financesMayLag = lastActivity.some((t) => input.now - t < FINANCES_LAG_MS);
	if (input.financesError) {
		base.warnings.push(`Amazon finances could not be read (${input.financesError}); only this workflow's own record of refunds was checked.`);
	}
	if (base.financesMayLag && shipped) {
		base.warnings.push('Amazon finances can miss refunds of the last 48 hours; a refund made in Seller Central very recently may not be visible yet.');
	}

	// 5. Refunds Amazon already made.
	const amazonRefunds = input.amazonRefunds ?? [];
	const reconciliation = reconcile(amazonRefunds, ledger);
	const unknownRefunds = reconciliation.unknown;
	const alreadyRefunded = {
		total: amazonRefunds.reduce((sum, r) => sum + r.total, 0),
		amazonRefunds: amazonRefunds.map((r) => ({ key: r.key, postedDate: r.postedDate, total: r.total, knownToLedger: !unknownRefunds.includes(r) })),
	};

	// 6. What the merchant asks for.
	const ledgerCancelled = ledgerCancelledUnits(ledger, { excludeKey: base.ledgerKey });
	let movement: Movement;
	let shopifyMoneyRefunded: number | undefined;
	if (request.source === 'shopifyRefund') {
		if (!input.refundDetail) {
			return decision(base, 'INVALID_REQUEST', `Shopify refund ${request.shopifyRefundId} was not found on ${label}.`);
		}
		const detail = input.refundDetail;
		const read = settleSync(() => readShopifyRefund(detail, order, currency));
		if (!read.ok) {
			const error = read.error;
			if (error instanceof CurrencyMismatchError) {
				return decision(base, 'CURRENCY_MISMATCH', `${label} is in ${error.found.join('/')}, but Amazon order ${amazonOrderId} is in ${currency}; the pack never converts currencies. Refund this order in Seller Central.`);
			}
			return decision(base, 'INVALID_REQUEST', (error as Error).message);
		}
		const facts: ShopifyRefundFacts = read.value;
		movement = movementFromShopifyRefund(facts, order.taxesIncluded);
		shopifyMoneyRefunded = facts.moneyRefunded;
	} else if (request.source === 'shopifyCancellation') {
		const refunded = orderRefundedTotal(order, currency);
		if (refunded === undefined) {
			return decision(base, 'CURRENCY_MISMATCH', `${label} is not in ${currency}, the currency of Amazon order ${amazonOrderId}; the pack never converts currencies.`);
		}
		shopifyMoneyRefunded = refunded;
		movement = { units: new Map(), money: new Map(), shippingMoney: 0, target: refunded, unmappedMoney: 0, unmappedLines: [], isReturn: false, note: '', hasUnits: false, moneyMoved: refunded > 0 };
	} else {
		const units = new Map<string, number>();
		for (const line of request.lines) {
			const item = resolveExplicitLine(line, order, amazon);
			if (!item) {
				return decision(base, 'INVALID_REQUEST', `"${line.item}" is not an item of Amazon order ${amazonOrderId}: give an Amazon order item id, a Shopify line item id or a SKU of this order.`);
			}
			const quantity = line.quantity ?? item.quantityOrdered;
			if (!Number.isInteger(quantity) || quantity < 0) {
				return decision(base, 'INVALID_REQUEST', `The quantity for "${line.item}" must be a whole number of units.`);
			}
			units.set(item.orderItemId, (units.get(item.orderItemId) ?? 0) + quantity);
		}
		const money = new Map<string, number>();
		let computed = 0;
		for (const [orderItemId, quantity] of units) {
			const item = amazon.items.find((i) => i.orderItemId === orderItemId) as AmazonItemFacts;
			const unitCharges = chargesForUnits({ Principal: item.charged.Principal, Tax: item.charged.Tax }, quantity, item.quantityOrdered);
			money.set(orderItemId, totalOf(unitCharges));
			computed += totalOf(unitCharges);
		}
		const parsedAmounts = settleSync(() => ({
			shipping: request.shippingAmount ? toMinor(request.shippingAmount, currency) : 0,
			amount: request.amount ? toMinor(request.amount, currency) : undefined,
		}));
		if (!parsedAmounts.ok) {
			return decision(base, 'INVALID_REQUEST', `${(parsedAmounts.error as Error).message} (amounts are in ${currency}, the currency of Amazon order ${amazonOrderId}).`);
		}
		const shippingMoney = parsedAmounts.value.shipping;
		const requestedAmount = parsedAmounts.value.amount;
		if (shippingMoney < 0 || (requestedAmount ?? 0) < 0) {
			return decision(base, 'INVALID_REQUEST', 'Amounts to refund must not be negative.');
		}
		const target = requestedAmount ?? computed + shippingMoney;
		if (requestedAmount !== undefined && units.size === 0 && shipped) {
			// Amount only: spread over every shipped item by what is left of its price.
			for (const item of amazon.items) if (item.quantityShipped > 0) money.set(item.orderItemId, 0);
		}
		movement = {
			units,
			money,
			shippingMoney,
			target,
			unmappedMoney: 0,
			unmappedLines: [],
			isReturn: false,
			note: request.note ?? '',
			hasUnits: [...units.values()].some((u) => u > 0),
			moneyMoved: target > 0,
		};
		shopifyMoneyRefunded = target;
		if (request.kind === 'cancellation' && !shipped && units.size === 0) {
			movement.hasUnits = false;
		}
	}

	if (movement.unmappedMoney > 0 || movement.unmappedLines.length) {
		return decision(base, 'UNMAPPED_LINE_ITEMS', `${movement.unmappedLines.length} refunded line item(s) of ${label} have no ${'_amazon_order_item_id'} property, so Amazon cannot be told which item is refunded. Refund them in Seller Central, or fix the order's linkage.`, { shopifyMoneyRefunded });
	}

	// 7. Cancellation path (Amazon order not shipped).
	const isFullCancel =
		!shipped &&
		(request.kind === 'cancellation' ||
			Boolean(order.cancelledAt) ||
			(movement.hasUnits && amazon.items.every((item) => (movement.units.get(item.orderItemId) ?? 0) >= remainingUnitsToCancel(item, ledgerCancelled))));

	if (request.kind === 'cancellation' && shipped) {
		const someRefund = (shopifyMoneyRefunded ?? 0) > 0;
		return decision(base, 'SHIPPED_CANNOT_CANCEL', someRefund
			? `Amazon order ${amazonOrderId} has already shipped, so it cannot be canceled on Amazon. The refunds made with this cancellation are synced as refunds (their own "refund created" events).`
			: `Amazon order ${amazonOrderId} has already shipped, so it cannot be canceled on Amazon, and ${label} was canceled without a refund. Refund the order in Shopify to refund the buyer on Amazon.`, { notifyMerchant: !someRefund, path: 'refund', shopifyMoneyRefunded });
	}

	if (!shipped) {
		// A restock-only refund made by a Shopify cancellation: the cancellation's own event is the
		// one that is checked (and refused, if it moved no money); this one stays quiet.
		if (!movement.moneyMoved && request.source === 'shopifyRefund' && order.cancelledAt) {
			return decision(base, 'ZERO_AMOUNT', `This Shopify refund of a cancelled order gives back ${fmt(0, currency)}; the cancellation itself is checked with its own event.`, { path: 'cancel', shopifyMoneyRefunded });
		}
		// The old Shopify Amazon channel rule: every Amazon order is tied to a payment, so a
		// cancellation needs a refund above 0 in Shopify, or the books would disagree.
		if (!movement.moneyMoved) {
			const code: ReasonCode = 'CANCEL_WITHOUT_REFUND';
			return decision(base, code, `Canceling Amazon order ${amazonOrderId} needs a Shopify refund above ${fmt(0, currency)}: every Amazon order is tied to a payment. Cancel the order in Shopify with a refund to the original payment method (the Amazon gateway), then it is sent.`, { path: 'cancel', shopifyMoneyRefunded });
		}
		if (isFullCancel) {
			const items: DecisionItem[] = amazon.items
				.filter((item) => remainingUnitsToCancel(item, ledgerCancelled) > 0)
				.map((item) => ({ orderItemId: item.orderItemId, sku: item.sku, quantityCancelled: remainingUnitsToCancel(item, ledgerCancelled), components: {}, total: 0, cancelledValue: chargesForUnits(item.charged, remainingUnitsToCancel(item, ledgerCancelled), item.quantityOrdered) }));
			if (items.length === 0) {
				return decision(base, 'ALREADY_CANCELED_ON_AMAZON', `Every unit of Amazon order ${amazonOrderId} is already canceled (on Amazon or by an earlier submission).`, { notifyMerchant: false, path: 'cancel' });
			}
			const total = items.reduce((sum, i) => sum + totalOf(i.cancelledValue ?? {}), 0);
			const cancelReason = options.cancelReason ?? cancelReasonFor({ shopifyCancelReason: order.cancelReason, buyerRequested: amazon.items.some((i) => i.buyerRequestedCancel), note: movement.note });
			if (shopifyMoneyRefunded !== undefined && shopifyMoneyRefunded !== total) {
				base.warnings.push(`Shopify refunded ${fmt(shopifyMoneyRefunded, currency)}, the Amazon order is worth ${fmt(total, currency)}; Amazon cancels the whole order and the buyer is not charged at all.`);
			}
			return decision(base, 'ELIGIBLE', `Amazon order ${amazonOrderId} has not shipped: it will be canceled on Amazon (order acknowledgement "Failure", reason ${cancelReason}); the buyer is not charged.`, {
				path: 'cancel',
				action: 'fullCancellation',
				feedType: FEED_ORDER_ACKNOWLEDGEMENT,
				ledgerKey: `cancel:${order.id}`,
				cancelReason,
				amounts: { total: 0, totalFormatted: fmt(0, currency), cancelledValueTotal: total, items },
				shopifyMoneyRefunded,
				alreadyRefunded,
			});
		}
		if (!movement.hasUnits) {
			return decision(base, 'UNSHIPPED_AMOUNT_ONLY', `Amazon order ${amazonOrderId} has not shipped, so Amazon has not charged the buyer and an amount cannot be refunded. Cancel whole units (refund line items in Shopify), cancel the order, or wait until it ships.`, { path: 'cancel', shopifyMoneyRefunded });
		}
	}

	// 8. Refund path, or a partial cancellation (payment adjustment with QuantityCancelled).
	if (!movement.moneyMoved) {
		return decision(base, 'ZERO_AMOUNT', `This Shopify refund gives back ${fmt(0, currency)} (restock only, or refunded to store credit), so there is nothing to refund on Amazon.`, { path, shopifyMoneyRefunded });
	}

	// Already refunded on Amazon, outside this workflow: the old channel refused these with a notice.
	if (unknownRefunds.length) {
		const total = unknownRefunds.reduce((sum, r) => sum + r.total, 0);
		const dates = unknownRefunds.map((r) => r.postedDate?.slice(0, 10)).filter(Boolean).join(', ');
		const mirror = unknownRefunds.some((r) => r.total === movement.target);
		return decision(base, 'ALREADY_REFUNDED_ON_AMAZON', `Amazon order ${amazonOrderId} was already refunded on Amazon (${fmt(total, currency)}${dates ? `, posted ${dates}` : ''}) outside this workflow${mirror ? ', for the same amount as this Shopify refund' : ''}. Sending this refund could refund the buyer twice, so it was not sent. If this Shopify refund mirrors Amazon's, nothing is left to do; otherwise refund the difference in Seller Central.`, { path, alreadyRefunded, shopifyMoneyRefunded });
	}

	// Units: shipped units are refunded; unshipped units are canceled (Amazon charged only shipped units).
	const financeRefunded = refundedByItem(amazonRefunds);
	const ledgerRefunded = ledgerRefundedByItem(ledger, { excludeKey: base.ledgerKey });
	const remaining = new Map<string, ComponentAmounts>();
	const cancelUnits = new Map<string, number>();
	const refundUnitsByItem = new Map<string, number>();
	for (const item of amazon.items) {
		const requestedUnits = movement.units.get(item.orderItemId) ?? 0;
		const unshippedLeft = remainingUnitsToCancel(item, ledgerCancelled);
		const refundUnits = Math.min(requestedUnits, item.quantityShipped);
		const cancel = Math.min(unshippedLeft, requestedUnits - refundUnits);
		if (requestedUnits - refundUnits - cancel > 0) {
			return decision(base, 'MORE_THAN_REFUNDABLE', `${requestedUnits} unit(s) of item ${item.sku ?? item.orderItemId} are refunded in Shopify, but Amazon order ${amazonOrderId} has only ${item.quantityShipped} shipped and ${unshippedLeft} cancelable unit(s) left.`, { path, shopifyMoneyRefunded, alreadyRefunded });
		}
		if (cancel > 0) cancelUnits.set(item.orderItemId, cancel);
		if (refundUnits > 0) refundUnitsByItem.set(item.orderItemId, refundUnits);
		const ceiling = chargesForUnits(item.charged, item.quantityShipped, item.quantityOrdered);
		const refunded = maxAmounts(financeRefunded.get(item.orderItemId) ?? {}, ledgerRefunded.get(item.orderItemId) ?? {});
		if (item.quantityShipped > 0) remaining.set(item.orderItemId, clampAtZero(subtractAmounts(ceiling, refunded)));
	}
	const unattributed = totalOf(financeRefunded.get('') ?? {});
	const refundableTotal = [...remaining.values()].reduce((sum, a) => sum + totalOf(a), 0) - unattributed;
	const refundable = { total: Math.max(0, refundableTotal), items: [...remaining].map(([orderItemId, components]) => ({ orderItemId, components })) };

	// Money for canceled units stays in Shopify's books only; Amazon gets the money of shipped units.
	let amazonLinesMoney = 0;
	let cancelledMoney = 0;
	const lines: Array<{ orderItemId: string; money: number }> = [];
	for (const [orderItemId, money] of movement.money) {
		const requested = movement.units.get(orderItemId) ?? 0;
		const cancel = cancelUnits.get(orderItemId) ?? 0;
		const [refundPart, cancelPart] = requested > 0 && cancel > 0 ? allocateMinor(money, [requested - cancel, cancel]) : [money, 0];
		cancelledMoney += cancelPart;
		if (remaining.has(orderItemId) || refundPart > 0) {
			lines.push({ orderItemId, money: refundPart });
			amazonLinesMoney += refundPart;
		}
	}
	const requestedTotal = amazonLinesMoney + cancelledMoney + movement.shippingMoney;
	const amazonTarget =
		cancelledMoney > 0 && requestedTotal > 0
			? allocateMinor(movement.target, [amazonLinesMoney + movement.shippingMoney, cancelledMoney])[0]
			: movement.target;
	// An unshipped order was never charged: only its units are canceled, whatever Shopify refunded.
	const sendsMoney = shipped && (amazonLinesMoney + movement.shippingMoney > 0 || (movement.units.size === 0 && amazonTarget > 0));

	let allocationItems = new Map<string, ComponentAmounts>();
	let total = 0;
	if (sendsMoney) {
		const allocation = allocateRefund({ lines, shippingMoney: movement.shippingMoney, target: amazonTarget, remaining, toleranceMinor: options.toleranceMinor });
		if (allocation.shortfalls.length || allocation.total > refundable.total) {
			const first = allocation.shortfalls[0];
			const what = first?.what === 'shipping' ? 'shipping' : first?.orderItemId ? `item ${amazon.items.find((i) => i.orderItemId === first.orderItemId)?.sku ?? first.orderItemId}` : 'this order';
			const requested = first ? first.requested : allocation.total;
			const available = first ? first.available : refundable.total;
			return decision(base, 'MORE_THAN_REFUNDABLE', `This refund asks Amazon for ${fmt(requested, currency)} on ${what}, but only ${fmt(available, currency)} is left to refund there (earlier refunds included). Nothing was sent; refund at most what is left.`, { path, shopifyMoneyRefunded, alreadyRefunded, refundable });
		}
		if (allocation.capped > 0) {
			base.warnings.push(`${fmt(allocation.capped, currency)} more than Amazon's refundable amount was requested (rounding between Shopify and Amazon taxes); it was left out.`);
		}
		allocationItems = allocation.items;
		total = allocation.total;
	}

	const items: DecisionItem[] = [];
	for (const item of amazon.items) {
		const components = allocationItems.get(item.orderItemId);
		const cancel = cancelUnits.get(item.orderItemId);
		if (!components && !cancel) continue;
		items.push({
			orderItemId: item.orderItemId,
			sku: item.sku,
			quantity: movement.units.get(item.orderItemId) || undefined,
			quantityCancelled: cancel,
			components: components ?? {},
			total: totalOf(components ?? {}),
			...(cancel ? { cancelledValue: chargesForUnits(item.charged, cancel, item.quantityOrdered) } : {}),
		});
	}
	const partialCancel = !shipped;
	const shippingOnly = movement.shippingMoney > 0 && movement.money.size === 0;
	const buyerRequested = amazon.items.some((i) => i.buyerRequestedCancel && cancelUnits.has(i.orderItemId));
	const adjustmentReason =
		options.adjustmentReason ??
		(partialCancel
			? partialCancelReasonFor({ buyerRequested, shopifyCancelReason: order.cancelReason })
			: adjustmentReasonFor({ isReturn: movement.isReturn, shippingOnly, note: movement.note }));
	const cancelReason = cancelUnits.size ? partialCancelReasonFor({ buyerRequested, shopifyCancelReason: order.cancelReason }) : undefined;
	const unitsCancelled = [...cancelUnits.values()].reduce((a, b) => a + b, 0);
	const message = partialCancel
		? `Amazon order ${amazonOrderId} has not shipped: ${unitsCancelled} unit(s) will be canceled with a payment adjustment (QuantityCancelled, reason ${adjustmentReason}); the buyer is not charged for them.`
		: `Amazon order ${amazonOrderId} has shipped: ${fmt(total, currency)} will be refunded on Amazon (payment adjustment, reason ${adjustmentReason})${unitsCancelled ? `, and ${unitsCancelled} unshipped unit(s) canceled` : ''}.`;
	return decision(base, 'ELIGIBLE', message, {
		path,
		action: partialCancel ? 'partialCancellation' : 'paymentAdjustment',
		feedType: FEED_PAYMENT_ADJUSTMENT,
		adjustmentReason,
		...(cancelReason && !partialCancel ? { partialCancelReason: cancelReason } : {}),
		amounts: {
			total,
			totalFormatted: fmt(total, currency),
			...(cancelUnits.size ? { cancelledValueTotal: items.reduce((sum, i) => sum + totalOf(i.cancelledValue ?? {}), 0) } : {}),
			items,
		},
		shopifyMoneyRefunded,
		alreadyRefunded,
		refundable,
	});
}
