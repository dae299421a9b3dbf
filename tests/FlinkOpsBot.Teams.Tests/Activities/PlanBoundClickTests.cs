using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>The plan-bound gate from Teams, through Core's real command service: the plan hash in Approve's data, a stale one refused, the requester's Cancel.</summary>
public sealed class PlanBoundClickTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync(realPipeline: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_ApproveFromACardShowingAnOlderPlan_AnswersTheClickersCardWithTheReasonAndRecordsNothing()
    {
        var run = await CreateRunWithPlanAsync();
        var etag = (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.ETag;

        var response = await _host.PostActivityAsync(Approve(run.Id, "deadbeef").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        var card = body["value"]!.ToJsonString();
        Assert.Contains("The plan changed since this card was shown (it showed plan deadbeef, the plan is now " + run.Plan!.Hash, card, StringComparison.Ordinal);
        Assert.Contains($"\"planHash\":\"{run.Plan.Hash}\"", card, StringComparison.Ordinal); // the fresh card's Approve carries the current plan
        var stored = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal(etag, stored!.ETag);
        Assert.Empty(stored.Value.Approvals);
    }

    [Fact]
    public async Task Post_ApproveFromACardShowingTheCurrentPlan_RecordsTheHashWithTheApproval()
    {
        var run = await CreateRunWithPlanAsync();

        var response = await _host.PostActivityAsync(Approve(run.Id, run.Plan!.Hash.ToUpperInvariant()).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.Value;
        var approval = Assert.Single(stored.Approvals);
        Assert.Equal(TeamsTraffic.BoObjectId, approval.Actor.Id);
        Assert.Equal(run.Plan.Hash, approval.PlanHash);
        Assert.Equal(RunState.ConfirmingPlan, stored.State);
    }

    [Fact]
    public async Task Post_RequesterRefreshes_SeesOnlyCancel_AndCancelEndsTheRun()
    {
        var run = await CreateRunWithPlanAsync();

        var refreshed = await _host.PostActivityAsync(AsAna(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "refresh", run.Id.Value)).ToJsonString());
        var view = JsonNode.Parse(await refreshed.Content.ReadAsStringAsync())!["value"]!.ToJsonString();
        Assert.Contains("\"verb\":\"cancel\"", view, StringComparison.Ordinal);
        Assert.DoesNotContain("\"verb\":\"approve\"", view, StringComparison.Ordinal);

        var cancelled = await _host.PostActivityAsync(AsAna(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "cancel", run.Id.Value)).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var stored = (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.Value;
        Assert.Equal(RunState.Cancelled, stored.State);
        Assert.Equal(TeamsTraffic.AnaObjectId, stored.Decline!.Actor.Id);
        Assert.DoesNotContain("\"verb\":\"cancel\"", JsonNode.Parse(await cancelled.Content.ReadAsStringAsync())!["value"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_CancelByAnyoneButTheRequester_IsRefusedOnTheirCard()
    {
        var run = await CreateRunWithPlanAsync();

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "cancel", run.Id.Value).ToJsonString());

        Assert.Contains("Only the requester", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(RunState.AwaitingApproval, (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.Value.State);
    }

    private async Task<Run> CreateRunWithPlanAsync()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        run.Plan = new RunPlan("upgrade", "prod-eu", "orders-enricher", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "old_orders-enricher-2.3.1.jar", "new_orders-enricher-2.4.0.jar",
            4, 4, "s3://flink/savepoints", false, "orders-enricher-2.3.1.jar from the same savepoint", ["stop-with-savepoint: Stop"], ["cancel-job: Cancel"],
            [new PlanCheck("job-running", "Job is RUNNING", CheckOutcome.Pass, "status=RUNNING")], new DowntimeEstimate(32, "2 × 1 s + 30 s"));
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        return run;
    }

    private JsonObject Approve(RunId runId, string planHash)
    {
        var activity = TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", runId.Value);
        activity["value"]!["action"]!["data"]!["planHash"] = planHash;
        return activity;
    }

    private static JsonObject AsAna(JsonObject activity)
    {
        activity["from"] = new JsonObject { ["id"] = TeamsTraffic.AnaMri, ["name"] = "Ana Ruiz", ["aadObjectId"] = TeamsTraffic.AnaObjectId };
        return activity;
    }
}
