using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>Card clicks through Core's real command service and in-memory stores: what a decision does to the run, and the card the clicker gets back.</summary>
public sealed class CardInvokeDecisionTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync(realPipeline: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_RequesterApprovesOwnRun_Answers200CardWithRefusalNoticeAndRunUntouched()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        var etag = await _host.Runs.CreateAsync(run, CancellationToken.None);

        var response = await _host.PostActivityAsync(
            TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", run.Id.Value, TeamsTraffic.AnaMri, TeamsTraffic.AnaObjectId, "Ana Ruiz").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        var card = body["value"]!.ToJsonString();
        Assert.Contains("so your approval does not count", card, StringComparison.Ordinal);
        Assert.DoesNotContain("\"verb\":\"approve\"", card, StringComparison.Ordinal);

        var stored = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal(etag, stored!.ETag);
        Assert.Equal(RunState.AwaitingApproval, stored.Value.State);
        Assert.Empty(stored.Value.Approvals);
    }

    [Fact]
    public async Task Post_AnotherPersonApproves_RunApprovedAndTheirCardHasNoButtons()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", run.Id.Value).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.Value;
        Assert.Equal(TeamsTraffic.BoObjectId, Assert.Single(stored.Approvals).Actor.Id);
        Assert.NotEqual(RunState.AwaitingApproval, stored.State);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.DoesNotContain("\"verb\":\"approve\"", body["value"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ApproverNamedByUpn_IsRecognisedThroughTheMemberApi()
    {
        _host.Connector.AddMember(TeamsTraffic.BoMri, TeamsTraffic.BoObjectId, "Bo Lindqvist", "bo@contoso.com", TeamsTraffic.TenantId);
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow(), approvers: ["BO@contoso.com"]);
        await _host.Runs.CreateAsync(run, CancellationToken.None);

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "refresh", run.Id.Value).ToJsonString());

        Assert.Contains("\"verb\":\"approve\"", (await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NotAnApprover_CardHasNoButtons()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow(), approvers: ["someone-else@contoso.com"]);
        await _host.Runs.CreateAsync(run, CancellationToken.None);

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "refresh", run.Id.Value).ToJsonString());

        Assert.DoesNotContain("\"verb\":\"approve\"", (await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
