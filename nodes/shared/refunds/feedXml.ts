/**
 * The two XML order feeds of amazon.md §5, built with nodes/shared/xml.ts. Element order follows
 * the XSDs (amzn-envelope.xsd, OrderAdjustment.xsd, OrderAcknowledgement.xsd):
 *   AmazonEnvelope > Header(DocumentVersion, MerchantIdentifier) > MessageType > Message+
 *   OrderAdjustment: AmazonOrderID, AdjustedItem+ (AmazonOrderItemCode, MerchantAdjustmentItemID?,
 *     AdjustmentReason, ItemPriceAdjustments(Component(Type, Amount@currency)+)?, QuantityCancelled?)
 * A refund AdjustedItem carries ItemPriceAdjustments; a cancellation of unshipped units carries
 * QuantityCancelled and no price (nothing was charged). ActionType is left out: it is optional and
 * absent from older OrderAdjustment.xsd releases.
 *   OrderAcknowledgement: AmazonOrderID, MerchantOrderID?, StatusCode, Item*(AmazonOrderItemCode, CancelReason)
 * Amounts are positive decimals with exactly the currency's digits (JPY "1500", KWD "1.250").
 */
import { fromMinor } from '../money';
import type { XmlElement } from '../xml';
import { el, renderXml } from '../xml';
import type { ComponentAmounts } from './components';
import { COMPONENTS } from './components';
import type { AdjustmentReason, CancelReason } from './reasons';

export const DOCUMENT_VERSION = '1.01';

export interface AdjustmentMessage {
	messageId: number;
	amazonOrderId: string;
	currency: string;
	items: Array<{
		orderItemId: string;
		/** Our id for this adjusted item (e.g. derived from the Shopify refund); Amazon keeps it. */
		merchantAdjustmentItemId?: string;
		reason: AdjustmentReason;
		components: ComponentAmounts;
		quantityCancelled?: number;
		/** Reason for the canceled units when it differs from the refund's (CustomerCancel, NoInventory). */
		cancelReason?: AdjustmentReason;
	}>;
}

export interface AcknowledgementMessage {
	messageId: number;
	amazonOrderId: string;
	merchantOrderId?: string;
	items: Array<{ orderItemId: string; cancelReason: CancelReason }>;
}

export class FeedBuildError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FeedBuildError';
	}
}

function assertMerchant(merchantIdentifier: string): void {
	if (!merchantIdentifier || !merchantIdentifier.trim()) {
		throw new FeedBuildError(
			'The Amazon credential has no Seller ID. Amazon feeds need it as MerchantIdentifier: copy "Merchant Token" from Seller Central > Settings > Account Info into the credential\'s Seller ID field.',
		);
	}
}

function envelope(merchantIdentifier: string, messageType: string, messages: XmlElement[]): XmlElement {
	assertMerchant(merchantIdentifier);
	if (messages.length === 0) throw new FeedBuildError('A feed needs at least one message');
	return el(
		'AmazonEnvelope',
		{ 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd' },
		el('Header', el('DocumentVersion', DOCUMENT_VERSION), el('MerchantIdentifier', merchantIdentifier.trim())),
		el('MessageType', messageType),
		messages,
	);
}

function checkMessageIds(ids: number[]): void {
	const seen = new Set<number>();
	for (const id of ids) {
		if (!Number.isSafeInteger(id) || id < 1) throw new FeedBuildError(`MessageID must be a positive integer, got ${String(id)}`);
		if (seen.has(id)) throw new FeedBuildError(`MessageID ${id} is used twice in one feed`);
		seen.add(id);
	}
}

/**
 * The AdjustedItems of one order item: a refund (price components) and/or a cancellation of
 * unshipped units (QuantityCancelled, without price components: nothing was charged for them).
 * A partially shipped item can need both, so it gets two AdjustedItems with the same code.
 */
function adjustedItems(item: AdjustmentMessage['items'][number], currency: string): XmlElement[] {
	const components = COMPONENTS.filter((c) => (item.components[c] ?? 0) !== 0).map((c) => {
		const amount = item.components[c] as number;
		if (amount < 0) throw new FeedBuildError(`Component ${c} of item ${item.orderItemId} is negative; the feed carries amounts given back to the buyer`);
		return el('Component', el('Type', c), el('Amount', { currency }, fromMinor(amount, currency)));
	});
	if (item.quantityCancelled !== undefined && !(Number.isInteger(item.quantityCancelled) && item.quantityCancelled > 0)) {
		throw new FeedBuildError(`QuantityCancelled of item ${item.orderItemId} must be a positive whole number`);
	}
	if (components.length === 0 && !item.quantityCancelled) {
		throw new FeedBuildError(`Item ${item.orderItemId} has neither an amount nor a cancelled quantity`);
	}
	const out: XmlElement[] = [];
	if (components.length) {
		out.push(
			el(
				'AdjustedItem',
				el('AmazonOrderItemCode', item.orderItemId),
				item.merchantAdjustmentItemId ? el('MerchantAdjustmentItemID', item.merchantAdjustmentItemId) : null,
				el('AdjustmentReason', item.reason),
				el('ItemPriceAdjustments', components),
			),
		);
	}
	if (item.quantityCancelled) {
		out.push(
			el(
				'AdjustedItem',
				el('AmazonOrderItemCode', item.orderItemId),
				el('AdjustmentReason', item.cancelReason ?? item.reason),
				el('QuantityCancelled', item.quantityCancelled),
			),
		);
	}
	return out;
}

/** POST_PAYMENT_ADJUSTMENT_DATA: one OrderAdjustment per message, AdjustedItems per OrderItemId. */
export function buildPaymentAdjustmentFeed(merchantIdentifier: string, messages: AdjustmentMessage[]): string {
	checkMessageIds(messages.map((m) => m.messageId));
	const built = messages.map((message) => {
		const ids = message.items.map((i) => i.orderItemId);
		if (new Set(ids).size !== ids.length) throw new FeedBuildError(`Order ${message.amazonOrderId}: one entry per OrderItemId`);
		if (message.items.length === 0) throw new FeedBuildError(`Order ${message.amazonOrderId}: an adjustment needs at least one item`);
		return el(
			'Message',
			el('MessageID', message.messageId),
			el('OrderAdjustment', el('AmazonOrderID', message.amazonOrderId), message.items.map((item) => adjustedItems(item, message.currency))),
		);
	});
	return renderXml(envelope(merchantIdentifier, 'OrderAdjustment', built), { indent: 2 });
}

/** POST_ORDER_ACKNOWLEDGEMENT_DATA with StatusCode Failure: cancels the whole (unshipped) order. */
export function buildCancellationFeed(merchantIdentifier: string, messages: AcknowledgementMessage[]): string {
	checkMessageIds(messages.map((m) => m.messageId));
	const built = messages.map((message) =>
		el(
			'Message',
			el('MessageID', message.messageId),
			el(
				'OrderAcknowledgement',
				el('AmazonOrderID', message.amazonOrderId),
				message.merchantOrderId ? el('MerchantOrderID', message.merchantOrderId) : null,
				el('StatusCode', 'Failure'),
				message.items.map((item) => el('Item', el('AmazonOrderItemCode', item.orderItemId), el('CancelReason', item.cancelReason))),
			),
		),
	);
	return renderXml(envelope(merchantIdentifier, 'OrderAcknowledgement', built), { indent: 2 });
}
