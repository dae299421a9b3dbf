using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Core.Tests.Lifecycle;

public class RunLifecycleTests
{
    /// <summary>The lifecycle as the issue specifies it: every allowed move, and nothing else.</summary>
    public static readonly TheoryData<RunState, RunTrigger, RunState> Allowed = new()
    {
        { RunState.Requested, RunTrigger.Start, RunState.CheckingPreconditions },
        { RunState.Requested, RunTrigger.Cancel, RunState.Cancelled },
        { RunState.CheckingPreconditions, RunTrigger.PreconditionsPassed, RunState.AwaitingApproval },
        { RunState.CheckingPreconditions, RunTrigger.PreconditionsNotMet, RunState.PreconditionsFailed },
        { RunState.CheckingPreconditions, RunTrigger.Cancel, RunState.Cancelled },
        { RunState.AwaitingApproval, RunTrigger.Approve, RunState.ConfirmingPlan },
        { RunState.AwaitingApproval, RunTrigger.Reject, RunState.Rejected },
        { RunState.AwaitingApproval, RunTrigger.Expire, RunState.Expired },
        { RunState.AwaitingApproval, RunTrigger.Cancel, RunState.Cancelled },
        // Approved: preconditions and plan re-checked just before the first mutating step.
        { RunState.ConfirmingPlan, RunTrigger.PlanConfirmed, RunState.Executing },
        { RunState.ConfirmingPlan, RunTrigger.PlanChanged, RunState.AwaitingApproval },
        { RunState.ConfirmingPlan, RunTrigger.PreconditionsNotMet, RunState.PreconditionsFailed },
        { RunState.ConfirmingPlan, RunTrigger.Cancel, RunState.Cancelled },
        { RunState.Executing, RunTrigger.ProcedureCompleted, RunState.Validating },
        { RunState.Executing, RunTrigger.ProcedureAborted, RunState.Failed },
        { RunState.Executing, RunTrigger.ProcedureFailed, RunState.RollingBack },
        { RunState.Validating, RunTrigger.ValidationPassed, RunState.Succeeded },
        { RunState.Validating, RunTrigger.ValidationFailed, RunState.RollingBack },
        { RunState.RollingBack, RunTrigger.RollbackCompleted, RunState.RolledBack },
        { RunState.RollingBack, RunTrigger.RollbackAborted, RunState.RollbackFailed },
        { RunState.Executing, RunTrigger.StepUncertain, RunState.AwaitingDecision },
        { RunState.RollingBack, RunTrigger.StepUncertain, RunState.AwaitingDecision },
        // Parked in the procedure (the default of Build): retry and continue go back to Executing.
        { RunState.AwaitingDecision, RunTrigger.RetryStep, RunState.Executing },
        { RunState.AwaitingDecision, RunTrigger.ContinueStep, RunState.Executing },
        { RunState.AwaitingDecision, RunTrigger.RollBack, RunState.RollingBack },
        { RunState.AwaitingDecision, RunTrigger.Abandon, RunState.Abandoned },
    };

