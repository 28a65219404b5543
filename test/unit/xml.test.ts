import {
	childElement,
	childElements,
	childText,
	el,
	escapeXmlAttr,
	escapeXmlText,
	isValidXmlName,
	parseProcessingReport,
	parseXml,
	renderXml,
	stripInvalidXmlChars,
	textOf,
	XML_DECLARATION,
	XmlParseError,
} from '../../nodes/shared/xml';
import type { XmlElement } from '../../nodes/shared/xml';

/** Deterministic PRNG (mulberry32) so property-style tests are reproducible. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Pieces that tend to break XML writers: markup, entities, CDATA ends, controls, surrogates. */
const HOSTILE_PIECES = [
	'<', '>', '&', '"', "'", ']]>', '<![CDATA[', '&amp;', '&lt;', '&#0;', '&#x41;', '&nbsp;', '</Amount>',
	'<Amount currency="X">', '<!--', '-->', '<?xml version="1.0"?>', '<!DOCTYPE x>', ' ', '  ', '\t', '\n',
	'\r', '\r\n', '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\u007f', '\u0085', '\u00a0',
	'\ud800', '\udc00', '\udbff\udfff', '\ud83d\ude00', '\ufffe', '\uffff', '\ufffd', '\ufeff', '\u2028',
	'é', 'ü', 'ß', '日本', '東京都', 'Ünïcödé', '😀', '👩‍👩‍👧', 'a', 'Z', '0', '19.99', 'x=y', '=', ';', '#',
];

function randomHostileString(random: () => number): string {
	const length = Math.floor(random() * 12);
	let out = '';
	for (let i = 0; i < length; i++) out += HOSTILE_PIECES[Math.floor(random() * HOSTILE_PIECES.length)];
	return out;
}

function parseError(document: string): XmlParseError {
	let caught: unknown;
	try {
		parseXml(document);
	} catch (error) {
		caught = error;
	}
	if (caught instanceof XmlParseError) return caught;
	throw new Error(`expected ${JSON.stringify(document)} to be rejected with an XmlParseError, got ${String(caught)}`);
}

