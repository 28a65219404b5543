/**
 * Decision reason codes (stable, documented in the README and the node descriptions), Amazon's
 * AdjustmentReason and CancelReason enums, and how a Shopify refund or cancellation maps onto them.
 */

export const REASON_CODES = {
	ELIGIBLE: 'Eligible',
	NOT_AMAZON_ORDER: 'Not an Amazon order',
	FBA_ORDER: 'FBA order: Amazon handles its refunds',
	RECORDED_FROM_AMAZON: 'Recorded from an Amazon refund (not sent back)',
	ALREADY_SYNCED: 'Already sent to Amazon',
	PREVIOUSLY_FAILED: 'Sent before and Amazon refused it',
	AMAZON_ORDER_NOT_FOUND: 'Amazon order not found',
	AMAZON_ORDER_PENDING: 'Amazon order still pending',
	ALREADY_CANCELED_ON_AMAZON: 'Already canceled on Amazon',
	ALREADY_REFUNDED_ON_AMAZON: 'Already refunded on Amazon',
	MORE_THAN_REFUNDABLE: 'More than what is left to refund',
	ZERO_AMOUNT: 'Zero amount or restock only',
	CANCEL_WITHOUT_REFUND: 'Cancellation without a refund above 0',
	SHIPPED_CANNOT_CANCEL: 'Shipped on Amazon: refund instead of cancel',
	UNSHIPPED_AMOUNT_ONLY: 'Unshipped order: amount-only refunds are impossible',
	CURRENCY_MISMATCH: 'Currency differs from the Amazon order',
	UNMAPPED_LINE_ITEMS: 'Line items without an Amazon order item',
	INVALID_REQUEST: 'Invalid request',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

/** Refusals the merchant must hear about; the others are expected and quiet. */
const QUIET: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
	'ELIGIBLE',
	'NOT_AMAZON_ORDER',
	'RECORDED_FROM_AMAZON',
	'ALREADY_SYNCED',
	'PREVIOUSLY_FAILED',
	'ZERO_AMOUNT',
]);

export function notifyByDefault(code: ReasonCode): boolean {
	return !QUIET.has(code);
}

/** OrderAdjustment.xsd AdjustmentReason (amazon.md §5.2). */
export const ADJUSTMENT_REASONS = [
	'NoInventory',
	'CustomerReturn',
	'GeneralAdjustment',
	'CouldNotShip',
	'DifferentItem',
	'Abandoned',
	'CustomerCancel',
	'PriceError',
	'ProductOutofStock',
	'CustomerAddressIncorrect',
	'Exchange',
	'Other',
	'CarrierCreditDecision',
	'RiskAssessmentInformationNotValid',
	'CarrierCoverageFailure',
	'TransactionRecord',
	'Undeliverable',
	'RefusedDelivery',
] as const;

export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** OrderAcknowledgement.xsd CancelReason (amazon.md §5.3). */
export const CANCEL_REASONS = [
	'NoInventory',
	'ShippingAddressUndeliverable',
	'CustomerExchange',
	'BuyerCanceled',
	'GeneralAdjustment',
	'CarrierCreditDecision',
	'RiskAssessmentInformationNotValid',
	'CarrierCoverageFailure',
	'CustomerReturn',
	'MerchandiseNotReceived',
] as const;

export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * What the node options show for each reason: explicit, because Amazon's names do not split
 * mechanically ("ProductOutofStock" is "Product Out of Stock").
 */
export const REASON_LABELS: Readonly<Record<AdjustmentReason | CancelReason, string>> = {
	NoInventory: 'No Inventory',
	CustomerReturn: 'Customer Return',
	GeneralAdjustment: 'General Adjustment',
	CouldNotShip: 'Could Not Ship',
	DifferentItem: 'Different Item',
	Abandoned: 'Abandoned',
	CustomerCancel: 'Customer Cancel',
	PriceError: 'Price Error',
	ProductOutofStock: 'Product Out of Stock',
	CustomerAddressIncorrect: 'Customer Address Incorrect',
	Exchange: 'Exchange',
	Other: 'Other',
	CarrierCreditDecision: 'Carrier Credit Decision',
	RiskAssessmentInformationNotValid: 'Risk Assessment Information Not Valid',
	CarrierCoverageFailure: 'Carrier Coverage Failure',
	TransactionRecord: 'Transaction Record',
	Undeliverable: 'Undeliverable',
	RefusedDelivery: 'Refused Delivery',
	ShippingAddressUndeliverable: 'Shipping Address Undeliverable',
	CustomerExchange: 'Customer Exchange',
	BuyerCanceled: 'Buyer Canceled',
	MerchandiseNotReceived: 'Merchandise Not Received',
};

