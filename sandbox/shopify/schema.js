// @ts-check
'use strict';

/**
 * Loads Shopify's real Admin GraphQL SDL (read from disk at run time, never copied into the repo)
 * and builds a graphql-js schema per API version, cached for the whole process (the file is 3.7 MB
 * and takes about half a second to build). When the SDL is missing (a user's machine without the
 * specs), falls back to `subset.graphql`, a hand-written subset covering what the nodes send.
 *
 * Custom scalars get strict parsing here, like Shopify: a bad DateTime, Decimal, URL or
 * UnsignedInt64 is rejected during variable coercion or validation.
 */

const fs = require('fs');
const path = require('path');
const { buildSchema, GraphQLError, Kind, isScalarType } = require('graphql');

/** @typedef {{ schema: import('graphql').GraphQLSchema, source: 'sdl'|'subset', file: string, reason: string|null }} LoadedSchema */

/** @type {Map<string, LoadedSchema>} */
const cache = new Map();

const SUBSET_FILE = path.join(__dirname, 'subset.graphql');

/**
 * Find the directory holding admin-<version>.graphql. Accepts the specs root (`…/specs`) or the
 * Shopify folder itself (`…/specs/shopify`).
 * @param {string} [specsDir]
 * @returns {string}
 */
function resolveSpecsDir(specsDir) {
	/** @type {string[]} */
	const candidates = [];
	if (specsDir) candidates.push(path.join(specsDir, 'shopify'), specsDir);
	const env = process.env.SHARED_SPECS_DIR || process.env.SANDBOX_SPECS_DIR || process.env.SHOPIFY_SPECS_DIR;
	if (env) candidates.push(path.join(env, 'shopify'), env);
	if (!specsDir) {
		// repo/sandbox/shopify -> repo/../shared/specs/shopify (the project's layout) or repo/shared/specs/shopify
		candidates.push(path.resolve(__dirname, '../../../shared/specs/shopify'), path.resolve(__dirname, '../../shared/specs/shopify'));
	}
	for (const dir of candidates) {
		try {
			if (fs.readdirSync(dir).some((f) => /^admin-.*\.graphql$/.test(f) || f === 'webhooks-2026-07')) return dir;
		} catch {
			// try the next one
		}
	}
	return candidates[0] ?? path.resolve(__dirname, '../../../shared/specs/shopify');
}

/**
 * @param {string} dir
 * @param {string} version
 */
function sdlPath(dir, version) {
	return path.join(dir, `admin-${version}.graphql`);
}

/**
 * Is the real SDL for `version` available? (Cheap: no parsing.)
 * @param {string} dir @param {string} version
 * @returns {string|null} null when available, else the reason
 */
function sdlMissingReason(dir, version) {
	const file = sdlPath(dir, version);
	try {
		fs.accessSync(file, fs.constants.R_OK);
		return null;
	} catch {
		return `${path.basename(file)} not found in ${dir}`;
	}
}

/**
 * @param {string} dir
 * @param {string} version
 * @returns {LoadedSchema}
 */
function loadSchema(dir, version) {
	const file = sdlPath(dir, version);
	const missing = sdlMissingReason(dir, version);
	const key = missing ? `subset:${version}` : `sdl:${file}`;
	const hit = cache.get(key);
	if (hit) return hit;
	/** @type {LoadedSchema} */
	let loaded;
	if (!missing) {
		loaded = { schema: buildSchema(fs.readFileSync(file, 'utf8')), source: 'sdl', file, reason: null };
	} else {
		loaded = { schema: buildSchema(fs.readFileSync(SUBSET_FILE, 'utf8')), source: 'subset', file: SUBSET_FILE, reason: missing };
	}
	installScalars(loaded.schema);
	cache.set(key, loaded);
	return loaded;
}

/** @param {string} message */
function scalarError(message) {
	return new GraphQLError(message);
}

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// ISO 8601 date-time (Shopify accepts a date-time with or without offset; a bare date is accepted too)
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * @param {unknown} value
 * @param {string} typeName
 */
