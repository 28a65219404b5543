// @ts-check
'use strict';

/**
 * Shopify API search syntax (https://shopify.dev/api/usage/search-syntax), the part the sandbox
 * needs: terms `field:value`, comparators `field:>value` `>=` `<` `<=`, quoted values ("…" or '…'),
 * implicit AND, `AND`, `OR`, `NOT` / leading `-`, parentheses, a trailing `*` for a prefix, and
 * free text (matched against the resource's default fields).
 *
 * Text fields are TOKENISED like Shopify's search index: the value and the stored text are split
 * into lower-case alphanumeric tokens; an unquoted value matches when every token occurs, a quoted
 * value when the tokens occur next to each other in order. So `sku:"SKU-1"` also finds "SKU-1-RED":
 * exact matching is the client's job. Unknown fields are ignored and reported as a warning (the way
 * Shopify reports them in `extensions.search`).
 */

/**
 * @typedef {{ kind: 'term', field: string|null, op: ':'|'>'|'>='|'<'|'<=', value: string, quoted: boolean, prefix: boolean, raw: string }} Term
 * @typedef {{ kind: 'and'|'or', items: Node[] } | { kind: 'not', item: Node } | Term} Node
 * @typedef {'text'|'exact'|'date'|'number'|'bool'|'custom'} FieldKind
 * @typedef {{ kind: FieldKind, get: (record: any) => unknown, match?: (record: any, term: Term) => boolean }} FieldSpec
 * @typedef {{ fields: Record<string, FieldSpec>, defaultFields: string[], dynamic?: (name: string) => FieldSpec|null }} SearchSpec
 */

/**
 * @param {string} input
 * @returns {string[]}
 */
function lex(input) {
	/** @type {string[]} */
	const out = [];
	let i = 0;
	while (i < input.length) {
		const c = input[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '(' || c === ')') {
			out.push(c);
			i++;
			continue;
		}
		let tok = '';
		while (i < input.length && !/\s/.test(input[i]) && input[i] !== ')' && !(input[i] === '(' && tok === '')) {
			const ch = input[i];
			if (ch === '"' || ch === "'") {
				let j = i + 1;
				let q = ch;
				while (j < input.length && input[j] !== ch) {
					if (input[j] === '\\' && j + 1 < input.length) {
						q += input[j + 1];
						j += 2;
						continue;
					}
					q += input[j];
					j++;
				}
				tok += q + ch;
				i = j + 1;
				continue;
			}
			tok += ch;
			i++;
		}
		if (tok) out.push(tok);
	}
	return out;
}

/**
 * @param {string} raw
 * @returns {Term}
 */
function parseTerm(raw) {
	let field = null;
	let rest = raw;
	const m = /^([A-Za-z_][\w.]*):(.*)$/s.exec(raw);
	if (m) {
		field = m[1].toLowerCase();
		rest = m[2];
	}
	/** @type {Term['op']} */
	let op = ':';
	const cm = /^(>=|<=|>|<)(.*)$/s.exec(rest);
	if (cm && field) {
		op = /** @type {Term['op']} */ (cm[1]);
		rest = cm[2];
	}
	let quoted = false;
	if (rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") && rest[rest.length - 1] === rest[0]) {
		quoted = true;
		rest = rest.slice(1, -1);
	}
	let prefix = false;
	if (!quoted && rest.endsWith('*')) {
		prefix = true;
		rest = rest.slice(0, -1);
	}
	return { kind: 'term', field, op, value: rest, quoted, prefix, raw };
}

/**
 * @param {string} query
 * @returns {Node|null}
 */
function parse(query) {
	const tokens = lex(query || '');
	let pos = 0;
	/** @returns {Node|null} */
	const parseOr = () => {
		/** @type {Node[]} */
		const items = [];
		const first = parseAnd();
		if (first) items.push(first);
		while (pos < tokens.length && tokens[pos] === 'OR') {
			pos++;
			const next = parseAnd();
			if (next) items.push(next);
		}
		if (items.length === 0) return null;
		return items.length === 1 ? items[0] : { kind: 'or', items };
	};
	/** @returns {Node|null} */
	const parseAnd = () => {
		/** @type {Node[]} */
		const items = [];
		while (pos < tokens.length && tokens[pos] !== ')' && tokens[pos] !== 'OR') {
			if (tokens[pos] === 'AND') {
				pos++;
				continue;
			}
			const u = parseUnary();
			if (u) items.push(u);
		}
		if (items.length === 0) return null;
		return items.length === 1 ? items[0] : { kind: 'and', items };
	};
	/** @returns {Node|null} */
	const parseUnary = () => {
		const t = tokens[pos];
		if (t === 'NOT') {
			pos++;
			const item = parseUnary();
			return item ? { kind: 'not', item } : null;
		}
		if (t === '(') {
			pos++;
			const inner = parseOr();
			if (tokens[pos] === ')') pos++;
			return inner;
		}
		pos++;
		if (t.startsWith('-') && t.length > 1) return { kind: 'not', item: parseTerm(t.slice(1)) };
		return parseTerm(t);
	};
	const node = parseOr();
	return node;
}

/** @param {string} s */
function tokens(s) {
	return String(s)
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
}

/**
 * Tokenised text match.
 * @param {unknown} stored
 * @param {Term} term
 */
