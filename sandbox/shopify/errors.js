// @ts-check
'use strict';

/**
 * Turns graphql-js parse, validation and variable errors into the shape Shopify's Admin API
 * (graphql-ruby) returns: `{ message, locations, path?, extensions: { code, ... } }` with
 * graphql-ruby's wording ("Field 'foo' doesn't exist on type 'Order'"). Anything not recognised
 * keeps graphql-js' message with a generic code.
 */

const { visit, GraphQLError } = require('graphql');

/**
 * @typedef {{ message: string, locations?: {line:number, column:number}[], path?: (string|number)[], extensions?: Record<string, unknown> }} ShopifyError
 */

/**
 * Path labels the way graphql-ruby reports them (["query Name", "order", "foo"]), plus, for every
 * value node inside an argument, which argument and field it belongs to.
 * @param {import('graphql').DocumentNode} document
 */
function documentIndex(document) {
	/** @type {Map<import('graphql').ASTNode, string[]>} */
	const paths = new Map();
	/** @type {Map<import('graphql').ASTNode, { argument: string, field: string }>} */
	const values = new Map();
	/** @type {string[]} */
	const stack = [];
	/** @type {string[]} */
	const fieldNames = [];
	/**
	 * @param {import('graphql').ValueNode} value
	 * @param {{ argument: string, field: string }} owner
	 */
	const mark = (value, owner) => {
		values.set(value, owner);
		if (value.kind === 'ListValue') value.values.forEach((v) => mark(v, owner));
		if (value.kind === 'ObjectValue') value.fields.forEach((f) => mark(f.value, owner));
	};
	visit(document, {
		OperationDefinition: {
			enter(node) {
				stack.push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
				paths.set(node, stack.slice());
			},
			leave() {
				stack.pop();
			},
		},
		FragmentDefinition: {
			enter(node) {
				stack.push(`fragment ${node.name.value}`);
				paths.set(node, stack.slice());
			},
			leave() {
				stack.pop();
			},
		},
		Field: {
			enter(node) {
				stack.push(node.alias ? node.alias.value : node.name.value);
				fieldNames.push(node.name.value);
				paths.set(node, stack.slice());
			},
			leave() {
				stack.pop();
				fieldNames.pop();
			},
		},
		Argument(node) {
			paths.set(node, [...stack, node.name.value]);
			mark(node.value, { argument: node.name.value, field: fieldNames[fieldNames.length - 1] ?? '' });
		},
		VariableDefinition(node) {
			paths.set(node, [...stack, `$${node.variable.name.value}`]);
		},
		Directive(node) {
			paths.set(node, [...stack, `@${node.name.value}`]);
		},
	});
	return { paths, values };
}

/**
 * @param {readonly GraphQLError[]} errors
 * @param {import('graphql').DocumentNode} document
 * @returns {ShopifyError[]}
 */
function translateValidationErrors(errors, document) {
	const { paths, values } = documentIndex(document);
	const { print } = require('graphql');
	return errors.map((e) => {
		const nodes = e.nodes || [];
		let path;
		for (const n of nodes) {
			path = paths.get(n);
			if (path) break;
		}
		/** @type {{ argument: string, field: string }|undefined} */
		let owner;
		/** @type {string|undefined} */
		let printed;
		for (const n of nodes) {
			owner = values.get(n);
			if (owner) {
				printed = print(n);
				break;
			}
		}
		const { message, extensions } = rubyMessage(e.message, owner, printed);
		/** @type {ShopifyError} */
		const out = { message };
		if (e.locations) out.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
		if (path) out.path = path;
		out.extensions = extensions;
		return out;
	});
}

/**
 * Map one graphql-js validation message to graphql-ruby's wording and extension code.
 * @param {string} msg
 * @param {{ argument: string, field: string }} [owner]  the argument a bad value sits in
 * @param {string} [printed]  the bad value, printed
 * @returns {{ message: string, extensions: Record<string, unknown> }}
 */
