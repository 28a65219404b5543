/**
 * XML without a library: escaping, a tiny builder/renderer for the feeds we send to Amazon, and a
 * small strict parser for the processing reports Amazon sends back. Strict on purpose: a feed is
 * money moving, so anything we cannot read with certainty is an error, never a guess.
 */

// ---------------------------------------------------------------------------------------------
// Characters and escaping
// ---------------------------------------------------------------------------------------------

/** XML 1.0 `Char` for one UTF-16 code unit outside the surrogate range. */
function isLegalBmpChar(code: number): boolean {
	return (
		code === 0x09 ||
		code === 0x0a ||
		code === 0x0d ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd)
	);
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Length (1 or 2 code units) of the legal character at `index`, or 0 if it is illegal in XML 1.0:
 * C0 controls other than tab/LF/CR, U+FFFE, U+FFFF and unpaired surrogates.
 */
function legalCharLength(text: string, index: number): number {
	const code = text.charCodeAt(index);
	if (isHighSurrogate(code)) {
		return isLowSurrogate(text.charCodeAt(index + 1)) ? 2 : 0;
	}
	if (isLowSurrogate(code)) return 0;
	return isLegalBmpChar(code) ? 1 : 0;
}

/**
 * Removes characters XML 1.0 cannot carry at all (not even escaped): C0 controls except tab, LF and
 * CR, U+FFFE/U+FFFF and lone surrogates. We strip rather than fail because these come from buyer or
 * merchant text (titles, names) where they carry no meaning, and one stray byte must not block a
 * refund feed. Lone surrogates are removed, never passed on, so the UTF-8 we upload stays valid.
 */
export function stripInvalidXmlChars(text: string): string {
	let out = '';
	let chunkStart = 0;
	let index = 0;
	while (index < text.length) {
		const length = legalCharLength(text, index);
		if (length === 0) {
			out += text.slice(chunkStart, index);
			index += 1;
			chunkStart = index;
		} else {
			index += length;
		}
	}
	return chunkStart === 0 ? text : out + text.slice(chunkStart);
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	// A parser turns a literal CR into LF; a reference keeps it.
	'\r': '&#13;',
};

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
	...TEXT_ESCAPES,
	// A parser turns literal tab/LF/CR in attribute values into spaces; references keep them.
	'\t': '&#9;',
	'\n': '&#10;',
};

/** Escapes text content (all five XML specials, and CR) after stripping illegal characters. */
export function escapeXmlText(text: string): string {
	return stripInvalidXmlChars(text).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c]);
}

/** Escapes an attribute value (also tab/LF/CR, so they survive attribute-value normalisation). */
export function escapeXmlAttr(value: string): string {
	return stripInvalidXmlChars(value).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c]);
}

// XML 1.0 (5th edition) Name production as code-point ranges; ':' is in, so xmlns:xsi works.
const NAME_START_RANGES: ReadonlyArray<readonly [number, number]> = [
	[0x3a, 0x3a], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x2ff],
	[0x370, 0x37d], [0x37f, 0x1fff], [0x200c, 0x200d], [0x2070, 0x218f], [0x2c00, 0x2fef],
	[0x3001, 0xd7ff], [0xf900, 0xfdcf], [0xfdf0, 0xfffd], [0x10000, 0xeffff],
];
const NAME_EXTRA_RANGES: ReadonlyArray<readonly [number, number]> = [
	[0x2d, 0x2e], [0x30, 0x39], [0xb7, 0xb7], [0x300, 0x36f], [0x203f, 0x2040],
];

function inRanges(codePoint: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
	return ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
}