export function isAdjustmentReason(value: unknown): value is AdjustmentReason {
	return typeof value === 'string' && (ADJUSTMENT_REASONS as readonly string[]).includes(value);
}

export function isCancelReason(value: unknown): value is CancelReason {
	return typeof value === 'string' && (CANCEL_REASONS as readonly string[]).includes(value);
}

/** Words in a Shopify refund note that name a more precise Amazon reason. First match wins. */
const NOTE_KEYWORDS: Array<[RegExp, AdjustmentReason]> = [
	[/\b(wrong|different) item\b/i, 'DifferentItem'],
	[/\bprice (error|mistake|match)|overcharg/i, 'PriceError'],
	[/\brefused\b/i, 'RefusedDelivery'],
	[/\bundeliver|returned to sender|address/i, 'Undeliverable'],
	[/\bexchange\b/i, 'Exchange'],
	[/\bout of stock|no inventory|sold out/i, 'ProductOutofStock'],
	[/\b(carrier|lost in transit|lost package|never arrived)\b/i, 'CarrierCreditDecision'],
	[/\breturn(ed)?\b/i, 'CustomerReturn'],
];

export interface RefundReasonInput {
	/** The refund belongs to a Shopify return, or a line was restocked as RETURN. */
	isReturn: boolean;
	/** Only shipping is refunded. */
	shippingOnly: boolean;
	note?: string;
}

/**
 * Shopify refund -> AdjustmentReason for a shipped order: a return -> CustomerReturn; a note with
 * a telling word -> that reason; otherwise GeneralAdjustment (accepted in every marketplace, and
 * never blank: Amazon refuses refunds with a missing reason).
 */
export function adjustmentReasonFor(input: RefundReasonInput): AdjustmentReason {
	if (input.isReturn) return 'CustomerReturn';
	for (const [pattern, reason] of NOTE_KEYWORDS) if (input.note && pattern.test(input.note)) return reason;
	return 'GeneralAdjustment';
}

/**
 * Reason for units cancelled before shipment inside a payment adjustment (QuantityCancelled):
 * the buyer asked -> CustomerCancel (does not count against the seller's cancellation rate);
 * otherwise NoInventory, which is what a seller-side partial cancel is.
 */
export function partialCancelReasonFor(input: { buyerRequested: boolean; shopifyCancelReason?: string }): AdjustmentReason {
	if (input.buyerRequested || input.shopifyCancelReason === 'CUSTOMER') return 'CustomerCancel';
	return 'NoInventory';
}

/**
 * Shopify OrderCancelReason -> Amazon CancelReason for a full cancellation. A buyer request
 * (Shopify CUSTOMER, or Amazon's own buyer cancellation request) -> BuyerCanceled, which Amazon
 * keeps out of the cancellation-rate metric; INVENTORY -> NoInventory (Amazon does not restock);
 * FRAUD -> RiskAssessmentInformationNotValid; anything else -> GeneralAdjustment.
 */
export function cancelReasonFor(input: { shopifyCancelReason?: string; buyerRequested: boolean; note?: string }): CancelReason {
	if (input.buyerRequested || input.shopifyCancelReason === 'CUSTOMER') return 'BuyerCanceled';
	switch (input.shopifyCancelReason) {
		case 'INVENTORY':
			return 'NoInventory';
		case 'FRAUD':
			return 'RiskAssessmentInformationNotValid';
		default:
			if (input.note && /\bundeliver|address/i.test(input.note)) return 'ShippingAddressUndeliverable';
			return 'GeneralAdjustment';
	}
}