function parseDecimal(value, typeName) {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && DECIMAL_RE.test(value.trim())) return value.trim();
	throw scalarError(`${typeName} must be a decimal number, such as "19.99"; got ${JSON.stringify(value)}`);
}

/** @param {unknown} value */
function parseDateTime(value) {
	if (typeof value === 'string' && DATETIME_RE.test(value) && !Number.isNaN(Date.parse(value))) return value;
	throw scalarError(`DateTime must be an ISO 8601 date and time, such as "2026-11-20T10:00:00Z"; got ${JSON.stringify(value)}`);
}

/** @param {unknown} value */
function parseUrl(value) {
	if (typeof value === 'string') {
		try {
			const u = new URL(value);
			if (u.protocol) return value;
		} catch {
			// fall through
		}
	}
	throw scalarError(`URL must be an absolute URL, such as "https://example.com"; got ${JSON.stringify(value)}`);
}

/** @param {unknown} value */
function parseUnsignedInt64(value) {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
	if (typeof value === 'string' && /^\d+$/.test(value)) return value;
	throw scalarError(`UnsignedInt64 must be a non-negative integer; got ${JSON.stringify(value)}`);
}

/**
 * Turn a literal AST into a JS value (used by custom scalars' parseLiteral).
 * @param {import('graphql').ValueNode} ast
 * @param {Record<string, unknown>|null|undefined} variables
 * @returns {unknown}
 */
function literalValue(ast, variables) {
	switch (ast.kind) {
		case Kind.STRING:
		case Kind.ENUM:
			return ast.value;
		case Kind.INT:
			return Number.parseInt(ast.value, 10);
		case Kind.FLOAT:
			return Number.parseFloat(ast.value);
		case Kind.BOOLEAN:
			return ast.value;
		case Kind.NULL:
			return null;
		case Kind.LIST:
			return ast.values.map((v) => literalValue(v, variables));
		case Kind.OBJECT:
			return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
		case Kind.VARIABLE:
			return variables ? variables[ast.name.value] : undefined;
		default:
			return undefined;
	}
}

/**
 * Replace the identity behaviour of SDL-built custom scalars with strict parsing.
 * @param {import('graphql').GraphQLSchema} schema
 */
function installScalars(schema) {
	/** @type {Record<string, (v: unknown) => unknown>} */
	const parsers = {
		Decimal: (v) => parseDecimal(v, 'Decimal'),
		Money: (v) => parseDecimal(v, 'Money'),
		DateTime: parseDateTime,
		URL: parseUrl,
		UnsignedInt64: parseUnsignedInt64,
		Date: (v) => {
			if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
			throw scalarError(`Date must look like "2026-11-20"; got ${JSON.stringify(v)}`);
		},
	};
	for (const type of Object.values(schema.getTypeMap())) {
		if (!isScalarType(type) || type.name.startsWith('__')) continue;
		if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
		const parse = parsers[type.name];
		const t = /** @type {any} */ (type);
		if (parse) {
			t.parseValue = parse;
			t.parseLiteral = (/** @type {import('graphql').ValueNode} */ ast, /** @type {any} */ vars) => {
				if (ast.kind === Kind.OBJECT || ast.kind === Kind.LIST) throw scalarError(`${type.name} cannot be an object or a list`);
				return parse(literalValue(ast, vars));
			};
		} else {
			t.parseLiteral = (/** @type {import('graphql').ValueNode} */ ast, /** @type {any} */ vars) => literalValue(ast, vars);
		}
		if (type.name === 'UnsignedInt64') t.serialize = (/** @type {unknown} */ v) => String(v);
	}
}

/** Forget cached schemas (tests). */
function clearSchemaCache() {
	cache.clear();
}

module.exports = { loadSchema, resolveSpecsDir, sdlMissingReason, sdlPath, clearSchemaCache, literalValue, SUBSET_FILE };