function rubyMessage(msg, owner, printed) {
	let m;
	if ((m = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(msg))) {
		return {
			message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
			extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] },
		};
	}
	if ((m = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(msg))) {
		return {
			message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
			extensions: { code: 'argumentNotAccepted', name: m[3], typeName: 'Field', argumentName: m[1] },
		};
	}
	if ((m = /^Unknown argument "([^"]+)" on directive "@([^"]+)"\./.exec(msg))) {
		return {
			message: `Directive '${m[2]}' doesn't accept argument '${m[1]}'`,
			extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'Directive', argumentName: m[1] },
		};
	}
	if ((m = /^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\./.exec(msg))) {
		return {
			message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
			extensions: { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] },
		};
	}
	if ((m = /^Directive "@([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\./.exec(msg))) {
		return {
			message: `Directive '${m[1]}' is missing required arguments: ${m[2]}`,
			extensions: { code: 'missingRequiredArguments', className: 'Directive', name: m[1], arguments: m[2] },
		};
	}
	if ((m = /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./.exec(msg))) {
		const arg = owner ? owner.argument : '?';
		return {
			message: `Type mismatch on variable $${m[1]} and argument ${arg} (${m[2]} / ${m[3]})`,
			extensions: { code: 'variableMismatch', variableName: m[1], typeName: m[2], argumentName: arg, errorMessage: 'Type mismatch' },
		};
	}
	if ((m = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(msg))) {
		const t = m[2].replace(/[!\[\]]/g, '');
		return {
			message: `Field must have selections (field '${m[1]}' returns ${t} but has no selections. Did you mean '${m[1]} { ... }'?)`,
			extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: t },
		};
	}
	if ((m = /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./.exec(msg))) {
		const t = m[2].replace(/[!\[\]]/g, '');
		return {
			message: `Selections can't be made on scalars (field '${m[1]}' returns ${t} but has selections)`,
			extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: t },
		};
	}
	if ((m = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(msg))) {
		return {
			message: `Variable $${m[1]} is declared by ${m[2] ?? 'anonymous query'} but not used`,
			extensions: { code: 'variableNotUsed', variableName: m[1] },
		};
	}
	if ((m = /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?\./.exec(msg))) {
		return {
			message: `Variable $${m[1]} is used by ${m[2] ?? 'anonymous query'} but not declared`,
			extensions: { code: 'variableNotDefined', variableName: m[1] },
		};
	}
	if ((m = /^Unknown type "([^"]+)"\./.exec(msg))) {
		return { message: `No such type ${m[1]}, so it can't be used`, extensions: { code: 'undefinedType', typeName: m[1] } };
	}
	if ((m = /^Unknown directive "@([^"]+)"\./.exec(msg))) {
		return { message: `Directive @${m[1]} is not defined`, extensions: { code: 'undefinedDirective', directiveName: m[1] } };
	}
	if ((m = /^Unknown fragment "([^"]+)"\./.exec(msg))) {
		return { message: `Fragment ${m[1]} was used, but not defined`, extensions: { code: 'useAndDefineFragment', fragmentName: m[1] } };
	}
	if ((m = /^Fragment "([^"]+)" is never used\./.exec(msg))) {
		return { message: `Fragment ${m[1]} was defined, but not used`, extensions: { code: 'useAndDefineFragment', fragmentName: m[1] } };
	}
	if ((m = /^Field "([^"]+)" is not defined by type "([^"]+)"\./.exec(msg))) {
		return {
			message: `InputObject '${m[2]}' doesn't accept argument '${m[1]}'`,
			extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'InputObject', argumentName: m[1] },
		};
	}
	if ((m = /^Field "([^".]+)\.([^"]+)" of required type "([^"]+)" was not provided\./.exec(msg))) {
		return {
			message: `Argument '${m[2]}' on InputObject '${m[1]}' is required. Expected type ${m[3]}`,
			extensions: { code: 'missingRequiredInputObjectAttribute', argumentName: m[2], argumentType: m[3], inputObjectType: m[1] },
		};
	}
	if (/^Must provide operation name if query contains multiple operations\./.test(msg)) {
		return { message: 'An operation name is required', extensions: { code: 'operationNameRequired' } };
	}
	if (/^There can be only one operation named/.test(msg)) {
		return { message: msg, extensions: { code: 'operationNameUniqueness' } };
	}
	if (/^OneOf Input Object "([^"]+)" must specify exactly one key\./.test(msg)) {
		return { message: msg, extensions: { code: 'invalidOneOfInputObject' } };
	}
	if (owner) {
		const expected = /type "([^"]+)"/.exec(msg) || /^(\w+) cannot represent/.exec(msg) || /^(\w+) must/.exec(msg);
		const exp = expected ? ` Expected type '${expected[1]}'.` : '';
		return {
			message: `Argument '${owner.argument}' on Field '${owner.field}' has an invalid value (${printed ?? '?'}).${exp}`,
			extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: owner.argument, detail: msg },
		};
	}
	return { message: msg, extensions: { code: 'validationError' } };
}

