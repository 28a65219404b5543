/**
 * How a Shopify order points at its Amazon order. Every node reads and writes the linkage through
 * this module only; README "How orders are linked" describes the same rules.
 */
import { findMarketplace } from '../marketplaces';

export const AMAZON_NAMESPACE = 'amazon';
export const METAFIELD_ORDER_ID = 'order_id';
export const METAFIELD_MARKETPLACE_ID = 'marketplace_id';
export const METAFIELD_FULFILLMENT_CHANNEL = 'fulfillment_channel';
export const METAFIELD_REFUND_LEDGER = 'refund_ledger';

/** Line item properties; the leading underscore hides them from storefront templates. */
export const PROPERTY_ORDER_ITEM_ID = '_amazon_order_item_id';
export const PROPERTY_ASIN = '_amazon_asin';

/** Order attributes ("Additional details") Create Shopify Order writes and other nodes read. */
export const ATTRIBUTE_AMAZON_ORDER_ID = 'Amazon order ID';
export const ATTRIBUTE_LATEST_SHIP_DATE = 'Latest ship date';
export const ATTRIBUTE_AMAZON_PROGRAMS = 'Amazon programs';

export const TAG_AMAZON = 'Amazon';
export const TAG_FBA = 'FBA';
export const TAG_REPLACEMENT = 'Amazon Replacement';
export const TAG_REFUND_FAILED = 'amazon-refund-failed';
/**
 * A merchant-fulfilled order imported after it was shipped on Amazon: Shopify's fulfillment only
 * records Amazon's shipment, and Mark Amazon Fulfilled never confirms it again.
 */
export const TAG_SHIPPED_ON_AMAZON = 'Shipped on Amazon';

/** Amazon order ids look like 113-1234567-1234567 (a few marketplaces use other digits counts). */
const AMAZON_ORDER_ID = /^\d{3}-\d{7}-\d{7}$/;

export function isAmazonOrderId(value: unknown): value is string {
	return typeof value === 'string' && AMAZON_ORDER_ID.test(value.trim());
}

export type FulfillmentChannel = 'MFN' | 'AFN';

export function marketplaceTag(marketplaceId: string): string {
	const marketplace = findMarketplace(marketplaceId);
	return `${TAG_AMAZON} ${marketplace ? marketplace.countryCode : marketplaceId}`;
}

export interface LinkageInput {
	amazonOrderId: string;
	marketplaceId: string;
	fulfillmentChannel: FulfillmentChannel;
	isReplacement?: boolean;
	/** Merchant-fulfilled and already shipped on Amazon at import (see TAG_SHIPPED_ON_AMAZON). */
	shippedOnAmazon?: boolean;
}

/** The orderCreate fields that link a new Shopify order to its Amazon order. */
export function linkageForOrderCreate(input: LinkageInput) {
	const tags = [TAG_AMAZON, marketplaceTag(input.marketplaceId)];
	if (input.fulfillmentChannel === 'AFN') tags.push(TAG_FBA);
	if (input.isReplacement) tags.push(TAG_REPLACEMENT);
	if (input.shippedOnAmazon && input.fulfillmentChannel === 'MFN') tags.push(TAG_SHIPPED_ON_AMAZON);
	return {
		sourceIdentifier: input.amazonOrderId,
		tags,
		metafields: [
			{ namespace: AMAZON_NAMESPACE, key: METAFIELD_ORDER_ID, type: 'id', value: input.amazonOrderId },
			{ namespace: AMAZON_NAMESPACE, key: METAFIELD_MARKETPLACE_ID, type: 'single_line_text_field', value: input.marketplaceId },
			{ namespace: AMAZON_NAMESPACE, key: METAFIELD_FULFILLMENT_CHANNEL, type: 'single_line_text_field', value: input.fulfillmentChannel },
		],
	};
}

export function lineItemLinkProperties(orderItemId: string, asin?: string): Array<{ name: string; value: string }> {
	const properties = [{ name: PROPERTY_ORDER_ITEM_ID, value: orderItemId }];
	if (asin) properties.push({ name: PROPERTY_ASIN, value: asin });
	return properties;
}

