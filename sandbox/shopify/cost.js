// @ts-check
'use strict';

/**
 * Shopify's calculated query cost, approximated, and the per-shop leaky bucket.
 *
 * Requested cost (static, before execution), following shopify.dev "GraphQL Admin API rate limits":
 *   - scalar and enum fields: 0
 *   - object (and interface/union) fields: 1 + the cost of their selection
 *   - connections (types named *Connection with nodes/edges): 2 + first|last × (cost of one node,
 *     i.e. 1 + its selection); pageInfo and cursor are free. `first`/`last` above 250 count as 250.
 *   - plain lists of objects (Order.fulfillments(first:), LineItem.taxLines(first:) …):
 *     first × (1 + selection); without `first`, counted as one element
 *   - each mutation root field: 10 + the cost of the payload's selection
 *   - fragments on different concrete types of an abstract field: the most expensive one
 * Actual cost (after execution) walks the response the same way but counts what came back; it is
 * never above the requested cost. The difference is refunded to the bucket.
 */

const { Kind, getNamedType: gqlNamed, isLeafType, isListType, isNonNullType, isObjectType, isAbstractType } = require('graphql');

/** @param {any} t @returns {import('graphql').GraphQLNamedType} */
const getNamedType = (t) => /** @type {any} */ (gqlNamed(t));

const MAX_PAGE = 250;

/**
 * @typedef {import('graphql').GraphQLSchema} Schema
 * @typedef {{ message: string, locations: {line:number,column:number}[], path: string[] }} CostProblem
 */

/**
 * @param {import('graphql').FieldNode|import('graphql').FragmentSpreadNode|import('graphql').InlineFragmentNode} node
 * @param {Record<string, unknown>} variables
 */
function included(node, variables) {
	for (const d of node.directives || []) {
		if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
		const arg = (d.arguments || []).find((a) => a.name.value === 'if');
		if (!arg) continue;
		const v = arg.value.kind === Kind.VARIABLE ? Boolean(variables[arg.value.name.value]) : arg.value.kind === Kind.BOOLEAN ? arg.value.value : false;
		if (d.name.value === 'skip' && v) return false;
		if (d.name.value === 'include' && !v) return false;
	}
	return true;
}

/**
 * @param {import('graphql').FieldNode} node
 * @param {string} name
 * @param {Record<string, unknown>} variables
 * @returns {unknown}
 */
function argValue(node, name, variables) {
	const arg = (node.arguments || []).find((a) => a.name.value === name);
	if (!arg) return undefined;
	if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value];
	if (arg.value.kind === Kind.INT) return Number.parseInt(arg.value.value, 10);
	if (arg.value.kind === Kind.NULL) return null;
	return undefined;
}

/** @param {import('graphql').GraphQLNamedType} type */
function isConnectionType(type) {
	if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
	const fields = type.getFields();
	return Boolean(fields.nodes || fields.edges);
}

/**
 * @param {import('graphql').GraphQLField<any, any>} def
 * @param {import('graphql').FieldNode} node
 * @param {Record<string, unknown>} variables
 * @returns {number|null}
 */
function pageSize(def, node, variables) {
	const first = argValue(node, 'first', variables);
	const last = argValue(node, 'last', variables);
	const n = typeof first === 'number' ? first : typeof last === 'number' ? last : null;
	if (n === null) return null;
	return Math.max(0, Math.min(MAX_PAGE, n));
}

/**
 * @param {Schema} schema
 * @param {import('graphql').DocumentNode} document
 * @param {import('graphql').OperationDefinitionNode} operation
 * @param {Record<string, unknown>} variables
 * @returns {{ cost: number, problems: CostProblem[] }}
 */
