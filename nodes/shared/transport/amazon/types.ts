/** The subset of SP-API models the pack reads. Field names follow the official models exactly. */
export interface SpMoney {
	amount: string;
	currencyCode: string;
}

export interface SpBreakdown {
	type: string;
	subtotal: SpMoney;
	status?: string;
	detailedBreakdowns?: Array<{ subtype?: string; value?: SpMoney }>;
}

export interface SpOrderItem {
	orderItemId: string;
	quantityOrdered: number;
	programs?: string[];
	product: {
		asin?: string;
		title?: string;
		sellerSku?: string;
		condition?: { conditionType?: string; conditionSubtype?: string; conditionNote?: string };
		price?: { unitPrice?: SpMoney; priceDesignation?: string };
		serialNumbers?: string[];
		customization?: { customizedUrl?: string };
	};
	proceeds?: { proceedsTotal?: SpMoney; breakdowns?: SpBreakdown[] };
	promotion?: { breakdowns?: Array<{ promotionId?: string }> };
	cancellation?: {
		cancellationRequest?: { requester?: string; cancelReason?: string };
		cancellationExecution?: { cancelledBy?: string; cancelReason?: string };
	};
	fulfillment?: {
		quantityFulfilled?: number;
		quantityUnfulfilled?: number;
		packing?: { giftOption?: { giftMessage?: string; giftWrapLevel?: string } };
		shipping?: Record<string, unknown>;
	};
	tax?: { taxCollections?: Array<{ model?: string; responsibleParty?: string }> };
	associatedOrderItems?: Array<{ orderId?: string; orderItemId?: string; associationType?: string }>;
}

export interface SpAddress {
	name?: string;
	companyName?: string;
	addressLine1?: string;
	addressLine2?: string;
	addressLine3?: string;
	city?: string;
	districtOrCounty?: string;
	stateOrRegion?: string;
	municipality?: string;
	postalCode?: string;
	countryCode?: string;
	phone?: string;
	addressType?: string;
}

export interface SpOrder {
	orderId: string;
	orderAliases?: Array<{ aliasId?: string; aliasType?: string }>;
	createdTime: string;
	lastUpdatedTime: string;
	programs?: string[];
	associatedOrders?: Array<{ orderId?: string; associationType?: string }>;
	salesChannel: { channelName: string; marketplaceId?: string; marketplaceName?: string };
	buyer?: { buyerName?: string; buyerEmail?: string; buyerCompanyName?: string; buyerPurchaseOrderNumber?: string };
	recipient?: { deliveryAddress?: SpAddress; deliveryPreference?: { dropOffLocation?: string; addressInstruction?: string } };
	proceeds?: { grandTotal?: SpMoney; breakdowns?: SpBreakdown[] };
	fulfillment?: {
		fulfillmentStatus: string;
		fulfilledBy?: string;
		fulfillmentServiceLevel?: string;
		shipByWindow?: { earliestDateTime?: string; latestDateTime?: string };
		deliverByWindow?: { earliestDateTime?: string; latestDateTime?: string };
	};
	orderItems: SpOrderItem[];
	packages?: Array<{
		packageReferenceId: string;
		carrier?: string;
		trackingNumber?: string;
		shippingService?: string;
		shipTime?: string;
		packageStatus?: { status?: string; detailedStatus?: string };
		packageItems?: Array<{ orderItemId: string; quantity: number }>;
	}>;
}

export interface SearchOrdersParams {
	lastUpdatedAfter?: string;
	lastUpdatedBefore?: string;
	createdAfter?: string;
	createdBefore?: string;
	fulfillmentStatuses?: string[];
	marketplaceIds: string[];
	fulfilledBy?: string[];
	maxResultsPerPage?: number;
	paginationToken?: string;
	includedData?: string[];
}

export interface SearchOrdersPage {
	orders: SpOrder[];
	pagination?: { nextToken?: string };
	lastUpdatedBefore?: string;
	createdBefore?: string;
}

export interface ConfirmShipmentRequest {
	marketplaceId: string;
	packageDetail: {
		packageReferenceId: string;
		carrierCode: string;
		carrierName?: string;
		shippingMethod?: string;
		trackingNumber: string;
		shipDate: string;
		shipFromSupplySourceId?: string;
		orderItems: Array<{ orderItemId: string; quantity: number }>;
	};
	codCollectionMethod?: string;
}

export interface SpFeed {
	feedId: string;
	feedType: string;
	marketplaceIds?: string[];
	createdTime: string;
	processingStatus: 'CANCELLED' | 'DONE' | 'FATAL' | 'IN_PROGRESS' | 'IN_QUEUE';
	processingStartTime?: string;
	processingEndTime?: string;
	resultFeedDocumentId?: string;
}

export interface SpFeedDocument {
	feedDocumentId: string;
	url: string;
	compressionAlgorithm?: 'GZIP';
}