    [Theory]
    [InlineData(RunTrigger.RetryStep, RunState.RollingBack)]
    [InlineData(RunTrigger.ContinueStep, RunState.RollingBack)]
    [InlineData(RunTrigger.Abandon, RunState.Abandoned)]
    public void Fire_ParkedInTheRollback_ReturnsToTheRollback(RunTrigger trigger, RunState expected)
    {
        var run = NewRun();
        run.State = RunState.AwaitingDecision;
        run.Rollback.Add(new StepRecord { Kind = "cancel-job", Title = "Cancel the new job", Status = StepStatus.Uncertain });
        var machine = RunLifecycle.For(run);

        Assert.False(machine.CanFire(RunTrigger.RollBack));
        machine.Fire(trigger);

        Assert.Equal(expected, run.State);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Fire_AllowedTransition_MovesToDestination(RunState from, RunTrigger trigger, RunState to)
    {
        var state = from;
        var machine = RunLifecycle.Build(() => state, s => state = s, () => true);

        machine.Fire(trigger);

        Assert.Equal(to, state);
    }

    [Fact]
    public void Fire_EveryOtherPair_IsRefusedAndLeavesTheState()
    {
        var allowed = Allowed.Select(row => ((RunState)row[0], (RunTrigger)row[1])).ToHashSet();
        var refused = 0;
        foreach (var from in Enum.GetValues<RunState>())
        {
            foreach (var trigger in Enum.GetValues<RunTrigger>().Where(t => !allowed.Contains((from, t))))
            {
                var state = from;
                var machine = RunLifecycle.Build(() => state, s => state = s, () => true);
                Assert.False(machine.CanFire(trigger), $"{from} should refuse {trigger}");
                Assert.Throws<InvalidOperationException>(() => machine.Fire(trigger));
                Assert.Equal(from, state);
                refused++;
            }
        }
        Assert.Equal(Enum.GetValues<RunState>().Length * Enum.GetValues<RunTrigger>().Length - allowed.Count, refused);
    }

    [Fact]
    public void Approve_WithoutQuorum_IsRefused()
    {
        var run = NewRun();
        run.State = RunState.AwaitingApproval;
        run.Gate = new GateSnapshot(2, false, [], DateTimeOffset.MaxValue, null);
        run.Approvals.Add(new Approval(new Actor("slack", "T1", "U2", "bo"), DateTimeOffset.UnixEpoch));
        var machine = RunLifecycle.For(run);

        Assert.False(machine.CanFire(RunTrigger.Approve));
        run.Approvals.Add(new Approval(new Actor("slack", "T1", "U3", "cy"), DateTimeOffset.UnixEpoch));
        Assert.True(machine.CanFire(RunTrigger.Approve));
    }

    [Fact]
    public void CountedApprovals_RequesterAndDuplicates_DoNotCount()
    {
        var run = NewRun();
        run.Gate = new GateSnapshot(2, false, [], DateTimeOffset.MaxValue, null);
        var other = new Actor("slack", "T1", "U2", "bo");
        run.Approvals.Add(new Approval(run.Requester, DateTimeOffset.UnixEpoch));
        run.Approvals.Add(new Approval(other, DateTimeOffset.UnixEpoch));
        run.Approvals.Add(new Approval(other with { DisplayName = "Bo (renamed)" }, DateTimeOffset.UnixEpoch));

        Assert.Equal(1, RunLifecycle.CountedApprovals(run));
        run.Gate = run.Gate with { AllowSelfApproval = true };
        Assert.Equal(2, RunLifecycle.CountedApprovals(run));
    }

    [Fact]
    public void TerminalStates_PermitNothing()
    {
        foreach (var terminal in Enum.GetValues<RunState>().Where(s => s.IsTerminal()))
        {
            var state = terminal;
            Assert.Empty(RunLifecycle.Build(() => state, s => state = s, () => true).PermittedTriggers);
        }
    }

    [Fact]
    public void Diagram_InDocs_MatchesTheCode()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "run-lifecycle.md");
        var doc = File.ReadAllText(path).ReplaceLineEndings("\n");
        var expected = "```mermaid\n" + RunLifecycle.ToMermaid() + "```";

        Assert.True(doc.Contains(expected, StringComparison.Ordinal),
            $"docs/run-lifecycle.md is out of date. Regenerate it with `dotnet run --project src/FlinkOpsBot.Host -- lifecycle > docs/run-lifecycle.md`. Expected block:\n{expected}");
    }

    internal static Run NewRun() => new()
    {
        Id = RunId.New(),
        RecipeId = "upgrade",
        Cluster = "demo",
        JobName = "orders-enricher",
        Inputs = [],
        Requester = new Actor("slack", "T1", "U1", "ana"),
        Origin = new Chat.ChannelRef("slack", "T1", "C1"),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
