/**
 * Data source query filters and sorts: compound `and`/`or`, timestamp filters, and property filters
 * for the common property types. Unsupported conditions throw `FilterError` (a 400 validation_error)
 * rather than being ignored, so a connector never believes a filter was applied when it was not.
 */

export interface RowView {
	id: string;
	created_time: string;
	last_edited_time: string;
	/** By property name: type, id and the value under `[type]`. */
	properties: Record<string, { id: string; type: string; value: unknown }>;
}

export class FilterError extends Error {}

export type RowPredicate = (row: RowView) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export function compileFilter(filter: unknown, schema: Record<string, { id: string; type: string }>): RowPredicate {
	if (!isObject(filter)) throw new FilterError('body failed validation: body.filter should be an object.');
	if (Array.isArray(filter.and) || Array.isArray(filter.or)) {
		const parts = ((filter.and ?? filter.or) as unknown[]).map((part) => compileFilter(part, schema));
		return filter.and ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
	}
	if (filter.timestamp === 'created_time' || filter.timestamp === 'last_edited_time') {
		const timestamp = filter.timestamp;
		const condition = dateCondition(filter[timestamp], `filter.${timestamp}`);
		return (row) => condition(row[timestamp]);
	}
	if (typeof filter.property === 'string') {
		const name = filter.property;
		const config = Object.entries(schema).find(([key, value]) => key === name || value.id === name);
		if (!config) throw new FilterError(`Could not find property with name or id: ${name}`);
		const [propertyName, { type }] = config;
		const conditionKey = Object.keys(filter).find((key) => key !== 'property' && key !== 'type');
		if (conditionKey === undefined) throw new FilterError(`body failed validation: filter for ${name} has no condition.`);
		if (!compatible(type, conditionKey)) {
			throw new FilterError(`body failed validation: ${name} is a ${type} property; a ${conditionKey} filter does not apply.`);
		}
		const test = propertyCondition(conditionKey, filter[conditionKey]);
		return (row) => test(row.properties[propertyName]?.value, row);
	}
	throw new FilterError('body failed validation: body.filter should be a compound, timestamp or property filter.');
}

function compatible(propertyType: string, filterType: string): boolean {
	if (propertyType === filterType) return true;
	const textual = ['title', 'rich_text', 'url', 'email', 'phone_number'];
	return textual.includes(propertyType) && filterType === 'rich_text';
}

type ValueTest = (value: unknown, row: RowView) => boolean;

function propertyCondition(filterType: string, condition: unknown): ValueTest {
	const path = `filter.${filterType}`;
	if (!isObject(condition)) throw new FilterError(`body failed validation: ${path} should be an object.`);
	const [operator, operand] = single(condition, path);
	switch (filterType) {
		case 'title':
		case 'rich_text':
		case 'url':
		case 'email':
		case 'phone_number':
			return textCondition(operator, operand, path);
		case 'number':
			return numberCondition(operator, operand, path);
		case 'checkbox':
			if (typeof operand !== 'boolean') throw new FilterError(`body failed validation: ${path}.${operator} should be a boolean.`);
			if (operator === 'equals') return (value) => value === operand;
			if (operator === 'does_not_equal') return (value) => value !== operand;
			break;
		case 'select':
		case 'status': {
			const name = (value: unknown): string | undefined => (isObject(value) ? String(value.name) : undefined);
			if (operator === 'equals') return (value) => name(value) === operand;
			if (operator === 'does_not_equal') return (value) => name(value) !== operand;
			if (operator === 'is_empty') return (value) => value === null;
			if (operator === 'is_not_empty') return (value) => value !== null;
			break;
		}
		case 'multi_select': {
			const names = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => String((v as { name?: unknown }).name)) : []);
			if (operator === 'contains') return (value) => names(value).includes(String(operand));
			if (operator === 'does_not_contain') return (value) => !names(value).includes(String(operand));
			if (operator === 'is_empty') return (value) => names(value).length === 0;
			if (operator === 'is_not_empty') return (value) => names(value).length > 0;
			break;
		}
		case 'date':
		case 'created_time':
		case 'last_edited_time': {
			const test = dateCondition(condition, path);
			return (value, row) => {
				if (filterType === 'created_time') return test(row.created_time);
				if (filterType === 'last_edited_time') return test(row.last_edited_time);
				return test(isObject(value) ? String(value.start) : null);
			};
		}
	}
	throw new FilterError(`body failed validation: ${path}.${operator} is not supported by the fake.`);
}

function single(condition: Record<string, unknown>, path: string): [string, unknown] {
	const entries = Object.entries(condition);
	if (entries.length !== 1) throw new FilterError(`body failed validation: ${path} should have exactly one condition.`);
	return entries[0];
}

function plain(value: unknown): string {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map((item) => String((item as { plain_text?: unknown }).plain_text ?? '')).join('');
	return '';
}

