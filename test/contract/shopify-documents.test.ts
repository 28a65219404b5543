/**
 * Every GraphQL document the pack can send is validated against Shopify's real Admin schema, for
 * the default version and the previous one, so a field Shopify would reject fails CI.
 */
import { buildSchema, parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';

import { DOCUMENTS } from '../../nodes/shared/transport/shopify/documents';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { specsStatus, shopifySdl } = require('./specs') as {
	specsStatus: () => { available: boolean; reason?: string };
	shopifySdl: (version: string) => string | undefined;
};

const status = specsStatus();
const describeWithSpecs = status.available ? describe : describe.skip;
if (!status.available) {
	// A skipped contract suite must say why, never pass silently.
	test(`Shopify contract tests are skipped: ${status.reason}`, () => {
		expect(status.available).toBe(false);
	});
}

describeWithSpecs('Shopify documents against the official Admin GraphQL schema', () => {
	const schemas = new Map<string, GraphQLSchema>();
	const schemaFor = (version: string) => {
		let schema = schemas.get(version);
		if (!schema) {
			const sdl = shopifySdl(version);
			if (!sdl) throw new Error(`no SDL for ${version}`);
			schema = buildSchema(sdl, { assumeValidSDL: true });
			schemas.set(version, schema);
		}
		return schema;
	};

	const names = Object.keys(DOCUMENTS) as Array<keyof typeof DOCUMENTS>;

	it('has documents to check', () => {
		expect(names.length).toBeGreaterThanOrEqual(10);
	});

	for (const version of ['2026-10', '2026-07']) {
		it.each(names)(`%s validates against ${version}`, (name) => {
			const document = parse(DOCUMENTS[name]);
			const errors = validate(schemaFor(version), document).map((e) => e.message);
			expect(errors).toEqual([]);
			const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
			expect(operation && 'name' in operation ? operation.name?.value : undefined).toBe(name);
		});
	}
});