function requestedCost(schema, document, operation, variables) {
	/** @type {Record<string, import('graphql').FragmentDefinitionNode>} */
	const fragments = {};
	for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
	/** @type {CostProblem[]} */
	const problems = [];
	const opLabel = operation.name ? `${operation.operation} ${operation.name.value}` : operation.operation;

	/**
	 * @param {import('graphql').GraphQLNamedType} parent
	 * @param {import('graphql').SelectionSetNode|undefined} set
	 * @param {string[]} path
	 * @param {boolean} mutationRoot
	 * @returns {number}
	 */
	const selectionCost = (parent, set, path, mutationRoot) => {
		if (!set) return 0;
		let sum = 0;
		/** @type {Map<string, number>} */
		const byType = new Map();
		for (const sel of set.selections) {
			if (!included(sel, variables)) continue;
			if (sel.kind === Kind.FIELD) {
				sum += fieldCost(parent, sel, path, mutationRoot);
				continue;
			}
			const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments[sel.name.value] : sel;
			if (!frag) continue;
			const condName = frag.typeCondition ? frag.typeCondition.name.value : parent.name;
			const cond = /** @type {import('graphql').GraphQLNamedType|undefined} */ (schema.getType(condName)) || parent;
			const c = selectionCost(cond, frag.selectionSet, path, mutationRoot);
			if (cond === parent || !isAbstractType(parent)) sum += c;
			else byType.set(cond.name, (byType.get(cond.name) ?? 0) + c);
		}
		let max = 0;
		for (const v of byType.values()) max = Math.max(max, v);
		return sum + max;
	};

	/**
	 * @param {import('graphql').GraphQLNamedType} parent
	 * @param {import('graphql').FieldNode} node
	 * @param {string[]} path
	 * @param {boolean} mutationRoot
	 */
	const fieldCost = (parent, node, path, mutationRoot) => {
		const name = node.name.value;
		if (name.startsWith('__')) return 0;
		if (!('getFields' in parent)) return 0;
		const def = /** @type {any} */ (parent).getFields()[name];
		if (!def) return 0;
		const here = [...path, node.alias ? node.alias.value : name];
		const named = getNamedType(def.type);
		if (mutationRoot) return 10 + selectionCost(named, node.selectionSet, here, false);
		if (isLeafType(named)) return 0;
		if (isConnectionType(named)) {
			const n = pageSize(def, node, variables);
			if (n === null) {
				problems.push({
					message: 'you must provide one of first or last',
					locations: node.loc ? [locOf(node)] : [],
					path: [opLabel, ...here],
				});
			}
			return 2 + (n ?? 0) * connectionNodeCost(/** @type {import('graphql').GraphQLObjectType} */ (named), node.selectionSet, here);
		}
		let t = def.type;
		if (isNonNullType(t)) t = t.ofType;
		if (isListType(t)) {
			const first = argValue(node, 'first', variables);
			const n = typeof first === 'number' ? Math.max(0, Math.min(MAX_PAGE, first)) : 1;
			return n * (1 + selectionCost(named, node.selectionSet, here, false));
		}
		return 1 + selectionCost(named, node.selectionSet, here, false);
	};

	/**
	 * Cost of one element of a connection: max(edges.node, nodes), each 1 + selection.
	 * @param {import('graphql').GraphQLObjectType} conn
	 * @param {import('graphql').SelectionSetNode|undefined} set
	 * @param {string[]} path
	 */
	const connectionNodeCost = (conn, set, path) => {
		if (!set) return 0;
		let best = 0;
		/** @param {import('graphql').SelectionSetNode} s @param {import('graphql').GraphQLNamedType} parentType */
		const walk = (s, parentType) => {
			for (const sel of s.selections) {
				if (!included(sel, variables)) continue;
				if (sel.kind !== Kind.FIELD) {
					const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments[sel.name.value] : sel;
					if (frag) walk(frag.selectionSet, parentType);
					continue;
				}
				const fname = sel.name.value;
				const fields = /** @type {any} */ (parentType).getFields ? /** @type {any} */ (parentType).getFields() : {};
				const def = fields[fname];
				if (!def) continue;
				if (parentType === conn && fname === 'nodes') {
					best = Math.max(best, 1 + selectionCost(getNamedType(def.type), sel.selectionSet, [...path, 'nodes'], false));
				} else if (parentType === conn && fname === 'edges' && sel.selectionSet) {
					walk(sel.selectionSet, getNamedType(def.type));
				} else if (parentType !== conn && fname === 'node') {
					best = Math.max(best, 1 + selectionCost(getNamedType(def.type), sel.selectionSet, [...path, 'edges', 'node'], false));
				}
			}
		};
		walk(set, conn);
		return best;
	};

	const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
	if (!root) return { cost: 0, problems };
	const cost = selectionCost(root, operation.selectionSet, [], operation.operation === 'mutation');
	return { cost, problems };
}