function textMatch(stored, term) {
	const values = Array.isArray(stored) ? stored : [stored];
	const want = tokens(term.value);
	if (want.length === 0) return true;
	return values.some((v) => {
		if (v === null || v === undefined) return false;
		const have = tokens(String(v));
		/** @param {string} h @param {string} w @param {boolean} last */
		const eq = (h, w, last) => (term.prefix && last ? h.startsWith(w) : h === w);
		if (term.quoted) {
			for (let i = 0; i + want.length <= have.length; i++) {
				if (want.every((w, k) => eq(have[i + k], w, k === want.length - 1))) return true;
			}
			return false;
		}
		return want.every((w, k) => have.some((h) => eq(h, w, k === want.length - 1)));
	});
}

/**
 * Parse a search date value: ISO date/time, a year, or `now`.
 * @param {string} value
 * @param {number} now
 * @returns {{ start: number, end: number }|null} [start, end) in epoch ms
 */
function dateRange(value, now) {
	const v = value.trim();
	if (v.toLowerCase() === 'now') return { start: now, end: now + 1 };
	if (/^\d{4}$/.test(v)) return { start: Date.UTC(Number(v), 0, 1), end: Date.UTC(Number(v) + 1, 0, 1) };
	if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
		const s = Date.parse(`${v}T00:00:00Z`);
		return Number.isNaN(s) ? null : { start: s, end: s + 86400000 };
	}
	const t = Date.parse(v);
	if (Number.isNaN(t)) return null;
	return { start: t, end: t + 1 };
}

/**
 * @param {Term} term
 * @param {number} a  stored
 * @param {number} b  wanted
 */
function compare(term, a, b) {
	switch (term.op) {
		case '>':
			return a > b;
		case '>=':
			return a >= b;
		case '<':
			return a < b;
		case '<=':
			return a <= b;
		default:
			return a === b;
	}
}

/**
 * @param {Term} term
 * @param {FieldSpec} spec
 * @param {any} record
 * @param {number} now
 */
function termMatch(term, spec, record, now) {
	if (spec.match) return spec.match(record, term);
	const stored = spec.get(record);
	switch (spec.kind) {
		case 'text':
			return textMatch(stored, term);
		case 'exact': {
			const values = (Array.isArray(stored) ? stored : [stored]).filter((v) => v !== null && v !== undefined).map((v) => String(v).toLowerCase());
			const wanted = term.value.split(',').map((w) => w.trim().toLowerCase());
			return values.some((v) => wanted.some((w) => (term.prefix ? v.startsWith(w) : v === w)));
		}
		case 'bool':
			return String(Boolean(stored)) === term.value.toLowerCase();
		case 'number': {
			const n = Number(term.value);
			if (Number.isNaN(n)) return false;
			return compare(term, Number(stored), n);
		}
		case 'date': {
			if (stored === null || stored === undefined) return false;
			const t = typeof stored === 'number' ? stored : Date.parse(String(stored));
			const r = dateRange(term.value, now);
			if (!r || Number.isNaN(t)) return false;
			switch (term.op) {
				case '>':
					return t >= r.end;
				case '>=':
					return t >= r.start;
				case '<':
					return t < r.start;
				case '<=':
					return t < r.end;
				default:
					return t >= r.start && t < r.end;
			}
		}
		default:
			return false;
	}
}

/**
 * Compile a query into a predicate.
 * @param {string|null|undefined} query
 * @param {SearchSpec} spec
 * @param {number} now  epoch ms for `now`
 * @returns {{ test: (record: any) => boolean, warnings: { field: string, message: string }[], fieldsUsed: string[] }}
 */
function compile(query, spec, now) {
	const ast = query ? parse(query) : null;
	/** @type {{ field: string, message: string }[]} */
	const warnings = [];
	/** @type {string[]} */
	const fieldsUsed = [];
	/** @param {Node} node */
	const check = (node) => {
		if (node.kind === 'and' || node.kind === 'or') node.items.forEach(check);
		else if (node.kind === 'not') check(node.item);
		else if (node.kind === 'term' && node.field) {
			fieldsUsed.push(node.field);
			if (!spec.fields[node.field] && !(spec.dynamic && spec.dynamic(node.field))) {
				warnings.push({ field: node.field, message: 'Invalid search field for this query.' });
			}
		}
	};
	if (ast) check(ast);
	/** @param {Node} node @param {any} record @returns {boolean} */
	const evaluate = (node, record) => {
		if (node.kind === 'and') return node.items.every((n) => evaluate(n, record));
		if (node.kind === 'or') return node.items.some((n) => evaluate(n, record));
		if (node.kind === 'not') return !evaluate(node.item, record);
		if (node.kind !== 'term') return true;
		if (node.field) {
			const f = spec.fields[node.field] || (spec.dynamic ? spec.dynamic(node.field) : null);
			if (!f) return true; // ignored, reported as a warning
			return termMatch(node, f, record, now);
		}
		return spec.defaultFields.some((name) => {
			const f = spec.fields[name];
			return f ? termMatch(node, { ...f, kind: f.kind === 'exact' ? 'text' : f.kind }, record, now) : false;
		});
	};
	return { test: (record) => (ast ? evaluate(ast, record) : true), warnings, fieldsUsed };
}

module.exports = { parse, compile, textMatch, tokens };