describe('escaping', () => {
	it('escapes the five XML specials in text and attributes', () => {
		expect(escapeXmlText(`</Amount><Amount currency="X">`)).toBe(
			'&lt;/Amount&gt;&lt;Amount currency=&quot;X&quot;&gt;',
		);
		expect(escapeXmlAttr(`a"b'c<d>e&f`)).toBe('a&quot;b&apos;c&lt;d&gt;e&amp;f');
		expect(escapeXmlText("it's")).toBe('it&apos;s');
	});

	it('cannot be tricked by CDATA ends or pre-escaped text', () => {
		expect(escapeXmlText(']]>')).toBe(']]&gt;');
		expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
		expect(escapeXmlText('&#x41;')).toBe('&amp;#x41;');
	});

	it('keeps tab and LF in text, protects CR so it survives parsing', () => {
		expect(escapeXmlText('a\tb\nc\rd')).toBe('a\tb\nc&#13;d');
	});

	it('encodes tab, LF and CR in attributes so attribute normalisation cannot eat them', () => {
		expect(escapeXmlAttr('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
	});

	it('strips characters XML 1.0 cannot carry', () => {
		expect(escapeXmlText('a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg')).toBe('abcdefg');
		expect(escapeXmlText('x\ufffey\uffffz')).toBe('xyz');
		expect(escapeXmlAttr('\u0000"\u0000')).toBe('&quot;');
	});

	it('strips lone surrogates but keeps valid pairs', () => {
		expect(stripInvalidXmlChars('a\ud800b')).toBe('ab');
		expect(stripInvalidXmlChars('a\udc00b')).toBe('ab');
		expect(stripInvalidXmlChars('\udc00\ud800')).toBe('');
		expect(stripInvalidXmlChars('end\ud83d')).toBe('end');
		expect(stripInvalidXmlChars('\ud83d\ude00')).toBe('😀');
		expect(stripInvalidXmlChars('\ud83d\ud83d\ude00')).toBe('😀');
		const encoded = new TextEncoder().encode(escapeXmlText('ok\ud800\udfff\udc00'));
		expect(new TextDecoder('utf-8', { fatal: true }).decode(encoded)).toBe('ok\ud800\udfff');
	});

	it('keeps non-ASCII text intact', () => {
		const text = 'Crème brûlée – 日本語のタイトル 😀 👩‍👩‍👧 \u00a0\u0085\u007f\u2028';
		expect(escapeXmlText(text)).toBe(text);
		expect(escapeXmlAttr(text)).toBe(text);
	});

	it('returns the same string when nothing needs stripping', () => {
		const text = 'plain text';
		expect(stripInvalidXmlChars(text)).toBe(text);
	});
});

describe('names', () => {
	it.each(['Amount', 'a', '_x', 'xsi:noNamespaceSchemaLocation', 'a-b.c_d9', 'Éclair', '名前', 'x\u00b7y', 'e\u0301t', '\u{10000}x'])(
		'accepts %j',
		(name) => {
			expect(isValidXmlName(name)).toBe(true);
		},
	);

	it.each(['', '1abc', '-a', '.a', 'a b', '<x', 'Amount>', 'a"b', 'a=b', 'a/b', 'a&b', '\u0000', 'a\n', '\u0301e', 'a\ud800', '\u00b7a'])(
		'rejects %j',
		(name) => {
			expect(isValidXmlName(name)).toBe(false);
			expect(() => el(name)).toThrow(`Invalid XML element name ${JSON.stringify(name)}`);
			expect(() => el('Ok', { [name]: 'v' })).toThrow(/Invalid XML attribute name/);
		},
	);

	it('rejects non-strings', () => {
		expect(isValidXmlName(undefined)).toBe(false);
		expect(isValidXmlName(5)).toBe(false);
	});
});

describe('el and renderXml', () => {
	it('builds and renders a compact OrderAdjustment feed', () => {
		const feed = el(
			'AmazonEnvelope',
			{
				'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
				'xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd',
			},
			el('Header', el('DocumentVersion', '1.01'), el('MerchantIdentifier', 'SELLER&CO')),
			el('MessageType', 'OrderAdjustment'),
			el(
				'Message',
				el('MessageID', 1),
				el(
					'OrderAdjustment',
					el('AmazonOrderID', '123-1234567-1234567'),
					el(
						'AdjustedItem',
						el('AmazonOrderItemCode', '12345678901234'),
						el('AdjustmentReason', 'CustomerReturn'),
						el(
							'ItemPriceAdjustments',
							el('Component', el('Type', 'Principal'), el('Amount', { currency: 'USD' }, '19.99')),
						),
					),
				),
			),
		);
		expect(renderXml(feed)).toBe(
			XML_DECLARATION +
				'\n<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">' +
				'<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>SELLER&amp;CO</MerchantIdentifier></Header>' +
				'<MessageType>OrderAdjustment</MessageType>' +
				'<Message><MessageID>1</MessageID><OrderAdjustment><AmazonOrderID>123-1234567-1234567</AmazonOrderID>' +
				'<AdjustedItem><AmazonOrderItemCode>12345678901234</AmazonOrderItemCode><AdjustmentReason>CustomerReturn</AdjustmentReason>' +
				'<ItemPriceAdjustments><Component><Type>Principal</Type><Amount currency="USD">19.99</Amount></Component></ItemPriceAdjustments>' +
				'</AdjustedItem></OrderAdjustment></Message></AmazonEnvelope>',
		);
	});

	it('writes the declaration by default and omits it on request', () => {
		expect(XML_DECLARATION).toBe('<?xml version="1.0" encoding="UTF-8"?>');
		expect(renderXml(el('A'))).toBe(`${XML_DECLARATION}\n<A/>`);
		expect(renderXml(el('A'), { declaration: true })).toBe(`${XML_DECLARATION}\n<A/>`);
		expect(renderXml(el('A'), { declaration: false })).toBe('<A/>');
	});

	it('indents element-only content and leaves text content inline', () => {
		const tree = el('Root', el('A', 'text'), el('B', el('C')), el('Mixed', 'x', el('D', 'y'), 'z'));
		expect(renderXml(tree, { declaration: false, indent: 2 })).toBe(
			'<Root>\n  <A>text</A>\n  <B>\n    <C/>\n  </B>\n  <Mixed>x<D>y</D>z</Mixed>\n</Root>',
		);
		expect(renderXml(el('R', el('S')), { declaration: false, indent: '\t' })).toBe('<R>\n\t<S/>\n</R>');
		expect(() => renderXml(el('R'), { indent: 'x' })).toThrow(/indent/);
	});

	it('skips optional children and flattens arrays', () => {
		const quantity: number | undefined = undefined;
		const tree = el(
			'Item',
			{ id: 'i1', skipped: undefined },
			null,
			false,
			undefined,
			quantity !== undefined && el('Quantity', quantity),
			[el('A', 1), [el('B', 2)]],
			'',
			0,
		);
		expect(renderXml(tree, { declaration: false })).toBe('<Item id="i1"><A>1</A><B>2</B>0</Item>');
	});

	it('accepts a child instead of attributes as the second argument', () => {
		expect(renderXml(el('A', 'text'), { declaration: false })).toBe('<A>text</A>');
		expect(renderXml(el('A', 7), { declaration: false })).toBe('<A>7</A>');
		expect(renderXml(el('A', el('B')), { declaration: false })).toBe('<A><B/></A>');
		expect(renderXml(el('A', [el('B'), el('C')]), { declaration: false })).toBe('<A><B/><C/></A>');
		expect(renderXml(el('A', { name: 'n' }), { declaration: false })).toBe('<A name="n"/>');
	});

	it('renders plain node objects and validates them', () => {
		expect(renderXml({ name: 'A', children: ['x', { name: 'B', attrs: { k: 'v' } }] }, { declaration: false })).toBe(
			'<A>x<B k="v"/></A>',
		);
		expect(() => renderXml({ name: 'bad name' })).toThrow(/Invalid XML element name/);
		expect(() => renderXml({ name: 'A', attrs: { 'bad name': 'v' } })).toThrow(/Invalid XML attribute name/);
		expect(() => renderXml({ name: 'A', attrs: { k: 5 as unknown as string } })).toThrow(/must be a string/);
		expect(() => renderXml({ name: 'A', children: [null as unknown as string] })).toThrow(/Cannot render/);
	});

	it('refuses non-finite numbers and unsupported children', () => {
		expect(() => el('A', NaN)).toThrow(/NaN/);
		expect(() => el('A', { v: Infinity })).toThrow(/Infinity/);
		expect(() => el('A', 'x', { foo: 'bar' } as unknown as string)).toThrow(/Unsupported XML child/);
	});

	it('keeps hostile text as text', () => {
		const hostile = '</Amount><Amount currency="X">999</Amount><!-- ]]> &amp; \'"';
		const xml = renderXml(el('Root', el('Amount', { currency: hostile }, hostile)));
		expect(xml).not.toContain('<Amount currency="X">');
		const root = parseXml(xml);
		expect(childElements(root)).toHaveLength(1);
		const amount = childElement(root, 'Amount') as XmlElement;
		expect(amount.attrs).toEqual({ currency: hostile });
		expect(textOf(amount)).toBe(hostile);
	});

	it('round-trips an attribute called __proto__', () => {
		const parsed = parseXml('<A __proto__="x"/>');
		expect(Object.keys(parsed.attrs)).toEqual(['__proto__']);
		expect(renderXml(parsed, { declaration: false })).toBe('<A __proto__="x"/>');
		expect(Object.getPrototypeOf(parsed.attrs)).toBe(Object.prototype);
	});
});

describe('round trip (generated strings)', () => {
	it('parse(render(x)) gives back x minus the characters XML cannot carry', () => {
		const random = prng(20240601);
		for (let i = 0; i < 2000; i++) {
			const text = randomHostileString(random);
			const attr = randomHostileString(random);
			const expectedText = stripInvalidXmlChars(text);
			const expectedAttr = stripInvalidXmlChars(attr);
			const indent = i % 3 === 0 ? 2 : undefined;
			const xml = renderXml(el('Root', { value: attr }, el('Text', text), el('Empty'), text), { indent });

			const root = parseXml(xml);
			expect(root.attrs.value).toBe(expectedAttr);
			expect(childText(root, 'Text')).toBe(expectedText);
			expect(childText(root, 'Empty')).toBe('');
			const topText = root.children.filter((child): child is string => typeof child === 'string').join('');
			// With indentation and no text, the only top-level text is the indentation itself.
			if (indent !== undefined && expectedText === '') expect(topText.trim()).toBe('');
			else expect(topText).toBe(expectedText);

			const bytes = new TextEncoder().encode(xml);
			expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(xml);
		}
	});

	it('re-renders a parsed document to the same bytes', () => {
		const random = prng(99);
		for (let i = 0; i < 300; i++) {
			const tree = el(
				'Envelope',
				{ a: randomHostileString(random), b: randomHostileString(random) },
				el('One', randomHostileString(random)),
				el('Two', el('Three', randomHostileString(random))),
			);
			const xml = renderXml(tree);
			expect(renderXml(parseXml(xml))).toBe(xml);
		}
	});
});

describe('parseXml', () => {
	it('parses declaration, attributes, self-closing tags and whitespace', () => {
		const root = parseXml(
			`<?xml version='1.0' encoding="utf-8" standalone="yes"?>\n<Root a="1" b = '2'>\n  <Empty/>\n  <Empty x="y" />\n  <Text>hi</Text >\n</Root>\n`,
		);
		expect(root.name).toBe('Root');
		expect(root.attrs).toEqual({ a: '1', b: '2' });
		expect(childElements(root).map((child) => child.name)).toEqual(['Empty', 'Empty', 'Text']);
		expect(childElements(root, 'Empty')[1].attrs).toEqual({ x: 'y' });
		expect(childText(root, 'Text')).toBe('hi');
		expect(root.children[0]).toBe('\n  ');
	});

	it('parses a document without declaration, with a BOM, comments and processing instructions', () => {
		const root = parseXml('\ufeff<!-- top --><?app data?>\n<R><!-- in -->a<!---->b<?pi x?>c</R><!-- end -->\n');
		expect(root.children).toEqual(['abc']);
	});

	it('decodes entity and character references', () => {
		const root = parseXml('<R v="&lt;&amp;&gt;&quot;&apos;&#65;&#x42;">&lt;&amp;&gt;&quot;&apos;&#65;&#x1F600;&#xe9;</R>');
		expect(root.attrs.v).toBe(`<&>"'AB`);
		expect(textOf(root)).toBe(`<&>"'A😀é`);
	});

	it('reads CDATA verbatim and merges it with surrounding text', () => {
		const root = parseXml('<R>a<![CDATA[<b>&amp;</b> ]] >]]>c</R>');
		expect(root.children).toEqual(['a<b>&amp;</b> ]] >c']);
	});

	it('normalises line ends and attribute whitespace like XML 1.0 says', () => {
		const root = parseXml('<R a="x\ty\r\nz" b="&#9;&#10;&#13;">line1\r\nline2\rline3</R>');
		expect(root.attrs.a).toBe('x y z');
		expect(root.attrs.b).toBe('\t\n\r');
		expect(textOf(root)).toBe('line1\nline2\nline3');
	});

	it('keeps non-ASCII names and text', () => {
		const root = parseXml('<商品 名前="東京">日本語 😀</商品>');
		expect(root.name).toBe('商品');
		expect(root.attrs['名前']).toBe('東京');
		expect(textOf(root)).toBe('日本語 😀');
	});

	it('handles very deep nesting without recursion', () => {
		const depth = 20000;
		const xml = '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
		const root = parseXml(xml);
		expect(textOf(root)).toBe('x');
	});

	describe('rejects malformed documents with line and column', () => {
		it('mismatched tags', () => {
			const error = parseError('<Root>\n  <A>text</B>\n</Root>');
			expect(error.message).toBe(
				'XML parse error at line 2, column 10: closing tag </B> does not match <A>',
			);
			expect(error.line).toBe(2);
			expect(error.column).toBe(10);
			expect(error.name).toBe('XmlParseError');
			expect(error).toBeInstanceOf(Error);
		});

		it('DOCTYPE, including entity-expansion attacks', () => {
			const bomb =
				'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<lolz>&lol2;</lolz>';
			const error = parseError(bomb);
			expect(error.message).toMatch(/DOCTYPE is not allowed/);
			expect(error.line).toBe(2);
			expect(error.column).toBe(1);
			expect(parseError('<R><!DOCTYPE x></R>').message).toMatch(/DOCTYPE/);
		});

		it.each([
			['<R>&nbsp;</R>', /unknown entity &nbsp;/, 1, 4],
			['<R>AT&T</R>', /"&" must be written as &amp;/, 1, 6],
			['<R>a & b;</R>', /"&" must be written as &amp;/, 1, 6],
			['<R a="&bogus;"/>', /unknown entity &bogus;/, 1, 7],
			['<R>&#0;</R>', /&#0; is not a legal XML character/, 1, 4],
			['<R>&#xD800;</R>', /not a legal XML character/, 1, 4],
			['<R>&#xFFFE;</R>', /not a legal XML character/, 1, 4],
			['<R>&#x110000;</R>', /not a legal XML character/, 1, 4],
			['<R>&#xZZ;</R>', /not a legal XML character/, 1, 4],
			['<R>&#;</R>', /not a legal XML character/, 1, 4],
			['<R>&;</R>', /"&" must be written/, 1, 4],
			['<R>\u0000</R>', /U\+0000 is not allowed/, 1, 4],
			['<R>\u001b</R>', /U\+001B is not allowed/, 1, 4],
			['<R>a\ud800b</R>', /U\+D800 is not allowed/, 1, 5],
			['<R>\uffff</R>', /U\+FFFF is not allowed/, 1, 4],
			['<R>', /unterminated element <R>/, 1, 1],
			['<R><A></R>', /closing tag <\/R> does not match <A>/, 1, 7],
			['<R>\n<A>\n', /unterminated element <A>/, 2, 1],
			['<R a="1"', /unterminated start tag <R>/, 1, 1],
			['<R a="1></R>', /unterminated value of attribute "a"/, 1, 6],
			['<R><!-- open </R>', /unterminated comment/, 1, 4],
			['<R><![CDATA[ open </R>', /unterminated CDATA section/, 1, 4],
			['<R><?pi open </R>', /unterminated processing instruction/, 1, 4],
			['<?xml version="1.0"', /unterminated XML declaration/, 1, 1],
			['', /no root element/, 1, 1],
			['   \n  ', /no root element/, 2, 3],
			['just text', /text is not allowed outside the root element/, 1, 1],
			['<A/><B/>', /only one root element/, 1, 5],
			['<A/>trailing', /text is not allowed outside the root element/, 1, 5],
			['</A>', /expected an element name/, 1, 2],
			['<A a="1" a="2"/>', /duplicate attribute "a"/, 1, 10],
			['<A a="<"/>', /"<" is not allowed in an attribute value/, 1, 7],
			['<A a="1"b="2"/>', /expected whitespace/, 1, 9],
			['<A a=1/>', /expected a quoted value of attribute "a"/, 1, 6],
			['<A a/>', /expected "=" after attribute "a"/, 1, 5],
			['<A>x]]>y</A>', /"\]\]>" is not allowed in text/, 1, 5],
			['<A><!-- a -- b --></A>', /"--" is not allowed inside a comment/, 1, 11],
			['<A><!-- a ---></A>', /"--" is not allowed inside a comment/, 1, 11],
			['<A/><?xml version="1.0"?>', /only allowed at the very start/, 1, 5],
			[' <?xml version="1.0"?><A/>', /only allowed at the very start/, 1, 2],
			['<?xml encoding="UTF-8"?><A/>', /unexpected "encoding"/, 1, 7],
			['<?xml version="2.0"?><A/>', /invalid version "2.0"/, 1, 16],
			['<?xml version="1.0" standalone="maybe"?><A/>', /invalid standalone/, 1, 33],
			['<?xml version="1.0" encoding="UTF-8" version="1.0"?><A/>', /unexpected "version"/, 1, 38],
			['<1A/>', /expected an element name/, 1, 2],
			['<A><!ELEMENT x ANY></A>', /unsupported markup declaration/, 1, 4],
			['<!ELEMENT x ANY><A/>', /unsupported markup declaration/, 1, 1],
			['<A></A >x', /text is not allowed outside the root element/, 1, 9],
			['<A></A x>', /expected ">" to end the closing tag <\/A>/, 1, 8],
		])('%j', (document, message, line, column) => {
			const error = parseError(document);
			expect(error.message).toMatch(message);
			expect([error.line, error.column]).toEqual([line, column]);
		});
	});

	it('refuses non-string input', () => {
		expect(() => parseXml(undefined as unknown as string)).toThrow(/expects the document as a string/);
	});
});

describe('reading helpers', () => {
	const root = parseXml('<R><A>1</A>text<B><C>deep</C> tail</B><A>2</A></R>');

	it('lists child elements, optionally by name', () => {
		expect(childElements(root).map((child) => child.name)).toEqual(['A', 'B', 'A']);
		expect(childElements(root, 'A').map(textOf)).toEqual(['1', '2']);
		expect(childElements(root, 'Z')).toEqual([]);
	});

	it('finds the first child and its text', () => {
		expect(childElement(root, 'B')?.name).toBe('B');
		expect(childElement(root, 'Z')).toBeUndefined();
		expect(childText(root, 'A')).toBe('1');
		expect(childText(root, 'B')).toBe('deep tail');
		expect(childText(root, 'Z')).toBeUndefined();
	});

	it('concatenates all descendant text in order', () => {
		expect(textOf(root)).toBe('1textdeep tail2');
		expect(textOf(el('Empty'))).toBe('');
	});
});

describe('parseProcessingReport', () => {
	const report = `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
	<Header>
		<DocumentVersion>1.02</DocumentVersion>
		<MerchantIdentifier>A1B2C3D4E5F6G7</MerchantIdentifier>
	</Header>
	<MessageType>ProcessingReport</MessageType>
	<Message>
		<MessageID>1</MessageID>
		<ProcessingReport>
			<DocumentTransactionID>50123456789</DocumentTransactionID>
			<StatusCode>Complete</StatusCode>
			<ProcessingSummary>
				<MessagesProcessed>4</MessagesProcessed>
				<MessagesSuccessful>2</MessagesSuccessful>
				<MessagesWithError>2</MessagesWithError>
				<MessagesWithWarning>1</MessagesWithWarning>
			</ProcessingSummary>
			<Result>
				<MessageID>2</MessageID>
				<ResultCode>Error</ResultCode>
				<ResultMessageCode>25</ResultMessageCode>
				<ResultDescription>We are unable to process the XML feed because one or more items are invalid. Please re-submit the feed.</ResultDescription>
				<AdditionalInfo>
					<AmazonOrderID>123-1234567-1234567</AmazonOrderID>
				</AdditionalInfo>
			</Result>
			<Result>
				<MessageID>3</MessageID>
				<ResultCode>Error</ResultCode>
				<ResultMessageCode>18028</ResultMessageCode>
				<ResultDescription><![CDATA[The refund amount for <Principal> exceeds the amount charged & cannot be processed.]]></ResultDescription>
				<AdditionalInfo>
					<AmazonOrderID>111-2222222-3333333</AmazonOrderID>
					<AmazonOrderItemCode>12345678901234</AmazonOrderItemCode>
				</AdditionalInfo>
			</Result>
			<Result>
				<MessageID>4</MessageID>
				<ResultCode>Warning</ResultCode>
				<ResultMessageCode>18151</ResultMessageCode>
				<ResultDescription>Adjustment reason &quot;Other&quot; is deprecated &amp; was mapped.</ResultDescription>
			</Result>
		</ProcessingReport>
	</Message>
</AmazonEnvelope>
`;

	it('reads summary and results of a realistic report', () => {
		expect(parseProcessingReport(report)).toEqual({
			documentTransactionId: '50123456789',
			statusCode: 'Complete',
			summary: { processed: 4, successful: 2, withError: 2, withWarning: 1 },
			results: [
				{
					messageId: 2,
					resultCode: 'Error',
					resultMessageCode: '25',
					description:
						'We are unable to process the XML feed because one or more items are invalid. Please re-submit the feed.',
					amazonOrderId: '123-1234567-1234567',
				},
				{
					messageId: 3,
					resultCode: 'Error',
					resultMessageCode: '18028',
					description: 'The refund amount for <Principal> exceeds the amount charged & cannot be processed.',
					amazonOrderId: '111-2222222-3333333',
					amazonOrderItemCode: '12345678901234',
				},
				{
					messageId: 4,
					resultCode: 'Warning',
					resultMessageCode: '18151',
					description: 'Adjustment reason "Other" is deprecated & was mapped.',
				},
			],
		});
	});

	it('leaves optional ids out instead of setting them to undefined', () => {
		const warning = parseProcessingReport(report).results[2];
		expect(Object.keys(warning)).toEqual(['messageId', 'resultCode', 'resultMessageCode', 'description']);
	});

	it('reads empty summary elements and a report with no results as zeros and []', () => {
		const compact =
			'<AmazonEnvelope><MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID><ProcessingReport>' +
			'<DocumentTransactionID>42</DocumentTransactionID><StatusCode>Complete</StatusCode><ProcessingSummary>' +
			'<MessagesProcessed>3</MessagesProcessed><MessagesSuccessful/><MessagesWithError/><MessagesWithWarning/>' +
			'</ProcessingSummary></ProcessingReport></Message></AmazonEnvelope>';
		expect(parseProcessingReport(compact)).toEqual({
			documentTransactionId: '42',
			statusCode: 'Complete',
			summary: { processed: 3, successful: 0, withError: 0, withWarning: 0 },
			results: [],
		});
	});

	it('reads a feed-level error (MessageID 0) such as 5000 malformed XML', () => {
		const xml =
			'<AmazonEnvelope><Message><ProcessingReport><DocumentTransactionID>7</DocumentTransactionID>' +
			'<StatusCode>Complete</StatusCode><ProcessingSummary><MessagesProcessed>0</MessagesProcessed>' +
			'<MessagesSuccessful>0</MessagesSuccessful><MessagesWithError>1</MessagesWithError>' +
			'<MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary><Result><MessageID>0</MessageID>' +
			'<ResultCode>Error</ResultCode><ResultMessageCode>5000</ResultMessageCode>' +
			'<ResultDescription>The XML you submitted is ill-formed at the Amazon Envelope XML level.</ResultDescription>' +
			'</Result></ProcessingReport></Message></AmazonEnvelope>';
		const parsed = parseProcessingReport(xml);
		expect(parsed.results).toEqual([
			{
				messageId: 0,
				resultCode: 'Error',
				resultMessageCode: '5000',
				description: 'The XML you submitted is ill-formed at the Amazon Envelope XML level.',
			},
		]);
		expect(parsed.summary.withError).toBe(1);
	});

	it('rejects documents that are not processing reports', () => {
		expect(() => parseProcessingReport('<AmazonEnvelope><MessageType>OrderAdjustment</MessageType></AmazonEnvelope>')).toThrow(
			/not an Amazon processing report/,
		);
	});

	it('rejects unknown result codes and malformed numbers', () => {
		const withResult = (result: string) =>
			`<ProcessingReport><StatusCode>Complete</StatusCode><Result>${result}</Result></ProcessingReport>`;
		expect(() => parseProcessingReport(withResult('<MessageID>1</MessageID><ResultCode>Success</ResultCode>'))).toThrow(
			/ResultCode "Success"/,
		);
		expect(() => parseProcessingReport(withResult('<MessageID>one</MessageID><ResultCode>Error</ResultCode>'))).toThrow(
			/Result\.MessageID is not a whole number: "one"/,
		);
		expect(() =>
			parseProcessingReport(
				'<ProcessingReport><ProcessingSummary><MessagesProcessed>-1</MessagesProcessed></ProcessingSummary></ProcessingReport>',
			),
		).toThrow(/ProcessingSummary\.MessagesProcessed is not a whole number/);
	});

	it('passes XML errors through with their position', () => {
		expect(() => parseProcessingReport('<ProcessingReport>')).toThrow(XmlParseError);
	});

	it('reads back the feeds we render (the sandbox does this)', () => {
		const feed = renderXml(
			el(
				'AmazonEnvelope',
				el('MessageType', 'OrderAcknowledgement'),
				el(
					'Message',
					el('MessageID', 1),
					el(
						'OrderAcknowledgement',
						el('AmazonOrderID', '123-1234567-1234567'),
						el('MerchantOrderID', 'SHOPIFY-#1001 & "friends"'),
						el('StatusCode', 'Failure'),
						el('Item', el('AmazonOrderItemCode', '12345678901234'), el('CancelReason', 'BuyerCanceled')),
					),
				),
			),
			{ indent: 2 },
		);
		const root = parseXml(feed);
		const message = childElement(root, 'Message') as XmlElement;
		const ack = childElement(message, 'OrderAcknowledgement') as XmlElement;
		expect(childText(ack, 'MerchantOrderID')).toBe('SHOPIFY-#1001 & "friends"');
		expect(childText(childElement(ack, 'Item') as XmlElement, 'CancelReason')).toBe('BuyerCanceled');
	});
});
