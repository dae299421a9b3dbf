using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Slack.Tests.Fakes;

/// <summary>Runs, cards and events as Core builds them for an upgrade waiting for approval.</summary>
internal static class TestRuns
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    public static readonly Actor Requester = new("slack", "T0001", "U0BO", "bo");

    public static Run Run() => new()
    {
        Id = RunId.New(),
        RecipeId = "upgrade",
        Cluster = "prod-eu",
        JobName = "orders-enricher",
        Inputs = new() { ["job"] = "orders-enricher", ["jar"] = "orders-enricher-2.4.0.jar" },
        Requester = Requester,
        Origin = new ChannelRef("slack", "T0001", "C0INCIDENT"),
        CreatedAt = Start,
    };

    public static RunCard AwaitingApproval(RunId runId) => new()
    {
        RunId = runId,
        Title = "Upgrade orders-enricher",
        Subtitle = $"{runId} · Upgrade a job with a savepoint · cluster prod-eu · requested by <@U0BO>",
        State = RunState.AwaitingApproval,
        StateLabel = "Waiting for approval",
        Tone = CardTone.Neutral,
        Summary = "Preconditions passed; waiting for 1 approval.",
        Facts = [new("Job", "orders-enricher (a1b2c3d4e5f60718293a4b5c6d7e8f90)"), new("Version", "orders-enricher-2.3.1.jar → orders-enricher-2.4.0.jar")],
        Preconditions =
        [
            CheckResult.Pass("job-running", "Job is RUNNING", "a1b2c3d4… RUNNING for 3 d"),
            CheckResult.Pass("checkpoint-recent", "Recent checkpoint", "last completed 14 s ago, interval 10 s"),
        ],
        Manual = ["The change is state-compatible: no removed or renamed stateful operators."],
        Gate = new CardGate("1 approval(s) by anyone in the channel (not the requester); expires 09:30 UTC", [], true, Start.AddMinutes(30), null, null),
        Procedure =
        [
            new("Stop orders-enricher with a savepoint", StepStatus.Pending, null),
            new("Submit orders-enricher-2.4.0.jar from the savepoint", StepStatus.Pending, null),
        ],
        Rollback = [new("Submit orders-enricher-2.3.1.jar from the same savepoint", StepStatus.Pending, null)],
        Gotchas = ["A savepoint taken with drain fires event-time timers early."],
        TimelineTail = ["09:00:00 requested by <@U0BO>", "09:00:02 preconditions passed"],
    };

    public static TimelineEvent Event(RunId runId, int sequence, TimeSpan after, string text) =>
        new(runId, sequence, Start + after, Actor.System, TimelineEventKind.Note, text, new Dictionary<string, string>());
}
