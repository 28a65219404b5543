/**
 * The item a failed input item becomes under "On Error: Continue", the same in every action node.
 *
 * n8n (n8n-core WorkflowExecute.handleNodeErrorOutput) moves an item to the node's error output
 * under "Continue (using error output)" when the item carries `error` (INodeExecutionData.error)
 * OR when its json has only the keys error/message/details; it then merges the json over the input
 * item. The pack uses the json rule and never sets `item.error`: n8n-core's normalizeNodeErrors,
 * run after routing in both Continue modes, replaces the json of any item with `error` by
 * `{ error: message }`, which would drop `details` (the order, the field, what to do) and the
 * merged input item that the templates' notifications read.
 *
 * So a failure item is `{ error, details }` (+ `message` where a node has it). A node whose failure
 * items carry more fields on a regular output (Sync Refund's `status`, `notifyMerchant`) keeps them
 * under plain "Continue", and moves them into `details` under "Continue (using error output)", the
 * exact condition under which n8n routes.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

export interface ItemFailure {
	message: string;
	description?: string;
	amazonOrderId?: string;
	field?: string;
}

/** True when n8n sends this node's error items to a separate error output. */
export function usesErrorOutput(node: INode): boolean {
	return node.onError === 'continueErrorOutput';
}

/**
 * `{ json: { error, details }, pairedItem }`: `error` is the message, `details` names the Amazon
 * order, the field and what to do (only what applies). `extra` (node-specific fields) stays at the
 * top level on a regular output, and goes into `details` when the node uses the error output.
 * `message` in `extra` is kept at the top level in both cases (n8n allows it).
 */
export function errorItem(node: INode, failure: ItemFailure, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const details: IDataObject = {};
	if (failure.amazonOrderId) details.amazonOrderId = failure.amazonOrderId;
	if (failure.field) details.field = failure.field;
	if (failure.description) details.description = failure.description;
	const { message, ...rest } = extra;
	const json: IDataObject = usesErrorOutput(node)
		? { error: failure.message, ...(message !== undefined ? { message } : {}), details: { ...rest, ...details } }
		: { ...extra, error: failure.message, details };
	return { json, pairedItem: { item: itemIndex } };
}
