"use client";

import { useRouter } from "next/navigation";
import { type SubmitEvent, useRef, useState } from "react";
import { upstreamFetch } from "next-token-bff/client";
import { ARTICLES_PATH, type ArticleDocument, articleWriteDocument } from "../../../lib/articles";
import { formText } from "../../../lib/form-fields";
import { PermissionMessage } from "./permission-message";

export interface ArticleFormProps {
  /** Absent: a new article. */
  article?: { id: string; title: string; body: string; bodyFormat: string; published: boolean };
}

type FieldName = "title" | "body" | "status";
type FieldErrors = Partial<Record<FieldName, string[]>>;

const fieldIds: Record<FieldName, string> = {
  title: "article-title",
  body: "article-body",
  status: "article-published",
};

/**
 * Create or edit an article from the browser, through the proxy (`upstreamFetch`). The
 * upstream decides: a 422 puts its messages beside the fields (`source.pointer`), a 403 says
 * what the person may not do (they stay signed in).
 */
export function ArticleForm({ article }: ArticleFormProps) {
  const router = useRouter();
  const editing = article !== undefined;
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ forbidden: boolean; message: string } | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      title: formText(form, "title"),
      body: formText(form, "body"),
      published: form.get("published") === "on",
      bodyFormat: article?.bodyFormat ?? "plain_text",
    };
    setPending(true);
    setFieldErrors({});
    setFormError(null);
    const result = await upstreamFetch<ArticleDocument>(
      editing ? `${ARTICLES_PATH}/${encodeURIComponent(article.id)}` : ARTICLES_PATH,
      { method: editing ? "PATCH" : "POST", body: articleWriteDocument(values, article?.id) },
    );
    if (result.ok) {
      const id = result.document?.data.id ?? article?.id;
      router.push(id ? `/articles/${id}?notice=${editing ? "saved" : "created"}` : "/articles");
      router.refresh();
      return;
    }
    setPending(false);
    const { problem } = result;
    if (problem.kind === "session_ended") return; // on the way to the sign-in page
    if (problem.kind === "validation") {
      const errors: FieldErrors = {};
      const other: string[] = [];
      for (const [field, messages] of Object.entries(problem.fieldErrors)) {
        if (field === "title" || field === "body" || field === "status") errors[field] = messages;
        else other.push(...(messages ?? []));
      }
      setFieldErrors(errors);
      const firstField = (["title", "body", "status"] as const).find((name) => errors[name]);
      if (firstField !== undefined) {
        if (other.length > 0) setFormError({ forbidden: false, message: other.join(" ") });
        document.getElementById(fieldIds[firstField])?.focus();
        return;
      }
    }
    setFormError({ forbidden: problem.kind === "forbidden", message: problem.message });
    requestAnimationFrame(() => alertRef.current?.focus());
  }

  const describedBy = (name: FieldName, hint?: string) =>
    [hint, fieldErrors[name] ? `${fieldIds[name]}-error` : undefined].filter(Boolean).join(" ") ||
    undefined;
  const fieldError = (name: FieldName) =>
    fieldErrors[name] ? (
      <p className="field-error" id={`${fieldIds[name]}-error`}>
        {fieldErrors[name].join(" ")}
      </p>
    ) : null;

  return (
    <form className="card stack" onSubmit={(event) => void onSubmit(event)} aria-busy={pending}>
      <div ref={alertRef} tabIndex={-1} className="form-alert">
        {formError?.forbidden ? (
          <PermissionMessage
            action={editing ? "edit this article" : "create articles"}
            detail={formError.message}
          />
        ) : null}
        {formError && !formError.forbidden ? (
          <p className="alert" role="alert">
            {formError.message}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={fieldIds.title}>Title</label>
        <input
          id={fieldIds.title}
          name="title"
          type="text"
          required
          maxLength={255}
          defaultValue={article?.title ?? ""}
          aria-invalid={fieldErrors.title ? true : undefined}
          aria-describedby={describedBy("title")}
        />
        {fieldError("title")}
      </div>
      <div className="field">
        <label htmlFor={fieldIds.body}>Text</label>
        <textarea
          id={fieldIds.body}
          name="body"
          defaultValue={article?.body ?? ""}
          aria-invalid={fieldErrors.body ? true : undefined}
          aria-describedby={describedBy("body", "article-body-hint")}
        />
        <p className="muted" id="article-body-hint" style={{ margin: 0 }}>
          {article === undefined || article.bodyFormat === "plain_text"
            ? "Plain text; blank lines separate paragraphs."
            : `Written in the “${article.bodyFormat}” text format (HTML); it is kept as it is.`}
        </p>
        {fieldError("body")}
      </div>
      <div className="field">
        <div className="checkbox">
          <input
            id={fieldIds.status}
            name="published"
            type="checkbox"
            defaultChecked={article?.published ?? false}
            aria-invalid={fieldErrors.status ? true : undefined}
            aria-describedby={describedBy("status")}
          />
          <label htmlFor={fieldIds.status}>Published</label>
        </div>
        {fieldError("status")}
      </div>
      <div className="actions">
        <button className="button" type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : editing ? "Save changes" : "Create article"}
        </button>
        <button
          className="button secondary"
          type="button"
          onClick={() => router.push(editing ? `/articles/${article.id}` : "/articles")}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