function isAsciiNameChar(code: number, first: boolean): boolean {
	const letterLike = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x3a;
	return letterLike || (!first && ((code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e));
}

/** Length in UTF-16 code units of the XML Name starting at `index`; 0 if none starts there. */
function nameLengthAt(text: string, index: number): number {
	let end = index;
	while (end < text.length) {
		const codePoint = text.codePointAt(end) as number;
		// ASCII first: nearly every name we see is ASCII, and this runs for every tag.
		const allowed =
			codePoint < 0x80
				? isAsciiNameChar(codePoint, end === index)
				: inRanges(codePoint, NAME_START_RANGES) || (end > index && inRanges(codePoint, NAME_EXTRA_RANGES));
		if (!allowed) break;
		end += codePoint > 0xffff ? 2 : 1;
	}
	return end - index;
}

/** True if `name` is a legal XML element or attribute name. */
export function isValidXmlName(name: unknown): name is string {
	return typeof name === 'string' && name.length > 0 && nameLengthAt(name, 0) === name.length;
}

function assertValidName(name: unknown, kind: 'element' | 'attribute'): asserts name is string {
	if (!isValidXmlName(name)) {
		throw new Error(`Invalid XML ${kind} name ${JSON.stringify(name)}`);
	}
}

/** Sets an own property even for keys like "__proto__", which are legal XML names. */
function setOwn(target: Record<string, string>, key: string, value: string): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------
// Tree and builder
// ---------------------------------------------------------------------------------------------

/** An element as built by `el` or returned by `parseXml`. Text children are plain strings. */
export interface XmlElement {
	name: string;
	attrs: Record<string, string>;
	children: XmlChild[];
}

export type XmlChild = XmlElement | string;

/** What `renderXml` accepts: an element whose attrs and children may be omitted. */
export interface XmlNode {
	name: string;
	attrs?: Readonly<Record<string, string>>;
	children?: ReadonlyArray<XmlNode | string>;
}

export type XmlAttrsInput = Readonly<Record<string, string | number | undefined>>;

/** A child for `el`: null/undefined/false are skipped (handy for optional parts), arrays are flattened. */
export type XmlChildInput = XmlNode | string | number | null | undefined | false | readonly XmlChildInput[];

function isXmlNode(value: unknown): value is XmlNode {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const candidate = value as { name?: unknown; attrs?: unknown; children?: unknown };
	// Attribute maps only hold strings/numbers, so an `attrs` object or `children` array marks a node.
	return (
		typeof candidate.name === 'string' &&
		(Array.isArray(candidate.children) ||
			(typeof candidate.attrs === 'object' && candidate.attrs !== null))
	);
}

function numberToText(value: number): string {
	if (!Number.isFinite(value)) throw new Error(`Cannot write ${String(value)} into XML`);
	return String(value);
}

function toElement(node: XmlNode): XmlElement {
	return {
		name: node.name,
		attrs: { ...(node.attrs ?? {}) },
		children: (node.children ?? []).map((child) => (typeof child === 'string' ? child : toElement(child))),
	};
}

function collectChildren(inputs: readonly XmlChildInput[], into: XmlChild[]): void {
	for (const input of inputs) {
		if (input === null || input === undefined || input === false) continue;
		if (typeof input === 'string') {
			if (input !== '') into.push(input);
		} else if (typeof input === 'number') {
			into.push(numberToText(input));
		} else if (Array.isArray(input)) {
			collectChildren(input as readonly XmlChildInput[], into);
		} else if (isXmlNode(input)) {
			into.push(toElement(input));
		} else {
			throw new Error(`Unsupported XML child: ${JSON.stringify(input)}`);
		}
	}
}

/**
 * Builds an element: `el('Amount', { currency: 'USD' }, '19.99')` or `el('Message', el('MessageID', 1))`.
 * The second argument is an attribute map unless it is a string, number, array or node.
 * Attributes whose value is undefined are left out.
 */
export function el(
	name: string,
	attrsOrChild?: XmlAttrsInput | XmlChildInput,
	...children: XmlChildInput[]
): XmlElement {
	assertValidName(name, 'element');
	const attrs: Record<string, string> = {};
	const childInputs: XmlChildInput[] = [];
	const isAttrs =
		typeof attrsOrChild === 'object' &&
		attrsOrChild !== null &&
		!Array.isArray(attrsOrChild) &&
		!isXmlNode(attrsOrChild);
	if (isAttrs) {
		for (const [key, value] of Object.entries(attrsOrChild as XmlAttrsInput)) {
			if (value === undefined) continue;
			assertValidName(key, 'attribute');
			setOwn(attrs, key, typeof value === 'number' ? numberToText(value) : String(value));
		}
	} else {
		childInputs.push(attrsOrChild as XmlChildInput);
	}
	childInputs.push(...children);
	const collected: XmlChild[] = [];
	collectChildren(childInputs, collected);
	return { name, attrs, children: collected };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export interface RenderXmlOptions {
	/** Prepend `<?xml version="1.0" encoding="UTF-8"?>` (default true: every feed needs it). */
	declaration?: boolean;
	/** Indent element-only content with this string or number of spaces; compact when omitted. */
	indent?: string | number;
}

function renderAttrs(attrs: Readonly<Record<string, string>> | undefined): string {
	if (!attrs) return '';
	let out = '';
	for (const key of Object.keys(attrs)) {
		assertValidName(key, 'attribute');
		const value = attrs[key];
		if (typeof value !== 'string') {
			throw new Error(`Attribute ${key} must be a string, got ${typeof value}`);
		}
		out += ` ${key}="${escapeXmlAttr(value)}"`;
	}
	return out;
}

function renderNode(node: XmlNode, indent: string, depth: number): string {
	if (typeof node !== 'object' || node === null || typeof node.name !== 'string') {
		throw new Error(`Cannot render ${JSON.stringify(node)} as an XML element`);
	}
	assertValidName(node.name, 'element');
	const open = `<${node.name}${renderAttrs(node.attrs)}`;
	// Text that is empty once escaped (e.g. only a NUL) is no content: <A/>, as a parser would read it back.
	const children = (node.children ?? [])
		.map((child) => (typeof child === 'string' ? escapeXmlText(child) : child))
		.filter((child) => child !== '');
	if (children.length === 0) return `${open}/>`;

	// Mixed or text content is written inline: indentation would change the text.
	const elementOnly = indent !== '' && children.every((child) => typeof child !== 'string');
	const parts = children.map((child) => {
		if (typeof child === 'string') return child;
		const rendered = renderNode(child, indent, depth + 1);
		return elementOnly ? `\n${indent.repeat(depth + 1)}${rendered}` : rendered;
	});
	const closeIndent = elementOnly ? `\n${indent.repeat(depth)}` : '';
	return `${open}>${parts.join('')}${closeIndent}</${node.name}>`;
}

/** Serialises an element tree. Names are validated, text and attributes escaped. */
export function renderXml(root: XmlNode, options: RenderXmlOptions = {}): string {
	const indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : (options.indent ?? '');
	if (!/^[ \t]*$/.test(indent)) throw new Error('XML indent may only contain spaces and tabs');
	const body = renderNode(root, indent, 0);
	return options.declaration === false ? body : `${XML_DECLARATION}\n${body}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** A malformed or unsupported document; `line` and `column` are 1-based. */
export class XmlParseError extends Error {
	readonly line: number;
	readonly column: number;

	constructor(message: string, line: number, column: number) {
		super(`XML parse error at line ${line}, column ${column}: ${message}`);
		this.name = 'XmlParseError';
		this.line = line;
		this.column = column;
	}
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
};

function isXmlWhitespace(char: string): boolean {
	return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function isLegalCodePoint(code: number): boolean {
	return (code <= 0xffff && !(code >= 0xd800 && code <= 0xdfff) && isLegalBmpChar(code)) ||
		(code >= 0x10000 && code <= 0x10ffff);
}

function appendText(parent: XmlElement, text: string): void {
	if (text === '') return;
	const last = parent.children.length - 1;
	if (last >= 0 && typeof parent.children[last] === 'string') {
		parent.children[last] = (parent.children[last] as string) + text;
	} else {
		parent.children.push(text);
	}
}

interface OpenElement {
	element: XmlElement;
	start: number;
}

class XmlParser {
	private pos = 0;

	constructor(private readonly src: string) {}

	parseDocument(): XmlElement {
		this.checkCharacters();
		if (this.src.startsWith('<?xml') && isXmlWhitespace(this.src.charAt(5))) this.parseDeclaration();
		this.skipMisc();
		if (this.pos >= this.src.length) this.fail('the document has no root element');
		if (this.src.charAt(this.pos) !== '<') this.fail('text is not allowed outside the root element');
		const root = this.parseElement();
		this.skipMisc();
		if (this.pos < this.src.length) {
			this.fail(
				this.src.charAt(this.pos) === '<'
					? 'only one root element is allowed'
					: 'text is not allowed outside the root element',
			);
		}
		return root;
	}

	private fail(message: string, at: number = this.pos): never {
		const before = this.src.slice(0, Math.min(at, this.src.length));
		const lineStart = before.lastIndexOf('\n') + 1;
		let line = 1;
		for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 0x0a) line++;
		throw new XmlParseError(message, line, at - lineStart + 1);
	}

	private checkCharacters(): void {
		let index = 0;
		while (index < this.src.length) {
			const code = this.src.charCodeAt(index);
			// Fast path for the common case: printable BMP text, LF and tab.
			if ((code >= 0x20 && code < 0xd800) || code === 0x0a || code === 0x09) {
				index++;
				continue;
			}
			const length = legalCharLength(this.src, index);
			if (length === 0) {
				const code = this.src.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
				this.fail(`character U+${code} is not allowed in XML`, index);
			}
			index += length;
		}
	}

	private startsWithAt(text: string): boolean {
		return this.src.startsWith(text, this.pos);
	}

	private skipWhitespace(): boolean {
		const start = this.pos;
		while (this.pos < this.src.length && isXmlWhitespace(this.src.charAt(this.pos))) this.pos++;
		return this.pos > start;
	}

	private readName(what: string): string {
		const length = nameLengthAt(this.src, this.pos);
		if (length === 0) this.fail(`expected ${what}`);
		const name = this.src.slice(this.pos, this.pos + length);
		this.pos += length;
		return name;
	}

	private expect(text: string, what: string): void {
		if (!this.startsWithAt(text)) this.fail(`expected ${what}`);
		this.pos += text.length;
	}

	private readQuoted(what: string): { raw: string; start: number } {
		const quote = this.src.charAt(this.pos);
		if (quote !== '"' && quote !== "'") this.fail(`expected a quoted ${what}`);
		const start = this.pos + 1;
		const end = this.src.indexOf(quote, start);
		if (end === -1) this.fail(`unterminated ${what}`, this.pos);
		this.pos = end + 1;
		return { raw: this.src.slice(start, end), start };
	}

	private parseDeclaration(): void {
		const declStart = this.pos;
		this.pos += 5;
		const allowed = ['version', 'encoding', 'standalone'];
		let next = 0;
		for (;;) {
			const hadSpace = this.skipWhitespace();
			if (this.startsWithAt('?>')) break;
			if (this.pos >= this.src.length) this.fail('unterminated XML declaration', declStart);
			if (!hadSpace) this.fail('expected whitespace in the XML declaration');
			const nameStart = this.pos;
			const name = this.readName('a declaration attribute');
			const index = allowed.indexOf(name);
			// version is required and first; encoding and standalone are optional, in that order.
			if (index === -1 || index < next || (next === 0 && index !== 0)) {
				this.fail(`unexpected "${name}" in the XML declaration`, nameStart);
			}
			next = index + 1;
			this.skipWhitespace();
			this.expect('=', '"=" in the XML declaration');
			this.skipWhitespace();
			const { raw, start } = this.readQuoted(`${name} value`);
			const valid =
				(name === 'version' && /^1\.[0-9]+$/.test(raw)) ||
				(name === 'encoding' && /^[A-Za-z][A-Za-z0-9._-]*$/.test(raw)) ||
				(name === 'standalone' && (raw === 'yes' || raw === 'no'));
			if (!valid) this.fail(`invalid ${name} "${raw}" in the XML declaration`, start);
		}
		if (next === 0) this.fail('the XML declaration must have a version', declStart);
		this.pos += 2;
	}

	/** Whitespace, comments and processing instructions around the root element. */
	private skipMisc(): void {
		for (;;) {
			this.skipWhitespace();
			if (this.startsWithAt('<!--')) this.skipComment();
			else if (this.startsWithAt('<?')) this.skipProcessingInstruction();
			else if (this.startsWithAt('<!DOCTYPE')) this.failDoctype();
			else if (this.startsWithAt('<!')) this.fail('unsupported markup declaration');
			else return;
		}
	}

	private failDoctype(): never {
		this.fail('DOCTYPE is not allowed (it could define entities that expand without limit)');
	}

	private skipComment(): void {
		const start = this.pos;
		const end = this.src.indexOf('--', start + 4);
		if (end === -1) this.fail('unterminated comment', start);
		if (this.src.charAt(end + 2) !== '>') this.fail('"--" is not allowed inside a comment', end);
		this.pos = end + 3;
	}

	private skipProcessingInstruction(): void {
		const start = this.pos;
		this.pos += 2;
		const target = this.readName('a processing instruction target');
		if (target.toLowerCase() === 'xml') {
			this.fail('the XML declaration is only allowed at the very start of the document', start);
		}
		if (!this.startsWithAt('?>') && !isXmlWhitespace(this.src.charAt(this.pos))) {
			this.fail('expected whitespace after the processing instruction target');
		}
		const end = this.src.indexOf('?>', this.pos);
		if (end === -1) this.fail('unterminated processing instruction', start);
		this.pos = end + 2;
	}

	/** Replaces entity and character references in `raw`, which starts at `offset` in the source. */
	private decode(raw: string, offset: number, inAttribute: boolean): string {
		if (!raw.includes('&') && !(inAttribute && /[\t\n]/.test(raw))) return raw;
		let out = '';
		let index = 0;
		while (index < raw.length) {
			const char = raw.charAt(index);
			if (char === '&') {
				const end = raw.indexOf(';', index);
				const body = end === -1 ? '' : raw.slice(index + 1, end);
				if (end === -1 || body === '' || /[\s&<]/.test(body)) {
					this.fail('"&" must be written as &amp;', offset + index);
				}
				out += this.resolveReference(body, offset + index);
				index = end + 1;
			} else {
				// Attribute-value normalisation: literal whitespace becomes a space.
				out += inAttribute && isXmlWhitespace(char) ? ' ' : char;
				index++;
			}
		}
		return out;
	}

	private resolveReference(body: string, at: number): string {
		if (body.charAt(0) === '#') {
			const hex = body.charAt(1) === 'x';
			const digits = body.slice(hex ? 2 : 1);
			const valid = hex ? /^[0-9A-Fa-f]{1,6}$/.test(digits) : /^[0-9]{1,7}$/.test(digits);
			const code = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
			if (!valid || !isLegalCodePoint(code)) {
				this.fail(`character reference &${body}; is not a legal XML character`, at);
			}
			return String.fromCodePoint(code);
		}
		const value = Object.prototype.hasOwnProperty.call(PREDEFINED_ENTITIES, body)
			? PREDEFINED_ENTITIES[body]
			: undefined;
		if (value === undefined) this.fail(`unknown entity &${body};`, at);
		return value;
	}

	/** Reads `<name attr="v" ...>` or `<name .../>`; the cursor is on "<". */
	private parseStartTag(): { element: XmlElement; selfClosing: boolean } {
		const start = this.pos;
		this.pos++;
		const name = this.readName('an element name');
		const attrs: Record<string, string> = {};
		for (;;) {
			const hadSpace = this.skipWhitespace();
			if (this.startsWithAt('/>')) {
				this.pos += 2;
				return { element: { name, attrs, children: [] }, selfClosing: true };
			}
			if (this.startsWithAt('>')) {
				this.pos++;
				return { element: { name, attrs, children: [] }, selfClosing: false };
			}
			if (this.pos >= this.src.length) this.fail(`unterminated start tag <${name}>`, start);
			if (!hadSpace) this.fail(`expected whitespace, ">" or "/>" in start tag <${name}>`);
			const attrStart = this.pos;
			const attrName = this.readName('an attribute name');
			if (Object.prototype.hasOwnProperty.call(attrs, attrName)) {
				this.fail(`duplicate attribute "${attrName}" on <${name}>`, attrStart);
			}
			this.skipWhitespace();
			this.expect('=', `"=" after attribute "${attrName}"`);
			this.skipWhitespace();
			const { raw, start: valueStart } = this.readQuoted(`value of attribute "${attrName}"`);
			const lt = raw.indexOf('<');
			if (lt !== -1) this.fail('"<" is not allowed in an attribute value', valueStart + lt);
			setOwn(attrs, attrName, this.decode(raw, valueStart, true));
		}
	}

	private parseElement(): XmlElement {
		const rootStart = this.pos;
		const { element: root, selfClosing } = this.parseStartTag();
		if (selfClosing) return root;
		const stack: OpenElement[] = [{ element: root, start: rootStart }];

		while (stack.length > 0) {
			const current = stack[stack.length - 1];
			if (this.pos >= this.src.length) {
				this.fail(`unterminated element <${current.element.name}>`, current.start);
			}
			if (this.src.charAt(this.pos) !== '<') {
				this.parseText(current.element);
			} else if (this.startsWithAt('</')) {
				const endStart = this.pos;
				this.pos += 2;
				const name = this.readName('an element name in the closing tag');
				this.skipWhitespace();
				this.expect('>', `">" to end the closing tag </${name}>`);
				if (name !== current.element.name) {
					this.fail(`closing tag </${name}> does not match <${current.element.name}>`, endStart);
				}
				stack.pop();
			} else if (this.startsWithAt('<!--')) {
				this.skipComment();
			} else if (this.startsWithAt('<![CDATA[')) {
				const start = this.pos;
				const end = this.src.indexOf(']]>', start + 9);
				if (end === -1) this.fail('unterminated CDATA section', start);
				appendText(current.element, this.src.slice(start + 9, end));
				this.pos = end + 3;
			} else if (this.startsWithAt('<?')) {
				this.skipProcessingInstruction();
			} else if (this.startsWithAt('<!DOCTYPE')) {
				this.failDoctype();
			} else if (this.startsWithAt('<!')) {
				this.fail('unsupported markup declaration');
			} else {
				const childStart = this.pos;
				const { element, selfClosing: childSelfClosing } = this.parseStartTag();
				current.element.children.push(element);
				if (!childSelfClosing) stack.push({ element, start: childStart });
			}
		}
		return root;
	}

	private parseText(parent: XmlElement): void {
		const start = this.pos;
		let end = this.src.indexOf('<', start);
		if (end === -1) end = this.src.length;
		const raw = this.src.slice(start, end);
		const cdataEnd = raw.indexOf(']]>');
		if (cdataEnd !== -1) this.fail('"]]>" is not allowed in text', start + cdataEnd);
		appendText(parent, this.decode(raw, start, false));
		this.pos = end;
	}
}

/**
 * Parses a whole document into an element tree. Supports the XML declaration, comments, CDATA,
 * processing instructions (skipped), the five predefined entities and character references.
 * Rejects DOCTYPE, unknown entities, mismatched or unterminated markup with an XmlParseError
 * carrying line and column. Text is kept verbatim (whitespace included); namespaces are not
 * interpreted (prefixed names are kept as written).
 */
export function parseXml(text: string): XmlElement {
	if (typeof text !== 'string') throw new Error('parseXml expects the document as a string');
	// A byte-order mark may precede the document; line ends are normalised as XML 1.0 §2.11 says.
	const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
	return new XmlParser(source).parseDocument();
}

// ---------------------------------------------------------------------------------------------
// Reading helpers
// ---------------------------------------------------------------------------------------------

/** Child elements of `node`, optionally only those called `name`. */
export function childElements(node: XmlElement, name?: string): XmlElement[] {
	return node.children.filter(
		(child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name),
	);
}

/** First child element called `name`, if any. */
export function childElement(node: XmlElement, name: string): XmlElement | undefined {
	return node.children.find(
		(child): child is XmlElement => typeof child !== 'string' && child.name === name,
	);
}

/** All text inside `node` and its descendants, in document order (like DOM textContent). */
export function textOf(node: XmlElement): string {
	let out = '';
	const pending: XmlChild[] = [node];
	while (pending.length > 0) {
		const next = pending.pop() as XmlChild;
		if (typeof next === 'string') out += next;
		else for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i]);
	}
	return out;
}

/** Text of the first child element called `name` (not trimmed), or undefined if there is none. */
export function childText(node: XmlElement, name: string): string | undefined {
	const child = childElement(node, name);
	return child === undefined ? undefined : textOf(child);
}

// ---------------------------------------------------------------------------------------------
// Amazon feed processing report
// ---------------------------------------------------------------------------------------------

export interface ProcessingReportResult {
	/** The MessageID of the feed message this result is about; 0 when it concerns the whole feed. */
	messageId: number;
	resultCode: 'Error' | 'Warning';
	resultMessageCode: string;
	description: string;
	amazonOrderId?: string;
	amazonOrderItemCode?: string;
}

export interface ProcessingReport {
	documentTransactionId: string;
	statusCode: string;
	summary: { processed: number; successful: number; withError: number; withWarning: number };
	results: ProcessingReportResult[];
}

function findDescendant(root: XmlElement, name: string): XmlElement | undefined {
	// Breadth-first, so the outermost match wins.
	const queue: XmlElement[] = [root];
	for (let index = 0; index < queue.length; index++) {
		if (queue[index].name === name) return queue[index];
		queue.push(...childElements(queue[index]));
	}
	return undefined;
}

function trimmedChildText(node: XmlElement, name: string): string {
	return (childText(node, name) ?? '').trim();
}

/** Empty or missing counts read as 0 (Amazon writes `<MessagesWithWarning/>` style placeholders). */
function wholeNumber(node: XmlElement | undefined, name: string, where: string): number {
	const text = node === undefined ? '' : trimmedChildText(node, name);
	if (text === '') return 0;
	if (!/^[0-9]{1,15}$/.test(text)) {
		throw new Error(`Processing report ${where}${name} is not a whole number: ${JSON.stringify(text)}`);
	}
	return Number(text);
}

function parseResult(result: XmlElement): ProcessingReportResult {
	const resultCode = trimmedChildText(result, 'ResultCode');
	if (resultCode !== 'Error' && resultCode !== 'Warning') {
		throw new Error(
			`Processing report Result has ResultCode ${JSON.stringify(resultCode)}; expected "Error" or "Warning"`,
		);
	}
	const parsed: ProcessingReportResult = {
		messageId: wholeNumber(result, 'MessageID', 'Result.'),
		resultCode,
		resultMessageCode: trimmedChildText(result, 'ResultMessageCode'),
		description: trimmedChildText(result, 'ResultDescription'),
	};
	const info = childElement(result, 'AdditionalInfo');
	const amazonOrderId = info && trimmedChildText(info, 'AmazonOrderID');
	const amazonOrderItemCode = info && trimmedChildText(info, 'AmazonOrderItemCode');
	if (amazonOrderId) parsed.amazonOrderId = amazonOrderId;
	if (amazonOrderItemCode) parsed.amazonOrderItemCode = amazonOrderItemCode;
	return parsed;
}

/**
 * Reads an Amazon XML feed processing report (MessageType ProcessingReport). Results only list
 * messages with errors or warnings: a MessageID without a Result was processed successfully.
 */
export function parseProcessingReport(xml: string): ProcessingReport {
	const report = findDescendant(parseXml(xml), 'ProcessingReport');
	if (report === undefined) {
		throw new Error('The document is not an Amazon processing report (no <ProcessingReport> element)');
	}
	const summary = childElement(report, 'ProcessingSummary');
	return {
		documentTransactionId: trimmedChildText(report, 'DocumentTransactionID'),
		statusCode: trimmedChildText(report, 'StatusCode'),
		summary: {
			processed: wholeNumber(summary, 'MessagesProcessed', 'ProcessingSummary.'),
			successful: wholeNumber(summary, 'MessagesSuccessful', 'ProcessingSummary.'),
			withError: wholeNumber(summary, 'MessagesWithError', 'ProcessingSummary.'),
			withWarning: wholeNumber(summary, 'MessagesWithWarning', 'ProcessingSummary.'),
		},
		results: childElements(report, 'Result').map(parseResult),
	};
}
