// @ts-check
'use strict';

/**
 * The Shopify sandbox's state and business rules: shop, products/variants with inventory,
 * customers, metafield definitions, orders (line items, shipping lines, taxes, discounts,
 * transactions, metafields), fulfillment orders and fulfillments, refunds, cancellations, webhook
 * subscriptions and the record of customer notifications.
 *
 * Records are plain objects. Fields named like the GraphQL field hold that field's value; fields
 * starting with `_` are internal (amounts in integer minor units, links to other records). Every
 * money amount is kept as `{ shop, pres }` minor units in the shop and presentment currencies.
 *
 * Mutating operations return `{ userErrors }` in Shopify's shape (field paths as strings, codes
 * from the schema's enums) instead of throwing, and announce what happened through `emit`
 * (webhook topics), one event id per merchant/app action.
 */

const money = require('./money');
const { createIdAllocator, parseGid, uuid } = require('./ids');

/**
 * @typedef {{ shop: number, pres: number }} Amount
 * @typedef {{ field: string[]|null, message: string, code?: string|null }} UserError
 * @typedef {{ title: string, rate: string, channelLiable: boolean, source: string|null, amount: Amount, _computed?: boolean }} TaxRec
 * @typedef {{ topic: string, eventId: string, orderId: string, fulfillmentId?: string, refundId?: string }} StoreEvent
 */

class ControlError extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

const ZERO = () => ({ shop: 0, pres: 0 });
/** @param {Amount} a @param {Amount} b */
const add = (a, b) => ({ shop: a.shop + b.shop, pres: a.pres + b.pres });
/** @param {Amount} a @param {Amount} b */
const sub = (a, b) => ({ shop: a.shop - b.shop, pres: a.pres - b.pres });
/** @param {Amount[]} list */
const sum = (list) => list.reduce(add, ZERO());

/** Metafield types the sandbox accepts (a subset of Shopify's list, enough for apps like ours). */
const METAFIELD_TYPES = [
	'id',
	'single_line_text_field',
	'multi_line_text_field',
	'json',
	'boolean',
	'number_integer',
	'number_decimal',
	'date',
	'date_time',
	'url',
	'money',
	'list.single_line_text_field',
];
/** Types for which the uniqueValues capability is eligible. */
const UNIQUE_ELIGIBLE = ['id', 'single_line_text_field', 'url', 'number_integer'];

