"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { upstreamFetch } from "next-token-bff/client";
import { ARTICLES_PATH } from "../../../../lib/articles";
import { PermissionMessage } from "../permission-message";

/**
 * Delete with a confirmation step: a modal `<dialog>` (the browser traps focus, Escape closes
 * it, focus returns to the button), then `DELETE` through the proxy.
 */
export function DeleteArticle({ id, title }: { id: string; title: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ forbidden: boolean; message: string } | null>(null);
  const headingId = useId();
  const textId = useId();

  function open() {
    setError(null);
    dialog.current?.showModal();
  }

  function close() {
    dialog.current?.close();
  }

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await upstreamFetch(`${ARTICLES_PATH}/${encodeURIComponent(id)}`, {
      method: "DELETE",
    });
    if (result.ok) {
      dialog.current?.close();
      router.push("/articles?notice=deleted");
      router.refresh();
      return;
    }
    setPending(false);
    if (result.problem.kind === "session_ended") return;
    setError({ forbidden: result.problem.kind === "forbidden", message: result.problem.message });
  }

  return (
    <>
      <button ref={opener} className="button danger" type="button" onClick={open}>
        Delete
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog stack"
        aria-labelledby={headingId}
        aria-describedby={textId}
        onClose={() => opener.current?.focus()}
      >
        <h2 id={headingId}>Delete this article?</h2>
        <p id={textId}>“{title}” will be removed for everyone. This cannot be undone.</p>
        {error?.forbidden ? (
          <PermissionMessage action="delete this article" detail={error.message} />
        ) : null}
        {error && !error.forbidden ? (
          <p className="alert" role="alert">
            {error.message}
          </p>
        ) : null}
        <div className="actions">
          <button className="button secondary" type="button" onClick={close} autoFocus>
            Cancel
          </button>
          <button
            className="button danger"
            type="button"
            onClick={() => void confirm()}
            disabled={pending}
            aria-busy={pending}
          >
            {pending ? "Deleting…" : "Delete article"}
          </button>
        </div>
      </dialog>
    </>
  );
}
