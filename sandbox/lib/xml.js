// @ts-check
'use strict';

/**
 * A small STRICT XML parser and builder (no dependencies).
 *
 * parseXml(text) accepts: an optional BOM and `<?xml version="1.0" encoding="UTF-8"?>`
 * declaration, elements, attributes ('…' or "…", unique), text, CDATA, comments, processing
 * instructions (ignored), the five predefined entities and numeric character references.
 * It rejects (XmlError with line/column): DOCTYPE / DTDs / any other entity, a declaration that is
 * not first or not UTF-8, mismatched or unclosed tags, more than one root, text outside the root,
 * a bare `&` or `<`, `]]>` in text, `--` inside comments, duplicate attributes.
 *
 * @typedef {{ name: string, attrs: Record<string, string>, children: XmlElement[], text: string, line: number }} XmlElement
 *   `text` = all character data directly inside the element (CDATA included), untrimmed.
 * @typedef {{ name: string, attrs?: Record<string, string|number>, children?: (XmlNode|string|number|null|undefined|false)[] }} XmlNode
 */

class XmlError extends Error {
	/** @param {string} message @param {number} line @param {number} column */
	constructor(message, line, column) {
		super(`${message} (line ${line}, column ${column})`);
		this.name = 'XmlError';
		this.line = line;
		this.column = column;
	}
}

const NAME_START = /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const PREDEFINED = /** @type {Record<string, string>} */ ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" });

/**
 * @param {string|Buffer} input
 * @returns {XmlElement}  the root element
 */