function textCondition(operator: string, operand: unknown, path: string): ValueTest {
	if (operator === 'is_empty') return (value) => plain(value) === '';
	if (operator === 'is_not_empty') return (value) => plain(value) !== '';
	if (typeof operand !== 'string') throw new FilterError(`body failed validation: ${path}.${operator} should be a string.`);
	const needle = operand.toLowerCase();
	const text = (value: unknown): string => plain(value).toLowerCase();
	switch (operator) {
		case 'equals':
			return (value) => plain(value) === operand;
		case 'does_not_equal':
			return (value) => plain(value) !== operand;
		case 'contains':
			return (value) => text(value).includes(needle);
		case 'does_not_contain':
			return (value) => !text(value).includes(needle);
		case 'starts_with':
			return (value) => text(value).startsWith(needle);
		case 'ends_with':
			return (value) => text(value).endsWith(needle);
	}
	throw new FilterError(`body failed validation: ${path}.${operator} is not a text condition.`);
}

function numberCondition(operator: string, operand: unknown, path: string): ValueTest {
	if (operator === 'is_empty') return (value) => value === null;
	if (operator === 'is_not_empty') return (value) => value !== null;
	if (typeof operand !== 'number') throw new FilterError(`body failed validation: ${path}.${operator} should be a number.`);
	const compare: Record<string, (a: number) => boolean> = {
		equals: (a) => a === operand,
		does_not_equal: (a) => a !== operand,
		greater_than: (a) => a > operand,
		less_than: (a) => a < operand,
		greater_than_or_equal_to: (a) => a >= operand,
		less_than_or_equal_to: (a) => a <= operand,
	};
	const test = compare[operator];
	if (!test) throw new FilterError(`body failed validation: ${path}.${operator} is not a number condition.`);
	return (value) => typeof value === 'number' && test(value);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A date condition. A date-only operand (`2025-01-31`) means that whole UTC day; a date-time operand
 * is an instant compared exactly, so `on_or_after: 10:05:30` excludes an edit stored as 10:05:00.
 */
export function dateCondition(condition: unknown, path: string): (iso: string | null) => boolean {
	if (!isObject(condition)) throw new FilterError(`body failed validation: ${path} should be an object.`);
	const [operator, operand] = single(condition, path);
	if (operator === 'is_empty') return (iso) => iso === null;
	if (operator === 'is_not_empty') return (iso) => iso !== null;
	if (typeof operand !== 'string' || Number.isNaN(Date.parse(operand))) {
		if (['past_week', 'past_month', 'past_year', 'next_week', 'next_month', 'next_year', 'this_week'].includes(operator)) {
			throw new FilterError(`body failed validation: ${path}.${operator} is not supported by the fake.`);
		}
		throw new FilterError(`body failed validation: ${path}.${operator} should be an ISO 8601 date string.`);
	}
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(operand);
	const start = Date.parse(dateOnly ? `${operand}T00:00:00.000Z` : operand);
	const end = dateOnly ? start + DAY_MS : start;
	const at = (iso: string): number => Date.parse(iso);
	switch (operator) {
		case 'equals':
			return (iso) => iso !== null && (dateOnly ? at(iso) >= start && at(iso) < end : at(iso) === start);
		case 'before':
			return (iso) => iso !== null && at(iso) < start;
		case 'after':
			return (iso) => iso !== null && (dateOnly ? at(iso) >= end : at(iso) > start);
		case 'on_or_before':
			return (iso) => iso !== null && (dateOnly ? at(iso) < end : at(iso) <= start);
		case 'on_or_after':
			return (iso) => iso !== null && at(iso) >= start;
	}
	throw new FilterError(`body failed validation: ${path}.${operator} is not a date condition.`);
}

export type RowComparator = (a: RowView, b: RowView) => number;

export function compileSorts(sorts: unknown, schema: Record<string, { id: string; type: string }>): RowComparator {
	const byCreated: RowComparator = (a, b) => a.created_time.localeCompare(b.created_time) || a.id.localeCompare(b.id);
	if (sorts === undefined) return byCreated;
	if (!Array.isArray(sorts)) throw new FilterError('body failed validation: body.sorts should be an array.');
	const comparators = sorts.map((sort, index): RowComparator => {
		if (!isObject(sort) || (sort.direction !== 'ascending' && sort.direction !== 'descending')) {
			throw new FilterError(`body failed validation: body.sorts[${index}].direction should be "ascending" or "descending".`);
		}
		const sign = sort.direction === 'descending' ? -1 : 1;
		if (sort.timestamp === 'created_time' || sort.timestamp === 'last_edited_time') {
			const key = sort.timestamp;
			return (a, b) => sign * a[key].localeCompare(b[key]);
		}
		if (typeof sort.property === 'string') {
			const name = sort.property;
			const entry = Object.entries(schema).find(([key, value]) => key === name || value.id === name);
			if (!entry) throw new FilterError(`Could not find sort property with name or id: ${name}`);
			const [propertyName] = entry;
			const key = (row: RowView): string | number => sortKey(row.properties[propertyName]?.value);
			return (a, b) => {
				const x = key(a);
				const y = key(b);
				return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
			};
		}
		throw new FilterError(`body failed validation: body.sorts[${index}] needs a property or a timestamp.`);
	});
	return (a, b) => {
		for (const compare of comparators) {
			const result = compare(a, b);
			if (result !== 0) return result;
		}
		return byCreated(a, b);
	};
}

function sortKey(value: unknown): string | number {
	if (typeof value === 'number') return value;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (Array.isArray(value)) return plain(value);
	if (isObject(value)) return String(value.start ?? value.name ?? '');
	return '';
}
