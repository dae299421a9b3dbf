namespace FlinkOpsBot.Core.Runs;

/// <summary>What makes a run move from one <see cref="RunState"/> to another.</summary>
public enum RunTrigger
{
    /// <summary>The engine picked up a new run.</summary>
    Start,
    /// <summary>Every precondition passed (manual checklist items are confirmed by approving).</summary>
    PreconditionsPassed,
    /// <summary>At least one precondition failed or could not be evaluated.</summary>
    PreconditionsNotMet,
    /// <summary>An approval brought the gate to its quorum.</summary>
    Approve,
    /// <summary>The plan recomputed before execution is the plan that was approved, and every precondition still passes.</summary>
    PlanConfirmed,
    /// <summary>The plan recomputed before execution differs from the approved one: the approvals are void; the gate opens again.</summary>
    PlanChanged,
    /// <summary>An allowed approver rejected the run.</summary>
    Reject,
    /// <summary>The gate's expiry passed without quorum.</summary>
    Expire,
    /// <summary>The requester cancelled the run before execution.</summary>
    Cancel,
    /// <summary>The last procedure step finished.</summary>
    ProcedureCompleted,
    /// <summary>A procedure step failed before anything needed undoing (e.g. stop-with-savepoint failed: the job is untouched).</summary>
    ProcedureAborted,
    /// <summary>A procedure step failed after the cluster changed: roll back.</summary>
    ProcedureFailed,
    /// <summary>The validation window passed with every validation check healthy.</summary>
    ValidationPassed,
    /// <summary>A validation check failed: roll back.</summary>
    ValidationFailed,
    /// <summary>The last rollback step finished.</summary>
    RollbackCompleted,
    /// <summary>A rollback step failed: a human must act.</summary>
    RollbackAborted,
    /// <summary>A procedure or rollback step could not tell safely what the cluster did: park the run for a person.</summary>
    StepUncertain,
    /// <summary>A person chose to run the uncertain step again (back to the phase it was parked from).</summary>
    RetryStep,
    /// <summary>A person marked the uncertain step done; the phase it was parked from continues with the next step.</summary>
    ContinueStep,
    /// <summary>A person chose to roll back a run parked in its procedure.</summary>
    RollBack,
    /// <summary>A person abandoned the parked run: the cluster is left as it is.</summary>
    Abandon,
}
