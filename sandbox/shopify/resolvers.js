// @ts-check
'use strict';

/**
 * GraphQL resolvers of the Shopify sandbox.
 *
 * `fieldResolver` is handed to graphql-js `execute`: it calls the resolver registered as
 * "Type.field" when there is one, else returns the source object's own property of that name, and
 * otherwise raises `Type.field is not implemented by the Shopify sandbox` (never a silent null).
 */

const { GraphQLError } = require('graphql');
const money = require('./money');
const { parseGid } = require('./ids');
const { compile } = require('./search');
const { MAX_PAGE } = require('./cost');

/**
 * @typedef {{
 *   store: ReturnType<typeof import('./store').createStore>,
 *   webhooks: any,
 *   apiVersion: string,
 *   scopes: string[],
 *   app: { id: string, title: string, apiKey: string, handle: string },
 *   searchWarnings: any[],
 *   idempotencyKey: (info: import('graphql').GraphQLResolveInfo) => string|null,
 *   idempotencyRequired: (field: string) => boolean,
 * }} Ctx
 * @typedef {(src: any, args: any, ctx: Ctx, info: import('graphql').GraphQLResolveInfo) => unknown} Resolver
 */

/** Access scopes each root field needs (any one of them). Write scopes imply read. */
const REQUIRED_SCOPES = /** @type {Record<string, string[]>} */ ({
	'QueryRoot.order': ['read_orders', 'write_orders'],
	'QueryRoot.orders': ['read_orders', 'write_orders'],
	'QueryRoot.orderByIdentifier': ['read_orders', 'write_orders'],
	'QueryRoot.ordersCount': ['read_orders', 'write_orders'],
	'QueryRoot.productVariants': ['read_products', 'write_products'],
	'QueryRoot.productVariant': ['read_products', 'write_products'],
	'QueryRoot.product': ['read_products', 'write_products'],
	'QueryRoot.fulfillmentOrder': ['read_merchant_managed_fulfillment_orders', 'write_merchant_managed_fulfillment_orders', 'read_assigned_fulfillment_orders', 'write_assigned_fulfillment_orders'],
	'QueryRoot.fulfillment': ['read_fulfillments', 'write_fulfillments', 'read_orders', 'write_orders'],
	'QueryRoot.refund': ['read_orders', 'write_orders'],
	'Mutation.orderCreate': ['write_orders'],
	'Mutation.orderUpdate': ['write_orders'],
	'Mutation.orderCancel': ['write_orders', 'write_marketplace_orders'],
	'Mutation.refundCreate': ['write_orders', 'write_marketplace_orders'],
	'Mutation.tagsAdd': ['write_orders'],
	'Mutation.tagsRemove': ['write_orders'],
	'Mutation.metafieldsSet': ['write_orders'],
	'Mutation.fulfillmentCreate': ['write_merchant_managed_fulfillment_orders', 'write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders'],
	'Mutation.fulfillmentTrackingInfoUpdate': ['write_merchant_managed_fulfillment_orders', 'write_assigned_fulfillment_orders', 'write_third_party_fulfillment_orders'],
});

/**
 * @param {Ctx} ctx @param {string} key "Type.field"
 */
function requireScope(ctx, key) {
	const need = REQUIRED_SCOPES[key];
	if (!need || need.some((s) => ctx.scopes.includes(s))) return;
	const field = key.split('.')[1];
	throw new GraphQLError(`Access denied for ${field} field. Required access: \`${need[0]}\` access scope.`, {
		extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: `\`${need[0]}\` access scope.` },
	});
}

/**
 * A global ID argument: must look like gid://shopify/Type/123.
 * @param {unknown} value
 */
