using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
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
}
