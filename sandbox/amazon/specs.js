// @ts-check
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;

/**
 * Loads Amazon's Swagger 2.0 models from disk (never copied into the repo) and validates requests
 * and responses against them with ajv (`strict: false`; the models use no draft-04-only keywords,
 * so draft-07 evaluation gives draft-04 results).
 *
 * @typedef {import('./operations').OperationDef} OperationDef
 * @typedef {{ name: string, in: string, required?: boolean, type?: string, format?: string, items?: any,
 *   collectionFormat?: string, enum?: any[], schema?: any, minimum?: number, maximum?: number,
 *   minItems?: number, maxItems?: number, pattern?: string, minLength?: number, maxLength?: number }} SwaggerParam
 * @typedef {{ query: Record<string, string[]>, pathParams: Record<string, string>, body?: unknown, hasBody: boolean }} RequestParts
 * @typedef {object} SpecRegistry
 * @property {string} status                     'on' | 'off: <reason>' | 'partial: <reason>'
 * @property {(op: string) => boolean} has
 * @property {(op: string, parts: RequestParts) => string[]} validateRequest   violations (empty = valid)
 * @property {(op: string, status: number, body: unknown) => string[]} validateResponse
 * @property {(file: string, definition: string, value: unknown) => string[] | null} validateDefinition  null = spec missing
 * @property {(op: string) => SwaggerParam[] | null} parameters
 * @property {(op: string, status: number) => boolean | null} documents  does the model list this status? null = unknown
 */

/** @type {Map<string, SpecRegistry>} */
const cache = new Map();

/**
 * @param {string} dir          directory holding the `amazon/` folder (or the amazon folder itself)
 * @param {OperationDef[]} operations
 * @returns {SpecRegistry}
 */