function gidArg(value) {
	const g = parseGid(value);
	if (!g) {
		throw new GraphQLError(`Invalid global id '${String(value)}'`, { extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' } });
	}
	return g;
}

/** @param {string} s */
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

/**
 * A Relay connection over an in-memory list.
 * @template T
 * @param {T[]} items
 * @param {{ first?: number|null, last?: number|null, after?: string|null, before?: string|null, reverse?: boolean|null }} args
 * @param {(item: T, index: number) => string} [key]
 */
function connection(items, args, key) {
	const keyOf = key || ((/** @type {any} */ item, /** @type {number} */ i) => String(item && item.legacyResourceId ? item.legacyResourceId : i));
	let list = items.map((node, i) => ({ node, cursor: b64(JSON.stringify({ last_id: keyOf(node, i) })) }));
	if (args.reverse) list = list.reverse();
	const total = list.length;
	let startIdx = 0;
	let endIdx = list.length;
	if (args.after) {
		const i = list.findIndex((e) => e.cursor === args.after);
		if (i < 0) throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
		startIdx = i + 1;
	}
	if (args.before) {
		const i = list.findIndex((e) => e.cursor === args.before);
		if (i < 0) throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
		endIdx = i;
	}
	let page = list.slice(startIdx, Math.max(startIdx, endIdx));
	const first = typeof args.first === 'number' ? Math.max(0, Math.min(MAX_PAGE, args.first)) : null;
	const last = typeof args.last === 'number' ? Math.max(0, Math.min(MAX_PAGE, args.last)) : null;
	let hasNext = endIdx < total;
	let hasPrev = startIdx > 0;
	if (first !== null) {
		if (page.length > first) hasNext = true;
		page = page.slice(0, first);
	} else if (last !== null) {
		if (page.length > last) hasPrev = true;
		page = page.slice(page.length - last);
	} else page = page.slice(0, MAX_PAGE);
	return {
		edges: page,
		nodes: page.map((e) => e.node),
		pageInfo: {
			hasNextPage: hasNext,
			hasPreviousPage: hasPrev,
			startCursor: page.length ? page[0].cursor : null,
			endCursor: page.length ? page[page.length - 1].cursor : null,
		},
	};
}

/** @param {unknown[]} list @param {{ first?: number|null }} args */
function firstN(list, args) {
	const n = typeof args.first === 'number' ? Math.max(0, Math.min(MAX_PAGE, args.first)) : list.length;
	return list.slice(0, n);
}

/**
 * @param {import('graphql').GraphQLResolveInfo} info
 */
function fieldName(info) {
	return `${info.parentType.name}.${info.fieldName}`;
}

/**
 * @param {Ctx['store']} store
 */
function createResolvers(store) {
	const S = () => store.state.shop.currencyCode;

	/** @param {any} order @param {{ shop: number, pres: number }} amount */
	const bag = (order, amount) => {
		const P = order ? order.presentmentCurrencyCode : S();
		return {
			shopMoney: { __typename: 'MoneyV2', amount: money.formatDecimal(amount.shop, S()), currencyCode: S() },
			presentmentMoney: { __typename: 'MoneyV2', amount: money.formatDecimal(amount.pres, P), currencyCode: P },
		};
	};
	const zero = { shop: 0, pres: 0 };
	/** @param {string} id */
	const orderOf = (id) => store.state.ordersById.get(id);
	/** @param {any} l */
	const lineOrder = (l) => orderOf(l._orderId);

	/** @param {any} order @param {any} t TaxRec */
	const taxLine = (order, t) => ({
		__typename: 'TaxLine',
		title: t.title,
		rate: Number(t.rate),
		ratePercentage: Math.round(Number(t.rate) * 100 * 1e6) / 1e6,
		channelLiable: t.channelLiable,
		source: t.source,
		priceSet: bag(order, t.amount),
	});

	/** @param {any} order */
	const discountApplication = (order) => {
		const d = order._discount;
		if (!d) return null;
		return {
			__typename: 'DiscountCodeApplication',
			allocationMethod: d.kind === 'shipping' ? 'EACH' : 'ACROSS',
			code: d.code,
			index: 0,
			targetSelection: 'ALL',
			targetType: d.kind === 'shipping' ? 'SHIPPING_LINE' : 'LINE_ITEM',
			value:
				d.kind === 'percentage'
					? { __typename: 'PricingPercentageValue', percentage: d.percentage }
					: d.kind === 'fixed'
						? { __typename: 'MoneyV2', amount: money.formatDecimal(d.amount.pres, order.presentmentCurrencyCode), currencyCode: order.presentmentCurrencyCode }
						: { __typename: 'PricingPercentageValue', percentage: 100 },
		};
	};

	/** Aggregate tax lines by title + rate. @param {any} order @param {boolean} current */
	const orderTaxLines = (order, current) => {
		/** @type {Map<string, any>} */
		const agg = new Map();
		/** @param {any} t @param {{shop:number,pres:number}} amount */
		const put = (t, amount) => {
			const k = `${t.title}|${t.rate}|${t.channelLiable}`;
			const cur = agg.get(k) || { ...t, amount: { shop: 0, pres: 0 } };
			cur.amount = { shop: cur.amount.shop + amount.shop, pres: cur.amount.pres + amount.pres };
			agg.set(k, cur);
		};
		for (const l of order._lines) for (const t of l._taxes) put(t, current ? store.prorate(t.amount, l.quantity - l._refunded, l.quantity) : t.amount);
		for (const s of order._shippingLines) for (const t of s._taxes) put(t, t.amount);
		return [...agg.values()].map((t) => taxLine(order, t));
	};

	/** @param {any} addr */
	const formatted = (addr) => [addr.address1, addr.address2, [addr.city, addr.provinceCode, addr.zip].filter(Boolean).join(' '), addr.country].filter(Boolean);

	/** @param {any} l line item */
	const lineDiscounted = (l) => {
		const o = store.lineOriginal(l);
		return { shop: o.shop - l._discount.shop, pres: o.pres - l._discount.pres };
	};

	/** @param {any} loc */
	const locationAddress = (loc) => ({
		__typename: 'LocationAddress',
		...loc._address,
		formatted: [loc._address.address1, [loc._address.city, loc._address.provinceCode, loc._address.zip].filter(Boolean).join(' '), loc._address.country].filter(Boolean),
		latitude: null,
		longitude: null,
	});

	/** @param {any} r refund line (internal) @param {any} order */
	const refundLineView = (r, order) => ({
		__typename: 'RefundLineItem',
		id: r.id ?? null,
		lineItem: r._line,
		quantity: r.quantity,
		restockType: r.restockType,
		restocked: Boolean(r.restocked),
		location: r._locationId ? store.locationById(r._locationId) : null,
		priceSet: bag(order, r._price),
		subtotalSet: bag(order, r._subtotal),
		totalTaxSet: bag(order, r._tax),
	});

	/** @param {any} rec */
	const webhookView = (rec) => rec;

	/** @type {Record<string, Resolver>} */
	const R = {
		// ----------------------------------------------------------- QueryRoot
		'QueryRoot.shop': () => store.state.shop,
		'QueryRoot.currentAppInstallation': (_s, _a, ctx) => ({
			__typename: 'AppInstallation',
			id: `gid://shopify/AppInstallation/${ctx.app.id}`,
			accessScopes: ctx.scopes.map((h) => ({ __typename: 'AccessScope', handle: h, description: `Sandbox scope ${h}` })),
			app: appView(ctx),
			launchUrl: `https://admin.shopify.com/store/${store.state.shop.myshopifyDomain.replace('.myshopify.com', '')}/apps/${ctx.app.handle}`,
			uninstallUrl: null,
			activeSubscriptions: [],
		}),
		'QueryRoot.app': (_s, args, ctx) => (args.id && args.id !== `gid://shopify/App/${ctx.app.id}` ? null : appView(ctx)),
		'QueryRoot.productVariants': (_s, args, ctx) => {
			const now = store.nowMs();
			const q = compile(args.query, variantSearch, now);
			if (q.warnings.length) ctx.searchWarnings.push({ path: ['productVariants'], query: args.query, warnings: q.warnings });
			let list = [...store.state.variants.values()].filter((v) => q.test(v));
			list = sortBy(list, args.sortKey, {
				ID: (v) => Number(v.legacyResourceId),
				SKU: (v) => v.sku || '',
				TITLE: (v) => v.title,
				INVENTORY_QUANTITY: (v) => v._inventory,
				POSITION: (v) => v.position,
				FULL_TITLE: (v) => `${store.productById(v._productId)?.title ?? ''} ${v.title}`,
				NAME: (v) => v.title,
				RELEVANCE: (v) => Number(v.legacyResourceId),
			});
			return connection(list, args);
		},
		'QueryRoot.productVariant': (_s, args) => {
			gidArg(args.id);
			return store.state.variants.get(args.id) || null;
		},
		'QueryRoot.product': (_s, args) => {
			gidArg(args.id);
			return store.productById(args.id);
		},
		'QueryRoot.order': (_s, args) => {
			gidArg(args.id);
			return store.state.ordersById.get(args.id) || null;
		},
		'QueryRoot.orderByIdentifier': (_s, args) => {
			const ident = args.identifier;
			if (ident.id) {
				gidArg(ident.id);
				return store.state.ordersById.get(ident.id) || null;
			}
			const c = ident.customId;
			const namespace = c.namespace ?? '$app';
			const def = store.findDefinition('ORDER', namespace, c.key);
			if (!def || !def._unique) {
				throw new GraphQLError(`Metafield definition for namespace '${namespace}' and key '${c.key}' must exist and have unique values enabled to be used as a custom identifier.`, {
					extensions: { code: 'BAD_REQUEST' },
				});
			}
			return store.state.orders.find((o) => o._metafields.some((/** @type {any} */ m) => m.namespace === namespace && m.key === c.key && m.value === c.value)) || null;
		},
		'QueryRoot.orders': (_s, args, ctx) => {
			const list = searchOrders(args, ctx, 'orders');
			return connection(list, args);
		},
		'QueryRoot.ordersCount': (_s, args, ctx) => {
			const list = searchOrders({ ...args, sortKey: 'ID' }, ctx, 'ordersCount');
			const limit = typeof args.limit === 'number' ? args.limit : 10000;
			return { __typename: 'Count', count: Math.min(limit, list.length), precision: list.length > limit ? 'AT_LEAST' : 'EXACT' };
		},
		'QueryRoot.node': (_s, args) => {
			gidArg(args.id);
			return store.findNode(args.id);
		},
		'QueryRoot.nodes': (_s, args) => args.ids.map((/** @type {string} */ id) => (gidArg(id), store.findNode(id))),
		'QueryRoot.metafieldDefinitions': (_s, args) => {
			let list = store.state.metafieldDefinitions.filter((d) => d.ownerType === args.ownerType);
			if (args.namespace) list = list.filter((d) => d.namespace === args.namespace);
			if (args.key) list = list.filter((d) => d.key === args.key);
			if (args.query) {
				const q = compile(args.query, { fields: { key: { kind: 'exact', get: (d) => d.key }, namespace: { kind: 'exact', get: (d) => d.namespace }, type: { kind: 'exact', get: (d) => d._type } }, defaultFields: ['key', 'namespace'] }, store.nowMs());
				list = list.filter((d) => q.test(d));
			}
			return connection(list, args);
		},
		'QueryRoot.metafieldDefinition': (_s, args) => {
			if (args.id) return store.state.metafieldDefinitions.find((d) => d.id === args.id) || null;
			if (args.identifier) {
				const i = args.identifier;
				return store.findDefinition(i.ownerType, i.namespace ?? '$app', i.key);
			}
			return null;
		},
		'QueryRoot.webhookSubscriptions': (_s, args, ctx) => {
			let list = store.state.webhookSubscriptions.slice();
			if (args.topics && args.topics.length) list = list.filter((w) => args.topics.includes(w.topic));
			if (args.uri) list = list.filter((w) => w.uri === args.uri);
			if (args.callbackUrl) list = list.filter((w) => w.uri === args.callbackUrl);
			if (args.format) list = list.filter((w) => w.format === args.format);
			if (args.query) {
				const q = compile(args.query, { fields: { id: { kind: 'number', get: (w) => Number(w.legacyResourceId) }, created_at: { kind: 'date', get: (w) => w.createdAt }, updated_at: { kind: 'date', get: (w) => w.updatedAt } }, defaultFields: [] }, store.nowMs());
				if (q.warnings.length) ctx.searchWarnings.push({ path: ['webhookSubscriptions'], query: args.query, warnings: q.warnings });
				list = list.filter((w) => q.test(w));
			}
			list = sortBy(list, args.sortKey, { CREATED_AT: (w) => w.createdAt + w.legacyResourceId.padStart(20, '0'), ID: (w) => Number(w.legacyResourceId) });
			return connection(list.map(webhookView), args);
		},
		'QueryRoot.webhookSubscription': (_s, args) => {
			gidArg(args.id);
			return store.state.webhookSubscriptions.find((w) => w.id === args.id) || null;
		},
		'QueryRoot.job': (_s, args) => {
			gidArg(args.id);
			const job = store.state.jobs.get(args.id);
			if (!job) return null;
			// jobs finish between polls: the first read after the mutation already sees it done
			job.done = true;
			if (job._jobResult) {
				job._jobResult.done = true;
				job._jobResult.status = 'SUCCEEDED';
			}
			return job;
		},
		'QueryRoot.fulfillment': (_s, args) => (gidArg(args.id), store.findFulfillment(args.id)),
		'QueryRoot.fulfillmentOrder': (_s, args) => (gidArg(args.id), store.findFulfillmentOrder(args.id)),
		'QueryRoot.refund': (_s, args) => (gidArg(args.id).type === 'Refund' ? store.findNode(args.id) : null),
		'QueryRoot.location': (_s, args) => (args.id ? (gidArg(args.id), store.locationById(args.id)) : store.primaryLocation()),
		'QueryRoot.locations': (_s, args) => connection(store.state.locations.filter((l) => args.includeInactive || l.isActive), args),

		// ----------------------------------------------------------- Mutation
		'Mutation.orderCreate': (_s, args, ctx) => {
			const r = store.createOrder(args.order, args.options, { apiVersion: ctx.apiVersion });
			return { order: r.order, userErrors: r.userErrors };
		},
		'Mutation.orderUpdate': (_s, args) => {
			gidArg(args.input.id);
			return store.updateOrder(args.input);
		},
		'Mutation.orderCancel': (_s, args) => {
			gidArg(args.orderId);
			return store.cancelOrder(args);
		},
		'Mutation.refundCreate': (_s, args, ctx, info) => {
			gidArg(args.input.orderId);
			const key = ctx.idempotencyKey(info);
			if (key === null && ctx.idempotencyRequired('refundCreate')) {
				throw new GraphQLError('The @idempotent directive is required for this mutation but was not provided.', {
					extensions: { code: 'BAD_REQUEST', documentation: 'https://shopify.dev/docs/api/usage/idempotent-requests' },
				});
			}
			if (key !== null) {
				const hash = JSON.stringify(canonical(args.input));
				const k = `refundCreate:${key}`;
				const prior = store.state.idempotency.get(k);
				if (prior) {
					if (prior.hash !== hash) {
						throw new GraphQLError('The same idempotency key cannot be used with different operation parameters.', {
							extensions: { code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' },
						});
					}
					return prior.result;
				}
				const result = store.createRefund(args.input);
				store.state.idempotency.set(k, { hash, result, at: store.nowMs() });
				return result;
			}
			return store.createRefund(args.input);
		},
		'Mutation.fulfillmentCreate': (_s, args) => {
			for (const g of args.fulfillment.lineItemsByFulfillmentOrder || []) {
				gidArg(g.fulfillmentOrderId);
				for (const li of g.fulfillmentOrderLineItems || []) gidArg(li.id);
			}
			return store.createFulfillment(args.fulfillment, args.message ?? null);
		},
		'Mutation.fulfillmentTrackingInfoUpdate': (_s, args) => {
			gidArg(args.fulfillmentId);
			return store.updateTracking(args.fulfillmentId, args.trackingInfoInput, Boolean(args.notifyCustomer));
		},
		'Mutation.metafieldDefinitionCreate': (_s, args) => store.createMetafieldDefinition(args.definition),
		'Mutation.metafieldsSet': (_s, args) => {
			for (const m of args.metafields) gidArg(m.ownerId);
			return store.setMetafields(args.metafields);
		},
		'Mutation.tagsAdd': (_s, args, ctx) => {
			gidArg(args.id);
			requireScope(ctx, 'Mutation.tagsAdd');
			return store.changeTags(args.id, args.tags, 'add');
		},
		'Mutation.tagsRemove': (_s, args, ctx) => {
			gidArg(args.id);
			requireScope(ctx, 'Mutation.tagsRemove');
			return store.changeTags(args.id, args.tags, 'remove');
		},
		'Mutation.webhookSubscriptionCreate': (_s, args, ctx) => ctx.webhooks.createSubscription(args.topic, args.webhookSubscription),
		'Mutation.webhookSubscriptionUpdate': (_s, args, ctx) => (gidArg(args.id), ctx.webhooks.updateSubscription(args.id, args.webhookSubscription)),
		'Mutation.webhookSubscriptionDelete': (_s, args, ctx) => (gidArg(args.id), ctx.webhooks.deleteSubscription(args.id)),

		// ----------------------------------------------------------- Shop & app
		'Shop.plan': (s) => ({ __typename: 'ShopPlan', ...s.plan }),
		'Shop.primaryDomain': (s) => ({ __typename: 'Domain', id: 'gid://shopify/Domain/1', host: s.myshopifyDomain, url: `https://${s.myshopifyDomain}`, sslEnabled: true, localization: null, marketWebPresence: null }),
		'Shop.timezoneAbbreviation': (s) => tzParts(s.ianaTimezone, store.nowMs()).abbr,
		'Shop.timezoneOffset': (s) => tzParts(s.ianaTimezone, store.nowMs()).offset.replace(':', ''),
		'Shop.timezoneOffsetMinutes': (s) => tzParts(s.ianaTimezone, store.nowMs()).minutes,
		'Shop.shopOwnerName': () => 'Sandbox Owner',
		'Shop.shipsToCountries': () => ['US', 'CA', 'GB', 'DE', 'FR', 'JP'],
		'Shop.billingAddress': () => shopAddress(),
		'Shop.shopAddress': () => shopAddress(),
		'Shop.metafield': () => null,

		// ----------------------------------------------------------- products
		'Product.variants': (p, args) => connection(p._variantIds.map((/** @type {string} */ id) => store.state.variants.get(id)), args),
		'Product.variantsCount': (p) => ({ __typename: 'Count', count: p._variantIds.length, precision: 'EXACT' }),
		'Product.totalInventory': (p) => p._variantIds.reduce((/** @type {number} */ a, /** @type {string} */ id) => a + Math.max(0, store.state.variants.get(id)._inventory), 0),
		'Product.tracksInventory': (p) => p._variantIds.some((/** @type {string} */ id) => store.state.variants.get(id)._tracked),
		'Product.hasOnlyDefaultVariant': (p) => p._variantIds.length === 1 && store.state.variants.get(p._variantIds[0]).title === 'Default Title',
		'Product.descriptionHtml': () => '',
		'Product.description': () => '',
		'Product.onlineStoreUrl': () => null,
		'Product.featuredMedia': () => null,
		'ProductVariant.price': (v) => money.formatRest(v._price, S()),
		'ProductVariant.compareAtPrice': () => null,
		'ProductVariant.displayName': (v) => `${store.productById(v._productId)?.title ?? ''} - ${v.title}`,
		'ProductVariant.inventoryQuantity': (v) => (v._tracked ? v._inventory : 0),
		'ProductVariant.sellableOnlineQuantity': (v) => (v._tracked ? Math.max(0, v._inventory) : 0),
		'ProductVariant.availableForSale': (v) => !v._tracked || v._inventory > 0 || v.inventoryPolicy === 'CONTINUE',
		'ProductVariant.inventoryItem': (v) => v._inventoryItem,
		'ProductVariant.product': (v) => store.productById(v._productId),
		'ProductVariant.selectedOptions': (v) => [{ __typename: 'SelectedOption', name: 'Title', value: v.title }],
		'ProductVariant.metafield': () => null,
		'InventoryItem.tracked': (i) => variantOfItem(i)._tracked,
		'InventoryItem.requiresShipping': (i) => variantOfItem(i)._requiresShipping,
		'InventoryItem.variant': (i) => variantOfItem(i),
		'InventoryItem.duplicateSkuCount': (i) => [...store.state.variants.values()].filter((v) => v.sku === i.sku).length - 1,
		'InventoryItem.unitCost': () => null,
		'InventoryItem.harmonizedSystemCode': () => null,
		'InventoryItem.countryCodeOfOrigin': () => null,
		'InventoryItem.provinceCodeOfOrigin': () => null,

		// ----------------------------------------------------------- orders
		'Order.displayFinancialStatus': (o) => store.financialStatus(o),
		'Order.displayFulfillmentStatus': (o) => store.fulfillmentStatus(o),
		'Order.closed': (o) => Boolean(o.closedAt),
		'Order.customer': (o) => (o._customerId ? store.state.customers.find((c) => c.id === o._customerId) || null : null),
		'Order.displayAddress': (o) => o.billingAddress || o.shippingAddress,
		'Order.billingAddressMatchesShippingAddress': (o) => JSON.stringify(addrKey(o.billingAddress)) === JSON.stringify(addrKey(o.shippingAddress)),
		'Order.registeredSourceUrl': (o) => o.sourceUrl,
		'Order.statusPageUrl': (o) => `https://${store.state.shop.myshopifyDomain}/${o.legacyResourceId}/orders/${Buffer.from(o.id).toString('hex').slice(0, 32)}/authenticate`,
		'Order.lineItems': (o, args) => connection(o._lines, args),
		'Order.nonFulfillableLineItems': (o, args) => connection(o._lines.filter((/** @type {any} */ l) => l.quantity - l._refunded > 0 && store.unfulfilledQty(l) === 0 && l._fulfilled === 0), args),
		'Order.shippingLines': (o, args) => connection(o._shippingLines, args),
		'Order.shippingLine': (o) => o._shippingLines[0] || null,
		'Order.taxLines': (o) => orderTaxLines(o, false),
		'Order.currentTaxLines': (o) => orderTaxLines(o, true),
		'Order.transactions': (o, args) => firstN(o._transactions.filter((/** @type {any} */ t) => (args.capturable ? t.kind === 'AUTHORIZATION' : true)), args),
		'Order.transactionsCount': (o) => ({ __typename: 'Count', count: o._transactions.length, precision: 'EXACT' }),
		'Order.fulfillments': (o, args) => firstN(o._fulfillments, args),
		'Order.fulfillmentsCount': (o) => ({ __typename: 'Count', count: o._fulfillments.length, precision: 'EXACT' }),
		'Order.fulfillmentOrders': (o, args) => {
			let list = o._fulfillmentOrders;
			if (args.displayable) list = list.filter((/** @type {any} */ fo) => store.fulfillmentOrderStatus(fo) !== 'CANCELLED');
			if (args.query) {
				const q = compile(args.query, { fields: { status: { kind: 'exact', get: (fo) => store.fulfillmentOrderStatus(fo) }, assigned_location_id: { kind: 'exact', get: (fo) => parseGid(fo._locationId)?.id } }, defaultFields: [] }, store.nowMs());
				list = list.filter((/** @type {any} */ fo) => q.test(fo));
			}
			return connection(list, args);
		},
		'Order.refunds': (o, args) => firstN(o._refunds, args),
		'Order.returns': (_o, args) => connection([], args),
		'Order.returnStatus': () => 'NO_RETURN',
		'Order.agreements': (_o, args) => connection([], args),
		'Order.events': (_o, args) => connection([], args),
		'Order.metafield': (o, args) => o._metafields.find((/** @type {any} */ m) => m.namespace === (args.namespace ?? '$app') && m.key === args.key) || null,
		'Order.metafields': (o, args) => {
			let list = o._metafields;
			if (args.namespace) list = list.filter((/** @type {any} */ m) => m.namespace === args.namespace);
			if (args.keys) list = list.filter((/** @type {any} */ m) => args.keys.includes(`${m.namespace}.${m.key}`));
			return connection(list, args);
		},
		'Order.suggestedRefund': (o, args) => {
			try {
				return store.suggestRefund(o, args);
			} catch (e) {
				const err = /** @type {any} */ (e);
				throw new GraphQLError(err.message, { extensions: err.extensions || { code: 'INVALID' } });
			}
		},
		'Order.discountCode': (o) => (o._discount ? o._discount.code : null),
		'Order.discountCodes': (o) => (o._discount ? [o._discount.code] : []),
		'Order.discountApplications': (o, args) => connection(o._discount ? [discountApplication(o)] : [], args),
		'Order.paymentGatewayNames': (o) => [...new Set(o._transactions.map((/** @type {any} */ t) => t.gateway))],
		'Order.fullyPaid': (o) => store.totals(o).outstanding.pres === 0,
		'Order.unpaid': (o) => store.totals(o).received.pres === 0,
		'Order.refundable': (o) => store.totals(o).net.pres > 0,
		'Order.fulfillable': (o) => !o.cancelledAt && o._lines.some((/** @type {any} */ l) => store.unfulfilledQty(l) > 0),
		'Order.restockable': (o) => o._lines.some((/** @type {any} */ l) => l.quantity - l._refunded > 0),
		'Order.requiresShipping': (o) => o._lines.some((/** @type {any} */ l) => l.requiresShipping),
		'Order.capturable': (o) => store.totals(o).capturable.pres > 0,
		'Order.canMarkAsPaid': (o) => !o.cancelledAt && store.totals(o).outstanding.pres > 0,
		'Order.canNotifyCustomer': (o) => Boolean(o.email),
		'Order.subtotalLineItemsQuantity': (o) => o._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + l.quantity, 0),
		'Order.currentSubtotalLineItemsQuantity': (o) => o._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + l.quantity - l._refunded, 0),
		'Order.totalWeight': () => '0',
		'Order.currentTotalWeight': () => '0',
		'Order.edited': () => false,
		'Order.estimatedTaxes': () => false,
		'Order.dutiesIncluded': () => false,
		'Order.taxExempt': () => false,
		'Order.customerAcceptsMarketing': (o) => o.buyerAcceptsMarketing,
		'Order.customerLocale': () => 'en',
		'Order.clientIp': () => null,
		'Order.merchantEditable': (o) => !o.cancelledAt,
		'Order.merchantEditableErrors': (o) => (o.cancelledAt ? ['Order is cancelled.'] : []),
		'Order.hasTimelineComment': () => false,
		'Order.productNetwork': () => false,
		'Order.app': (_o, _a, ctx) => ({ __typename: 'OrderApp', id: `gid://shopify/App/${ctx.app.id}`, name: ctx.app.title, icon: { __typename: 'Image', url: 'https://cdn.shopify.com/sandbox/app-icon.png', altText: null, width: 64, height: 64, id: null } }),
		'Order.staffMember': () => null,
		'Order.additionalFees': () => [],
		'Order.disputes': () => [],
		'Order.alerts': () => [],
		'Order.checkoutToken': () => null,
		'Order.cartToken': () => null,
		'Order.confirmationNumber': (o) => o.legacyResourceId.slice(-9).replace(/\d/g, (/** @type {string} */ d) => 'ABCDEFGHJK'[Number(d)]),
		'Order.paymentTerms': () => null,
		'Order.purchasingEntity': () => null,
		'Order.retailLocation': () => null,
		'Order.risk': () => ({ __typename: 'OrderRiskSummary', recommendation: 'ACCEPT', assessments: [] }),
		'Order.totalCashRoundingAdjustment': (o) => ({ __typename: 'CashRoundingAdjustment', paymentSet: bag(o, zero), refundSet: bag(o, zero) }),
		// money
		'Order.subtotalPriceSet': (o) => bag(o, store.totals(o).subtotal),
		'Order.currentSubtotalPriceSet': (o) => bag(o, store.totals(o).currentSubtotal),
		'Order.totalPriceSet': (o) => bag(o, store.totals(o).total),
		'Order.originalTotalPriceSet': (o) => bag(o, store.totals(o).total),
		'Order.currentTotalPriceSet': (o) => bag(o, store.totals(o).currentTotal),
		'Order.totalTaxSet': (o) => bag(o, store.totals(o).tax),
		'Order.currentTotalTaxSet': (o) => bag(o, store.totals(o).currentTax),
		'Order.totalShippingPriceSet': (o) => bag(o, store.totals(o).shipping),
		'Order.currentShippingPriceSet': (o) => bag(o, store.totals(o).currentShipping),
		'Order.totalDiscountsSet': (o) => bag(o, store.totals(o).discounts),
		'Order.currentTotalDiscountsSet': (o) => bag(o, store.totals(o).currentDiscounts),
		'Order.cartDiscountAmountSet': (o) => (o._discount && o._discount.kind !== 'shipping' ? bag(o, store.totals(o).discounts) : null),
		'Order.currentCartDiscountAmountSet': (o) => bag(o, o._discount && o._discount.kind !== 'shipping' ? store.totals(o).currentDiscounts : zero),
		'Order.totalRefundedSet': (o) => bag(o, store.totals(o).refunded),
		'Order.totalRefundedShippingSet': (o) => bag(o, store.totals(o).refundedShipping),
		'Order.totalReceivedSet': (o) => bag(o, store.totals(o).received),
		'Order.netPaymentSet': (o) => bag(o, store.totals(o).net),
		'Order.totalOutstandingSet': (o) => bag(o, store.totals(o).outstanding),
		'Order.totalCapturableSet': (o) => bag(o, store.totals(o).capturable),
		'Order.totalTipReceivedSet': (o) => bag(o, zero),
		'Order.refundDiscrepancySet': (o) => {
			let d = { shop: 0, pres: 0 };
			for (const r of o._refunds) for (const a of r._adjustments) d = { shop: d.shop + a._amount.shop, pres: d.pres + a._amount.pres };
			return bag(o, d);
		},
		'Order.currentTotalDutiesSet': () => null,
		'Order.originalTotalDutiesSet': () => null,
		'Order.currentTotalAdditionalFeesSet': () => null,
		'Order.originalTotalAdditionalFeesSet': () => null,

		// ----------------------------------------------------------- line items
		'LineItem.currentQuantity': (l) => l.quantity - l._refunded,
		'LineItem.refundableQuantity': (l) => l.quantity - l._refunded,
		'LineItem.unfulfilledQuantity': (l) => store.unfulfilledQty(l),
		'LineItem.fulfillableQuantity': (l) => store.unfulfilledQty(l),
		'LineItem.nonFulfillableQuantity': (l) => l._removedUnfulfilled,
		'LineItem.fulfillmentStatus': (l) => (l._fulfilled === 0 ? 'unfulfilled' : store.unfulfilledQty(l) === 0 ? 'fulfilled' : 'partial'),
		'LineItem.restockable': (l) => l.quantity - l._refunded > 0,
		'LineItem.merchantEditable': () => true,
		'LineItem.variant': (l) => l._variant || null,
		'LineItem.product': (l) => (l._variant ? store.productById(l._variant._productId) : null),
		'LineItem.originalUnitPriceSet': (l) => bag(lineOrder(l), l._unit),
		'LineItem.discountedUnitPriceSet': (l) => bag(lineOrder(l), l._unit),
		'LineItem.discountedUnitPriceAfterAllDiscountsSet': (l) => bag(lineOrder(l), store.prorate(lineDiscounted(l), 1, l.quantity)),
		'LineItem.originalTotalSet': (l) => bag(lineOrder(l), store.lineOriginal(l)),
		'LineItem.discountedTotalSet': (l, args) => bag(lineOrder(l), args.withCodeDiscounts ? lineDiscounted(l) : store.lineOriginal(l)),
		'LineItem.priceAfterAllDiscountsBeforeTaxesSet': (l) => bag(lineOrder(l), lineDiscounted(l)),
		'LineItem.totalDiscountSet': (l) => bag(lineOrder(l), l._discount),
		'LineItem.unfulfilledOriginalTotalSet': (l) => bag(lineOrder(l), store.prorate(store.lineOriginal(l), store.unfulfilledQty(l), l.quantity)),
		'LineItem.unfulfilledDiscountedTotalSet': (l) => bag(lineOrder(l), store.prorate(store.lineOriginal(l), store.unfulfilledQty(l), l.quantity)),
		'LineItem.taxLines': (l, args) => firstN(l._taxes.map((/** @type {any} */ t) => taxLine(lineOrder(l), t)), args),
		'LineItem.discountAllocations': (l) => {
			const o = lineOrder(l);
			if (!o._discount || o._discount.kind === 'shipping' || (l._discount.shop === 0 && l._discount.pres === 0)) return [];
			return [{ __typename: 'DiscountAllocation', allocatedAmountSet: bag(o, l._discount), discountApplication: discountApplication(o) }];
		},
		'LineItem.duties': () => [],
		'LineItem.weight': (l) => (l._weight ? { __typename: 'Weight', unit: l._weight.unit, value: l._weight.value } : null),
		'LineItem.image': () => null,
		'LineItem.lineItemGroup': () => null,
		'LineItem.sellingPlan': () => null,
		'LineItem.contract': () => null,
		'LineItem.staffMember': () => null,
		'LineItem.fulfillmentService': () => null,

		'ShippingLine.custom': () => true,
		'ShippingLine.carrierIdentifier': () => null,
		'ShippingLine.deliveryCategory': () => null,
		'ShippingLine.phone': () => null,
		'ShippingLine.shippingRateHandle': () => null,
		'ShippingLine.isRemoved': () => false,
		'ShippingLine.originalPriceSet': (s) => bag(shippingOrder(s), s._price),
		'ShippingLine.discountedPriceSet': (s) => bag(shippingOrder(s), { shop: s._price.shop - s._discount.shop, pres: s._price.pres - s._discount.pres }),
		'ShippingLine.currentDiscountedPriceSet': (s) => bag(shippingOrder(s), { shop: s._price.shop - s._discount.shop - s._refunded.shop, pres: s._price.pres - s._discount.pres - s._refunded.pres }),
		'ShippingLine.taxLines': (s) => s._taxes.map((/** @type {any} */ t) => taxLine(shippingOrder(s), t)),
		'ShippingLine.discountAllocations': (s) => {
			const o = shippingOrder(s);
			if (!o._discount || o._discount.kind !== 'shipping' || s._discount.pres === 0) return [];
			return [{ __typename: 'DiscountAllocation', allocatedAmountSet: bag(o, s._discount), discountApplication: discountApplication(o) }];
		},

		'OrderTransaction.amountSet': (t) => bag(orderOf(t._orderId), t._amount),
		'OrderTransaction.parentTransaction': (t) => (t._parentId ? orderOf(t._orderId)._transactions.find((/** @type {any} */ x) => x.id === t._parentId) || null : null),
		'OrderTransaction.order': (t) => orderOf(t._orderId),
		'OrderTransaction.formattedGateway': (t) => (t.gateway ? t.gateway.replace(/_/g, ' ').replace(/\b\w/g, (/** @type {string} */ c) => c.toUpperCase()) : null),
		'OrderTransaction.manualPaymentGateway': (t) => !['shopify_payments', 'paypal', 'bogus'].includes(t.gateway),
		'OrderTransaction.manuallyCapturable': () => false,
		'OrderTransaction.multiCapturable': () => false,
		'OrderTransaction.maximumRefundableV2': (t) => {
			if (t.kind !== 'SALE' && t.kind !== 'CAPTURE') return null;
			const o = orderOf(t._orderId);
			const refunded = o._transactions.filter((/** @type {any} */ r) => r.kind === 'REFUND' && r._parentId === t.id).reduce((/** @type {number} */ a, /** @type {any} */ r) => a + r._amount.pres, 0);
			return { __typename: 'MoneyV2', amount: money.formatDecimal(t._amount.pres - refunded, o.presentmentCurrencyCode), currencyCode: o.presentmentCurrencyCode };
		},
		'OrderTransaction.totalUnsettledSet': (t) => bag(orderOf(t._orderId), zero),
		'OrderTransaction.fees': () => [],
		'OrderTransaction.accountNumber': () => null,
		'OrderTransaction.paymentId': (t) => `sandbox-${t.legacyResourceId}`,
		'OrderTransaction.paymentDetails': () => null,
		'OrderTransaction.settlementCurrency': () => null,
		'OrderTransaction.settlementCurrencyRate': () => null,
		'OrderTransaction.amountRoundingSet': () => null,
		'OrderTransaction.authorizationExpiresAt': () => null,
		'OrderTransaction.location': () => null,
		'OrderTransaction.device': () => null,
		'OrderTransaction.user': () => null,
		'OrderTransaction.currencyExchangeAdjustment': () => null,
		'OrderTransaction.shopifyPaymentsSet': () => null,

		// ----------------------------------------------------------- fulfillment
		'FulfillmentOrder.status': (fo) => store.fulfillmentOrderStatus(fo),
		'FulfillmentOrder.order': (fo) => orderOf(fo._orderId),
		'FulfillmentOrder.orderId': (fo) => fo._orderId,
		'FulfillmentOrder.orderName': (fo) => orderOf(fo._orderId).name,
		'FulfillmentOrder.orderProcessedAt': (fo) => orderOf(fo._orderId).processedAt,
		'FulfillmentOrder.channelId': () => null,
		'FulfillmentOrder.internationalDuties': () => null,
		'FulfillmentOrder.supportedActions': (fo) => {
			const status = store.fulfillmentOrderStatus(fo);
			const actions = status === 'OPEN' || status === 'IN_PROGRESS' ? ['CREATE_FULFILLMENT', 'REQUEST_FULFILLMENT', 'HOLD', 'MOVE'] : [];
			return actions.map((a) => ({ __typename: 'FulfillmentOrderSupportedAction', action: a, externalUrl: null }));
		},
		'FulfillmentOrder.assignedLocation': (fo) => {
			const loc = store.locationById(fo._locationId);
			return { __typename: 'FulfillmentOrderAssignedLocation', name: loc.name, location: loc, countryCode: loc._address.countryCode, address1: loc._address.address1, address2: loc._address.address2, city: loc._address.city, province: loc._address.province, zip: loc._address.zip, phone: loc._address.phone };
		},
		'FulfillmentOrder.destination': (fo) => {
			const o = orderOf(fo._orderId);
			const a = o.shippingAddress;
			if (!a) return null;
			return { __typename: 'FulfillmentOrderDestination', id: fo.id.replace('FulfillmentOrder', 'FulfillmentOrderDestination'), address1: a.address1, address2: a.address2, city: a.city, company: a.company, countryCode: a.countryCodeV2, email: o.email, firstName: a.firstName, lastName: a.lastName, phone: a.phone, province: a.province, zip: a.zip, location: null };
		},
		'FulfillmentOrder.deliveryMethod': (fo) => ({ __typename: 'DeliveryMethod', id: fo.id.replace('FulfillmentOrder', 'DeliveryMethod'), methodType: 'SHIPPING', presentedName: orderOf(fo._orderId)._shippingLines[0]?.title ?? null, serviceCode: null, sourceReference: null, minDeliveryDateTime: null, maxDeliveryDateTime: null, additionalInformation: null, brandedPromise: null }),
		'FulfillmentOrder.lineItems': (fo, args) => connection(fo._lines, args),
		'FulfillmentOrder.fulfillments': (fo, args) => connection(orderOf(fo._orderId)._fulfillments.filter((/** @type {any} */ f) => f._foIds.includes(fo.id)), args),
		'FulfillmentOrder.merchantRequests': (_fo, args) => connection([], args),
		'FulfillmentOrderLineItem.remainingQuantity': (x) => x._remaining(),
		'FulfillmentOrderLineItem.totalQuantity': (x) => x._remaining() + x._line._fulfilled,
		'FulfillmentOrderLineItem.lineItem': (x) => x._line,
		'FulfillmentOrderLineItem.sku': (x) => x._line.sku,
		'FulfillmentOrderLineItem.productTitle': (x) => x._line.title,
		'FulfillmentOrderLineItem.variantTitle': (x) => x._line.variantTitle,
		'FulfillmentOrderLineItem.vendor': (x) => x._line.vendor,
		'FulfillmentOrderLineItem.requiresShipping': (x) => x._line.requiresShipping,
		'FulfillmentOrderLineItem.variant': (x) => x._line._variant || null,
		'FulfillmentOrderLineItem.inventoryItemId': (x) => (x._line._variant ? x._line._variant._inventoryItem.id : null),
		'FulfillmentOrderLineItem.weight': () => null,
		'FulfillmentOrderLineItem.image': () => null,
		'FulfillmentOrderLineItem.warnings': () => [],
		'FulfillmentOrderLineItem.originalUnitPriceSet': (x) => bag(lineOrder(x._line), x._line._unit),

		'Fulfillment.displayStatus': (f) => (f.status === 'CANCELLED' ? 'CANCELED' : f._shipmentStatus ? f._shipmentStatus : f._tracking.some((/** @type {any} */ t) => t.number) ? 'FULFILLED' : 'MARKED_AS_FULFILLED'),
		'Fulfillment.trackingInfo': (f, args) => firstN(f._tracking.map((/** @type {any} */ t) => ({ __typename: 'FulfillmentTrackingInfo', company: t.company, number: t.number, url: t.url })), args),
		'Fulfillment.location': (f) => store.locationById(f._locationId),
		'Fulfillment.order': (f) => orderOf(f._orderId),
		'Fulfillment.originAddress': (f) => (f._originAddress ? { __typename: 'FulfillmentOriginAddress', address1: null, address2: null, city: null, provinceCode: null, zip: null, ...f._originAddress } : null),
		'Fulfillment.service': () => null,
		'Fulfillment.totalQuantity': (f) => f._lines.reduce((/** @type {number} */ a, /** @type {any} */ x) => a + x.quantity, 0),
		'Fulfillment.fulfillmentLineItems': (f, args) => connection(f._lines, args),
		'Fulfillment.fulfillmentOrders': (f, args) => connection(orderOf(f._orderId)._fulfillmentOrders.filter((/** @type {any} */ fo) => f._foIds.includes(fo.id)), args),
		'Fulfillment.events': (_f, args) => connection([], args),
		'FulfillmentLineItem.lineItem': (x) => x._line,
		'FulfillmentLineItem.originalTotalSet': (x) => bag(lineOrder(x._line), store.prorate(store.lineOriginal(x._line), x.quantity, x._line.quantity)),
		'FulfillmentLineItem.discountedTotalSet': (x) => bag(lineOrder(x._line), store.prorate(lineDiscounted(x._line), x.quantity, x._line.quantity)),

		// ----------------------------------------------------------- refunds
		'Refund.order': (r) => orderOf(r._orderId),
		'Refund.totalRefundedSet': (r) => {
			const o = orderOf(r._orderId);
			let t = { shop: 0, pres: 0 };
			for (const id of r._transactionIds) {
				const tx = o._transactions.find((/** @type {any} */ x) => x.id === id);
				t = { shop: t.shop + tx._amount.shop, pres: t.pres + tx._amount.pres };
			}
			return bag(o, t);
		},
		'Refund.refundLineItems': (r, args) => connection(r._lines.map((/** @type {any} */ x) => refundLineView(x, orderOf(r._orderId))), args),
		'Refund.refundShippingLines': (r, args) => {
			const o = orderOf(r._orderId);
			const list = r._shipping ? [{ __typename: 'RefundShippingLine', id: r._shipping.id, legacyResourceId: r._shipping.legacyResourceId, shippingLine: r._shipping._shippingLine, subtotalAmountSet: bag(o, r._shipping.amount), taxAmountSet: bag(o, r._shipping.tax) }] : [];
			return connection(list, args);
		},
		'Refund.transactions': (r, args) => {
			const o = orderOf(r._orderId);
			return connection(r._transactionIds.map((/** @type {string} */ id) => o._transactions.find((/** @type {any} */ x) => x.id === id)), args);
		},
		'Refund.orderAdjustments': (r, args) => {
			const o = orderOf(r._orderId);
			return connection(r._adjustments.map((/** @type {any} */ a) => ({ __typename: 'OrderAdjustment', id: a.id, legacyResourceId: a.legacyResourceId, reason: a.reason, amountSet: bag(o, a._amount), taxAmountSet: bag(o, a._tax) })), args);
		},
		'Refund.duties': () => [],
		'Refund.return': () => null,
		'Refund.staffMember': () => null,

		'SuggestedRefund.amountSet': (s) => bag(s._order, s._amount),
		'SuggestedRefund.subtotalSet': (s) => bag(s._order, s._subtotal),
		'SuggestedRefund.discountedSubtotalSet': (s) => bag(s._order, s._discountedSubtotal),
		'SuggestedRefund.totalTaxSet': (s) => bag(s._order, s._tax),
		'SuggestedRefund.maximumRefundableSet': (s) => bag(s._order, s._max),
		'SuggestedRefund.totalCartDiscountAmountSet': (s) => bag(s._order, zero),
		'SuggestedRefund.totalDutiesSet': (s) => bag(s._order, zero),
		'SuggestedRefund.refundDuties': () => [],
		'SuggestedRefund.suggestedRefundMethods': () => [],
		'SuggestedRefund.shipping': (s) => ({ __typename: 'ShippingRefund', amountSet: bag(s._order, s._shipping.amount), maximumRefundableSet: bag(s._order, s._shipping.max), taxSet: bag(s._order, s._shipping.tax) }),
		'SuggestedRefund.refundLineItems': (s) => s._lines.map((/** @type {any} */ x) => refundLineView({ id: null, _line: x.line, quantity: x.quantity, restockType: x.restockType, restocked: false, _locationId: x.locationId, _subtotal: x.subtotal, _tax: x.tax, _price: x.price }, s._order)),
		'SuggestedRefund.suggestedTransactions': (s) => s._transactions,
		'SuggestedOrderTransaction.amountSet': (t) => bag(orderOf(t._parent._orderId), t._amount),
		'SuggestedOrderTransaction.maximumRefundableSet': (t) => bag(orderOf(t._parent._orderId), t._max),
		'SuggestedOrderTransaction.parentTransaction': (t) => t._parent,
		'SuggestedOrderTransaction.paymentDetails': () => null,

		// ----------------------------------------------------------- cancel jobs
		'Job.query': () => ({}),
		'OrderCancelJobResult.order': (j) => orderOf(j._orderId),

		// ----------------------------------------------------------- metafields
		'Metafield.jsonValue': (m) => {
			if (m.type === 'json' || m.type.startsWith('list.') || m.type === 'money') return JSON.parse(m.value);
			if (m.type === 'number_integer') return Number(m.value);
			if (m.type === 'boolean') return m.value === 'true';
			return m.value;
		},
		'Metafield.owner': (m) => orderOf(m._ownerId),
		'Metafield.definition': (m) => store.findDefinition('ORDER', m.namespace, m.key),
		'Metafield.reference': () => null,
		'Metafield.sizeInBytes': (m) => Buffer.byteLength(m.value),
		'MetafieldDefinition.type': (d) => ({ __typename: 'MetafieldDefinitionType', name: d._type, category: d._type === 'id' ? 'TEXT' : d._type.includes('number') ? 'NUMBER' : d._type === 'json' ? 'JSON' : 'TEXT', supportsDefinitionMigrations: false, supportedValidations: [] }),
		'MetafieldDefinition.capabilities': (d) => ({
			__typename: 'MetafieldCapabilities',
			uniqueValues: { __typename: 'MetafieldCapabilityUniqueValues', enabled: d._unique, eligible: d._uniqueEligible },
			adminFilterable: { __typename: 'MetafieldCapabilityAdminFilterable', enabled: d._adminFilterable, eligible: true, status: d._adminFilterable ? 'FILTERABLE' : 'NOT_FILTERABLE' },
			smartCollectionCondition: { __typename: 'MetafieldCapabilitySmartCollectionCondition', enabled: false, eligible: false },
			analyticsQueryable: { __typename: 'MetafieldCapabilityAnalyticsQueryable', enabled: false, eligible: false },
			cartToOrderCopyable: { __typename: 'MetafieldCapabilityCartToOrderCopyable', enabled: false, eligible: false },
		}),
		'MetafieldDefinition.metafieldsCount': (d) => store.state.orders.filter((o) => o._metafields.some((/** @type {any} */ m) => m.namespace === d.namespace && m.key === d.key)).length,
		'MetafieldDefinition.metafields': (d, args) => connection(store.state.orders.flatMap((o) => o._metafields.filter((/** @type {any} */ m) => m.namespace === d.namespace && m.key === d.key)), args),
		'MetafieldDefinition.standardTemplate': () => null,
		'MetafieldDefinition.constraints': () => null,

		// ----------------------------------------------------------- customers & addresses
		'Customer.displayName': (c) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || 'Customer',
		'Customer.defaultAddress': (c) => c._addresses[0] || null,
		'Customer.numberOfOrders': (c) => String(store.state.orders.filter((o) => o._customerId === c.id).length),
		'Customer.amountSpent': (c) => {
			const total = store.state.orders.filter((o) => o._customerId === c.id).reduce((a, o) => a + store.totals(o).net.shop, 0);
			return { __typename: 'MoneyV2', amount: money.formatDecimal(total, S()), currencyCode: S() };
		},
		'Customer.locale': () => 'en',
		'Customer.lifetimeDuration': () => 'less than a minute',
		'Customer.canDelete': () => false,
		'Customer.dataSaleOptOut': () => false,
		'Customer.image': () => ({ __typename: 'Image', url: 'https://cdn.shopify.com/sandbox/avatar.png', altText: null, width: 64, height: 64, id: null }),
		'Customer.defaultEmailAddress': (c) => (c.email ? { __typename: 'CustomerEmailAddress', emailAddress: c.email, marketingState: 'NOT_SUBSCRIBED' } : null),
		'Customer.defaultPhoneNumber': (c) => (c.phone ? { __typename: 'CustomerPhoneNumber', phoneNumber: c.phone, marketingState: 'NOT_SUBSCRIBED' } : null),
		'MailingAddress.formatted': (a) => formatted(a),
		'MailingAddress.formattedArea': (a) => [a.city, a.province, a.country].filter(Boolean).join(', ') || null,
		'MailingAddress.countryCode': (a) => a.countryCodeV2,
		'MailingAddress.validationResultSummary': () => null,

		// ----------------------------------------------------------- locations
		'Location.address': (l) => locationAddress(l),
		'Location.fulfillmentService': () => null,
		'Location.localPickupSettingsV2': () => null,
		'Location.metafield': () => null,
		'Location.suggestedAddresses': () => [],

		// ----------------------------------------------------------- webhooks
		'WebhookSubscription.apiVersion': (w) => ({ __typename: 'ApiVersion', handle: w._apiVersion, displayName: w._apiVersion, supported: true }),
		'WebhookSubscription.callbackUrl': (w) => (/^https?:/.test(w.uri) ? w.uri : `https://invalid.sandbox/${encodeURIComponent(w.uri)}`),
		'WebhookSubscription.endpoint': (w) => (/^https?:/.test(w.uri) ? { __typename: 'WebhookHttpEndpoint', callbackUrl: w.uri } : w.uri.startsWith('pubsub://') ? { __typename: 'WebhookPubSubEndpoint', pubSubProject: w.uri.slice(9).split(':')[0], pubSubTopic: w.uri.slice(9).split(':')[1] ?? '' } : { __typename: 'WebhookEventBridgeEndpoint', arn: w.uri }),
		'WebhookSubscription.metafields': () => [],
	};

	/** @param {any} ctx */
	function appView(ctx) {
		return {
			__typename: 'App',
			id: `gid://shopify/App/${ctx.app.id}`,
			title: ctx.app.title,
			handle: ctx.app.handle,
			apiKey: ctx.app.apiKey,
			developerName: 'Sandbox',
			description: 'The app the Shopify sandbox pretends is installed.',
			embedded: false,
			published: false,
			webhookApiVersion: ctx.webhooks.webhookApiVersion,
			installUrl: null,
			appStoreAppUrl: null,
			appStoreDeveloperUrl: null,
			privacyPolicyUrl: null,
			pricingDetails: null,
			pricingDetailsSummary: 'Free',
			shopifyDeveloped: false,
			previouslyInstalled: false,
			isPostPurchaseAppInUse: false,
			features: [],
			developerType: 'UNKNOWN',
			publicCategory: 'PRIVATE',
			uninstallMessage: '',
			failedRequirements: [],
			requestedAccessScopes: ctx.scopes.map((/** @type {string} */ h) => ({ __typename: 'AccessScope', handle: h, description: h })),
			availableAccessScopes: ctx.scopes.map((/** @type {string} */ h) => ({ __typename: 'AccessScope', handle: h, description: h })),
			optionalAccessScopes: [],
		};
	}

	function shopAddress() {
		const a = store.primaryLocation()._address;
		return { __typename: 'ShopAddress', id: 'gid://shopify/ShopAddress/1', address1: a.address1, address2: a.address2, city: a.city, company: null, country: a.country, countryCodeV2: a.countryCode, countryCode: a.countryCode, province: a.province, provinceCode: a.provinceCode, zip: a.zip, phone: a.phone, latitude: null, longitude: null, coordinatesValidated: false, formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.country], formattedArea: `${a.city}, ${a.province}, ${a.country}` };
	}

	/** @param {any} i */
	function variantOfItem(i) {
		for (const v of store.state.variants.values()) if (v._inventoryItem === i || v._inventoryItem.id === i.id) return v;
		throw new Error(`inventory item ${i.id} has no variant`);
	}

	/** @param {any} s */
	function shippingOrder(s) {
		return orderOf(s._orderId);
	}

	/** @param {any} a */
	function addrKey(a) {
		if (!a) return null;
		return [a.firstName, a.lastName, a.address1, a.address2, a.city, a.provinceCode, a.countryCodeV2, a.zip];
	}

	/** Search spec for productVariants. */
	const variantSearch = {
		fields: {
			sku: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ v) => v.sku },
			barcode: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ v) => v.barcode },
			title: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ v) => v.title },
			product_id: { kind: /** @type {'number'} */ ('number'), get: (/** @type {any} */ v) => Number(parseGid(v._productId)?.id) },
			id: { kind: /** @type {'number'} */ ('number'), get: (/** @type {any} */ v) => Number(v.legacyResourceId) },
			product_status: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ v) => store.productById(v._productId)?.status },
			vendor: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ v) => store.productById(v._productId)?.vendor },
			taxable: { kind: /** @type {'bool'} */ ('bool'), get: (/** @type {any} */ v) => v.taxable },
			inventory_quantity: { kind: /** @type {'number'} */ ('number'), get: (/** @type {any} */ v) => v._inventory },
			updated_at: { kind: /** @type {'date'} */ ('date'), get: (/** @type {any} */ v) => v.updatedAt },
		},
		defaultFields: ['sku', 'title', 'barcode'],
	};

	/** Search spec for orders. */
	const orderSearch = {
		fields: {
			source_identifier: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ o) => o.sourceIdentifier },
			source_name: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => o.sourceName },
			name: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ o) => o.name },
			email: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ o) => o.email },
			tag: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => o.tags },
			tag_not: { kind: /** @type {'custom'} */ ('custom'), get: () => null, match: (/** @type {any} */ o, /** @type {any} */ t) => !o.tags.some((/** @type {string} */ x) => x.toLowerCase() === t.value.toLowerCase()) },
			sku: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ o) => o._lines.map((/** @type {any} */ l) => l.sku) },
			id: { kind: /** @type {'number'} */ ('number'), get: (/** @type {any} */ o) => Number(o.legacyResourceId) },
			customer_id: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => (o._customerId ? parseGid(o._customerId)?.id : null) },
			po_number: { kind: /** @type {'text'} */ ('text'), get: (/** @type {any} */ o) => o.poNumber },
			discount_code: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => (o._discount ? o._discount.code : null) },
			gateway: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => o._transactions.map((/** @type {any} */ t) => t.gateway) },
			test: { kind: /** @type {'bool'} */ ('bool'), get: (/** @type {any} */ o) => o.test },
			created_at: { kind: /** @type {'date'} */ ('date'), get: (/** @type {any} */ o) => o.createdAt },
			updated_at: { kind: /** @type {'date'} */ ('date'), get: (/** @type {any} */ o) => o.updatedAt },
			processed_at: { kind: /** @type {'date'} */ ('date'), get: (/** @type {any} */ o) => o.processedAt },
			financial_status: { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => store.financialStatus(o).toLowerCase() },
			fulfillment_status: {
				kind: /** @type {'custom'} */ ('custom'),
				get: () => null,
				match: (/** @type {any} */ o, /** @type {any} */ t) => {
					const s = store.fulfillmentStatus(o);
					const want = String(t.value).toLowerCase();
					const map = /** @type {Record<string, string[]>} */ ({
						unshipped: ['UNFULFILLED'],
						unfulfilled: ['UNFULFILLED', 'PARTIALLY_FULFILLED'],
						shipped: ['FULFILLED'],
						fulfilled: ['FULFILLED'],
						partial: ['PARTIALLY_FULFILLED'],
						scheduled: ['SCHEDULED'],
						on_hold: ['ON_HOLD'],
						request_declined: ['REQUEST_DECLINED'],
					});
					return (map[want] || []).includes(s);
				},
			},
			status: {
				kind: /** @type {'custom'} */ ('custom'),
				get: () => null,
				match: (/** @type {any} */ o, /** @type {any} */ t) => {
					switch (String(t.value).toLowerCase()) {
						case 'any':
							return true;
						case 'open':
							return !o.closedAt && !o.cancelledAt;
						case 'closed':
							return Boolean(o.closedAt);
						case 'cancelled':
							return Boolean(o.cancelledAt);
						case 'not_closed':
							return !o.closedAt;
						default:
							return false;
					}
				},
			},
		},
		defaultFields: ['name', 'source_identifier', 'email', 'sku'],
		/** @param {string} name */
		dynamic: (name) => {
			const m = /^metafields\.([^.]+)\.(.+)$/.exec(name);
			if (!m) return null;
			return { kind: /** @type {'exact'} */ ('exact'), get: (/** @type {any} */ o) => o._metafields.filter((/** @type {any} */ x) => x.namespace === m[1] && x.key === m[2]).map((/** @type {any} */ x) => x.value) };
		},
	};

	/**
	 * @param {any} args @param {Ctx} ctx @param {string} path
	 */
	function searchOrders(args, ctx, path) {
		const q = compile(args.query, orderSearch, store.nowMs());
		if (q.warnings.length) ctx.searchWarnings.push({ path: [path], query: args.query, warnings: q.warnings });
		const list = store.state.orders.filter((o) => q.test(o));
		return sortBy(list, args.sortKey ?? 'PROCESSED_AT', {
			CREATED_AT: (o) => o.createdAt + o.legacyResourceId.padStart(20, '0'),
			UPDATED_AT: (o) => o.updatedAt + o.legacyResourceId.padStart(20, '0'),
			PROCESSED_AT: (o) => o.processedAt + o.legacyResourceId.padStart(20, '0'),
			ID: (o) => Number(o.legacyResourceId),
			ORDER_NUMBER: (o) => o.number,
			TOTAL_PRICE: (o) => store.totals(o).total.shop,
			CURRENT_TOTAL_PRICE: (o) => store.totals(o).currentTotal.shop,
			FINANCIAL_STATUS: (o) => store.financialStatus(o),
			FULFILLMENT_STATUS: (o) => store.fulfillmentStatus(o),
			PO_NUMBER: (o) => o.poNumber || '',
			TOTAL_ITEMS_QUANTITY: (o) => o._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + l.quantity, 0),
			CUSTOMER_NAME: (o) => o.email || '',
			DESTINATION: (o) => (o.shippingAddress ? o.shippingAddress.countryCodeV2 || '' : ''),
			RELEVANCE: (o) => Number(o.legacyResourceId),
		});
	}

	return R;
}

