using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Testing.Teams;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

/// <summary>The plan-bound gate from Teams: the Approve action's data carries the plan hash; a stale one is refused on the clicker's view.</summary>
public sealed partial class TeamsEndToEndTests
{
    [Fact]
    public async Task ActionExecute_ApproveFromACardShowingAnOlderPlan_IsRefusedOnTheClickersViewAndRecordsNothing()
    {
        await PostActivityAsync(TeamsTraffic.ChannelMention(_connector.ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        var runId = RunId.Parse(await DeployedBot.WaitForAsync(async () => (await _bot.Runs.ListRecentAsync(1, CancellationToken.None)) is [var r] ? r.Id.Value : null));
        var run = await DeployedBot.WaitForAsync(async () => await _bot.RunAsync(runId) is { State: RunState.AwaitingApproval } waiting ? waiting : null);

        // Bo, an approver, sees Approve carrying the plan his card shows.
        var boView = await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "refresh", runId.Value));
        Assert.Contains($"\"planHash\":\"{run.Plan!.Hash}\"", boView.ToJsonString(), StringComparison.Ordinal);

        // His click comes from a card that showed another plan: refused on his view, nothing recorded.
        var stale = TeamsTraffic.CardAction(_connector.ServiceUrl, "approve", runId.Value);
        stale["value"]!["action"]!["data"]!["planHash"] = "deadbeef";
        var answer = await InvokeAsync(stale);

        Assert.Contains($"The plan changed since this card was shown (it showed plan deadbeef, the plan is now {run.Plan.Hash})", answer.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(Verbs(answer), v => v == "approve");
        var after = await _bot.RunAsync(runId);
        Assert.Equal(RunState.AwaitingApproval, after.State);
        Assert.Empty(after.Approvals);
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }
}