function loadSpecs(dir, operations) {
	const key = `${path.resolve(dir)}|${operations.map((o) => o.name).join(',')}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const registry = build(dir, operations);
	cache.set(key, registry);
	return registry;
}

/** @param {string} dir @param {OperationDef[]} operations @returns {SpecRegistry} */
function build(dir, operations) {
	const amazonDir = fs.existsSync(path.join(dir, 'amazon')) ? path.join(dir, 'amazon') : dir;
	if (!fs.existsSync(amazonDir)) return off(`specs directory ${amazonDir} not found`);
	const files = [...new Set(operations.map((o) => o.spec)), 'orders_2026-01-01.json'];
	/** @type {Record<string, any>} */
	const docs = {};
	/** @type {string[]} */
	const missing = [];
	for (const file of files) {
		const p = path.join(amazonDir, file);
		if (!fs.existsSync(p)) {
			missing.push(file);
			continue;
		}
		try {
			docs[file] = JSON.parse(fs.readFileSync(p, 'utf8'));
		} catch (err) {
			missing.push(`${file} (unreadable: ${/** @type {Error} */ (err).message})`);
		}
	}
	if (Object.keys(docs).length === 0) return off(`no Amazon models in ${amazonDir}`);

	const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, allowUnionTypes: true });
	addFormats(ajv);
	const int = (/** @type {number} */ bits) => ({
		type: /** @type {'number'} */ ('number'),
		validate: (/** @type {number} */ n) => Number.isInteger(n) && Math.abs(n) <= 2 ** (bits - 1),
	});
	ajv.addFormat('int32', int(32));
	ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
	ajv.addFormat('double', { type: 'number', validate: () => true });
	ajv.addFormat('float', { type: 'number', validate: () => true });
	for (const [file, doc] of Object.entries(docs)) ajv.addSchema({ ...doc, $id: `spec:${file}` }, `spec:${file}`);

	/** @type {Map<string, { def: OperationDef, op: any, file: string, pathKey: string }>} */
	const ops = new Map();
	for (const def of operations) {
		const doc = docs[def.spec];
		const op = doc?.paths?.[def.path]?.[def.method.toLowerCase()];
		if (op) ops.set(def.name, { def, op, file: def.spec, pathKey: def.path });
		else if (doc) missing.push(`${def.name} not in ${def.spec}`);
	}

	/** @type {Map<string, import('ajv').ValidateFunction>} */
	const compiled = new Map();
	/** @param {string} cacheKey @param {() => any} schema */
	const getValidator = (cacheKey, schema) => {
		let v = compiled.get(cacheKey);
		if (!v) {
			v = ajv.compile(schema());
			compiled.set(cacheKey, v);
		}
		return v;
	};
	/** @param {string} file @param {any} schema  rewrite local refs to the file's $id */
	const scoped = (file, schema) => JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"spec:${file}#/`));

	/** @param {string} op @returns {SwaggerParam[]} */
	const paramsOf = (op) => {
		const entry = ops.get(op);
		if (!entry) return [];
		const doc = docs[entry.file];
		const pathLevel = doc.paths[entry.pathKey].parameters ?? [];
		/** @type {SwaggerParam[]} */
		const list = [...pathLevel, ...(entry.op.parameters ?? [])].map((p) => (p.$ref ? resolvePointer(doc, p.$ref) : p));
		return list;
	};

	return {
		status: missing.length ? `partial: ${missing.join('; ')}` : 'on',
		has: (op) => ops.has(op),
		parameters: (op) => (ops.has(op) ? paramsOf(op) : null),
		documents: (op, status) => {
			const entry = ops.get(op);
			return entry ? Object.prototype.hasOwnProperty.call(entry.op.responses ?? {}, String(status)) : null;
		},
		validateRequest(op, parts) {
			const entry = ops.get(op);
			if (!entry) return [];
			/** @type {string[]} */
			const errors = [];
			const params = paramsOf(op);
			const known = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
			for (const name of Object.keys(parts.query)) {
				if (!known.has(name)) errors.push(`unknown query parameter [${name}]`);
			}
			for (const p of params) {
				if (p.in === 'query' || p.in === 'path') {
					/** @type {string[]|undefined} */
					const raw = p.in === 'query' ? parts.query[p.name] : parts.pathParams[p.name] !== undefined ? [parts.pathParams[p.name]] : undefined;
					if (raw === undefined) {
						if (p.required) errors.push(`missing required parameter [${p.name}]`);
						continue;
					}
					const multi = p.type === 'array' && p.collectionFormat === 'multi';
					if (raw.length > 1 && !multi) {
						errors.push(
							p.type === 'array'
								? `parameter [${p.name}] given ${raw.length} times; arrays are one comma-separated value (collectionFormat ${p.collectionFormat ?? 'csv'})`
								: `parameter [${p.name}] given ${raw.length} times; it takes one value`,
						);
						continue;
					}
					const coerced = coerceParam(p, raw);
					if ('error' in coerced) {
						errors.push(coerced.error);
						continue;
					}
					const v = getValidator(`${op}:param:${p.name}`, () => paramSchema(p, entry.file));
					if (!v(coerced.value)) errors.push(...formatAjvErrors(v.errors ?? [], p.name));
				} else if (p.in === 'body') {
					if (!parts.hasBody) {
						if (p.required) errors.push('missing request body');
						continue;
					}
					const v = getValidator(`${op}:body`, () => scoped(entry.file, p.schema));
					if (!v(parts.body)) errors.push(...formatAjvErrors(v.errors ?? [], ''));
				}
			}
			if (parts.hasBody && !params.some((p) => p.in === 'body')) errors.push('this operation takes no request body');
			return errors;
		},
		validateResponse(op, status, body) {
			const entry = ops.get(op);
			if (!entry) return [];
			const responses = entry.op.responses ?? {};
			const response = responses[String(status)] ?? responses.default;
			if (!response) return [`status ${status} is not a documented response of ${op}`];
			if (!response.schema) return body === undefined || body === '' ? [] : [`status ${status} of ${op} has no body in the model, but one was sent`];
			if (body === undefined) return [`status ${status} of ${op} needs a body`];
			const v = getValidator(`${op}:response:${status}`, () => scoped(entry.file, response.schema));
			return v(body) ? [] : formatAjvErrors(v.errors ?? [], '').map((e) => `response ${status}: ${e}`);
		},
		validateDefinition(file, definition, value) {
			if (!docs[file]?.definitions?.[definition]) return null;
			const v = getValidator(`def:${file}:${definition}`, () => ({ $ref: `spec:${file}#/definitions/${definition}` }));
			return v(value) ? [] : formatAjvErrors(v.errors ?? [], '');
		},
	};
}

