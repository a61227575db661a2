import type { GroupObjectResponse, PageObjectResponse, PartialUserObjectResponse, UserObjectResponse } from '@notionhq/client';
import { stableFileUrl } from './fileUrls';
import { plainText, type NotionDate } from './richText';

export type PageProperties = PageObjectResponse['properties'];
type PropertyValue = PageProperties[string];
type RollupValue = Extract<PropertyValue, { type: 'rollup' }>['rollup'];
type RollupArrayItem = Extract<RollupValue, { type: 'array' }>['array'][number];
type FormulaValue = Extract<PropertyValue, { type: 'formula' }>['formula'];
type FileValue = Extract<PropertyValue, { type: 'files' }>['files'][number];

export interface PropertyOptions {
	/**
	 * What a Notion-hosted file links to instead of its signed URL, which expires within the hour
	 * (the page's URL); without it, the URL without its signature (see `stableFileUrl`).
	 */
	hostedFileUrl?: string;
}

export interface DateValue {
	start: string;
	end: string | null;
	time_zone: string | null;
}

export interface PersonValue {
	id: string;
	name?: string;
	email?: string;
}

/**
 * A database row's properties as plain JSON values for front-matter, sorted by
 * property name (code-point order, independent of locale) so the YAML is stable
 * however Notion orders them. Values are plain text, numbers, booleans, ISO dates
 * and lists; a property with no value is `null`, never left out.
 */
export function renderProperties(properties: PageProperties, options: PropertyOptions = {}): Record<string, unknown> {
	return renderPropertiesChecked(properties, options).values;
}

/** `renderProperties`, and the names of properties whose value could not be read (left out of `values`). */
export function renderPropertiesChecked(
	properties: PageProperties,
	options: PropertyOptions = {},
): { values: Record<string, unknown>; unreadable: string[] } {
	const values: Record<string, unknown> = {};
	const unreadable: string[] = [];
	for (const name of Object.keys(properties).sort(compareCodePoints)) {
		let value: unknown;
		try {
			value = propertyValue(properties[name], options);
		} catch {
			// A value not shaped as documented (a missing array, a null where an object belongs).
			unreadable.push(name);
			continue;
		}
		if (value !== undefined) values[name] = value;
	}
	return { values, unreadable };
}

/** The page title: the plain text of its `title` property. */
export function titleOf(properties: PageProperties | undefined): string | undefined {
	if (!properties) return undefined;
	for (const property of Object.values(properties)) {
		// Checked, so a malformed title falls back to "Untitled" instead of failing the page.
		if (property?.type === 'title' && Array.isArray(property.title)) return plainText(property.title);
	}
	return undefined;
}

function compareCodePoints(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function dateValue(date: NotionDate | null): DateValue | null {
	return date && { start: date.start, end: date.end ?? null, time_zone: date.time_zone ?? null };
}

export function personValue(user: PartialUserObjectResponse | UserObjectResponse | GroupObjectResponse): PersonValue {
	const person: PersonValue = { id: user.id };
	if ('name' in user && user.name) person.name = user.name;
	if ('type' in user && user.type === 'person' && user.person.email) person.email = user.person.email;
	return person;
}

function fileValue(file: FileValue, options: PropertyOptions): { name: string; url: string } {
	if (file.type === 'external') return { name: file.name, url: file.external.url };
	return { name: file.name, url: options.hostedFileUrl ?? stableFileUrl(file.file.url) };
}

function formulaValue(formula: FormulaValue): unknown {
	switch (formula.type) {
		case 'string':
			return formula.string;
		case 'number':
			return formula.number;
		case 'boolean':
			return formula.boolean;
		case 'date':
			return dateValue(formula.date);
		default:
			return null;
	}
}

function rollupValue(rollup: RollupValue, options: PropertyOptions): unknown {
	switch (rollup.type) {
		case 'number':
			return rollup.number;
		case 'date':
			return dateValue(rollup.date);
		case 'array':
			return rollup.array.map((item) => propertyValue(item, options) ?? null);
		default:
			return null;
	}
}

/** One property's value; undefined for properties that hold no data (buttons). */
function propertyValue(property: PropertyValue | RollupArrayItem, options: PropertyOptions): unknown {
	switch (property.type) {
		case 'title':
			return plainText(property.title);
		case 'rich_text':
			return plainText(property.rich_text);
		case 'number':
			return property.number;
		case 'url':
			return property.url;
		case 'email':
			return property.email;
		case 'phone_number':
			return property.phone_number;
		case 'checkbox':
			return property.checkbox;
		case 'select':
			return property.select?.name ?? null;
		case 'status':
			return property.status?.name ?? null;
		case 'multi_select':
			return property.multi_select.map((option) => option.name);
		case 'date':
			return dateValue(property.date);
		case 'people':
			return property.people.map(personValue);
		case 'relation':
			return property.relation.map((related) => related.id);
		case 'files':
			return property.files.map((file) => fileValue(file, options));
		case 'created_time':
			return property.created_time;
		case 'last_edited_time':
			return property.last_edited_time;
		case 'created_by':
			return personValue(property.created_by);
		case 'last_edited_by':
			return personValue(property.last_edited_by);
		case 'formula':
			return formulaValue(property.formula);
		case 'rollup':
			return rollupValue(property.rollup, options);
		case 'unique_id': {
			const { prefix, number } = property.unique_id;
			if (number === null) return null;
			return prefix ? `${prefix}-${number}` : number;
		}
		case 'verification': {
			const verification = property.verification;
			if (!verification) return null;
			return {
				state: verification.state,
				verified_by: verification.verified_by ? personValue(verification.verified_by) : null,
				date: dateValue(verification.date),
			};
		}
		case 'place': {
			const place = property.place;
			if (!place) return null;
			return { name: place.name ?? null, address: place.address ?? null, lat: place.lat, lon: place.lon };
		}
		case 'button':
			return undefined;
		default:
			return null;
	}
}
