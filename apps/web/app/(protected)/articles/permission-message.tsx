/** "You don't have permission to …": the person stays signed in; the upstream's reason below. */
export function PermissionMessage({ action, detail }: { action: string; detail?: string }) {
  const reason = detail?.startsWith("You don't have permission") === true ? undefined : detail;
  return (
    <div className="alert" role="alert" data-testid="permission-message">
      <p style={{ margin: 0 }}>
        <strong>You don&apos;t have permission to {action}.</strong>
      </p>
      {reason ? <p style={{ margin: "0.35rem 0 0" }}>{reason}</p> : null}
    </div>
  );
}