/** Tracking URL templates for the carriers Shopify knows (a few; the sandbox needs no more). */
const TRACKING_URLS = /** @type {Record<string, (n: string) => string>} */ ({
	UPS: (n) => `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${encodeURIComponent(n)}`,
	USPS: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(n)}`,
	FedEx: (n) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(n)}`,
	'DHL Express': (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${encodeURIComponent(n)}`,
	Amazon: (n) => `https://track.amazon.com/tracking/${encodeURIComponent(n)}`,
	'Canada Post': (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${encodeURIComponent(n)}`,
	'Royal Mail': (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${encodeURIComponent(n)}`,
});

/**
 * @param {{
 *   clock: import('../lib/clock').Clock,
 *   rng: import('../lib/rng').Rng,
 *   shopCurrency: string,
 *   devStore: boolean,
 *   shopDomain: string,
 *   ianaTimezone: string,
 *   scopes: string[],
 *   appId: string,
 *   emit: (event: StoreEvent) => void,
 * }} opts
 */
function createStore(opts) {
	const { clock, rng } = opts;
	let ids = createIdAllocator();
	const S = opts.shopCurrency;

	/** Displayed timestamps use wall-clock time (see sandbox/lib/clock.js). */
	const nowMs = () => clock.wallNow();
	const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const nowIso = () => iso(nowMs());

	const state = fresh();

	function fresh() {
		const shopGid = 'gid://shopify/Shop/68719476736';
		const locPrimary = ids.next('Location');
		const locFba = ids.next('Location');
		const created = iso(nowMs() - 400 * 86400000);
		return {
			shop: {
				__typename: 'Shop',
				id: shopGid,
				name: 'Sandbox Shop',
				email: 'owner@sandbox-shop.example',
				contactEmail: 'owner@sandbox-shop.example',
				myshopifyDomain: opts.shopDomain,
				currencyCode: S,
				ianaTimezone: opts.ianaTimezone,
				plan: {
					partnerDevelopment: opts.devStore,
					shopifyPlus: false,
					publicDisplayName: opts.devStore ? 'Development' : 'Basic',
					displayName: opts.devStore ? 'Development' : 'Basic',
				},
				createdAt: created,
				updatedAt: created,
				enabledPresentmentCurrencies: [S, ...Object.keys(money.USD_PER_UNIT).filter((c) => c !== S)],
				taxesIncluded: false,
				taxShipping: false,
				orderNumberFormatPrefix: '#',
				orderNumberFormatSuffix: '',
				weightUnit: 'KILOGRAMS',
				unitSystem: 'METRIC_SYSTEM',
				url: `https://${opts.shopDomain}`,
				description: null,
				setupRequired: false,
				checkoutApiSupported: true,
				transactionalSmsDisabled: true,
				marketingSmsConsentEnabledAtCheckout: false,
			},
			/** @type {any[]} */
			locations: [
				{
					__typename: 'Location',
					...locPrimary,
					name: 'Shop location',
					isActive: true,
					isPrimary: true,
					fulfillsOnlineOrders: true,
					isFulfillmentService: false,
					shipsInventory: true,
					activatable: false,
					deactivatable: false,
					deletable: false,
					addressVerified: true,
					hasActiveInventory: true,
					createdAt: created,
					updatedAt: created,
					deactivatedAt: null,
					_address: { address1: '1 Sandbox Way', address2: null, city: 'Ottawa', province: 'Ontario', provinceCode: 'ON', countryCode: 'CA', country: 'Canada', zip: 'K1A 0A1', phone: null },
				},
				{
					__typename: 'Location',
					...locFba,
					name: 'Amazon FBA',
					isActive: true,
					isPrimary: false,
					fulfillsOnlineOrders: true,
					isFulfillmentService: false,
					shipsInventory: false,
					activatable: false,
					deactivatable: true,
					deletable: false,
					addressVerified: false,
					hasActiveInventory: false,
					createdAt: created,
					updatedAt: created,
					deactivatedAt: null,
					_address: { address1: null, address2: null, city: null, province: null, provinceCode: null, countryCode: 'US', country: 'United States', zip: null, phone: null },
				},
			],
			/** @type {any[]} */ products: [],
			/** @type {Map<string, any>} */ variants: new Map(),
			/** @type {any[]} */ customers: [],
			/** @type {any[]} */ metafieldDefinitions: [],
			/** @type {any[]} */ orders: [],
			/** @type {Map<string, any>} */ ordersById: new Map(),
			/** @type {any[]} */ webhookSubscriptions: [],
			/** @type {Map<string, any>} */ jobs: new Map(),
			/** @type {any[]} */ customerNotifications: [],
			/** @type {number[]} sandbox times of successful orderCreate calls (dev-store limit) */ orderCreateTimes: [],
			/** @type {Map<string, { hash: string, result: any, at: number }>} */ idempotency: new Map(),
			nextOrderNumber: 1001,
		};
	}

	/** Fresh data. IDs and order numbers keep counting, so nothing a client cached can be reused by a new object. */
	function reset() {
		const nextOrderNumber = state.nextOrderNumber;
		Object.assign(state, fresh());
		state.nextOrderNumber = nextOrderNumber;
	}

	// ------------------------------------------------------------------ helpers

	const primaryLocation = () => state.locations[0];
	/** @param {string} id */
	const locationById = (id) => state.locations.find((l) => l.id === id) || null;

	/** @param {number} minor @param {string} currency */
	const fmt = (minor, currency) => `${money.formatRest(minor, currency)} ${currency}`;

	/**
	 * Record what a customer would have received (our nodes must never trigger one).
	 * @param {string} kind @param {string} via @param {any} order @param {Record<string, unknown>} [extra]
	 */
	function notifyCustomer(kind, via, order, extra = {}) {
		state.customerNotifications.push({
			kind,
			via,
			orderId: order ? order.id : null,
			orderName: order ? order.name : null,
			email: order ? order.email : null,
			at: nowIso(),
			...extra,
		});
	}

	/** @param {any} order @param {string} topic @param {string} eventId @param {Record<string, string>} [extra] */
	function emit(order, topic, eventId, extra = {}) {
		opts.emit({ topic, eventId, orderId: order.id, ...extra });
	}

	const newEventId = () => uuid(rng);

	/** @param {any} order */
	function touch(order) {
		order.updatedAt = nowIso();
	}

	// ------------------------------------------------------------------ products

	/**
	 * @param {unknown} list
	 */
	function seedProducts(list) {
		if (!Array.isArray(list)) throw new ControlError(400, 'seedProducts expects an array like [{ sku, title, price, currency?, inventory? }]');
		/** @type {any[]} */
		const created = [];
		list.forEach((p, i) => {
			if (!p || typeof p !== 'object') throw new ControlError(400, `products[${i}] must be an object`);
			const allowed = ['sku', 'title', 'price', 'currency', 'inventory', 'inventoryPolicy', 'barcode', 'variantTitle', 'vendor', 'status', 'requiresShipping', 'taxable'];
			for (const k of Object.keys(p)) if (!allowed.includes(k)) throw new ControlError(400, `products[${i}]: unknown field "${k}" (allowed: ${allowed.join(', ')})`);
			if (typeof p.sku !== 'string' || !p.sku.trim()) throw new ControlError(400, `products[${i}].sku must be a non-empty string`);
			if (typeof p.title !== 'string' || !p.title.trim()) throw new ControlError(400, `products[${i}].title must be a non-empty string`);
			const currency = p.currency ?? S;
			if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new ControlError(400, `products[${i}].currency must be an ISO 4217 code like "USD"`);
			if (currency !== S && !money.hasRate(currency)) throw new ControlError(400, `products[${i}].currency ${currency} has no sandbox exchange rate`);
			const minor = money.toMinor(typeof p.price === 'number' ? String(p.price) : p.price, currency);
			if (minor === null || minor < 0) throw new ControlError(400, `products[${i}].price must be a non-negative decimal like "19.99", got ${JSON.stringify(p.price)}`);
			if (p.inventory !== undefined && p.inventory !== null && !Number.isInteger(p.inventory)) throw new ControlError(400, `products[${i}].inventory must be an integer (or omitted for untracked inventory)`);
			if (p.inventoryPolicy !== undefined && !['DENY', 'CONTINUE'].includes(p.inventoryPolicy)) throw new ControlError(400, `products[${i}].inventoryPolicy must be DENY or CONTINUE`);
			if (p.status !== undefined && !['ACTIVE', 'DRAFT', 'ARCHIVED', 'UNLISTED'].includes(p.status)) throw new ControlError(400, `products[${i}].status must be ACTIVE, DRAFT, ARCHIVED or UNLISTED`);
			const at = nowIso();
			const product = {
				__typename: 'Product',
				...ids.next('Product'),
				title: p.title,
				handle: p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'product',
				status: p.status ?? 'ACTIVE',
				vendor: p.vendor ?? 'Sandbox',
				productType: '',
				tags: [],
				createdAt: at,
				updatedAt: at,
				isGiftCard: false,
				/** @type {string[]} */ _variantIds: [],
			};
			const inv = ids.next('InventoryItem');
			const variant = {
				__typename: 'ProductVariant',
				...ids.next('ProductVariant'),
				sku: p.sku,
				title: p.variantTitle ?? 'Default Title',
				barcode: p.barcode ?? null,
				position: 1,
				taxable: p.taxable ?? true,
				createdAt: at,
				updatedAt: at,
				inventoryPolicy: p.inventoryPolicy ?? 'DENY',
				_price: money.convert(minor, currency, S),
				_productId: product.id,
				_tracked: p.inventory !== undefined && p.inventory !== null,
				_inventory: p.inventory ?? 0,
				_requiresShipping: p.requiresShipping ?? true,
				_inventoryItem: { __typename: 'InventoryItem', ...inv, sku: p.sku, createdAt: at, updatedAt: at },
			};
			product._variantIds.push(variant.id);
			state.products.push(product);
			state.variants.set(variant.id, variant);
			created.push({ productId: product.id, variantId: variant.id, inventoryItemId: variant._inventoryItem.id, sku: variant.sku, price: money.formatRest(variant._price, S), currency: S, inventory: variant._tracked ? variant._inventory : null });
		});
		return created;
	}

	/** @param {string} id */
	const productById = (id) => state.products.find((p) => p.id === id) || null;

	// ------------------------------------------------------------------ customers

	/** @param {any} input @param {string} at */
	function upsertCustomer(input, at) {
		let c = null;
		if (input.id) c = state.customers.find((x) => x.id === input.id) || null;
		if (!c && input.email) c = state.customers.find((x) => x.email && x.email.toLowerCase() === String(input.email).toLowerCase()) || null;
		if (!c) {
			c = {
				__typename: 'Customer',
				...ids.next('Customer'),
				email: null,
				firstName: null,
				lastName: null,
				phone: null,
				note: null,
				tags: [],
				taxExempt: false,
				state: 'DISABLED',
				verifiedEmail: false,
				createdAt: at,
				updatedAt: at,
				multipassIdentifier: null,
				/** @type {any[]} */ _addresses: [],
			};
			state.customers.push(c);
		}
		for (const k of ['email', 'firstName', 'lastName', 'phone', 'note', 'taxExempt', 'multipassIdentifier']) if (input[k] !== undefined && input[k] !== null) c[k] = input[k];
		if (Array.isArray(input.tags)) c.tags = uniqTags([...c.tags, ...input.tags]);
		if (Array.isArray(input.addresses)) {
			for (const a of input.addresses) c._addresses.push({ __typename: 'MailingAddress', ...ids.next('MailingAddress'), ...a });
		}
		c.updatedAt = at;
		return c;
	}

	// ------------------------------------------------------------------ metafield definitions

	/**
	 * @param {any} def MetafieldDefinitionInput
	 * @returns {{ createdDefinition: any, userErrors: any[] }}
	 */
	function createMetafieldDefinition(def) {
		/** @type {any[]} */
		const errors = [];
		const namespace = def.namespace ?? '$app';
		const key = def.key;
		if (!/^[a-zA-Z0-9_-]{2,64}$/.test(key)) errors.push({ field: ['definition', 'key'], message: 'Key must be 2-64 characters long and only contain alphanumeric, hyphen, and underscore characters.', code: 'INVALID_CHARACTER' });
		if (namespace !== '$app' && !/^(\$app(:[a-zA-Z0-9_-]+)?|[a-zA-Z0-9_-]{2,255})$/.test(namespace)) errors.push({ field: ['definition', 'namespace'], message: 'Namespace must be 2-255 characters long and only contain alphanumeric, hyphen, and underscore characters.', code: 'INVALID_CHARACTER' });
		if (!def.name || !String(def.name).trim()) errors.push({ field: ['definition', 'name'], message: "Name can't be blank", code: 'BLANK' });
		if (!METAFIELD_TYPES.includes(def.type)) errors.push({ field: ['definition', 'type'], message: `Type name ${def.type} is not a valid type.`, code: 'INCLUSION' });
		if (def.ownerType !== 'ORDER') errors.push({ field: ['definition', 'ownerType'], message: `The sandbox only supports ORDER metafield definitions, got ${def.ownerType}.`, code: 'INVALID' });
		const dup = state.metafieldDefinitions.find((d) => d.ownerType === def.ownerType && d.namespace === namespace && d.key === key);
		if (dup) errors.push({ field: ['definition', 'key'], message: `Key is in use for ${def.ownerType === 'ORDER' ? 'Order' : def.ownerType} metafields on the '${namespace}' namespace.`, code: 'TAKEN' });
		const wantsUnique = Boolean(def.capabilities && def.capabilities.uniqueValues && def.capabilities.uniqueValues.enabled);
		const eligible = UNIQUE_ELIGIBLE.includes(def.type);
		if (wantsUnique && !eligible) errors.push({ field: ['definition', 'capabilities', 'uniqueValues'], message: `The unique values capability is not eligible for type ${def.type}.`, code: 'INVALID_CAPABILITY' });
		const unique = wantsUnique || def.type === 'id';
		if (unique && !errors.length) {
			const existing = state.orders.some((o) => o._metafields.some((/** @type {any} */ m) => m.namespace === namespace && m.key === key));
			if (existing) errors.push({ field: ['definition', 'capabilities', 'uniqueValues'], message: 'The unique values capability can only be enabled on a definition that has no metafields yet.', code: 'INVALID_CAPABILITY' });
		}
		if (errors.length) return { createdDefinition: null, userErrors: errors.map((e) => ({ elementIndex: null, elementKey: null, ...e })) };
		const rec = {
			__typename: 'MetafieldDefinition',
			...ids.next('MetafieldDefinition'),
			name: def.name,
			namespace,
			key,
			description: def.description ?? null,
			ownerType: def.ownerType,
			pinnedPosition: def.pin ? 1 : null,
			useAsCollectionCondition: false,
			validationStatus: 'ALL_VALID',
			validations: [],
			_type: def.type,
			_unique: unique,
			_uniqueEligible: eligible,
			_adminFilterable: Boolean(def.capabilities && def.capabilities.adminFilterable && def.capabilities.adminFilterable.enabled),
			createdAt: nowIso(),
		};
		state.metafieldDefinitions.push(rec);
		return { createdDefinition: rec, userErrors: [] };
	}

	/** @param {string} ownerType @param {string} namespace @param {string} key */
	const findDefinition = (ownerType, namespace, key) =>
		state.metafieldDefinitions.find((d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key) || null;

	/**
	 * Validate one metafield value for its type. Returns an error message or null.
	 * @param {string} type @param {unknown} value
	 */
	function metafieldValueProblem(type, value) {
		if (typeof value !== 'string') return 'Value must be a string';
		switch (type) {
			case 'id':
				return value.length === 0 ? "Value can't be blank" : value.length > 255 ? 'Value is too long (maximum is 255 characters)' : null;
			case 'single_line_text_field':
				return /[\r\n]/.test(value) ? 'Value must be a single line of text' : null;
			case 'number_integer':
				return /^-?\d+$/.test(value) ? null : 'Value must be an integer.';
			case 'number_decimal':
				return /^-?\d+(\.\d+)?$/.test(value) ? null : 'Value must be a decimal.';
			case 'boolean':
				return value === 'true' || value === 'false' ? null : 'Value must be true or false.';
			case 'json':
			case 'money':
			case 'list.single_line_text_field':
				try {
					JSON.parse(value);
					return null;
				} catch {
					return 'Value is invalid JSON: unexpected token.';
				}
			case 'url':
				try {
					new URL(value);
					return null;
				} catch {
					return 'Value must be a valid URL.';
				}
			case 'date':
				return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : 'Value must be in YYYY-MM-DD format.';
			case 'date_time':
				return Number.isNaN(Date.parse(value)) ? 'Value must be in ISO 8601 format.' : null;
			default:
				return null;
		}
	}

	/**
	 * Check a metafield write against definitions and uniqueness.
	 * @param {{ namespace?: string|null, key?: string|null, type?: string|null, value?: string|null }} mf
	 * @param {any|null} ownerOrder  the order being written (excluded from the uniqueness check)
	 * @returns {{ ok: true, namespace: string, key: string, type: string, value: string, definition: any } | { ok: false, field: string, message: string, code: string }}
	 */
	function checkMetafield(mf, ownerOrder) {
		const namespace = mf.namespace ?? '$app';
		const key = mf.key;
		if (!key) return { ok: false, field: 'key', message: "Key can't be blank", code: 'BLANK' };
		if (mf.value === undefined || mf.value === null) return { ok: false, field: 'value', message: "Value can't be blank", code: 'BLANK' };
		const definition = findDefinition('ORDER', namespace, key);
		const type = mf.type ?? (definition ? definition._type : null);
		if (!type) return { ok: false, field: 'type', message: "Type can't be blank", code: 'BLANK' };
		if (!METAFIELD_TYPES.includes(type)) return { ok: false, field: 'type', message: `Type name ${type} is not a valid type.`, code: 'INVALID_TYPE' };
		if (definition && definition._type !== type) return { ok: false, field: 'type', message: `Type must be ${definition._type} to match the metafield definition.`, code: 'INVALID_TYPE' };
		const problem = metafieldValueProblem(type, mf.value);
		if (problem) return { ok: false, field: 'value', message: problem, code: 'INVALID_VALUE' };
		if (definition && definition._unique) {
			const clash = state.orders.find((o) => o !== ownerOrder && o._metafields.some((/** @type {any} */ m) => m.namespace === namespace && m.key === key && m.value === mf.value));
			if (clash) return { ok: false, field: 'value', message: `Value has already been taken by another order (${namespace}.${key} must be unique).`, code: 'TAKEN' };
		}
		return { ok: true, namespace, key, type, value: /** @type {string} */ (mf.value), definition };
	}

	/** @param {any} owner @param {{ namespace: string, key: string, type: string, value: string }} mf */
	function writeMetafield(owner, mf) {
		const at = nowIso();
		let rec = owner._metafields.find((/** @type {any} */ m) => m.namespace === mf.namespace && m.key === mf.key);
		if (!rec) {
			rec = { __typename: 'Metafield', ...ids.next('Metafield'), namespace: mf.namespace, key: mf.key, createdAt: at, ownerType: 'ORDER', _ownerId: owner.id, description: null };
			owner._metafields.push(rec);
		}
		rec.type = mf.type;
		rec.value = mf.value;
		rec.updatedAt = at;
		rec.compareDigest = require('crypto').createHash('sha256').update(`${rec.id}:${rec.value}:${at}`).digest('hex');
		return rec;
	}

	// ------------------------------------------------------------------ order creation

	/**
	 * @param {any} input OrderCreateOrderInput (coerced)
	 * @param {any} options OrderCreateOptionsInput (coerced, may be null)
	 * @param {{ apiVersion: string }} ctx
	 * @returns {{ order: any|null, userErrors: UserError[] }}
	 */
	function createOrder(input, options, ctx) {
		/** @type {UserError[]} */
		const errors = [];
		/** @param {(string|number)[]} field @param {string} message @param {string} [code] */
		const err = (field, message, code = 'INVALID') => errors.push({ field: field.map(String), message, code });
		options = options || {};
		const at = nowIso();

		// ---- dev/trial store order limit (sandbox time window)
		if (opts.devStore) {
			const t = clock.t();
			state.orderCreateTimes = state.orderCreateTimes.filter((x) => t - x < 60000);
			if (state.orderCreateTimes.length >= 5) {
				return {
					order: null,
					userErrors: [
						{
							field: null,
							message: 'Too many orders created. Trial and development stores can create a maximum of 5 orders per minute with the orderCreate mutation. Try again in a minute.',
							code: 'INVALID',
						},
					],
				};
			}
		}

		// ---- currencies
		let P = input.presentmentCurrency ?? null;
		if (input.currency && input.currency !== S) {
			if (P && P !== input.currency) err(['order', 'currency'], `Currency ${input.currency} must be the shop currency (${S}) or the presentment currency (${P}).`);
			P = P ?? input.currency;
		}
		P = P ?? S;
		if (P !== S && !money.hasRate(P)) err(['order', 'presentmentCurrency'], `Presentment currency ${P} is not enabled for this shop.`);
		if (P !== S && !money.hasRate(S)) err(['order', 'presentmentCurrency'], `The shop currency ${S} has no sandbox exchange rate, so a second currency cannot be used.`);
		if (errors.length) return { order: null, userErrors: errors };

		/**
		 * @param {any} bag MoneyBagInput
		 * @param {(string|number)[]} path
		 * @returns {Amount|null}
		 */
		const bagAmount = (bag, path) => {
			if (!bag) return null;
			const sm = bag.shopMoney;
			const pm = bag.presentmentMoney;
			/** @type {Amount} */
			const out = { shop: 0, pres: 0 };
			if (pm) {
				if (pm.currencyCode !== P) {
					err([...path, 'presentmentMoney', 'currencyCode'], `Presentment money must be in the order's presentment currency (${P}), not ${pm.currencyCode}.`);
					return null;
				}
				const p = money.toMinor(pm.amount, P);
				if (p === null) { err([...path, 'presentmentMoney', 'amount'], 'Amount is not a valid decimal.'); return null; }
				out.pres = p;
			}
			const s = money.toMinor(sm.amount, sm.currencyCode);
			if (s === null) { err([...path, 'shopMoney', 'amount'], 'Amount is not a valid decimal.'); return null; }
			if (sm.currencyCode === S) {
				out.shop = s;
				if (!pm) out.pres = P === S ? s : money.convert(s, S, P);
			} else if (sm.currencyCode === P) {
				out.shop = money.convert(s, P, S);
				if (!pm) out.pres = s;
			} else {
				err([...path, 'shopMoney', 'currencyCode'], `Currency ${sm.currencyCode} matches neither the shop currency (${S}) nor the order's presentment currency (${P}).`);
				return null;
			}
			if (out.shop < 0 || out.pres < 0) { err([...path, 'shopMoney', 'amount'], 'Amount must be greater than or equal to 0.'); return null; }
			return out;
		};

		// ---- customer
		let customerInput = null;
		if (input.customerId && input.customer) err(['order', 'customer'], 'Customer and customerId are redundant: use only customer.', 'REDUNDANT_CUSTOMER_FIELDS');
		/** @type {any} */
		let associateCustomer = null;
		if (input.customer && input.customer.toAssociate) {
			const a = input.customer.toAssociate;
			associateCustomer = (a.id && state.customers.find((c) => c.id === a.id)) || (a.email && state.customers.find((c) => c.email && c.email.toLowerCase() === String(a.email).toLowerCase())) || null;
			if (!associateCustomer) err(['order', 'customer', 'toAssociate'], 'Customer does not exist.');
		} else if (input.customer && input.customer.toUpsert) customerInput = input.customer.toUpsert;
		else if (input.customerId) {
			associateCustomer = state.customers.find((c) => c.id === input.customerId) || null;
			if (!associateCustomer) err(['order', 'customerId'], 'Customer does not exist.');
		}

		// ---- line items
		const lineInputs = input.lineItems || [];
		if (lineInputs.length === 0) err(['order', 'lineItems'], 'Line items must have at least one line item.');
		if (lineInputs.length > 250) err(['order', 'lineItems'], 'Line items exceeds the maximum of 250 items.');
		const orderTaxInputs = input.taxLines || [];
		const lineHasTaxes = lineInputs.some((/** @type {any} */ l) => l.taxLines && l.taxLines.length);
		if (orderTaxInputs.length && lineHasTaxes) err(['order', 'taxLines'], 'Tax lines can be specified on the order or on the line items, but not both.');

		/** @type {any[]} */
		const lines = [];
		lineInputs.forEach((/** @type {any} */ li, /** @type {number} */ i) => {
			const path = ['order', 'lineItems', i];
			if (!(li.quantity > 0)) err([...path, 'quantity'], 'Quantity must be greater than or equal to 1.');
			let variant = null;
			if (li.variantId) {
				const g = parseGid(li.variantId);
				variant = g && g.type === 'ProductVariant' ? state.variants.get(li.variantId) : null;
				if (!variant) err([...path, 'variantId'], `Product variant ${li.variantId} does not exist.`);
			} else if (li.productId) {
				err([...path, 'variantId'], 'A variant ID is required when a product ID is given.');
			}
			if (!variant && !li.variantId && !(li.title && String(li.title).trim())) err([...path, 'title'], "Title can't be blank for a custom line item.");
			if (li.fulfillmentService && li.fulfillmentService !== 'manual') err([...path, 'fulfillmentService'], `Fulfillment service ${li.fulfillmentService} does not exist.`, 'FULFILLMENT_SERVICE_INVALID');
			let unit = bagAmount(li.priceSet, [...path, 'priceSet']);
			if (!li.priceSet) {
				if (variant) unit = { shop: variant._price, pres: P === S ? variant._price : money.convert(variant._price, S, P) };
				else if (!li.variantId) err([...path, 'priceSet'], "Price can't be blank for a custom line item.");
			}
			const product = variant ? productById(variant._productId) : null;
			/** @type {TaxRec[]} */
			const taxes = [];
			(li.taxLines || []).forEach((/** @type {any} */ t, /** @type {number} */ k) => {
				if (t.rate === null || t.rate === undefined) err([...path, 'taxLines', k, 'rate'], 'Tax line rate is missing.', 'TAX_LINE_RATE_MISSING');
				const amt = t.priceSet ? bagAmount(t.priceSet, [...path, 'taxLines', k, 'priceSet']) : null;
				taxes.push({ title: t.title, rate: String(t.rate), channelLiable: Boolean(t.channelLiable), source: null, amount: amt || ZERO(), _computed: !t.priceSet });
			});
			lines.push({
				__typename: 'LineItem',
				_input: li,
				_variant: variant,
				title: li.title ?? (product ? product.title : ''),
				variantTitle: li.variantTitle ?? (variant && variant.title !== 'Default Title' ? variant.title : null),
				vendor: li.vendor ?? (product ? product.vendor : null),
				sku: li.sku ?? (variant ? variant.sku : null),
				quantity: li.quantity,
				requiresShipping: variant ? variant._requiresShipping : Boolean(li.requiresShipping),
				taxable: variant && li.taxable === undefined ? variant.taxable : li.taxable !== false,
				isGiftCard: Boolean(li.giftCard),
				customAttributes: (li.properties || []).map((/** @type {any} */ p) => ({ key: p.name, value: p.value })),
				_unit: unit || ZERO(),
				_taxes: taxes,
				_weight: li.weight ? { unit: li.weight.unit, value: li.weight.value } : null,
			});
		});

		// ---- discounts
		/** @type {any} */
		let discount = null;
		if (input.discountCode) {
			const d = input.discountCode;
			const given = ['itemFixedDiscountCode', 'itemPercentageDiscountCode', 'freeShippingDiscountCode'].filter((k) => d[k]);
			if (given.length !== 1) err(['order', 'discountCode'], 'Exactly one discount code type can be applied to an order.');
			else if (d.itemPercentageDiscountCode) {
				const pct = d.itemPercentageDiscountCode.percentage ?? 0;
				if (!(pct >= 0 && pct <= 100)) err(['order', 'discountCode', 'itemPercentageDiscountCode', 'percentage'], 'Percentage must be between 0 and 100.');
				discount = { kind: 'percentage', code: d.itemPercentageDiscountCode.code, percentage: pct };
			} else if (d.itemFixedDiscountCode) {
				const amt = d.itemFixedDiscountCode.amountSet ? bagAmount(d.itemFixedDiscountCode.amountSet, ['order', 'discountCode', 'itemFixedDiscountCode', 'amountSet']) : ZERO();
				discount = { kind: 'fixed', code: d.itemFixedDiscountCode.code, amount: amt || ZERO() };
			} else {
				discount = { kind: 'shipping', code: d.freeShippingDiscountCode.code };
			}
		}

		// ---- shipping lines
		/** @type {any[]} */
		const shippingLines = (input.shippingLines || []).map((/** @type {any} */ s, /** @type {number} */ i) => {
			const path = ['order', 'shippingLines', i];
			const price = bagAmount(s.priceSet, [...path, 'priceSet']) || ZERO();
			/** @type {TaxRec[]} */
			const taxes = (s.taxLines || []).map((/** @type {any} */ t, /** @type {number} */ k) => ({
				title: t.title,
				rate: String(t.rate),
				channelLiable: Boolean(t.channelLiable),
				source: null,
				amount: (t.priceSet && bagAmount(t.priceSet, [...path, 'taxLines', k, 'priceSet'])) || ZERO(),
				_computed: !t.priceSet,
			}));
			return { __typename: 'ShippingLine', title: s.title, code: s.code ?? null, source: s.source ?? null, _price: price, _taxes: taxes, _discount: ZERO(), _refunded: ZERO(), _refundedTax: ZERO() };
		});

		// ---- transactions
		/** @type {any[]} */
		const transactions = (input.transactions || []).map((/** @type {any} */ t, /** @type {number} */ i) => {
			const path = ['order', 'transactions', i];
			const kind = t.kind ?? 'SALE';
			if (!['SALE', 'AUTHORIZATION', 'CAPTURE'].includes(kind)) err([...path, 'kind'], `Transaction kind ${kind} is not allowed when creating an order (use SALE, AUTHORIZATION or CAPTURE).`);
			const amount = bagAmount(t.amountSet, [...path, 'amountSet']) || ZERO();
			return {
				__typename: 'OrderTransaction',
				kind,
				status: t.status ?? 'SUCCESS',
				gateway: t.gateway ?? 'manual',
				test: Boolean(t.test),
				authorizationCode: t.authorizationCode ?? null,
				receiptJson: t.receiptJson ?? null,
				processedAt: t.processedAt ?? at,
				createdAt: at,
				errorCode: null,
				_amount: amount,
				_parentId: null,
			};
		});

		// ---- processedAt
		let processedAt = input.processedAt ?? at;
		if (Date.parse(processedAt) > nowMs()) {
			if (ctx.apiVersion < '2026-07') err(['order', 'processedAt'], 'Processed at must not be in the future.', 'PROCESSED_AT_INVALID');
			else processedAt = at;
		}
		if (input.processedAt) processedAt = iso(Date.parse(processedAt));

		// ---- metafields (validated before anything is written)
		/** @type {any[]} */
		const metafields = [];
		(input.metafields || []).forEach((/** @type {any} */ mf, /** @type {number} */ i) => {
			const r = checkMetafield(mf, null);
			if (!r.ok) err(['order', 'metafields', i, r.field], r.message);
			else {
				if (metafields.some((m) => m.namespace === r.namespace && m.key === r.key)) err(['order', 'metafields', i, 'key'], `Metafield ${r.namespace}.${r.key} is given twice.`);
				metafields.push(r);
			}
		});

		// ---- fulfillment input
		/** @type {any} */
		let fulfillLocation = null;
		if (input.fulfillment) {
			fulfillLocation = locationById(input.fulfillment.locationId);
			if (!fulfillLocation) err(['order', 'fulfillment', 'locationId'], `Location ${input.fulfillment.locationId} does not exist.`);
		}

		// ---- tags, name
		const tags = uniqTags(input.tags || []);
		if (tags.some((t) => t.length > 255)) err(['order', 'tags'], 'Tags must be 255 characters or fewer.');
		if (input.name !== undefined && input.name !== null && !String(input.name).trim()) err(['order', 'name'], "Name can't be blank.");

		if (errors.length) return { order: null, userErrors: errors };

		// ---- taxes that need computing (rate × discounted amount)
		applyDiscounts(lines, shippingLines, discount);
		lines.forEach((l) => {
			const base = sub(lineOriginal(l), l._discount);
			for (const t of l._taxes) if (t._computed) t.amount = { shop: money.applyRate(base.shop, t.rate), pres: money.applyRate(base.pres, t.rate) };
		});
		shippingLines.forEach((s) => {
			const base = sub(s._price, s._discount);
			for (const t of s._taxes) if (t._computed) t.amount = { shop: money.applyRate(base.shop, t.rate), pres: money.applyRate(base.pres, t.rate) };
		});
		// order-level tax lines are split across taxable line items
		if (orderTaxInputs.length) {
			const taxable = lines.filter((l) => l.taxable);
			const targets = taxable.length ? taxable : lines;
			orderTaxInputs.forEach((/** @type {any} */ t, /** @type {number} */ k) => {
				const bases = targets.map((l) => sub(lineOriginal(l), l._discount));
				/** @type {Amount} */
				let total;
				if (t.priceSet) total = bagAmount(t.priceSet, ['order', 'taxLines', k, 'priceSet']) || ZERO();
				else total = { shop: money.applyRate(sum(bases).shop, String(t.rate)), pres: money.applyRate(sum(bases).pres, String(t.rate)) };
				const shopParts = money.allocate(total.shop, bases.map((b) => b.shop));
				const presParts = money.allocate(total.pres, bases.map((b) => b.pres));
				targets.forEach((l, idx) => l._taxes.push({ title: t.title, rate: String(t.rate), channelLiable: Boolean(t.channelLiable), source: null, amount: { shop: shopParts[idx], pres: presParts[idx] }, _computed: false }));
			});
		}

		// ---- inventory
		const behaviour = options.inventoryBehaviour ?? 'BYPASS';
		if (behaviour !== 'BYPASS') {
			/** @type {Map<any, number>} */
			const need = new Map();
			lines.forEach((l) => l._variant && l._variant._tracked && need.set(l._variant, (need.get(l._variant) ?? 0) + l.quantity));
			if (behaviour === 'DECREMENT_OBEYING_POLICY') {
				lines.forEach((l, i) => {
					const v = l._variant;
					if (!v || !v._tracked || v.inventoryPolicy === 'CONTINUE') return;
					const wanted = need.get(v) ?? 0;
					if (wanted > v._inventory) err(['order', 'lineItems', i], `Unable to claim inventory for ${v.sku || l.title}: ${wanted} requested, ${Math.max(0, v._inventory)} available.`, 'INVENTORY_CLAIM_FAILED');
				});
				if (errors.length) return { order: null, userErrors: dedupe(errors) };
			}
			for (const [v, q] of need) {
				v._inventory -= q;
				v.updatedAt = at;
			}
		}

		// ---- build the order
		const idinfo = ids.next('Order');
		const number = state.nextOrderNumber++;
		let customer = associateCustomer;
		if (customerInput) customer = upsertCustomer(customerInput, at);
		const order = {
			__typename: 'Order',
			...idinfo,
			number,
			name: input.name ? String(input.name) : `${state.shop.orderNumberFormatPrefix}${number}${state.shop.orderNumberFormatSuffix}`,
			email: input.email ?? (customer ? customer.email : null),
			phone: input.phone ?? null,
			note: input.note ?? null,
			tags,
			customAttributes: (input.customAttributes || []).map((/** @type {any} */ a) => ({ key: a.key, value: a.value })),
			sourceName: input.sourceName ?? String(opts.appId),
			sourceIdentifier: input.sourceIdentifier ?? null,
			sourceUrl: input.sourceUrl ?? null,
			poNumber: input.poNumber ?? null,
			referringSite: input.referringSite ?? null,
			createdAt: at,
			updatedAt: at,
			processedAt,
			closedAt: input.closedAt ?? null,
			cancelledAt: null,
			cancelReason: null,
			cancellation: null,
			test: Boolean(input.test),
			taxesIncluded: Boolean(input.taxesIncluded),
			currencyCode: S,
			presentmentCurrencyCode: P,
			confirmed: true,
			buyerAcceptsMarketing: Boolean(input.buyerAcceptsMarketing),
			billingAddress: input.billingAddress ? mailingAddress(input.billingAddress) : null,
			shippingAddress: input.shippingAddress ? mailingAddress(input.shippingAddress) : null,
			_customerId: customer ? customer.id : null,
			_lines: /** @type {any[]} */ ([]),
			_shippingLines: /** @type {any[]} */ ([]),
			_transactions: /** @type {any[]} */ ([]),
			_fulfillments: /** @type {any[]} */ ([]),
			_fulfillmentOrders: /** @type {any[]} */ ([]),
			_refunds: /** @type {any[]} */ ([]),
			_metafields: /** @type {any[]} */ ([]),
			_discount: discount,
			_financialOverride: input.financialStatus ?? null,
			_fulfillmentOverride: input.fulfillmentStatus === 'PARTIAL' ? 'PARTIALLY_FULFILLED' : input.fulfillmentStatus === 'RESTOCKED' ? 'RESTOCKED' : null,
			_totalWeight: 0,
		};
		if (customerInput && customer && customer._addresses.length === 0 && (order.shippingAddress || order.billingAddress)) {
			// Shopify gives a customer created from an order that order's address as default address
			const a = /** @type {any} */ (order.shippingAddress || order.billingAddress);
			customer._addresses.push({ ...a, ...ids.next('MailingAddress'), countryCode: a.countryCodeV2 });
		}
		for (const l of lines) {
			Object.assign(l, ids.next('LineItem'));
			l._orderId = order.id;
			l._fulfilled = 0;
			l._refunded = 0;
			l._removedUnfulfilled = 0;
			l._returned = 0;
			l.name = l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title;
			delete l._input;
			order._lines.push(l);
		}
		for (const s of shippingLines) {
			Object.assign(s, ids.next('ShippingLine'));
			s._orderId = order.id;
			order._shippingLines.push(s);
		}
		for (const t of transactions) {
			Object.assign(t, ids.next('OrderTransaction'));
			t._orderId = order.id;
			order._transactions.push(t);
		}
		for (const mf of metafields) writeMetafield(order, mf);
		if (discount) discount.index = 0;

		// fulfillment order (one, at the primary location, or where the order was fulfilled)
		const fo = newFulfillmentOrder(order, fulfillLocation || primaryLocation());
		order._fulfillmentOrders.push(fo);

		state.orders.push(order);
		state.ordersById.set(order.id, order);
		if (opts.devStore) state.orderCreateTimes.push(clock.t());

		const eventId = newEventId();
		if (options.sendReceipt) notifyCustomer('order_confirmation', 'orderCreate.options.sendReceipt', order);
		emit(order, 'orders/create', eventId);

		if (input.fulfillment || input.fulfillmentStatus === 'FULFILLED') {
			const f = input.fulfillment || {};
			const numbers = f.trackingNumbers && f.trackingNumbers.length ? f.trackingNumbers : f.trackingNumber ? [f.trackingNumber] : [];
			const company = f.trackingCompany ?? null;
			const tracking = numbers.length ? numbers.map((/** @type {string} */ n) => ({ company, number: n, url: company && TRACKING_URLS[company] ? TRACKING_URLS[company](n) : null })) : company ? [{ company, number: null, url: null }] : [];
			const fulfillment = fulfillLines(order, fo, fo._lines.map((/** @type {any} */ x) => ({ foLine: x, quantity: x._remaining() })), {
				tracking,
				notify: Boolean(f.notifyCustomer),
				shipmentStatus: f.shipmentStatus ?? null,
				originAddress: f.originAddress ?? null,
				via: 'orderCreate',
			});
			if (f.notifyCustomer) notifyCustomer('shipping_confirmation', 'orderCreate.order.fulfillment.notifyCustomer', order, { fulfillmentId: fulfillment.id });
			if (options.sendFulfillmentReceipt) notifyCustomer('shipping_confirmation', 'orderCreate.options.sendFulfillmentReceipt', order, { fulfillmentId: fulfillment.id });
			emit(order, 'fulfillments/create', eventId, { fulfillmentId: fulfillment.id });
			emit(order, fulfillmentStatus(order) === 'FULFILLED' ? 'orders/fulfilled' : 'orders/partially_fulfilled', eventId);
		} else if (options.sendFulfillmentReceipt) {
			notifyCustomer('shipping_confirmation', 'orderCreate.options.sendFulfillmentReceipt', order);
		}
		return { order, userErrors: [] };
	}

	/** @param {UserError[]} errors */
	function dedupe(errors) {
		const seen = new Set();
		return errors.filter((e) => {
			const k = JSON.stringify(e);
			if (seen.has(k)) return false;
			seen.add(k);
			return true;
		});
	}

	/** @param {string[]} tags */
	function uniqTags(tags) {
		/** @type {string[]} */
		const out = [];
		const seen = new Set();
		for (const raw of tags) {
			for (const piece of String(raw).split(',')) {
				const t = piece.trim();
				if (!t || seen.has(t.toLowerCase())) continue;
				seen.add(t.toLowerCase());
				out.push(t);
			}
		}
		return out;
	}

	/** @param {any} a MailingAddressInput */
	function mailingAddress(a) {
		const countryCode = a.countryCode ?? null;
		let country = a.country ?? null;
		if (!country && countryCode) {
			try {
				country = new Intl.DisplayNames(['en'], { type: 'region' }).of(countryCode) ?? countryCode;
			} catch {
				country = countryCode;
			}
		}
		const provinceCode = a.provinceCode ?? null;
		const province = a.province ?? (provinceCode ? provinceName(countryCode, provinceCode) : null);
		const name = [a.firstName, a.lastName].filter(Boolean).join(' ') || null;
		return {
			__typename: 'MailingAddress',
			...ids.next('MailingAddress'),
			firstName: a.firstName ?? null,
			lastName: a.lastName ?? null,
			name,
			company: a.company ?? null,
			address1: a.address1 ?? null,
			address2: a.address2 ?? null,
			city: a.city ?? null,
			province,
			provinceCode,
			country,
			countryCodeV2: countryCode,
			zip: a.zip ?? null,
			phone: a.phone ?? null,
			latitude: null,
			longitude: null,
			coordinatesValidated: false,
			timeZone: null,
		};
	}

	// ------------------------------------------------------------------ amounts

	/** @param {any} l */
	function lineOriginal(l) {
		return { shop: l._unit.shop * l.quantity, pres: l._unit.pres * l.quantity };
	}

	/**
	 * @param {any[]} lines @param {any[]} shippingLines @param {any} discount
	 */
	function applyDiscounts(lines, shippingLines, discount) {
		for (const l of lines) l._discount = ZERO();
		if (!discount) return;
		if (discount.kind === 'percentage') {
			for (const l of lines) {
				const o = lineOriginal(l);
				l._discount = { shop: money.applyPercentage(o.shop, discount.percentage), pres: money.applyPercentage(o.pres, discount.percentage) };
			}
		} else if (discount.kind === 'fixed') {
			const originals = lines.map(lineOriginal);
			const total = sum(originals);
			const amt = { shop: Math.min(discount.amount.shop, total.shop), pres: Math.min(discount.amount.pres, total.pres) };
			const sp = money.allocate(amt.shop, originals.map((o) => o.shop));
			const pp = money.allocate(amt.pres, originals.map((o) => o.pres));
			lines.forEach((l, i) => (l._discount = { shop: sp[i], pres: pp[i] }));
			discount.amount = amt;
		} else if (discount.kind === 'shipping') {
			for (const s of shippingLines) s._discount = { ...s._price };
		}
	}

	/** @param {any} order */
	function totals(order) {
		const lines = order._lines;
		const lineOriginals = sum(lines.map(lineOriginal));
		const lineDiscounts = sum(lines.map((/** @type {any} */ l) => l._discount));
		const lineTax = sum(lines.flatMap((/** @type {any} */ l) => l._taxes.map((/** @type {TaxRec} */ t) => t.amount)));
		const shippingOriginal = sum(order._shippingLines.map((/** @type {any} */ s) => s._price));
		const shippingDiscount = sum(order._shippingLines.map((/** @type {any} */ s) => s._discount));
		const shippingTax = sum(order._shippingLines.flatMap((/** @type {any} */ s) => s._taxes.map((/** @type {TaxRec} */ t) => t.amount)));
		const subtotal = sub(lineOriginals, lineDiscounts);
		const shipping = sub(shippingOriginal, shippingDiscount);
		const tax = add(lineTax, shippingTax);
		const total = order.taxesIncluded ? add(subtotal, shipping) : add(add(subtotal, shipping), tax);

		// current = after refunds/removals
		let curSubtotal = ZERO();
		let curTax = ZERO();
		let curDiscount = ZERO();
		for (const l of lines) {
			const cur = l.quantity - l._refunded;
			const lineNet = sub(lineOriginal(l), l._discount);
			curSubtotal = add(curSubtotal, prorate(lineNet, cur, l.quantity));
			curDiscount = add(curDiscount, prorate(l._discount, cur, l.quantity));
			for (const t of l._taxes) curTax = add(curTax, prorate(t.amount, cur, l.quantity));
		}
		let curShipping = ZERO();
		for (const s of order._shippingLines) {
			curShipping = add(curShipping, sub(sub(s._price, s._discount), s._refunded));
			curTax = add(curTax, sub(sum(s._taxes.map((/** @type {TaxRec} */ t) => t.amount)), s._refundedTax));
		}
		curDiscount = add(curDiscount, shippingDiscount);
		const curTotal = order.taxesIncluded ? add(curSubtotal, curShipping) : add(add(curSubtotal, curShipping), curTax);

		const ok = (/** @type {any} */ t) => t.status === 'SUCCESS';
		const received = sum(order._transactions.filter((/** @type {any} */ t) => ok(t) && (t.kind === 'SALE' || t.kind === 'CAPTURE')).map((/** @type {any} */ t) => t._amount));
		const refunded = sum(order._transactions.filter((/** @type {any} */ t) => ok(t) && t.kind === 'REFUND').map((/** @type {any} */ t) => t._amount));
		const authorized = sum(order._transactions.filter((/** @type {any} */ t) => ok(t) && t.kind === 'AUTHORIZATION' && !order._transactions.some((/** @type {any} */ c) => c.kind === 'CAPTURE' && c._parentId === t.id)).map((/** @type {any} */ t) => t._amount));
		const net = sub(received, refunded);
		const outstanding = sub(curTotal, net);
		const refundedShipping = sum(order._shippingLines.map((/** @type {any} */ s) => s._refunded));
		return {
			lineItemsOriginal: lineOriginals,
			subtotal,
			shipping,
			shippingOriginal,
			tax,
			discounts: add(lineDiscounts, shippingDiscount),
			total,
			currentSubtotal: curSubtotal,
			currentShipping: curShipping,
			currentTax: curTax,
			currentDiscounts: curDiscount,
			currentTotal: curTotal,
			received,
			refunded,
			refundedShipping,
			authorized,
			net,
			outstanding: { shop: Math.max(0, outstanding.shop), pres: Math.max(0, outstanding.pres) },
			capturable: order.cancelledAt ? ZERO() : authorized,
		};
	}

	/**
	 * Share of `amount` for `part` out of `whole`, rounded half away from zero.
	 * @param {Amount} amount @param {number} part @param {number} whole
	 */
	function prorate(amount, part, whole) {
		if (whole === 0) return ZERO();
		const r = (/** @type {number} */ v) => Math.sign(v * part) * Math.round(Math.abs(v * part) / whole);
		return { shop: r(amount.shop), pres: r(amount.pres) };
	}

	/**
	 * Amount for units [from, to) of a line total split over `whole` units, so pieces always add up
	 * to the total.
	 * @param {Amount} amount @param {number} from @param {number} to @param {number} whole
	 */
	function slice(amount, from, to, whole) {
		return sub(prorate(amount, to, whole), prorate(amount, from, whole));
	}

	/** @param {any} order */
	function financialStatus(order) {
		if (order._financialOverride) return order._financialOverride;
		const t = totals(order);
		if (t.refunded.shop > 0 || t.refunded.pres > 0) return t.refunded.pres >= t.received.pres ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
		if (t.received.pres === 0) {
			if (order.cancelledAt) return 'VOIDED';
			if (t.authorized.pres > 0) return 'AUTHORIZED';
			return 'PENDING';
		}
		return t.received.pres >= t.total.pres ? 'PAID' : 'PARTIALLY_PAID';
	}

	/** @param {any} order */
	function fulfillmentStatus(order) {
		if (order._fulfillmentOverride && !order._fulfillments.length) return order._fulfillmentOverride;
		const fulfilled = order._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + l._fulfilled, 0);
		const unfulfilled = order._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + unfulfilledQty(l), 0);
		if (fulfilled === 0) {
			const current = order._lines.reduce((/** @type {number} */ a, /** @type {any} */ l) => a + (l.quantity - l._refunded), 0);
			if (current === 0 && order._lines.some((/** @type {any} */ l) => l._restockedUnfulfilled)) return 'RESTOCKED';
			return 'UNFULFILLED';
		}
		return unfulfilled === 0 ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
	}

	/** @param {any} l */
	function unfulfilledQty(l) {
		return Math.max(0, l.quantity - l._fulfilled - l._removedUnfulfilled);
	}

	// ------------------------------------------------------------------ fulfillment orders & fulfillments

	/** @param {any} order @param {any} location */
	function newFulfillmentOrder(order, location) {
		const at = nowIso();
		const fo = {
			__typename: 'FulfillmentOrder',
			...ids.next('FulfillmentOrder'),
			_orderId: order.id,
			_locationId: location.id,
			requestStatus: 'UNSUBMITTED',
			createdAt: at,
			updatedAt: at,
			fulfillAt: null,
			fulfillBy: null,
			fulfillmentHolds: [],
			_lines: /** @type {any[]} */ ([]),
		};
		for (const l of order._lines) {
			fo._lines.push({
				__typename: 'FulfillmentOrderLineItem',
				...ids.next('FulfillmentOrderLineItem'),
				_lineItemId: l.id,
				_remaining: () => unfulfilledQty(l),
				_line: l,
			});
		}
		return fo;
	}

	/** @param {any} fo */
	function fulfillmentOrderStatus(fo) {
		const order = state.ordersById.get(fo._orderId);
		const remaining = fo._lines.reduce((/** @type {number} */ a, /** @type {any} */ x) => a + x._remaining(), 0);
		const fulfilled = fo._lines.reduce((/** @type {number} */ a, /** @type {any} */ x) => a + x._line._fulfilled, 0);
		if (order && order.cancelledAt && remaining === 0 && fulfilled === 0) return 'CANCELLED';
		if (order && order.cancelledAt) return 'CLOSED';
		if (remaining === 0) return 'CLOSED';
		return fulfilled > 0 ? 'IN_PROGRESS' : 'OPEN';
	}

	/**
	 * @param {any} order @param {any} fo
	 * @param {{ foLine: any, quantity: number }[]} picks
	 * @param {{ tracking: any[], notify: boolean, shipmentStatus?: string|null, originAddress?: any, via: string, message?: string|null }} o
	 */
	function fulfillLines(order, fo, picks, o) {
		const at = nowIso();
		const location = locationById(fo._locationId) || primaryLocation();
		const seq = order._fulfillments.length + 1;
		const f = {
			__typename: 'Fulfillment',
			...ids.next('Fulfillment'),
			name: `${order.name}.${seq}`,
			status: 'SUCCESS',
			createdAt: at,
			updatedAt: at,
			deliveredAt: null,
			inTransitAt: null,
			estimatedDeliveryAt: null,
			requiresShipping: true,
			_orderId: order.id,
			_locationId: location.id,
			_foIds: [fo.id],
			_tracking: o.tracking,
			_shipmentStatus: o.shipmentStatus ?? null,
			_originAddress: o.originAddress ?? null,
			_notify: o.notify,
			_message: o.message ?? null,
			_lines: /** @type {any[]} */ ([]),
		};
		for (const { foLine, quantity } of picks) {
			if (quantity <= 0) continue;
			const line = foLine._line;
			line._fulfilled += quantity;
			f._lines.push({ __typename: 'FulfillmentLineItem', ...ids.next('FulfillmentLineItem'), quantity, _lineItemId: line.id, _line: line });
		}
		f.requiresShipping = f._lines.some((/** @type {any} */ x) => x._line.requiresShipping);
		order._fulfillments.push(f);
		fo.updatedAt = at;
		touch(order);
		return f;
	}

	/**
	 * fulfillmentCreate
	 * @param {any} input FulfillmentInput
	 * @param {string|null} message
	 * @param {{ via?: string }} [ctx]
	 * @returns {{ fulfillment: any|null, userErrors: UserError[] }}
	 */
	function createFulfillment(input, message, ctx = {}) {
		/** @type {UserError[]} */
		const errors = [];
		/** @param {(string|number)[]} field @param {string} msg */
		const err = (field, msg) => errors.push({ field: field.map(String), message: msg });
		const groups = input.lineItemsByFulfillmentOrder || [];
		if (groups.length === 0) err(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must contain at least one fulfillment order.');
		/** @type {any} */
		let order = null;
		/** @type {any} */
		let location = null;
		/** @type {{ fo: any, picks: { foLine: any, quantity: number }[] }[]} */
		const plan = [];
		groups.forEach((/** @type {any} */ g, /** @type {number} */ i) => {
			const path = ['fulfillment', 'lineItemsByFulfillmentOrder', i];
			const fo = findFulfillmentOrder(g.fulfillmentOrderId);
			if (!fo) return void err([...path, 'fulfillmentOrderId'], `Fulfillment order ${g.fulfillmentOrderId} does not exist.`);
			const o = state.ordersById.get(fo._orderId);
			if (order && o !== order) return void err([...path, 'fulfillmentOrderId'], 'All fulfillment orders must belong to the same order.');
			if (location && fo._locationId !== location) return void err([...path, 'fulfillmentOrderId'], 'All fulfillment orders must be assigned to the same location.');
			order = o;
			location = fo._locationId;
			if (o.cancelledAt) return void err([...path, 'fulfillmentOrderId'], 'Cannot fulfill a cancelled order.');
			const status = fulfillmentOrderStatus(fo);
			if (status === 'CLOSED' || status === 'CANCELLED') return void err([...path, 'fulfillmentOrderId'], `Fulfillment order ${fo.id} has an unfulfillable status= ${status.toLowerCase()}.`);
			/** @type {{ foLine: any, quantity: number }[]} */
			const picks = [];
			if (!g.fulfillmentOrderLineItems || g.fulfillmentOrderLineItems.length === 0) {
				for (const x of fo._lines) picks.push({ foLine: x, quantity: x._remaining() });
			} else {
				g.fulfillmentOrderLineItems.forEach((/** @type {any} */ li, /** @type {number} */ k) => {
					const foLine = fo._lines.find((/** @type {any} */ x) => x.id === li.id);
					if (!foLine) return void err([...path, 'fulfillmentOrderLineItems', k, 'id'], `Fulfillment order line item ${li.id} does not belong to fulfillment order ${fo.id}.`);
					if (!(li.quantity > 0)) return void err([...path, 'fulfillmentOrderLineItems', k, 'quantity'], 'Quantity must be greater than 0.');
					const already = picks.filter((p) => p.foLine === foLine).reduce((a, p) => a + p.quantity, 0);
					if (li.quantity + already > foLine._remaining()) return void err([...path, 'fulfillmentOrderLineItems', k, 'quantity'], `Invalid fulfillment order line item quantity requested: ${li.quantity} requested, ${foLine._remaining() - already} remaining.`);
					picks.push({ foLine, quantity: li.quantity });
				});
			}
			plan.push({ fo, picks });
		});
		const ti = input.trackingInfo || null;
		/** @type {any[]} */
		let tracking = [];
		if (ti) {
			const numbers = ti.numbers && ti.numbers.length ? ti.numbers : ti.number ? [ti.number] : [];
			const urls = ti.urls && ti.urls.length ? ti.urls : ti.url ? [ti.url] : [];
			if (ti.number && ti.numbers && ti.numbers.length) err(['fulfillment', 'trackingInfo'], 'Specify either number or numbers, not both.');
			tracking = numbers.length
				? numbers.map((/** @type {string} */ n, /** @type {number} */ k) => ({ company: ti.company ?? null, number: n, url: urls[k] ?? (ti.company && TRACKING_URLS[ti.company] ? TRACKING_URLS[ti.company](n) : null) }))
				: ti.company || urls.length
					? [{ company: ti.company ?? null, number: null, url: urls[0] ?? null }]
					: [];
		}
		if (!errors.length && plan.every((p) => p.picks.every((x) => x.quantity === 0))) err(['fulfillment', 'lineItemsByFulfillmentOrder'], 'There is nothing left to fulfill in these fulfillment orders.');
		if (errors.length) return { fulfillment: null, userErrors: errors };
		const before = fulfillmentStatus(order);
		/** @type {any} */
		let f = null;
		for (const p of plan) {
			if (!f) f = fulfillLines(order, p.fo, p.picks, { tracking, notify: Boolean(input.notifyCustomer), originAddress: input.originAddress ?? null, via: ctx.via ?? 'fulfillmentCreate', message });
			else {
				for (const { foLine, quantity } of p.picks) {
					if (quantity <= 0) continue;
					foLine._line._fulfilled += quantity;
					f._lines.push({ __typename: 'FulfillmentLineItem', ...ids.next('FulfillmentLineItem'), quantity, _lineItemId: foLine._line.id, _line: foLine._line });
				}
				f._foIds.push(p.fo.id);
			}
		}
		const eventId = newEventId();
		if (input.notifyCustomer) notifyCustomer('shipping_confirmation', `${ctx.via ?? 'fulfillmentCreate'}.notifyCustomer`, order, { fulfillmentId: f.id });
		emit(order, 'fulfillments/create', eventId, { fulfillmentId: f.id });
		const after = fulfillmentStatus(order);
		if (after !== before) emit(order, after === 'FULFILLED' ? 'orders/fulfilled' : 'orders/partially_fulfilled', eventId);
		emit(order, 'orders/updated', eventId);
		return { fulfillment: f, userErrors: [] };
	}

	/** @param {string} id */
	function findFulfillmentOrder(id) {
		for (const o of state.orders) for (const fo of o._fulfillmentOrders) if (fo.id === id) return fo;
		return null;
	}

	/** @param {string} id */
	function findFulfillment(id) {
		for (const o of state.orders) for (const f of o._fulfillments) if (f.id === id) return f;
		return null;
	}

	/**
	 * fulfillmentTrackingInfoUpdate
	 * @param {string} fulfillmentId @param {any} ti FulfillmentTrackingInput @param {boolean} notify @param {string} [via]
	 */
	function updateTracking(fulfillmentId, ti, notify, via = 'fulfillmentTrackingInfoUpdate') {
		const f = findFulfillment(fulfillmentId);
		if (!f) return { fulfillment: null, userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment does not exist.' }] };
		if (f.status === 'CANCELLED') return { fulfillment: null, userErrors: [{ field: ['fulfillmentId'], message: 'Cannot update tracking of a cancelled fulfillment.' }] };
		if (ti.number && ti.numbers && ti.numbers.length) return { fulfillment: null, userErrors: [{ field: ['trackingInfoInput'], message: 'Specify either number or numbers, not both.' }] };
		const numbers = ti.numbers && ti.numbers.length ? ti.numbers : ti.number ? [ti.number] : [];
		const urls = ti.urls && ti.urls.length ? ti.urls : ti.url ? [ti.url] : [];
		const company = ti.company ?? (f._tracking[0] ? f._tracking[0].company : null);
		f._tracking = numbers.length
			? numbers.map((/** @type {string} */ n, /** @type {number} */ k) => ({ company, number: n, url: urls[k] ?? (company && TRACKING_URLS[company] ? TRACKING_URLS[company](n) : null) }))
			: [{ company, number: null, url: urls[0] ?? null }];
		f.updatedAt = nowIso();
		const order = state.ordersById.get(f._orderId);
		touch(order);
		const eventId = newEventId();
		if (notify) notifyCustomer('shipping_update', `${via}.notifyCustomer`, order, { fulfillmentId: f.id });
		emit(order, 'fulfillments/update', eventId, { fulfillmentId: f.id });
		emit(order, 'orders/updated', eventId);
		return { fulfillment: f, userErrors: [] };
	}

	// ------------------------------------------------------------------ refunds

	/**
	 * Work out a refund's line items and shipping (shared by suggestedRefund and refundCreate).
	 * @param {any} order
	 * @param {{ refundLineItems?: any[]|null, shippingFull?: boolean, shippingAmount?: string|null, suggestFull?: boolean }} input
	 * @returns {{ errors: UserError[], lines: any[], shipping: { amount: Amount, tax: Amount, max: Amount, maxTax: Amount }, subtotal: Amount, tax: Amount }}
	 */
	function planRefund(order, input) {
		/** @type {UserError[]} */
		const errors = [];
		const P = order.presentmentCurrencyCode;
		/** @type {any[]} */
		const lines = [];
		/** @type {any[]} */
		let requested = input.refundLineItems || [];
		if (input.suggestFull) requested = order._lines.filter((/** @type {any} */ l) => l.quantity - l._refunded > 0).map((/** @type {any} */ l) => ({ lineItemId: l.id, quantity: l.quantity - l._refunded, restockType: 'NO_RESTOCK' }));
		/** @type {Map<any, number>} */
		const perLine = new Map();
		requested.forEach((r, i) => {
			const path = ['refundLineItems', String(i)];
			const l = order._lines.find((/** @type {any} */ x) => x.id === r.lineItemId);
			if (!l) return void errors.push({ field: [...path, 'lineItemId'], message: `Line item ${r.lineItemId} does not belong to this order.` });
			if (!(r.quantity > 0)) return void errors.push({ field: [...path, 'quantity'], message: 'Quantity must be greater than 0.' });
			const prior = perLine.get(l) ?? 0;
			const refundable = l.quantity - l._refunded - prior;
			if (r.quantity > refundable) return void errors.push({ field: [...path, 'quantity'], message: `Quantity cannot refund more items than were purchased: ${r.quantity} requested, ${refundable} refundable.` });
			const restockType = r.restockType ?? 'NO_RESTOCK';
			if (restockType === 'LEGACY_RESTOCK') return void errors.push({ field: [...path, 'restockType'], message: 'Restock type LEGACY_RESTOCK is not accepted; use NO_RESTOCK, CANCEL or RETURN.' });
			const unfulfilled = unfulfilledQty(l);
			const returnable = l._fulfilled - l._returned;
			if (restockType === 'RETURN' && r.quantity > returnable) return void errors.push({ field: [...path, 'restockType'], message: `Restock type RETURN needs fulfilled items: ${r.quantity} requested, ${returnable} fulfilled and not yet returned.` });
			if (restockType === 'CANCEL' && r.quantity > unfulfilled) return void errors.push({ field: [...path, 'restockType'], message: `Restock type CANCEL needs unfulfilled items: ${r.quantity} requested, ${unfulfilled} unfulfilled.` });
			if (r.locationId && !locationById(r.locationId)) return void errors.push({ field: [...path, 'locationId'], message: `Location ${r.locationId} does not exist.` });
			perLine.set(l, prior + r.quantity);
			const from = l._refunded + prior;
			const to = from + r.quantity;
			const net = sub(lineOriginal(l), l._discount);
			const subtotal = slice(net, from, to, l.quantity);
			const tax = sum(l._taxes.map((/** @type {TaxRec} */ t) => slice(t.amount, from, to, l.quantity)));
			const unitPrice = prorate(net, 1, l.quantity);
			lines.push({ line: l, quantity: r.quantity, restockType, locationId: r.locationId ?? (restockType === 'NO_RESTOCK' ? null : primaryLocation().id), subtotal, tax, price: unitPrice });
		});
		// shipping
		const shipRemaining = sum(order._shippingLines.map((/** @type {any} */ s) => sub(sub(s._price, s._discount), s._refunded)));
		const shipTaxRemaining = sum(order._shippingLines.map((/** @type {any} */ s) => sub(sum(s._taxes.map((/** @type {TaxRec} */ t) => t.amount)), s._refundedTax)));
		let shipAmount = ZERO();
		let shipTax = ZERO();
		if (input.shippingFull || input.suggestFull) {
			shipAmount = shipRemaining;
			shipTax = shipTaxRemaining;
		} else if (input.shippingAmount !== null && input.shippingAmount !== undefined) {
			const pres = money.toMinor(input.shippingAmount, P);
			if (pres === null || pres < 0) errors.push({ field: ['shipping', 'amount'], message: 'Shipping amount is not a valid amount.' });
			else if (pres > shipRemaining.pres) errors.push({ field: ['shipping', 'amount'], message: `Shipping refund amount ${fmt(pres, P)} is greater than the refundable shipping ${fmt(shipRemaining.pres, P)}.` });
			else {
				shipAmount = pres === shipRemaining.pres ? shipRemaining : { pres, shop: money.convert(pres, P, order.currencyCode) };
				shipTax = pres === shipRemaining.pres ? shipTaxRemaining : prorate(shipTaxRemaining, pres, Math.max(1, shipRemaining.pres));
			}
		}
		return {
			errors,
			lines,
			shipping: { amount: shipAmount, tax: shipTax, max: shipRemaining, maxTax: shipTaxRemaining },
			subtotal: sum(lines.map((x) => x.subtotal)),
			tax: add(sum(lines.map((x) => x.tax)), shipTax),
		};
	}

	/**
	 * Refundable money per parent transaction (presentment + shop), most recent first.
	 * @param {any} order
	 */
	function refundableParents(order) {
		return order._transactions
			.filter((/** @type {any} */ t) => t.status === 'SUCCESS' && (t.kind === 'SALE' || t.kind === 'CAPTURE'))
			.map((/** @type {any} */ t) => {
				const refunded = sum(order._transactions.filter((/** @type {any} */ r) => r.kind === 'REFUND' && r.status === 'SUCCESS' && r._parentId === t.id).map((/** @type {any} */ r) => r._amount));
				return { tx: t, remaining: sub(t._amount, refunded) };
			});
	}

	/**
	 * suggestedRefund (Order field)
	 * @param {any} order @param {any} args
	 */
	function suggestRefund(order, args) {
		const plan = planRefund(order, {
			refundLineItems: args.refundLineItems,
			shippingFull: Boolean(args.refundShipping),
			shippingAmount: args.shippingAmount ?? null,
			suggestFull: Boolean(args.suggestFullRefund),
		});
		if (plan.errors.length) {
			const e = plan.errors[0];
			throw Object.assign(new Error(e.message), { extensions: { code: 'INVALID', field: e.field } });
		}
		const goods = order.taxesIncluded ? add(plan.subtotal, plan.shipping.amount) : add(add(plan.subtotal, plan.shipping.amount), plan.tax);
		const parents = refundableParents(order).filter((/** @type {any} */ p) => p.remaining.pres > 0);
		const maxRefundable = sum(parents.map((/** @type {any} */ p) => p.remaining));
		const amount = { shop: Math.min(goods.shop, maxRefundable.shop), pres: Math.min(goods.pres, maxRefundable.pres) };
		/** @type {any[]} */
		const suggested = [];
		let left = amount.pres;
		for (const p of parents) {
			if (left <= 0) break;
			const take = Math.min(left, p.remaining.pres);
			const amt = take === p.remaining.pres ? p.remaining : { pres: take, shop: money.convert(take, order.presentmentCurrencyCode, order.currencyCode) };
			suggested.push({ __typename: 'SuggestedOrderTransaction', kind: 'SUGGESTED_REFUND', gateway: p.tx.gateway, formattedGateway: p.tx.gateway, accountNumber: null, _amount: amt, _max: p.remaining, _parent: p.tx });
			left -= take;
		}
		return {
			__typename: 'SuggestedRefund',
			_order: order,
			_amount: amount,
			_subtotal: plan.subtotal,
			_tax: plan.tax,
			_max: maxRefundable,
			_discountedSubtotal: plan.subtotal,
			_shipping: plan.shipping,
			_lines: plan.lines,
			_transactions: suggested,
		};
	}

	/**
	 * refundCreate
	 * @param {any} input RefundInput
	 * @param {{ via?: string, quiet?: boolean }} [ctx]  quiet: no webhooks (the caller announces)
	 * @returns {{ refund: any|null, order: any|null, userErrors: UserError[] }}
	 */
	function createRefund(input, ctx = {}) {
		const order = state.ordersById.get(input.orderId);
		if (!order) return { refund: null, order: null, userErrors: [{ field: ['orderId'], message: 'Order does not exist.' }] };
		const P = order.presentmentCurrencyCode;
		/** @type {UserError[]} */
		const errors = [];
		if (P !== order.currencyCode && !input.currency) errors.push({ field: ['currency'], message: `Currency is required because the order's presentment currency (${P}) differs from the shop currency (${order.currencyCode}).` });
		if (input.currency && input.currency !== P) errors.push({ field: ['currency'], message: `Currency must be the order's presentment currency (${P}).` });
		if (input.note && String(input.note).length > 255) errors.push({ field: ['note'], message: 'Note is too long (maximum is 255 characters).' });
		if (input.refundDuties && input.refundDuties.length) errors.push({ field: ['refundDuties'], message: 'This order has no duties to refund.' });
		const shipping = input.shipping || null;
		const plan = planRefund(order, {
			refundLineItems: input.refundLineItems,
			shippingFull: Boolean(shipping && shipping.fullRefund),
			shippingAmount: shipping && !shipping.fullRefund ? shipping.amount ?? null : null,
		});
		errors.push(...plan.errors);
		// transactions
		const parents = refundableParents(order);
		/** @type {any[]} */
		const txPlan = [];
		(input.transactions || []).forEach((/** @type {any} */ t, /** @type {number} */ i) => {
			const path = ['transactions', String(i)];
			if (t.orderId !== order.id) return void errors.push({ field: [...path, 'orderId'], message: 'Transaction order ID must match the refund order ID.' });
			if (t.kind !== 'REFUND') return void errors.push({ field: [...path, 'kind'], message: `Transaction kind must be REFUND, got ${t.kind}.` });
			const pres = money.toMinor(t.amount, P);
			if (pres === null || pres <= 0) return void errors.push({ field: [...path, 'amount'], message: 'Amount must be greater than 0.' });
			let parent = null;
			if (t.parentId) {
				parent = parents.find((/** @type {any} */ p) => p.tx.id === t.parentId);
				if (!parent) return void errors.push({ field: [...path, 'parentId'], message: `Parent transaction ${t.parentId} is not a successful sale or capture of this order.` });
			} else {
				parent = parents.find((/** @type {any} */ p) => p.tx.gateway === t.gateway && p.remaining.pres > 0) || null;
				if (!parent) return void errors.push({ field: [...path, 'parentId'], message: `There is no successful ${t.gateway} payment on this order to refund.` });
			}
			if (parent.tx.gateway !== t.gateway) return void errors.push({ field: [...path, 'gateway'], message: `Gateway ${t.gateway} does not match the parent transaction's gateway ${parent.tx.gateway}.` });
			const planned = txPlan.filter((x) => x.parent === parent).reduce((a, x) => a + x.pres, 0);
			const left = parent.remaining.pres - planned;
			if (pres > left && !input.allowOverRefunding) {
				return void errors.push({ field: [...path, 'amount'], message: `Refund amount ${fmt(pres, P)} is greater than net payment received ${fmt(Math.max(0, left), P)}.` });
			}
			txPlan.push({ parent, pres, gateway: t.gateway });
		});
		if (errors.length) return { refund: null, order: null, userErrors: errors };

		// apply
		const at = nowIso();
		const before = financialStatus(order);
		const refund = {
			__typename: 'Refund',
			...ids.next('Refund'),
			createdAt: at,
			updatedAt: at,
			processedAt: input.processedAt ? iso(Date.parse(input.processedAt)) : at,
			note: input.note ?? null,
			_orderId: order.id,
			_notify: Boolean(input.notify),
			_lines: /** @type {any[]} */ ([]),
			_shipping: plan.shipping.amount.pres > 0 || plan.shipping.amount.shop > 0 ? { ...ids.next('RefundShippingLine'), amount: plan.shipping.amount, tax: plan.shipping.tax, _shippingLine: order._shippingLines[0] || null } : null,
			_transactionIds: /** @type {string[]} */ ([]),
			_adjustments: /** @type {any[]} */ ([]),
			_via: ctx.via ?? 'refundCreate',
		};
		for (const x of plan.lines) {
			const l = x.line;
			const unfulfilledBefore = unfulfilledQty(l);
			l._refunded += x.quantity;
			if (x.restockType === 'RETURN') l._returned += x.quantity;
			else {
				const removed = Math.min(x.quantity, unfulfilledBefore);
				l._removedUnfulfilled += removed;
				if (x.restockType === 'CANCEL' && removed > 0) l._restockedUnfulfilled = true;
			}
			const restocked = x.restockType === 'RETURN' || x.restockType === 'CANCEL';
			if (restocked && l._variant && l._variant._tracked) {
				l._variant._inventory += x.quantity;
				l._variant.updatedAt = at;
			}
			refund._lines.push({ __typename: 'RefundLineItem', ...ids.next('RefundLineItem'), _line: l, quantity: x.quantity, restockType: x.restockType, restocked, _locationId: x.locationId, _subtotal: x.subtotal, _tax: x.tax, _price: x.price });
		}
		if (refund._shipping) {
			let left = { ...plan.shipping.amount };
			let leftTax = { ...plan.shipping.tax };
			for (const s of order._shippingLines) {
				const room = sub(sub(s._price, s._discount), s._refunded);
				const take = { shop: Math.min(left.shop, room.shop), pres: Math.min(left.pres, room.pres) };
				s._refunded = add(s._refunded, take);
				left = sub(left, take);
				const taxRoom = sub(sum(s._taxes.map((/** @type {TaxRec} */ t) => t.amount)), s._refundedTax);
				const takeTax = { shop: Math.min(leftTax.shop, taxRoom.shop), pres: Math.min(leftTax.pres, taxRoom.pres) };
				s._refundedTax = add(s._refundedTax, takeTax);
				leftTax = sub(leftTax, takeTax);
			}
		}
		for (const t of txPlan) {
			const amount = t.pres === t.parent.remaining.pres ? { ...t.parent.remaining } : { pres: t.pres, shop: money.convert(t.pres, P, order.currencyCode) };
			t.parent.remaining = sub(t.parent.remaining, amount);
			const tx = {
				__typename: 'OrderTransaction',
				...ids.next('OrderTransaction'),
				kind: 'REFUND',
				status: 'SUCCESS',
				gateway: t.gateway,
				test: order.test,
				authorizationCode: null,
				receiptJson: null,
				processedAt: refund.processedAt,
				createdAt: at,
				errorCode: null,
				_amount: amount,
				_parentId: t.parent.tx.id,
				_orderId: order.id,
				_refundId: refund.id,
			};
			order._transactions.push(tx);
			refund._transactionIds.push(tx.id);
		}
		// refund discrepancy: money refunded beyond (or short of) the goods refunded
		const goods = order.taxesIncluded ? add(plan.subtotal, plan.shipping.amount) : add(add(plan.subtotal, plan.shipping.amount), plan.tax);
		const moneyOut = sum(refund._transactionIds.map((id) => order._transactions.find((/** @type {any} */ t) => t.id === id)._amount));
		if (txPlan.length && (moneyOut.pres !== goods.pres || moneyOut.shop !== goods.shop)) {
			refund._adjustments.push({ __typename: 'OrderAdjustment', ...ids.next('OrderAdjustment'), reason: input.discrepancyReason ?? 'REFUND_DISCREPANCY', _amount: sub(goods, moneyOut), _tax: ZERO() });
		}
		order._refunds.push(refund);
		order._financialOverride = null;
		touch(order);
		if (input.notify) notifyCustomer('refund_notification', `${ctx.via ?? 'refundCreate'}.input.notify`, order, { refundId: refund.id });
		if (!ctx.quiet) {
			const eventId = newEventId();
			emit(order, 'refunds/create', eventId, { refundId: refund.id });
			emit(order, 'orders/updated', eventId);
		}
		void before;
		return { refund, order, userErrors: [] };
	}

	// ------------------------------------------------------------------ cancel

	/**
	 * orderCancel
	 * @param {any} args
	 * @param {{ via?: string }} [ctx]
	 */
	function cancelOrder(args, ctx = {}) {
		const via = ctx.via ?? 'orderCancel';
		/** @type {any} */
		const job = { __typename: 'Job', ...ids.next('Job'), done: false, _result: null, _jobResult: null };
		/** @type {any[]} */
		const errors = [];
		const order = state.ordersById.get(args.orderId);
		if (!order) errors.push({ field: ['orderId'], message: 'Order does not exist.', code: 'NOT_FOUND' });
		else if (order.cancelledAt) errors.push({ field: ['orderId'], message: 'Cannot cancel an order that has already been cancelled.', code: 'INVALID' });
		else if (order._fulfillments.some((/** @type {any} */ f) => f.status === 'SUCCESS')) errors.push({ field: ['orderId'], message: 'Cannot cancel an order with fulfilled items. Cancel the fulfillments first.', code: 'INVALID' });
		if (args.staffNote && String(args.staffNote).length > 255) errors.push({ field: ['staffNote'], message: 'Staff note is too long (maximum is 255 characters).', code: 'INVALID' });
		if (args.refund !== undefined && args.refund !== null && args.refundMethod) errors.push({ field: ['refund'], message: 'Use refundMethod or refund, not both.', code: 'INVALID' });
		const method = args.refundMethod || null;
		if (method && method.storeCreditRefund && order && !order._customerId) errors.push({ field: ['refundMethod', 'storeCreditRefund'], message: 'Store credit can only be issued to orders with a customer.', code: 'STORE_CREDIT_REFUND_MISSING_CUSTOMER' });
		if (errors.length) return { job: null, jobResult: null, orderCancelUserErrors: errors, userErrors: errors.map((e) => ({ field: e.field, message: e.message })) };

		const at = nowIso();
		const eventId = newEventId();
		const wantsRefund = Boolean(args.refund) || Boolean(method && (method.originalPaymentMethodsRefund || method.storeCreditRefund));
		/** @type {any} */
		let refund = null;
		// void open authorizations
		for (const t of order._transactions.slice()) {
			if (t.kind === 'AUTHORIZATION' && t.status === 'SUCCESS' && !order._transactions.some((/** @type {any} */ c) => (c.kind === 'CAPTURE' || c.kind === 'VOID') && c._parentId === t.id)) {
				order._transactions.push({ ...t, ...ids.next('OrderTransaction'), kind: 'VOID', createdAt: at, processedAt: at, _parentId: t.id });
			}
		}
		const lineItems = order._lines.filter((/** @type {any} */ l) => l.quantity - l._refunded > 0).map((/** @type {any} */ l) => ({ lineItemId: l.id, quantity: l.quantity - l._refunded, restockType: args.restock ? 'CANCEL' : 'NO_RESTOCK' }));
		order.cancelledAt = at;
		order.cancelReason = args.reason;
		order.cancellation = { staffNote: args.staffNote ?? null };
		order.closedAt = order.closedAt ?? at;
		order._financialOverride = null;
		const P = order.presentmentCurrencyCode;
		const currency = P !== order.currencyCode ? P : undefined;
		if (wantsRefund) {
			const parents = refundableParents(order).filter((/** @type {any} */ p) => p.remaining.pres > 0);
			const r = createRefund(
				{
					orderId: order.id,
					currency,
					note: args.staffNote ?? null,
					notify: false,
					refundLineItems: lineItems,
					shipping: { fullRefund: true },
					transactions: method && method.storeCreditRefund ? [] : parents.map((/** @type {any} */ p) => ({ orderId: order.id, parentId: p.tx.id, kind: 'REFUND', gateway: p.tx.gateway, amount: money.formatRest(p.remaining.pres, P) })),
				},
				{ via, quiet: true },
			);
			refund = r.refund;
		} else if (args.restock && lineItems.length) {
			// restocking without money: Shopify records it as a refund of the items with no transactions
			const r = createRefund({ orderId: order.id, currency, refundLineItems: lineItems, notify: false, note: args.staffNote ?? null }, { via, quiet: true });
			refund = r.refund;
		}
		touch(order);
		if (args.notifyCustomer) notifyCustomer('order_cancelled', `${via}.notifyCustomer`, order);
		emit(order, 'orders/cancelled', eventId);
		if (refund) emit(order, 'refunds/create', eventId, { refundId: refund.id });
		emit(order, 'orders/updated', eventId);
		job._result = { orderId: order.id, refundId: refund ? refund.id : null };
		state.jobs.set(job.id, job);
		const jobResult = { __typename: 'OrderCancelJobResult', id: job.id.replace('/Job/', '/OrderCancelJobResult/'), done: false, status: 'STARTED', errors: [], _orderId: order.id };
		job._jobResult = jobResult;
		return { job, jobResult, orderCancelUserErrors: [], userErrors: [], _order: order, _refund: refund };
	}

	// ------------------------------------------------------------------ order updates

	/**
	 * @param {string} id @param {string[]} tags @param {'add'|'remove'} mode
	 */
	function changeTags(id, tags, mode) {
		const g = parseGid(id);
		const order = state.ordersById.get(id);
		if (!order) return { node: null, userErrors: [{ field: ['id'], message: g && g.type !== 'Order' ? `The sandbox only supports tags on orders, not ${g.type}.` : 'Order does not exist.' }] };
		const clean = uniqTags(tags);
		if (clean.some((t) => t.length > 255)) return { node: null, userErrors: [{ field: ['tags'], message: 'Tags must be 255 characters or fewer.' }] };
		const before = order.tags.join(',');
		if (mode === 'add') order.tags = uniqTags([...order.tags, ...clean]);
		else order.tags = order.tags.filter((/** @type {string} */ t) => !clean.some((c) => c.toLowerCase() === t.toLowerCase()));
		if (order.tags.length > 250) return { node: null, userErrors: [{ field: ['tags'], message: 'An order can have at most 250 tags.' }] };
		if (before !== order.tags.join(',')) {
			touch(order);
			emit(order, 'orders/updated', newEventId());
		}
		return { node: order, userErrors: [] };
	}

	/** @param {any} input OrderInput */
	function updateOrder(input) {
		const order = state.ordersById.get(input.id);
		if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist.' }] };
		/** @type {UserError[]} */
		const errors = [];
		if (input.localizedFields || input.localizationExtensions) errors.push({ field: ['localizedFields'], message: 'The sandbox does not implement localized fields.' });
		/** @type {any[]} */
		const mfs = [];
		(input.metafields || []).forEach((/** @type {any} */ mf, /** @type {number} */ i) => {
			const r = checkMetafield(mf, order);
			if (!r.ok) errors.push({ field: ['metafields', String(i), r.field], message: r.message });
			else mfs.push(r);
		});
		if (errors.length) return { order: null, userErrors: errors };
		if (input.note !== undefined) order.note = input.note;
		if (input.tags !== undefined && input.tags !== null) order.tags = uniqTags(input.tags);
		if (input.customAttributes !== undefined && input.customAttributes !== null) order.customAttributes = input.customAttributes.map((/** @type {any} */ a) => ({ key: a.key, value: a.value }));
		if (input.email !== undefined) order.email = input.email;
		if (input.phone !== undefined) order.phone = input.phone;
		if (input.poNumber !== undefined) order.poNumber = input.poNumber;
		if (input.shippingAddress) order.shippingAddress = mailingAddress(input.shippingAddress);
		for (const mf of mfs) writeMetafield(order, mf);
		touch(order);
		emit(order, 'orders/updated', newEventId());
		return { order, userErrors: [] };
	}

	/** @param {any[]} inputs MetafieldsSetInput[] */
	function setMetafields(inputs) {
		/** @type {any[]} */
		const errors = [];
		if (inputs.length > 25) return { metafields: null, userErrors: [{ field: ['metafields'], message: 'Exceeded the maximum metafields input limit of 25.', code: 'LESS_THAN_OR_EQUAL_TO', elementIndex: null }] };
		/** @type {{ order: any, r: any, input: any }[]} */
		const writes = [];
		inputs.forEach((m, i) => {
			const order = state.ordersById.get(m.ownerId);
			if (!order) return void errors.push({ field: ['metafields', String(i), 'ownerId'], message: 'Owner does not exist (the sandbox supports order metafields).', code: 'INVALID', elementIndex: i });
			const r = checkMetafield(m, order);
			if (!r.ok) return void errors.push({ field: ['metafields', String(i), r.field], message: r.message, code: r.code, elementIndex: i });
			const existing = order._metafields.find((/** @type {any} */ x) => x.namespace === r.namespace && x.key === r.key);
			// An explicit null compareDigest means "create only": the metafield must not exist yet.
			if (Object.prototype.hasOwnProperty.call(m, 'compareDigest') && m.compareDigest === null && existing) {
				return void errors.push({ field: ['metafields', String(i), 'compareDigest'], message: 'The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.', code: 'STALE_OBJECT', elementIndex: i });
			}
			if (m.compareDigest !== undefined && m.compareDigest !== null) {
				if (!existing || existing.compareDigest !== m.compareDigest) return void errors.push({ field: ['metafields', String(i), 'compareDigest'], message: 'The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.', code: 'STALE_OBJECT', elementIndex: i });
			}
			if (writes.some((w) => w.order === order && w.r.namespace === r.namespace && w.r.key === r.key)) return void errors.push({ field: ['metafields', String(i), 'key'], message: 'The same metafield is given twice.', code: 'INVALID', elementIndex: i });
			writes.push({ order, r, input: m });
		});
		if (errors.length) return { metafields: null, userErrors: errors };
		/** @type {any[]} */
		const out = [];
		/** @type {Set<any>} */
		const touched = new Set();
		for (const w of writes) {
			out.push(writeMetafield(w.order, w.r));
			touched.add(w.order);
		}
		for (const o of touched) {
			touch(o);
			emit(o, 'orders/updated', newEventId());
		}
		return { metafields: out, userErrors: [] };
	}

	// ------------------------------------------------------------------ lookups

	/** @param {string} id */
	function findNode(id) {
		const g = parseGid(id);
		if (!g) return null;
		switch (g.type) {
			case 'Order':
				return state.ordersById.get(id) || null;
			case 'ProductVariant':
				return state.variants.get(id) || null;
			case 'Product':
				return productById(id);
			case 'InventoryItem':
				for (const v of state.variants.values()) if (v._inventoryItem.id === id) return v._inventoryItem;
				return null;
			case 'Customer':
				return state.customers.find((c) => c.id === id) || null;
			case 'Location':
				return locationById(id);
			case 'FulfillmentOrder':
				return findFulfillmentOrder(id);
			case 'Fulfillment':
				return findFulfillment(id);
			case 'Refund':
				for (const o of state.orders) for (const r of o._refunds) if (r.id === id) return r;
				return null;
			case 'OrderTransaction':
				for (const o of state.orders) for (const t of o._transactions) if (t.id === id) return t;
				return null;
			case 'LineItem':
				for (const o of state.orders) for (const l of o._lines) if (l.id === id) return l;
				return null;
			case 'Metafield':
				for (const o of state.orders) for (const m of o._metafields) if (m.id === id) return m;
				return null;
			case 'MetafieldDefinition':
				return state.metafieldDefinitions.find((d) => d.id === id) || null;
			case 'WebhookSubscription':
				return state.webhookSubscriptions.find((w) => w.id === id) || null;
			default:
				return null;
		}
	}

	/**
	 * Find an order by GID, legacy numeric id, or name (control API convenience).
	 * @param {unknown} ref
	 */
	function resolveOrderRef(ref) {
		if (typeof ref === 'number' || (typeof ref === 'string' && /^\d+$/.test(ref))) return state.ordersById.get(`gid://shopify/Order/${ref}`) || null;
		if (typeof ref !== 'string' || !ref) return null;
		if (ref.startsWith('gid://')) return state.ordersById.get(ref) || null;
		return state.orders.find((o) => o.name === ref || o.sourceIdentifier === ref) || null;
	}

	return {
		state,
		reset,
		nowIso,
		nowMs,
		iso,
		ids: () => ids,
		seedProducts,
		productById,
		locationById,
		primaryLocation,
		createMetafieldDefinition,
		findDefinition,
		createOrder,
		createFulfillment,
		updateTracking,
		suggestRefund,
		createRefund,
		cancelOrder,
		changeTags,
		updateOrder,
		setMetafields,
		findNode,
		findFulfillmentOrder,
		findFulfillment,
		resolveOrderRef,
		totals,
		financialStatus,
		fulfillmentStatus,
		fulfillmentOrderStatus,
		unfulfilledQty,
		lineOriginal,
		prorate,
		notifyCustomer,
		newEventId,
		emit,
		uniqTags,
		TRACKING_URLS,
	};
}

/** @type {Record<string, Record<string, string>>} */
const PROVINCES = {
	US: { AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', PR: 'Puerto Rico' },
	CA: { AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick', NL: 'Newfoundland and Labrador', NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut', ON: 'Ontario', PE: 'Prince Edward Island', QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon' },
};

/** @param {string|null} country @param {string} code */
function provinceName(country, code) {
	const table = country ? PROVINCES[country] : undefined;
	return (table && table[code]) || code;
}

module.exports = { createStore, ControlError, METAFIELD_TYPES };
