using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Tests.Cards;

/// <summary>Run cards as Core builds them for an upgrade with a savepoint, one per lifecycle state.</summary>
internal static class TestRunCards
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly CheckResult[] PassedPreconditions =
    [
        CheckResult.Pass("job-running", "Job is RUNNING", "a1b2c3d4… RUNNING for 3 d"),
        CheckResult.Pass("checkpoint-recent", "Recent checkpoint", "last completed 14 s ago, interval 10 s"),
    ];

    private static readonly CardGate OpenGate =
        new("1 approval by someone other than the requester; expires 09:30 UTC", [], true, Start.AddMinutes(30), "Local mode: self-approval is allowed", null);

    public static RunCard AwaitingApproval(RunId runId) => new()
    {
        RunId = runId,
        Title = "Upgrade orders-enricher",
        Subtitle = $"{runId} · upgrade · cluster prod-eu · requested by @bo",
        State = RunState.AwaitingApproval,
        StateLabel = "Waiting for approval",
        Tone = CardTone.Neutral,
        Summary = "Preconditions passed; waiting for 1 approval.",
        Facts =
        [
            new("Job", "orders-enricher (a1b2c3d4e5f60718293a4b5c6d7e8f90)"),
            new("Version", "orders_enricher-2.3.1.jar → orders_enricher-2.4.0.jar"),
            new("Savepoint directory", "s3://flink/savepoints/orders-enricher"),
        ],
        Preconditions = PassedPreconditions,
        Manual = ["The change is state-compatible: no removed or renamed stateful operators."],
        Gate = OpenGate,
        Procedure = Steps(StepStatus.Pending, StepStatus.Pending),
        Rollback = [new("Submit orders-enricher-2.3.1.jar from the same savepoint", StepStatus.Pending, null)],
        Gotchas = ["A savepoint taken with drain fires event-time timers early."],
        TimelineTail = ["09:00:00 requested by @bo", "09:00:02 preconditions passed"],
    };

    /// <summary>A card in <paramref name="state"/>, with what Core shows in that state.</summary>
    public static RunCard For(RunState state)
    {
        var waiting = AwaitingApproval(RunId.New());
        var approved = waiting.Gate! with { IsOpen = false, Approvals = ["@ana at 09:05 UTC"], Decision = "Approved by @ana at 09:05 UTC" };
        var after = waiting with { Gate = approved };
        return state switch
        {
            RunState.Requested => waiting with
            {
                State = state, StateLabel = "Requested", Summary = null, Preconditions = [], Gate = null, Procedure = [], Rollback = [],
                TimelineTail = ["09:00:00 requested by @bo"],
            },
            RunState.CheckingPreconditions => waiting with { State = state, StateLabel = "Checking preconditions", Summary = "Reading the cluster…", Gate = null, Preconditions = [PassedPreconditions[0]] },
            RunState.PreconditionsFailed => waiting with
            {
                State = state, StateLabel = "Preconditions failed", Tone = CardTone.Bad, Gate = null, Summary = "Nothing was changed.",
                Preconditions = [PassedPreconditions[0], CheckResult.Fail("checkpoint-recent", "Recent checkpoint", "last completed 14 min ago, interval 10 s")],
            },
            RunState.AwaitingApproval => waiting,
            RunState.Rejected => waiting with
            {
                State = state, StateLabel = "Rejected", Tone = CardTone.Warning, Summary = "Nothing was changed.",
                Gate = waiting.Gate! with { IsOpen = false, Decision = "Rejected by @ana at 09:07 UTC: not during peak" },
            },
            RunState.Expired => waiting with
            {
                State = state, StateLabel = "Expired", Tone = CardTone.Warning, Summary = "Nobody approved in time; nothing was changed.",
                Gate = waiting.Gate! with { IsOpen = false, Decision = "Expired at 09:30 UTC" },
            },
            RunState.Cancelled => waiting with { State = state, StateLabel = "Cancelled", Tone = CardTone.Warning, Gate = waiting.Gate! with { IsOpen = false, Decision = "Cancelled by @bo" } },
            RunState.ConfirmingPlan => after with { State = state, StateLabel = "Approved: re-checking the plan before executing", PlanHash = "1a2b3c4d" },
            RunState.Executing => after with { State = state, StateLabel = "Executing", Summary = "Step 2 of 2", Procedure = Steps(StepStatus.Done, StepStatus.Running) },
            RunState.Validating => after with
            {
                State = state, StateLabel = "Validating", Procedure = Steps(StepStatus.Done, StepStatus.Done),
                Validations = [CheckResult.Unknown("checkpoints", "Checkpoints complete", "waiting for the first checkpoint")],
            },
            RunState.Succeeded => after with
            {
                State = state, StateLabel = "Succeeded", Tone = CardTone.Good, Summary = "orders-enricher runs 2.4.0.", Procedure = Steps(StepStatus.Done, StepStatus.Done),
                Validations = [CheckResult.Pass("checkpoints", "Checkpoints complete", "3 checkpoints in 30 s")],
            },
            RunState.Failed => after with
            {
                State = state, StateLabel = "Failed", Tone = CardTone.Bad, Summary = "The savepoint failed; the job keeps running 2.3.1.",
                Procedure = [new("Stop orders-enricher with a savepoint", StepStatus.Failed, "savepoint timed out after 600 s"), new("Submit orders-enricher-2.4.0.jar", StepStatus.Skipped, null)],
            },
            RunState.RollingBack => after with
            {
                State = state, StateLabel = "Rolling back", Tone = CardTone.Warning, RollbackStarted = true, Procedure = Steps(StepStatus.Done, StepStatus.Done),
                Validations = [CheckResult.Fail("no-restarts", "No restarts", "4 restarts in 60 s")],
                Rollback = [new("Submit orders-enricher-2.3.1.jar from the same savepoint", StepStatus.Running, null)],
            },
            RunState.RolledBack => after with
            {
                State = state, StateLabel = "Rolled back", Tone = CardTone.Warning, RollbackStarted = true, Procedure = Steps(StepStatus.Done, StepStatus.Done),
                Validations = [CheckResult.Fail("no-restarts", "No restarts", "4 restarts in 60 s")],
                Rollback = [new("Submit orders-enricher-2.3.1.jar from the same savepoint", StepStatus.Done, "job 0f1e2d3c RUNNING")],
            },
            RunState.RollbackFailed => after with
            {
                State = state, StateLabel = "Rollback failed", Tone = CardTone.Bad, RollbackStarted = true, Procedure = Steps(StepStatus.Done, StepStatus.Done),
                Validations = [CheckResult.Fail("no-restarts", "No restarts", "4 restarts in 60 s")],
                Rollback = [new("Submit orders-enricher-2.3.1.jar from the same savepoint", StepStatus.Failed, "JobManager returned 500: no such jar")],
                HumanActions = ["Upload orders-enricher-2.3.1.jar and start it from s3://flink/savepoints/orders-enricher/savepoint-4f2a.", "Page the on-call owner of orders-enricher."],
            },
            RunState.AwaitingDecision => after with
            {
                State = state, StateLabel = "Parked: waiting for a decision", Tone = CardTone.Warning,
                Summary = "Parked at “Stop orders-enricher with a savepoint”: Flink no longer knows the stop's trigger id.",
                Procedure = Steps(StepStatus.Uncertain, StepStatus.Pending),
                Decision = Parked,
            },
            RunState.Abandoned => after with
            {
                State = state, StateLabel = "Abandoned: the cluster was left as it is", Tone = CardTone.Bad, Procedure = Steps(StepStatus.Uncertain, StepStatus.Pending),
                HumanActions = ["Check the job by hand: `/flink status orders-enricher`."],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
        };
    }

    /// <summary>The decision of a run parked on the stop, as Core builds it.</summary>
    public static readonly CardDecision Parked = new(
        "“Stop orders-enricher with a savepoint” is uncertain: Flink no longer knows the stop's trigger id",
        [new("jobStatus", "CANCELED"), new("triggerId", "0123456789abcdef0123456789abcdef")],
        [
            new("retry", "Retry step", "run the uncertain step again"),
            new("continue", "Continue", "give the savepoint path"),
            new("rollback", "Roll back", "run the rollback plan now"),
            new("abandon", "Abandon", "end the run and leave the cluster as it is"),
        ],
        "anyone in the channel (not the requester)");

    private static CardStep[] Steps(StepStatus stop, StepStatus submit) =>
    [
        new("Stop orders-enricher with a savepoint", stop, stop == StepStatus.Pending ? null : "savepoint s3://flink/savepoints/orders-enricher/savepoint-4f2a"),
        new("Submit orders-enricher-2.4.0.jar from the savepoint", submit, submit == StepStatus.Pending ? null : "job 9a8b7c6d RUNNING"),
    ];
}
