using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

public sealed partial class TeamsEndToEndTests
{
    [Fact]
    public async Task LockCommands_FromTeams_BlockAnotherPerson_AndAnApprovedStealReleasesTheLockInTableStorage()
    {
        var locks = _bot.Services.GetRequiredService<IJobLockStore>();

        // 1. Bo locks the job from a 1:1 chat; the lock is his verified identity (tenant + object id).
        await PostActivityAsync(TeamsTraffic.Personal(_connector.ServiceUrl, "lock orders-enricher --reason \"INC-42: hands off\""));
        var held = await DeployedBot.WaitForAsync(() => locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        Assert.Equal($"teams:{TeamsTraffic.TenantId}:{TeamsTraffic.BoObjectId}", held.Holder.Key);

        // 2. Ana's upgrade in the channel is refused, naming Bo and the reason; nothing starts.
        var refused = await MentionAsync("2001", "upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        Assert.Contains("locked by Bo Lindqvist", refused, StringComparison.Ordinal);
        Assert.Contains("“INC-42: hands off”", refused, StringComparison.Ordinal);
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));

        // 3. Ana asks to steal it; Bo, an approver and not the requester, approves on the card; the lock is released.
        var started = await MentionAsync("2002", "unlock orders-enricher --steal --reason \"bo is off shift\"");
        var runId = RunId.Parse(RunIdPattern().Match(started).Value);
        await DeployedBot.WaitForAsync(async () => (await _bot.RunAsync(runId)).State == RunState.AwaitingApproval ? "" : null);
        Assert.NotNull(await locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "approve", runId.Value));

        Assert.Equal(RunState.Succeeded, (await _bot.EndOfAsync(runId)).State);
        Assert.Null(await locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        var timeline = await _bot.Services.GetRequiredService<ITimelineStore>().ListAsync(runId, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.Contains("approved by", StringComparison.Ordinal) && e.Actor.Id == TeamsTraffic.BoObjectId);
    }

    /// <summary>Ana mentions the bot in the channel (activity <paramref name="id"/>, so it is not a redelivery) and returns the bot's reply text.</summary>
    private async Task<string> MentionAsync(string id, string command)
    {
        var activity = TeamsTraffic.ChannelMention(_connector.ServiceUrl, command);
        activity["id"] = id;
        await PostActivityAsync(activity);
        var reply = await DeployedBot.WaitForAsync(() => _connector.Requests.FirstOrDefault(r => IsMessageTo(r, $"activities/{id}")));
        return reply.Json.GetProperty("text").GetString()!;
    }
}
