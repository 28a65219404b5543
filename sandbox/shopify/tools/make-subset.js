// @ts-check
'use strict';

/**
 * Regenerates sandbox/shopify/subset.graphql, the fallback schema used when Shopify's SDL is not
 * on disk. It keeps, from the real SDL, only the types and fields the pack and the sandbox use:
 *   - every field selected by the research-note operations (reference-operations.js) and by the
 *     node documents (nodes/shared/transport/shopify/documents.ts),
 *   - every field the sandbox has a resolver for,
 *   - the scalar/enum fields of every kept object type, all fields of kept input types and enums.
 * Descriptions are dropped: the subset is structure only.
 *
 *   node sandbox/shopify/tools/make-subset.js [specsDir] [version]
 */

const fs = require('fs');
const path = require('path');
const {
	buildSchema,
	parse,
	visit,
	visitWithTypeInfo,
	TypeInfo,
	print,
	getNamedType,
	isObjectType,
	isInterfaceType,
	isUnionType,
	isInputObjectType,
	isEnumType,
	isScalarType,
	isLeafType,
	validate,
	Kind,
	specifiedScalarTypes,
} = require('graphql');
const { resolveSpecsDir } = require('../schema');
const { REFERENCE_OPERATIONS } = require('../reference-operations');
const { createResolvers } = require('../resolvers');

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(__dirname, '..', 'subset.graphql');

/** Extra selections worth supporting in fallback mode (validated against the real schema). */
const EXTRA = /* GraphQL */ `
query SubsetExtras($id: ID!) {
  order(id: $id) {
    id legacyResourceId name email phone note tags processedAt createdAt updatedAt closedAt cancelledAt cancelReason
    sourceName sourceIdentifier test taxesIncluded currencyCode presentmentCurrencyCode poNumber confirmed closed
    displayFinancialStatus displayFulfillmentStatus
    customAttributes { key value }
    customer { id email firstName lastName displayName }
    shippingAddress { firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone }
    billingAddress { firstName lastName name address1 city provinceCode countryCodeV2 zip }
    subtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    currentSubtotalPriceSet { shopMoney { amount currencyCode } }
    totalPriceSet { shopMoney { amount currencyCode } } currentTotalPriceSet { shopMoney { amount currencyCode } }
    totalTaxSet { shopMoney { amount } } currentTotalTaxSet { shopMoney { amount } }
    totalShippingPriceSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
    totalRefundedSet { shopMoney { amount } } totalOutstandingSet { shopMoney { amount } } totalReceivedSet { shopMoney { amount } }
    netPaymentSet { shopMoney { amount } }
    discountCode discountCodes paymentGatewayNames
    metafields(first: 10) { nodes { id namespace key type value } pageInfo { hasNextPage endCursor } }
    lineItems(first: 10) {
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id } }
      nodes {
        id name title sku quantity currentQuantity refundableQuantity unfulfilledQuantity requiresShipping taxable vendor variantTitle
        customAttributes { key value } variant { id sku } product { id }
        originalUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        discountedUnitPriceSet { shopMoney { amount } } discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount } }
        originalTotalSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }
        taxLines(first: 5) { title rate ratePercentage channelLiable priceSet { shopMoney { amount } presentmentMoney { amount } } }
        discountAllocations { allocatedAmountSet { shopMoney { amount } } discountApplication { index allocationMethod targetType value { ... on MoneyV2 { amount } ... on PricingPercentageValue { percentage } } } }
      }
    }
    shippingLines(first: 5) { nodes { id title code source originalPriceSet { shopMoney { amount } } discountedPriceSet { shopMoney { amount } } taxLines { title rate priceSet { shopMoney { amount } } } } }
    transactions(first: 10) { id kind status gateway processedAt createdAt test amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } parentTransaction { id } }
    refunds(first: 10) { id createdAt note totalRefundedSet { shopMoney { amount } } }
    discountApplications(first: 5) { nodes { allocationMethod index targetSelection targetType ... on DiscountCodeApplication { code } } }
  }
  job(id: $id) { id done }
  fulfillmentOrder(id: $id) { id status }
  location(id: $id) { id name }
  locations(first: 5) { nodes { id name isActive } }
  productVariant(id: $id) { id sku title price inventoryQuantity inventoryPolicy product { id title handle status } inventoryItem { id sku tracked } }
  node(id: $id) { id ... on Order { name } }
  nodes(ids: [$id]) { id }
  ordersCount(query: "tag:x") { count precision }
  webhookSubscription(id: $id) { id topic uri format filter includeFields name createdAt updatedAt apiVersion { handle } }
  metafieldDefinitions(first: 5, ownerType: ORDER, namespace: "amazon") { nodes { id name namespace key type { name } capabilities { uniqueValues { enabled eligible } } } }
}
mutation SubsetExtrasMutations($id: ID!, $input: OrderInput!) {
  tagsRemove(id: $id, tags: ["x"]) { node { id } userErrors { field message } }
  orderUpdate(input: $input) { order { id note tags customAttributes { key value } } userErrors { field message } }
  fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: { company: "UPS", number: "1Z" }, notifyCustomer: false) {
    fulfillment { id status trackingInfo(first: 5) { company number url } } userErrors { field message }
  }
  orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id done } jobResult { id done status } orderCancelUserErrors { field message code } userErrors { field message } }
  webhookSubscriptionUpdate(id: $id, webhookSubscription: { uri: "https://x.example" }) { webhookSubscription { id } userErrors { field message } }
}
`;

