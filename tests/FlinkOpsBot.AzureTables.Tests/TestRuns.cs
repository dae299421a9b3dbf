using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Tests;

/// <summary>Runs shaped like the command handler creates them.</summary>
internal static class TestRuns
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public static Run New(DateTimeOffset? createdAt = null, RunState state = RunState.Requested, RunId? id = null, string jar = "7f3c_orders-2.4.jar") => new()
    {
        Id = id ?? RunId.New(),
        RecipeId = "upgrade",
        Cluster = "prod-eu",
        JobName = "orders-enricher",
        Inputs = new Dictionary<string, string> { ["jar"] = jar },
        Requester = new Actor("slack", "T0001", "U0001", "Ana"),
        Origin = new ChannelRef("slack", "T0001", "C0001", "1700000000.000100"),
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
        State = state,
    };

    /// <summary>The stored form, for comparing runs by value.</summary>
    public static string Json(Run run) => CoreJson.Serialize(run);
}