function parseXml(input) {
	let s = typeof input === 'string' ? input : input.toString('utf8');
	if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
	let i = 0;

	/** @type {number[]} */
	const newlines = [];
	for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) newlines.push(k);
	const pos = (/** @type {number} */ at) => {
		let lo = 0;
		let hi = newlines.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (newlines[mid] < at) lo = mid + 1;
			else hi = mid;
		}
		return { line: lo + 1, col: at - (lo > 0 ? newlines[lo - 1] : -1) };
	};
	/** @param {string} msg @param {number} [at] @returns {never} */
	const fail = (msg, at = i) => {
		const p = pos(at);
		throw new XmlError(msg, p.line, p.col);
	};
	const lineAt = (/** @type {number} */ at) => pos(at).line;

	const readName = () => {
		const start = i;
		if (i >= s.length || !NAME_START.test(s[i])) fail('expected a name');
		i++;
		while (i < s.length && NAME_CHAR.test(s[i])) i++;
		return s.slice(start, i);
	};
	const skipWs = () => {
		while (i < s.length && /[ \t\r\n]/.test(s[i])) i++;
	};
	/** @param {string} text @param {number} at */
	const decode = (text, at) =>
		text.replace(/&([^;&<]*);|&/g, (m, ref, off) => {
			if (m === '&') fail('bare "&" (write &amp;)', at + off);
			if (ref in PREDEFINED) return PREDEFINED[ref];
			const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
			if (num) {
				const code = num[1] ? parseInt(num[1], 16) : parseInt(num[2], 10);
				const legal = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
				if (!legal) fail(`character reference &${ref}; is not a legal XML character`, at + off);
				return String.fromCodePoint(code);
			}
			return fail(`undefined entity &${ref};`, at + off);
		});

	/** @param {boolean} inRoot @returns {boolean} true if something was skipped */
	const skipMisc = (inRoot) => {
		if (s.startsWith('<!--', i)) {
			const end = s.indexOf('-->', i + 4);
			if (end < 0) fail('unterminated comment');
			if (s.slice(i + 4, end).includes('--')) fail('"--" is not allowed inside a comment');
			i = end + 3;
			return true;
		}
		if (s.startsWith('<?', i)) {
			const start = i;
			i += 2;
			const target = readName();
			if (target.toLowerCase() === 'xml') fail('the XML declaration must be the very first thing in the document', start);
			const end = s.indexOf('?>', i);
			if (end < 0) fail('unterminated processing instruction');
			i = end + 2;
			return true;
		}
		if (s.startsWith('<!DOCTYPE', i) || s.startsWith('<!doctype', i)) fail('DOCTYPE declarations are not allowed');
		if (!inRoot && s.startsWith('<!', i)) fail('unexpected markup declaration');
		return false;
	};

	// XML declaration
	if (s.startsWith('<?xml', 0) && /[ \t\r\n?]/.test(s[5] ?? '')) {
		const end = s.indexOf('?>');
		if (end < 0) fail('unterminated XML declaration');
		const decl = s.slice(5, end);
		if (!/^\s+version\s*=\s*(["'])1\.[0-9]\1/.test(decl)) fail('XML declaration needs version="1.0" first');
		const enc = /encoding\s*=\s*(["'])([^"']*)\1/.exec(decl);
		if (enc && !/^utf-?8$/i.test(enc[2])) fail(`unsupported encoding "${enc[2]}" (only UTF-8)`);
		i = end + 2;
	}

	/** @type {XmlElement|null} */
	let root = null;
	/** @type {XmlElement[]} */
	const stack = [];

	while (i < s.length) {
		if (stack.length === 0) {
			skipWs();
			if (i >= s.length) break;
			if (skipMisc(false)) continue;
			if (s[i] !== '<') fail(root ? 'text after the root element' : 'text before the root element');
			if (root) fail('more than one root element');
		}
		const current = stack[stack.length - 1];
		if (s[i] === '<') {
			if (current && skipMisc(true)) continue;
			if (s.startsWith('<![CDATA[', i)) {
				if (!current) fail('CDATA outside the root element');
				const end = s.indexOf(']]>', i + 9);
				if (end < 0) fail('unterminated CDATA section');
				current.text += s.slice(i + 9, end);
				i = end + 3;
				continue;
			}
			if (s.startsWith('<!', i)) fail('unexpected markup declaration');
			if (s[i + 1] === '/') {
				const at = i;
				i += 2;
				const name = readName();
				skipWs();
				if (s[i] !== '>') fail('expected ">" to close the end tag');
				i++;
				if (!current) fail(`unexpected end tag </${name}>`, at);
				if (current.name !== name) fail(`end tag </${name}> does not match <${current.name}> (opened on line ${current.line})`, at);
				stack.pop();
				continue;
			}
			const at = i;
			i++;
			const name = readName();
			/** @type {XmlElement} */
			const el = { name, attrs: {}, children: [], text: '', line: lineAt(at) };
			for (;;) {
				const hadWs = /[ \t\r\n]/.test(s[i] ?? '');
				skipWs();
				if (s[i] === '>' || s.startsWith('/>', i)) break;
				if (i >= s.length) fail(`unterminated start tag <${name}>`, at);
				if (!hadWs) fail('attributes must be separated by whitespace');
				const aName = readName();
				skipWs();
				if (s[i] !== '=') fail(`attribute "${aName}" needs a value`);
				i++;
				skipWs();
				const q = s[i];
				if (q !== '"' && q !== "'") fail(`attribute "${aName}" value must be quoted`);
				const end = s.indexOf(q, i + 1);
				if (end < 0) fail(`unterminated value of attribute "${aName}"`);
				const raw = s.slice(i + 1, end);
				if (raw.includes('<')) fail(`"<" is not allowed in the value of attribute "${aName}"`, i + 1 + raw.indexOf('<'));
				if (Object.prototype.hasOwnProperty.call(el.attrs, aName)) fail(`duplicate attribute "${aName}"`);
				el.attrs[aName] = decode(raw, i + 1);
				i = end + 1;
			}
			if (current) current.children.push(el);
			else root = el;
			if (s.startsWith('/>', i)) {
				i += 2;
			} else {
				i++;
				stack.push(el);
			}
			continue;
		}
		// character data
		const start = i;
		const next = s.indexOf('<', i);
		const end = next < 0 ? s.length : next;
		const raw = s.slice(start, end);
		if (raw.includes(']]>')) fail('"]]>" is not allowed in text', start + raw.indexOf(']]>'));
		if (!current) fail('text outside the root element', start);
		current.text += decode(raw, start);
		i = end;
	}
	if (stack.length) fail(`unclosed element <${stack[stack.length - 1].name}> (opened on line ${stack[stack.length - 1].line})`);
	if (!root) fail('no root element');
	return /** @type {XmlElement} */ (root);
}

/** @param {string|number} value */
function escapeXml(value) {
	return String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/**
 * @param {string} name
 * @param {Record<string, string|number>|null} [attrs]
 * @param {(XmlNode|string|number|null|undefined|false)[]} [children]
 * @returns {XmlNode}
 */
function el(name, attrs, children) {
	return { name, attrs: attrs ?? undefined, children: children ?? [] };
}

/**
 * Serialize a node tree. Strings/numbers are escaped text. Elements whose only child is text are
 * written on one line.
 * @param {XmlNode} node
 * @param {{ declaration?: boolean, indent?: string }} [opts]
 */
function toXml(node, opts = {}) {
	const indent = opts.indent ?? '  ';
	/** @param {XmlNode} n @param {number} depth @returns {string} */
	const write = (n, depth) => {
		const pad = indent ? indent.repeat(depth) : '';
		const attrs = Object.entries(n.attrs ?? {})
			.map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
			.join('');
		const kids = (n.children ?? []).filter((c) => c !== null && c !== undefined && c !== false);
		if (kids.length === 0) return `${pad}<${n.name}${attrs}/>`;
		if (kids.every((c) => typeof c === 'string' || typeof c === 'number')) {
			return `${pad}<${n.name}${attrs}>${kids.map((c) => escapeXml(/** @type {string|number} */ (c))).join('')}</${n.name}>`;
		}
		const nl = indent ? '\n' : '';
		const inner = kids
			.map((c) => (typeof c === 'object' ? write(/** @type {XmlNode} */ (c), depth + 1) : `${indent ? indent.repeat(depth + 1) : ''}${escapeXml(/** @type {string|number} */ (c))}`))
			.join(nl);
		return `${pad}<${n.name}${attrs}>${nl}${inner}${nl}${pad}</${n.name}>`;
	};
	return (opts.declaration === false ? '' : `<?xml version="1.0" encoding="UTF-8"?>${indent ? '\n' : ''}`) + write(node, 0);
}

/**
 * Convenience: the child elements named `name`.
 * @param {XmlElement} parent
 * @param {string} name
 */
function childrenNamed(parent, name) {
	return parent.children.filter((c) => c.name === name);
}

module.exports = { parseXml, XmlError, escapeXml, el, toXml, childrenNamed };
