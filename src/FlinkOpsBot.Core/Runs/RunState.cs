namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// The run lifecycle's states. The allowed moves between them are the table in
/// <see cref="Lifecycle.RunLifecycle"/>; <c>docs/run-lifecycle.md</c> draws it.
/// </summary>
public enum RunState
{
    /// <summary>Created from a command; nothing read yet.</summary>
    Requested,
    /// <summary>Reading the cluster to evaluate the recipe's preconditions.</summary>
    CheckingPreconditions,
    /// <summary>A precondition failed; nothing was changed. Terminal.</summary>
    PreconditionsFailed,
    /// <summary>The gate is open: waiting for approvals.</summary>
    AwaitingApproval,
    /// <summary>
    /// Approved: just before the first mutating step, the preconditions are checked again and the plan recomputed. The
    /// same plan goes on to <see cref="Executing"/>; a changed one voids the approvals and opens the gate again; a failed
    /// precondition ends the run <see cref="PreconditionsFailed"/>. Nothing is changed on the cluster here.
    /// </summary>
    ConfirmingPlan,
    /// <summary>An approver rejected the run; nothing was changed. Terminal.</summary>
    Rejected,
    /// <summary>Nobody approved before the gate expired; nothing was changed. Terminal.</summary>
    Expired,
    /// <summary>The requester cancelled before execution; nothing was changed. Terminal.</summary>
    Cancelled,
    /// <summary>Running the procedure's steps against the cluster.</summary>
    Executing,
    /// <summary>The procedure finished; watching the new job through the validation window.</summary>
    Validating,
    /// <summary>The change is in place and validated. Terminal.</summary>
    Succeeded,
    /// <summary>The procedure failed before changing anything that needs undoing. Terminal.</summary>
    Failed,
    /// <summary>Undoing the change: running the recipe's rollback steps.</summary>
    RollingBack,
    /// <summary>The previous version runs again. Terminal.</summary>
    RolledBack,
    /// <summary>The rollback failed: a human must act; the card says what to do. Terminal.</summary>
    RollbackFailed,
    /// <summary>
    /// Parked: a step of the procedure or the rollback could not tell safely what the cluster did (its status is
    /// <see cref="StepStatus.Uncertain"/>). The card shows the evidence; an approver decides: retry the step, continue
    /// (the step is marked done by a human), roll back, or abandon. Never expires on its own.
    /// </summary>
    AwaitingDecision,
    /// <summary>A person abandoned a parked run: the cluster was left as it was; the card lists what to check by hand. Terminal.</summary>
    Abandoned,
}

/// <summary>Facts about <see cref="RunState"/> values.</summary>
public static class RunStates
{
    /// <summary>True for states a run never leaves.</summary>
    public static bool IsTerminal(this RunState state) => state is RunState.PreconditionsFailed or RunState.Rejected
        or RunState.Expired or RunState.Cancelled or RunState.Succeeded or RunState.Failed or RunState.RolledBack
        or RunState.RollbackFailed or RunState.Abandoned;

    /// <summary>True once the run may have changed the cluster (from execution on).</summary>
    public static bool HasTouchedCluster(this RunState state) => state is RunState.Executing or RunState.Validating
        or RunState.Succeeded or RunState.Failed or RunState.RollingBack or RunState.RolledBack or RunState.RollbackFailed
        or RunState.AwaitingDecision or RunState.Abandoned;
}
