import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A mutation whose outcome is unknown (timeout, reset, 5xx): look before sending it again. */
export class ShopifyUnknownOutcome extends Error {
	constructor(
		readonly documentName: string,
		readonly reason: string,
	) {
		super(`Shopify ${documentName}: the request may or may not have been applied (${reason})`);
		this.name = 'ShopifyUnknownOutcome';
	}
}

export interface ShopifyUserError {
	field?: string[] | null;
	message: string;
	code?: string | null;
}

/** Turns a mutation's userErrors into one error that names the field paths. */
export function assertNoUserErrors(
	node: INode,
	userErrors: ShopifyUserError[] | undefined | null,
	context: { mutation: string; subject?: string; itemIndex?: number },
): void {
	if (!userErrors || userErrors.length === 0) return;
	const parts = userErrors.map((e) => {
		const field = e.field?.length ? `${e.field.join('.')}: ` : '';
		const code = e.code ? ` [${e.code}]` : '';
		return `${field}${e.message}${code}`;
	});
	const subject = context.subject ? ` for ${context.subject}` : '';
	throw new NodeOperationError(node, `Shopify ${context.mutation}${subject} was refused: ${parts.join('; ')}`, {
		itemIndex: context.itemIndex,
		description: 'Shopify checked the input and refused it; nothing was written. The field path says which value to fix.',
	});
}
