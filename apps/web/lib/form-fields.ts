/** A text field of a submitted form; `fallback` when it is missing (or, never in these forms, a file). */
export function formText(form: FormData, name: string, fallback = ""): string {
  const value = form.get(name);
  return typeof value === "string" ? value : fallback;
}
