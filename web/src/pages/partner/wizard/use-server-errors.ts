/** Puts the API's field problems (`errors[].path`) on a step's form fields. */
import { useEffect } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { FieldProblem } from "../../../api/client.ts";
import { useErrorText } from "./errors.tsx";

/**
 * Sets each problem whose path is one of `fields` as that field's error (the form field
 * names equal the API paths, e.g. `customer.domain`), and focuses the first one.
 */
export function useServerErrors<T extends FieldValues>(
	problems: FieldProblem[],
	fields: readonly string[],
	setError: UseFormSetError<T>,
): void {
	const text = useErrorText();
	// biome-ignore lint/correctness/useExhaustiveDependencies: only when new problems arrive
	useEffect(() => {
		let first = true;
		for (const p of problems) {
			if (!fields.includes(p.path)) continue;
			setError(
				p.path as Path<T>,
				{ type: p.code, message: text(p.code, p.message) },
				{ shouldFocus: first },
			);
			first = false;
		}
	}, [problems]);
}
