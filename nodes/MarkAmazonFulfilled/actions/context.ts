import type { INode } from 'n8n-workflow';

import type { EventAmazonLinkage, EventShopifyOrder } from '../../shared/orderEvents';
import type { AmazonClient } from '../../shared/transport/amazon/client';
import type { SpOrder } from '../../shared/transport/amazon/types';
import type { Clock } from '../../shared/transport/clock';
import type { ShopifyClient } from '../../shared/transport/shopify/client';

/** What the items of one execution share: lazily created clients and per-order caches. */
export interface RunContext {
	node: INode;
	amazon: () => Promise<AmazonClient>;
	/** Rejects with a clear message when the node has no Shopify credential. */
	shopify: () => Promise<ShopifyClient>;
	clock: Clock;
	/** getOrder per Amazon order id: several fulfillments of one order cost one read. */
	orderCache: Map<string, Promise<SpOrder>>;
	/** Shopify linkage per Shopify order legacy id. */
	linkageCache: Map<string, Promise<{ shopifyOrder: EventShopifyOrder; amazon: EventAmazonLinkage | null }>>;
}
