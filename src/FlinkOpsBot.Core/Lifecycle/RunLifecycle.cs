using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Lifecycle;

/// <summary>
/// The run lifecycle as an explicit transition table. Pure: it decides where a run may go and moves its
/// <see cref="Run.State"/>; it performs no I/O. <c>docs/run-lifecycle.md</c> holds the Mermaid drawing of this
/// table, and a test fails when the two disagree.
/// </summary>
public static class RunLifecycle
{
    /// <summary>The guard description used on the quorum-gated approval transition.</summary>
    public const string QuorumGuard = "quorum reached";

    /// <summary>The guard on the decision transitions back to <see cref="RunState.Executing"/>.</summary>
    public const string ParkedInProcedureGuard = "parked in the procedure";

    /// <summary>The guard on the decision transitions back to <see cref="RunState.RollingBack"/>.</summary>
    public const string ParkedInRollbackGuard = "parked in the rollback";

    /// <summary>Builds the lifecycle machine over <paramref name="run"/>'s state.</summary>
    public static StateMachine<RunState, RunTrigger> For(Run run) =>
        Build(() => run.State, s => run.State = s, () => HasQuorum(run), () => IsParkedInRollback(run));

    /// <summary>
    /// Builds the machine over any state holder; used to draw the table and to test it exhaustively.
    /// <paramref name="parkedInRollback"/> tells a parked run's phase (default: the procedure).
    /// </summary>
    public static StateMachine<RunState, RunTrigger> Build(Func<RunState> accessor, Action<RunState> mutator, Func<bool> quorumReached,
        Func<bool>? parkedInRollback = null)
    {
        parkedInRollback ??= static () => false;
        var inRollback = parkedInRollback;
        bool InProcedure() => !inRollback();
        var machine = new StateMachine<RunState, RunTrigger>(accessor, mutator);

        machine.Configure(RunState.Requested)
            .Permit(RunTrigger.Start, RunState.CheckingPreconditions)
            .Permit(RunTrigger.Cancel, RunState.Cancelled);

        machine.Configure(RunState.CheckingPreconditions)
            .Permit(RunTrigger.PreconditionsPassed, RunState.AwaitingApproval)
            .Permit(RunTrigger.PreconditionsNotMet, RunState.PreconditionsFailed)
            .Permit(RunTrigger.Cancel, RunState.Cancelled);

        machine.Configure(RunState.AwaitingApproval)
            .PermitIf(RunTrigger.Approve, RunState.ConfirmingPlan, quorumReached, QuorumGuard)
            .Permit(RunTrigger.Reject, RunState.Rejected)
            .Permit(RunTrigger.Expire, RunState.Expired)
            .Permit(RunTrigger.Cancel, RunState.Cancelled);

        machine.Configure(RunState.ConfirmingPlan)
            .Permit(RunTrigger.PlanConfirmed, RunState.Executing)
            .Permit(RunTrigger.PlanChanged, RunState.AwaitingApproval)
            .Permit(RunTrigger.PreconditionsNotMet, RunState.PreconditionsFailed)
            .Permit(RunTrigger.Cancel, RunState.Cancelled);

        machine.Configure(RunState.Executing)
            .Permit(RunTrigger.ProcedureCompleted, RunState.Validating)
            .Permit(RunTrigger.ProcedureAborted, RunState.Failed)
            .Permit(RunTrigger.ProcedureFailed, RunState.RollingBack)
            .Permit(RunTrigger.StepUncertain, RunState.AwaitingDecision);

        machine.Configure(RunState.Validating)
            .Permit(RunTrigger.ValidationPassed, RunState.Succeeded)
            .Permit(RunTrigger.ValidationFailed, RunState.RollingBack);

        machine.Configure(RunState.RollingBack)
            .Permit(RunTrigger.RollbackCompleted, RunState.RolledBack)
            .Permit(RunTrigger.RollbackAborted, RunState.RollbackFailed)
            .Permit(RunTrigger.StepUncertain, RunState.AwaitingDecision);

        machine.Configure(RunState.AwaitingDecision)
            .PermitIf(RunTrigger.RetryStep, RunState.Executing, InProcedure, ParkedInProcedureGuard)
            .PermitIf(RunTrigger.RetryStep, RunState.RollingBack, inRollback, ParkedInRollbackGuard)
            .PermitIf(RunTrigger.ContinueStep, RunState.Executing, InProcedure, ParkedInProcedureGuard)
            .PermitIf(RunTrigger.ContinueStep, RunState.RollingBack, inRollback, ParkedInRollbackGuard)
            .PermitIf(RunTrigger.RollBack, RunState.RollingBack, InProcedure, ParkedInProcedureGuard)
            .Permit(RunTrigger.Abandon, RunState.Abandoned);

        foreach (var terminal in Enum.GetValues<RunState>().Where(s => s.IsTerminal()))
        {
            machine.Configure(terminal).Final();
        }
        return machine;
    }

    /// <summary>True when the run's uncertain step is one of its rollback's (it was parked while rolling back).</summary>
    public static bool IsParkedInRollback(Run run) => run.Rollback.Any(s => s.Status == StepStatus.Uncertain);

    /// <summary>The lifecycle as a Mermaid <c>stateDiagram-v2</c>, generated from the table.</summary>
    public static string ToMermaid()
    {
        var state = RunState.Requested;
        return Build(() => state, s => state = s, static () => true).ToMermaid(RunState.Requested);
    }

    /// <summary>
    /// True when the run's distinct counted approvals reach the gate's quorum and, for a run that drops state, its plan
    /// has the second confirmation (<see cref="Approvals.StateDropConfirmation"/>). The requester's approval counts only
    /// when the gate allows self-approval.
    /// </summary>
    public static bool HasQuorum(Run run) =>
        run.Gate is { } gate && CountedApprovals(run) >= gate.RequiredApprovals && Approvals.StateDropConfirmation.Satisfied(run);

    /// <summary>The number of distinct approvers that count towards the quorum.</summary>
    public static int CountedApprovals(Run run) => run.Approvals
        .Where(a => run.Gate?.AllowSelfApproval == true || !a.Actor.IsSamePersonAs(run.Requester))
        .Select(a => a.Actor.Key)
        .Distinct(StringComparer.Ordinal)
        .Count();
}