/**
 * A parse error in Shopify's wording: `Parse error on "}" (RCURLY) at [1, 20]`.
 * @param {GraphQLError} e
 * @returns {ShopifyError}
 */
function translateSyntaxError(e) {
	const loc = e.locations && e.locations[0];
	const found = /found (.+)\.$/.exec(e.message);
	let token = found ? found[1] : 'end of document';
	token = token.replace(/^"|"$/g, '');
	const where = loc ? ` at [${loc.line}, ${loc.column}]` : '';
	return {
		message: `Parse error on "${token}"${where}`,
		locations: loc ? [{ line: loc.line, column: loc.column }] : undefined,
		extensions: { code: 'parseError', detail: e.message.replace(/^Syntax Error: /, '') },
	};
}

/**
 * Variable coercion errors in graphql-ruby's shape:
 * `Variable $id of type ID! was provided invalid value`, extensions.problems[].explanation.
 * @param {readonly GraphQLError[]} errors
 * @param {import('graphql').OperationDefinitionNode|undefined} operation
 * @param {Record<string, unknown>} variables
 * @returns {ShopifyError[]}
 */
function translateVariableErrors(errors, operation, variables) {
	/** @type {Record<string, string>} */
	const types = {};
	if (operation && operation.variableDefinitions) {
		const { print } = require('graphql');
		for (const d of operation.variableDefinitions) types[d.variable.name.value] = print(d.type);
	}
	return errors.map((e) => {
		const m = /^Variable "\$([^"]+)"/.exec(e.message);
		if (!m) return { message: e.message, locations: e.locations?.map((l) => ({ line: l.line, column: l.column })), extensions: { code: 'INVALID_VARIABLE' } };
		const name = m[1];
		let explanation = e.message;
		let pathInValue = [];
		const got = /got invalid value .*?; (.*)$/s.exec(e.message);
		if (got) explanation = got[1];
		const at = /at "([^"]+)"/.exec(e.message);
		if (at) pathInValue = at[1].split('.').slice(1);
		if (/was not provided\.$/.test(e.message)) explanation = 'Expected value to not be null';
		if (/must not be null\.$/.test(e.message)) explanation = 'Expected value to not be null';
		return {
			message: `Variable $${name} of type ${types[name] ?? '?'} was provided invalid value${pathInValue.length ? ` for ${pathInValue.join('.')}` : ''}`,
			locations: e.locations?.map((l) => ({ line: l.line, column: l.column })),
			extensions: {
				code: 'INVALID_VARIABLE',
				value: variables[name] === undefined ? null : variables[name],
				problems: [{ path: pathInValue, explanation }],
			},
		};
	});
}

/**
 * Execution errors: keep message, locations, path and our extensions.
 * @param {readonly GraphQLError[]} errors
 * @returns {ShopifyError[]}
 */
function formatExecutionErrors(errors) {
	return errors.map((e) => {
		/** @type {ShopifyError} */
		const out = { message: e.message };
		if (e.locations) out.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
		if (e.path) out.path = e.path.slice();
		const ext = e.extensions && Object.keys(e.extensions).length ? { ...e.extensions } : undefined;
		if (ext) out.extensions = ext;
		else out.extensions = { code: 'INTERNAL_SERVER_ERROR' };
		return out;
	});
}

/**
 * An error thrown by a resolver with Shopify extensions.
 * @param {string} message
 * @param {Record<string, unknown>} extensions
 */
function shopifyError(message, extensions) {
	return new GraphQLError(message, { extensions });
}

module.exports = { translateValidationErrors, translateSyntaxError, translateVariableErrors, formatExecutionErrors, shopifyError, rubyMessage };
