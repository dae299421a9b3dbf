using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Tests.Fakes;

/// <summary>The people of <see cref="TeamsTraffic"/> as Core sees them, and a run of theirs.</summary>
internal static class TeamsRuns
{
    public static Actor Ana => new("teams", TeamsTraffic.TenantId, TeamsTraffic.AnaObjectId, "Ana Ruiz");

    public static Actor Bo => new("teams", TeamsTraffic.TenantId, TeamsTraffic.BoObjectId, "Bo Lindqvist");

    /// <summary>An upgrade run requested by Ana in the channel, waiting for one approval by anyone but her.</summary>
    public static Run AwaitingApproval(DateTimeOffset now, IReadOnlyList<string>? approvers = null) => new()
    {
        Id = RunId.New(),
        RecipeId = "upgrade",
        Cluster = "prod-eu",
        JobName = "orders-enricher",
        Inputs = new() { ["job"] = "orders-enricher", ["jar"] = "orders-enricher-2.4.0.jar" },
        Requester = Ana,
        Origin = new ChannelRef("teams", TeamsTraffic.TenantId, TeamsTraffic.ChannelConversationId),
        CreatedAt = now,
        UpdatedAt = now,
        State = RunState.AwaitingApproval,
        Gate = new GateSnapshot(1, false, approvers ?? [], now.AddMinutes(30), null),
        TimelineSequence = 0,
    };

    /// <summary>The same run parked on an uncertain stop-with-savepoint, waiting for an approver to decide how it goes on.</summary>
    public static Run Parked(DateTimeOffset now)
    {
        var run = AwaitingApproval(now);
        run.State = RunState.AwaitingDecision;
        run.Procedure =
        [
            new StepRecord
            {
                Kind = "stop-with-savepoint", Title = "Stop orders-enricher with a savepoint", Status = StepStatus.Uncertain,
                Detail = "Flink no longer knows the stop's trigger id", StartedAt = now,
            },
            new StepRecord { Kind = "submit-jar", Title = "Start orders-enricher-2.4.0.jar from the savepoint" },
        ];
        RunDecisions.Park(run, new Dictionary<string, string> { ["jobStatus"] = "CANCELED" }, now);
        return run;
    }
}