/** Backtick strings that look like GraphQL documents, from a TS source file. @param {string} file */
function documentsFromTs(file) {
	if (!fs.existsSync(file)) return [];
	const text = fs.readFileSync(file, 'utf8');
	return [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]).filter((s) => /^\s*(query|mutation)\b/.test(s));
}

function main() {
	const specsDir = resolveSpecsDir(process.argv[2]);
	const version = process.argv[3] || '2026-10';
	const sdl = fs.readFileSync(path.join(specsDir, `admin-${version}.graphql`), 'utf8');
	const schema = buildSchema(sdl);
	const docs = [...REFERENCE_OPERATIONS.map((o) => o.query), ...documentsFromTs(path.join(ROOT, 'nodes/shared/transport/shopify/documents.ts')), EXTRA];

	/** @type {Map<string, Set<string>>} type -> kept field names */
	const keep = new Map();
	/** @param {string} t @param {string} [f] */
	const add = (t, f) => {
		if (!keep.has(t)) keep.set(t, new Set());
		if (f) /** @type {Set<string>} */ (keep.get(t)).add(f);
	};

	for (const text of docs) {
		const doc = parse(text);
		const errors = validate(schema, doc);
		if (errors.length) throw new Error(`document does not validate against the real schema: ${errors[0].message}\n${text.slice(0, 200)}`);
		const info = new TypeInfo(schema);
		visit(
			doc,
			visitWithTypeInfo(info, {
				Field(node) {
					const parent = info.getParentType();
					if (parent && !node.name.value.startsWith('__')) add(parent.name, node.name.value);
				},
				InlineFragment(node) {
					if (node.typeCondition) add(node.typeCondition.name.value);
				},
				VariableDefinition(node) {
					let t = node.type;
					while (t.kind !== Kind.NAMED_TYPE) t = t.type;
					add(t.name.value);
				},
			}),
		);
	}
	for (const key of Object.keys(createResolvers(/** @type {any} */ ({})))) {
		const [t, f] = key.split('.');
		const type = schema.getType(t);
		if (type && (isObjectType(type) || isInterfaceType(type)) && type.getFields()[f]) add(t, f);
	}
	add('QueryRoot');
	add('Mutation');

	// closure
	const queue = [...keep.keys()];
	const seen = new Set();
	/** @param {string} name */
	const want = (name) => {
		if (!keep.has(name)) add(name);
		if (!seen.has(name)) queue.push(name);
	};
	/** @type {Set<string>} interfaces used as a return type */
	const usedInterfaces = new Set();
	while (queue.length) {
		const name = /** @type {string} */ (queue.shift());
		if (seen.has(name)) continue;
		seen.add(name);
		const type = schema.getType(name);
		if (!type) continue;
		if (isObjectType(type) || isInterfaceType(type)) {
			const fields = type.getFields();
			const kept = /** @type {Set<string>} */ (keep.get(name));
			if (isObjectType(type) && name !== 'QueryRoot' && name !== 'Mutation') {
				for (const f of Object.values(fields)) if (isLeafType(getNamedType(f.type)) && f.args.every((a) => a.type.toString().endsWith('!') === false)) kept.add(f.name);
				// connections and edges are kept whole (edges, nodes, pageInfo, cursor)
				if (/(Connection|Edge)$/.test(name) || name === 'PageInfo') for (const f of Object.keys(fields)) kept.add(f);
			}
			if (kept.size === 0) kept.add(fields.id ? 'id' : Object.keys(fields)[0]);
			for (const fname of kept) {
				const f = fields[fname];
				if (!f) continue;
				const rt = getNamedType(f.type);
				if (isInterfaceType(rt)) usedInterfaces.add(rt.name);
				want(rt.name);
				for (const a of f.args) want(getNamedType(a.type).name);
			}
		} else if (isUnionType(type)) {
			for (const m of type.getTypes()) want(m.name);
		} else if (isInputObjectType(type)) {
			for (const f of Object.values(type.getFields())) want(getNamedType(f.type).name);
		}
	}
	// interfaces: implementers keep the interface's fields
	let changed = true;
	while (changed) {
		changed = false;
		for (const iname of usedInterfaces) {
			const iface = /** @type {import('graphql').GraphQLInterfaceType} */ (schema.getType(iname));
			const ikept = /** @type {Set<string>} */ (keep.get(iname));
			for (const [tname, fields] of keep) {
				const t = schema.getType(tname);
				if (!t || !isObjectType(t) || !t.getInterfaces().includes(iface)) continue;
				for (const f of ikept) {
					if (!fields.has(f)) {
						fields.add(f);
						changed = true;
						const rt = getNamedType(t.getFields()[f].type);
						if (!keep.has(rt.name)) {
							add(rt.name);
							seen.delete(rt.name);
						}
					}
				}
			}
		}
	}

	// print
	const builtin = new Set(specifiedScalarTypes.map((s) => s.name));
	/** @type {string[]} */
	const out = [
		'# Fallback subset of Shopify\'s Admin GraphQL schema, used by the sandbox when the real SDL',
		'# (shared/specs/shopify/admin-<version>.graphql) is not on disk. Structure only, no descriptions.',
		`# Generated from admin-${version}.graphql by sandbox/shopify/tools/make-subset.js; do not edit by hand.`,
		'',
		'schema {\n  query: QueryRoot\n  mutation: Mutation\n}',
		'',
		'directive @idempotent(key: String!) on FIELD',
		'',
	];
	const names = [...keep.keys()].filter((n) => schema.getType(n) && !builtin.has(n)).sort();
	for (const name of names) {
		const type = /** @type {any} */ (schema.getType(name));
		const ast = type.astNode;
		if (!ast) continue;
		/** @type {any} */
		const node = { ...ast, description: undefined };
		if (isObjectType(type) || isInterfaceType(type)) {
			const kept = /** @type {Set<string>} */ (keep.get(name));
			node.fields = ast.fields.filter((/** @type {any} */ f) => kept.has(f.name.value)).map((/** @type {any} */ f) => ({ ...f, description: undefined, arguments: (f.arguments || []).map((/** @type {any} */ a) => ({ ...a, description: undefined })) }));
			node.interfaces = (ast.interfaces || []).filter((/** @type {any} */ i) => usedInterfaces.has(i.name.value));
		} else if (isInputObjectType(type)) {
			node.fields = ast.fields.map((/** @type {any} */ f) => ({ ...f, description: undefined }));
		} else if (isEnumType(type)) {
			node.values = ast.values.map((/** @type {any} */ v) => ({ ...v, description: undefined }));
		} else if (isUnionType(type)) {
			node.types = ast.types.filter((/** @type {any} */ t) => keep.has(t.name.value));
		} else if (!isScalarType(type)) continue;
		out.push(print(node), '');
	}
	const text = `${out.join('\n').trimEnd()}\n`;
	const sub = buildSchema(text);
	for (const d of docs) {
		const errors = validate(sub, parse(d));
		if (errors.length) throw new Error(`subset does not cover a document: ${errors[0].message}`);
	}
	fs.writeFileSync(OUT, text);
	process.stdout.write(`wrote ${path.relative(ROOT, OUT)}: ${names.length} types, ${text.length} bytes\n`);
}

main();