export interface LinkedLineItem {
	lineItemId: string;
	orderItemId: string;
	sku?: string;
	quantity: number;
}

export interface AmazonLinkage {
	shopifyOrderId: string;
	shopifyOrderName?: string;
	amazonOrderId: string;
	marketplaceId?: string;
	fulfillmentChannel: FulfillmentChannel;
	isFba: boolean;
	cancelledInShopify: boolean;
	lineItems: LinkedLineItem[];
	refundLedger?: string;
}

/** The shape of the OrderAmazonMapping query (see transport/shopify/documents.ts). */
export interface OrderMappingResult {
	id: string;
	name?: string;
	sourceIdentifier?: string | null;
	tags?: string[];
	cancelledAt?: string | null;
	amazonOrderId?: { value: string } | null;
	amazonMarketplaceId?: { value: string } | null;
	amazonFulfillmentChannel?: { value: string } | null;
	amazonRefundLedger?: { value: string } | null;
	lineItems?: { nodes: Array<{ id: string; sku?: string | null; quantity: number; customAttributes?: Array<{ key: string; value?: string | null }> }> };
}

/**
 * Reads the linkage from a Shopify order: the unique metafield first, then sourceIdentifier when
 * the order is tagged Amazon (orders imported by other tools). Undefined = not an Amazon order.
 */
export function readLinkage(order: OrderMappingResult | null | undefined): AmazonLinkage | undefined {
	if (!order) return undefined;
	const tags = order.tags ?? [];
	const fromMetafield = order.amazonOrderId?.value;
	const fromSource = tags.includes(TAG_AMAZON) && isAmazonOrderId(order.sourceIdentifier) ? order.sourceIdentifier : undefined;
	const amazonOrderId = (fromMetafield ?? fromSource ?? '').trim();
	if (!amazonOrderId) return undefined;
	const channel = order.amazonFulfillmentChannel?.value === 'AFN' || tags.includes(TAG_FBA) ? 'AFN' : 'MFN';
	return {
		shopifyOrderId: order.id,
		shopifyOrderName: order.name,
		amazonOrderId,
		marketplaceId: order.amazonMarketplaceId?.value,
		fulfillmentChannel: channel,
		isFba: channel === 'AFN',
		cancelledInShopify: Boolean(order.cancelledAt),
		refundLedger: order.amazonRefundLedger?.value,
		lineItems: (order.lineItems?.nodes ?? []).flatMap((line) => {
			const orderItemId = line.customAttributes?.find((a) => a.key === PROPERTY_ORDER_ITEM_ID)?.value;
			return orderItemId ? [{ lineItemId: line.id, orderItemId, sku: line.sku ?? undefined, quantity: line.quantity }] : [];
		}),
	};
}

/** Webhook payloads carry REST line items: properties are [{name, value}]. */
export function orderItemIdFromRestProperties(properties: Array<{ name?: string; value?: unknown }> | undefined): string | undefined {
	const found = properties?.find((p) => p.name === PROPERTY_ORDER_ITEM_ID)?.value;
	return typeof found === 'string' && found ? found : undefined;
}

export function orderGid(id: string | number): string {
	const text = String(id);
	return text.startsWith('gid://') ? text : `gid://shopify/Order/${text}`;
}

export function legacyIdOf(gid: string): string {
	return gid.replace(/^gid:\/\/shopify\/[A-Za-z]+\//, '').replace(/\?.*$/, '');
}

/** Replacement orders: the Amazon order they replace (metafield + custom attribute). */
export const METAFIELD_REPLACED_ORDER_ID = 'replaced_order_id';

/** The orderCreate metafield that links a replacement order to the Amazon order it replaces. */
export function replacementMetafield(replacedAmazonOrderId: string) {
	return { namespace: AMAZON_NAMESPACE, key: METAFIELD_REPLACED_ORDER_ID, type: 'single_line_text_field', value: replacedAmazonOrderId };
}
