/** Reading the free-text parameters the connector nodes share. */

/** A comma-separated parameter as its trimmed, non-empty entries. */
export function commaList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** A number parameter when it is above 0; 0, blank or nonsense mean "not set". */
export function positiveNumber(value: unknown): number | undefined {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : undefined;
}
