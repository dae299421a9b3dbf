using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>The same <c>adaptiveCard/action</c> invoke twice, through Core's dedupe and real command service: one effect, two cards.</summary>
public sealed class DuplicateInvokeTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync(realPipeline: true, dedupe: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_SameApproveInvokeTwice_OneApprovalAndBothAnsweredWithTheClickersCard()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        var invoke = TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", run.Id.Value).ToJsonString();

        var first = await _host.PostActivityAsync(invoke);
        var afterFirst = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        var second = await _host.PostActivityAsync(invoke);

        var stored = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal(afterFirst!.ETag, stored!.ETag); // the repeat changed nothing
        Assert.Equal(TeamsTraffic.BoObjectId, Assert.Single(stored.Value.Approvals).Actor.Id);
        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
            Assert.DoesNotContain("\"verb\":\"approve\"", body["value"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_DoubleClickAsTwoActivities_OneEffectAndTheSecondCardCarriesNoRefusal()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        var click = TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "reject", run.Id.Value);
        var again = TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "reject", run.Id.Value);
        again["id"] = "f:2721799525349950341";

        await _host.PostActivityAsync(click.ToJsonString());
        var afterFirst = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        var second = await _host.PostActivityAsync(again.ToJsonString());

        var stored = await _host.Runs.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal(RunState.Rejected, stored!.Value.State);
        Assert.Equal(afterFirst!.ETag, stored.ETag);
        var card = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["type"]!.GetValue<string>());
        Assert.DoesNotContain("already ended", card["value"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SameButtonBySecondPerson_IsNotADuplicate()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);

        await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", run.Id.Value, TeamsTraffic.AnaMri, TeamsTraffic.AnaObjectId, "Ana Ruiz").ToJsonString());
        var bo = await _host.PostActivityAsync(TeamsTraffic.CardAction(_host.Connector.ServiceUrl, "approve", run.Id.Value).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, bo.StatusCode);
        var stored = (await _host.Runs.GetAsync(run.Id, CancellationToken.None))!.Value;
        Assert.Equal(TeamsTraffic.BoObjectId, Assert.Single(stored.Approvals).Actor.Id); // Ana (the requester) was refused, Bo counted
    }
}