/** @param {import('graphql').ASTNode} node */
function locOf(node) {
	const loc = /** @type {any} */ (node.loc);
	if (!loc || !loc.source) return { line: 1, column: 1 };
	const body = loc.source.body.slice(0, loc.start);
	const lines = body.split('\n');
	return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Cost of what actually came back.
 * @param {Schema} schema
 * @param {import('graphql').DocumentNode} document
 * @param {import('graphql').OperationDefinitionNode} operation
 * @param {Record<string, unknown>} variables
 * @param {any} data
 * @returns {number}
 */
function actualCost(schema, document, operation, variables, data) {
	if (!data) return 0;
	/** @type {Record<string, import('graphql').FragmentDefinitionNode>} */
	const fragments = {};
	for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;

	/**
	 * @param {import('graphql').GraphQLNamedType} parent
	 * @param {import('graphql').SelectionSetNode|undefined} set
	 * @param {any} value  the object the selection applies to
	 * @param {boolean} mutationRoot
	 * @returns {number}
	 */
	const selectionCost = (parent, set, value, mutationRoot) => {
		if (!set || value === null || typeof value !== 'object') return 0;
		let sum = 0;
		let fragMax = 0;
		for (const sel of set.selections) {
			if (!included(sel, variables)) continue;
			if (sel.kind === Kind.FIELD) {
				sum += fieldCost(parent, sel, value, mutationRoot);
				continue;
			}
			const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments[sel.name.value] : sel;
			if (!frag) continue;
			const condName = frag.typeCondition ? frag.typeCondition.name.value : parent.name;
			const cond = /** @type {import('graphql').GraphQLNamedType|undefined} */ (schema.getType(condName)) || parent;
			const c = selectionCost(cond, frag.selectionSet, value, mutationRoot);
			if (cond === parent || !isAbstractType(parent)) sum += c;
			else fragMax = Math.max(fragMax, c);
		}
		return sum + fragMax;
	};

	/**
	 * @param {import('graphql').GraphQLNamedType} parent
	 * @param {import('graphql').FieldNode} node
	 * @param {any} obj
	 * @param {boolean} mutationRoot
	 */
	const fieldCost = (parent, node, obj, mutationRoot) => {
		const name = node.name.value;
		if (name.startsWith('__') || !('getFields' in parent)) return 0;
		const def = /** @type {any} */ (parent).getFields()[name];
		if (!def) return 0;
		const value = obj[node.alias ? node.alias.value : name];
		const named = getNamedType(def.type);
		if (mutationRoot) return 10 + selectionCost(named, node.selectionSet, value, false);
		if (isLeafType(named) || value === null || value === undefined) return 0;
		if (isConnectionType(named)) {
			let per = 0;
			for (const sel of node.selectionSet ? node.selectionSet.selections : []) {
				if (sel.kind !== Kind.FIELD) continue;
				const key = sel.alias ? sel.alias.value : sel.name.value;
				const list = value[key];
				if (!Array.isArray(list)) continue;
				const nodeType = getNamedType(/** @type {any} */ (named).getFields()[sel.name.value].type);
				let c = 0;
				for (const item of list) {
					if (sel.name.value === 'nodes') c += 1 + selectionCost(nodeType, sel.selectionSet, item, false);
					else if (sel.name.value === 'edges' && sel.selectionSet) {
						for (const es of sel.selectionSet.selections) {
							if (es.kind === Kind.FIELD && es.name.value === 'node') {
								const nt = getNamedType(/** @type {any} */ (nodeType).getFields().node.type);
								c += 1 + selectionCost(nt, es.selectionSet, item ? item[es.alias ? es.alias.value : 'node'] : null, false);
							}
						}
					}
				}
				per = Math.max(per, c);
			}
			return 2 + per;
		}
		if (Array.isArray(value)) {
			let c = 0;
			for (const item of value) c += item === null ? 0 : 1 + selectionCost(named, node.selectionSet, item, false);
			return c;
		}
		return 1 + selectionCost(named, node.selectionSet, value, false);
	};

	const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
	if (!root) return 0;
	return selectionCost(root, operation.selectionSet, data, operation.operation === 'mutation');
}

/**
 * Leaky bucket on sandbox time (restoreRate points per sandbox second).
 * @param {{ maximumAvailable: number, restoreRate: number, now: () => number }} opts
 */
function createCostBucket({ maximumAvailable, restoreRate, now }) {
	let available = maximumAvailable;
	let last = now();
	const refill = () => {
		const t = now();
		if (t > last) available = Math.min(maximumAvailable, available + ((t - last) / 1000) * restoreRate);
		last = t;
	};
	return {
		/** @param {number} cost @returns {boolean} */
		take(cost) {
			refill();
			if (cost > available) return false;
			available -= cost;
			return true;
		},
		/** @param {number} points */
		refund(points) {
			refill();
			available = Math.min(maximumAvailable, available + Math.max(0, points));
		},
		/** Empty (or set) the bucket, for tests and demos. @param {number} [level] */
		drain(level = 0) {
			refill();
			available = Math.max(0, Math.min(maximumAvailable, level));
		},
		status() {
			refill();
			return { maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate };
		},
	};
}

module.exports = { requestedCost, actualCost, createCostBucket, isConnectionType, MAX_PAGE };
