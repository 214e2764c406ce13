/**
 * A labelled text input bound to react-hook-form. Fluent's Input keeps its own value
 * state, so it is bound as a controlled input (Controller), not with `register`.
 */
import {
	Field,
	type FieldProps,
	Input,
	type InputProps,
} from "@fluentui/react-components";
import type { FocusEvent } from "react";
import {
	type Control,
	Controller,
	type FieldPath,
	type FieldValues,
} from "react-hook-form";

export function TextField<T extends FieldValues>({
	control,
	name,
	label,
	hint,
	required = true,
	type = "text",
	autoComplete = "off",
	placeholder,
	className,
	inputClassName,
	spellCheck,
	validationState,
	validationMessage,
	validationMessageIcon,
	onBlur,
}: {
	control: Control<T>;
	name: FieldPath<T>;
	label: string;
	hint?: string;
	required?: boolean;
	type?: InputProps["type"];
	autoComplete?: string;
	placeholder?: string;
	className?: string;
	inputClassName?: string;
	spellCheck?: boolean;
	/** Shown when the field has no validation error. */
	validationState?: FieldProps["validationState"];
	validationMessage?: FieldProps["validationMessage"];
	validationMessageIcon?: FieldProps["validationMessageIcon"];
	onBlur?: (e: FocusEvent<HTMLInputElement>) => void;
}) {
	return (
		<Controller
			control={control}
			name={name}
			render={({ field, fieldState }) => (
				<Field
					className={className}
					label={label}
					hint={hint}
					required={required}
					validationState={fieldState.error ? "error" : validationState}
					validationMessage={fieldState.error?.message ?? validationMessage}
					validationMessageIcon={
						fieldState.error ? undefined : validationMessageIcon
					}
				>
					<Input
						ref={field.ref}
						name={field.name}
						value={(field.value as string | undefined) ?? ""}
						onChange={(_, d) => field.onChange(d.value)}
						onBlur={(e) => {
							field.onBlur();
							onBlur?.(e);
						}}
						type={type}
						autoComplete={autoComplete}
						placeholder={placeholder}
						className={inputClassName}
						spellCheck={spellCheck}
					/>
				</Field>
			)}
		/>
	);
}