/** @param {string} reason @returns {SpecRegistry} */
function off(reason) {
	return {
		status: `off: ${reason}`,
		has: () => false,
		parameters: () => null,
		documents: () => null,
		validateRequest: () => [],
		validateResponse: () => [],
		validateDefinition: () => null,
	};
}

/** @param {any} doc @param {string} ref */
function resolvePointer(doc, ref) {
	return ref
		.replace(/^#\//, '')
		.split('/')
		.reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/**
 * @param {SwaggerParam} p
 * @param {string[]} raw
 * @returns {{ value: unknown } | { error: string }}
 */
function coerceParam(p, raw) {
	/** @param {string} text @param {any} spec @param {string} label */
	const one = (text, spec, label) => {
		switch (spec.type) {
			case 'integer':
				if (!/^-?\d+$/.test(text)) return { error: `invalid type [${label}]: expected an integer, got ${JSON.stringify(text)}` };
				return { value: Number(text) };
			case 'number':
				if (text.trim() === '' || !Number.isFinite(Number(text))) return { error: `invalid type [${label}]: expected a number, got ${JSON.stringify(text)}` };
				return { value: Number(text) };
			case 'boolean':
				if (text !== 'true' && text !== 'false') return { error: `invalid type [${label}]: expected true or false, got ${JSON.stringify(text)}` };
				return { value: text === 'true' };
			default:
				return { value: text };
		}
	};
	if (p.type === 'array') {
		const fmt = p.collectionFormat ?? 'csv';
		const sep = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' }[fmt];
		const parts = fmt === 'multi' ? raw : raw[0].split(/** @type {string} */ (sep));
		/** @type {unknown[]} */
		const values = [];
		for (const part of parts) {
			const r = one(part, p.items ?? { type: 'string' }, p.name);
			if ('error' in r) return r;
			values.push(r.value);
		}
		return { value: values };
	}
	return one(raw[0], p, p.name);
}

/** @param {SwaggerParam} p @param {string} file */
function paramSchema(p, file) {
	/** @type {Record<string, any>} */
	const schema = {};
	for (const k of ['type', 'format', 'enum', 'minimum', 'maximum', 'minItems', 'maxItems', 'pattern', 'minLength', 'maxLength', 'items']) {
		if (/** @type {any} */ (p)[k] !== undefined) schema[k] = /** @type {any} */ (p)[k];
	}
	return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"spec:${file}#/`));
}

/**
 * ajv errors -> short messages naming the field like Amazon does: "invalid type [a.b[0].c]".
 * @param {import('ajv').ErrorObject[]} errors
 * @param {string} root      name to prefix (parameter name) or '' for a body
 */
function formatAjvErrors(errors, root) {
	/** @type {string[]} */
	const out = [];
	for (const e of errors) {
		const parts = e.instancePath
			.split('/')
			.slice(1)
			.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
		let field = root;
		for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field ? `.${part}` : part;
		const at = field || '(body)';
		switch (e.keyword) {
			case 'type':
				out.push(`invalid type [${at}]: must be ${e.params.type}`);
				break;
			case 'required': {
				const missing = e.params.missingProperty;
				out.push(`missing required field [${field ? `${field}.${missing}` : missing}]`);
				break;
			}
			case 'format':
				out.push(`invalid format [${at}]: must match format "${e.params.format}"`);
				break;
			case 'enum':
				out.push(`invalid value [${at}]: must be one of ${(e.params.allowedValues ?? []).join(', ')}`);
				break;
			default:
				out.push(`invalid value [${at}]: ${e.message ?? e.keyword}`);
		}
	}
	return [...new Set(out)];
}

module.exports = { loadSpecs, formatAjvErrors };