/**
 * @template T
 * @param {T[]} list
 * @param {string|null|undefined} key
 * @param {Record<string, (x: T) => string|number>} keys
 */
function sortBy(list, key, keys) {
	const f = (key && keys[key]) || keys.ID || Object.values(keys)[0];
	return list
		.map((x, i) => ({ x, k: f(x), i }))
		.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
		.map((e) => e.x);
}

/** Stable JSON of arguments (keys sorted) for idempotency comparisons. @param {unknown} v @returns {unknown} */
function canonical(v) {
	if (Array.isArray(v)) return v.map(canonical);
	if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(/** @type {any} */ (v)[k])]));
	return v;
}

/**
 * Offset and abbreviation of a time zone at an instant.
 * @param {string} tz @param {number} at
 */
function tzParts(tz, at) {
	try {
		const long = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
		const abbr = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
		const m = /GMT([+-])(\d{2}):(\d{2})/.exec(long);
		const offset = m ? `${m[1]}${m[2]}:${m[3]}` : '+00:00';
		const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
		return { offset, minutes, abbr };
	} catch {
		return { offset: '+00:00', minutes: 0, abbr: 'UTC' };
	}
}

/**
 * The field resolver handed to graphql-js.
 * @param {Record<string, Resolver>} resolvers
 * @returns {import('graphql').GraphQLFieldResolver<any, Ctx>}
 */
function makeFieldResolver(resolvers) {
	return (source, args, ctx, info) => {
		const key = `${info.parentType.name}.${info.fieldName}`;
		if (info.parentType.name === 'QueryRoot' || info.parentType.name === 'Mutation') requireScope(ctx, key);
		const r = resolvers[key];
		if (r) return r(source, args, ctx, info);
		if (source !== null && typeof source === 'object' && Object.prototype.hasOwnProperty.call(source, info.fieldName) && source[info.fieldName] !== undefined) {
			const v = source[info.fieldName];
			return typeof v === 'function' ? v(args, ctx, info) : v;
		}
		throw new GraphQLError(`${key} is not implemented by the Shopify sandbox`, {
			extensions: { code: 'SANDBOX_NOT_IMPLEMENTED', typeName: info.parentType.name, fieldName: info.fieldName },
		});
	};
}

/** @param {any} value */
function typeResolver(value) {
	return value && value.__typename;
}

module.exports = { createResolvers, makeFieldResolver, typeResolver, connection, REQUIRED_SCOPES, tzParts, canonical, fieldName };
