using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Teams.Connector;
using FlinkOpsBot.Teams.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Teams.Tests;

/// <summary>The run card in Teams: posted once, replaced in place, events threaded below it; against the fake Connector.</summary>
public sealed class TeamsChannelTests : IAsyncLifetime
{
    private const string Escaped = "19%3A9d3c71104f8c49128368b23a5eaeb86d%40thread.skype%3Bmessageid%3D1571508491752";
    private ConnectorHarness _harness = null!;
    private IChatChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _harness = await ConnectorHarness.StartAsync();
        _channel = _harness.Services.GetServices<IChatChannel>().Single(c => c.Platform == "teams");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Publish_FirstThenLater_PostsCardThenPutsSameActivityAndThreadsEvents()
    {
        _harness.Verified(TeamsTraffic.ChannelConversationId);
        var run = TeamsRuns.AwaitingApproval(_harness.Clock.GetUtcNow());

        await _channel.PublishAsync(new RunUpdate(run, Card(run), []), CancellationToken.None);
        run.State = RunState.Executing;
        await _channel.PublishAsync(new RunUpdate(run, Card(run) with { State = RunState.Executing, StateLabel = "Executing" },
            [Event(run, 0, "approved by Bo Lindqvist"), Event(run, 1, "stopping with a savepoint")]), CancellationToken.None);

        var requests = _harness.Connector.Requests;
        Assert.Equal(
            [("POST", $"/amer/v3/conversations/{Escaped}/activities"), ("PUT", $"/amer/v3/conversations/{Escaped}/activities/1%3Aactivity-1"), ("POST", $"/amer/v3/conversations/{Escaped}/activities/1%3Aactivity-1")],
            requests.Select(r => (r.Method, r.RawPath)));
        var attachment = requests[0].Json.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
        Assert.False(requests[0].Json.TryGetProperty("text", out _)); // text and a card in one activity would be split by Teams
        Assert.Equal("1:activity-1", requests[1].Json.GetProperty("id").GetString());
        Assert.Equal("09:00:00 approved by Bo Lindqvist\n\n09:00:00 stopping with a savepoint", requests[2].Json.GetProperty("text").GetString());

        var location = await _harness.Conversations.GetAsync(run.Id, "teams", CancellationToken.None);
        Assert.Equal((TeamsTraffic.ChannelConversationId, "1:activity-1"), (location!.ConversationId, location.MessageId));
        Assert.Equal(_harness.Connector.ServiceUrl.AbsoluteUri, location.Properties["serviceUrl"]);
    }

    [Fact]
    public async Task Publish_OriginHasThread_PostsCardAsReplyToIt()
    {
        _harness.Verified(TeamsTraffic.ChannelConversationId);
        var run = TeamsRuns.AwaitingApproval(_harness.Clock.GetUtcNow());
        run = WithOrigin(run, run.Origin with { ThreadId = "1571508491752" });

        await _channel.PublishAsync(new RunUpdate(run, Card(run), []), CancellationToken.None);

        Assert.Equal($"/amer/v3/conversations/{Escaped}/activities/1571508491752", Assert.Single(_harness.Connector.Requests).RawPath);
    }

    [Fact]
    public async Task Publish_NoVerifiedServiceUrlForConversation_ThrowsWithoutCalling()
    {
        var run = TeamsRuns.AwaitingApproval(_harness.Clock.GetUtcNow());

        var error = await Assert.ThrowsAsync<TeamsApiException>(() => _channel.PublishAsync(new RunUpdate(run, Card(run), []), CancellationToken.None));

        Assert.Equal(TeamsApiException.UntrustedServiceUrl, error.ErrorCode);
        Assert.Empty(_harness.Connector.Requests);
    }

    [Fact]
    public async Task Publish_FirstAfterRestart_PostsToTheServiceUrlTheCommandCameWith()
    {
        // No activity of the conversation arrived since the start; the run remembers where its command came from.
        var run = TeamsRuns.AwaitingApproval(_harness.Clock.GetUtcNow());
        run = WithOrigin(run, run.Origin with { Endpoint = _harness.Connector.ServiceUrl.AbsoluteUri });

        await _channel.PublishAsync(new RunUpdate(run, Card(run), []), CancellationToken.None);

        var request = Assert.Single(_harness.Connector.Requests);
        Assert.Equal(("POST", $"/amer/v3/conversations/{Escaped}/activities"), (request.Method, request.RawPath));
    }

    [Fact]
    public async Task Publish_AfterRestart_UpdatesWithTheStoredServiceUrl()
    {
        var run = TeamsRuns.AwaitingApproval(_harness.Clock.GetUtcNow());
        await _harness.Conversations.SaveAsync(new Core.Storage.CardLocation(run.Id, "teams", TeamsTraffic.ChannelConversationId, "1:card",
            new Dictionary<string, string> { ["serviceUrl"] = _harness.Connector.ServiceUrl.AbsoluteUri }), CancellationToken.None);

        await _channel.PublishAsync(new RunUpdate(run, Card(run), []), CancellationToken.None);

        var request = Assert.Single(_harness.Connector.Requests);
        Assert.Equal(("PUT", $"/amer/v3/conversations/{Escaped}/activities/1%3Acard"), (request.Method, request.RawPath));
    }

    private static RunCard Card(Run run) => new()
    {
        RunId = run.Id,
        Title = "Upgrade orders-enricher",
        Subtitle = $"{run.Id} · Upgrade a job with a savepoint · cluster prod-eu · requested by Ana Ruiz",
        State = run.State,
        StateLabel = "Waiting for approval",
        Tone = CardTone.Neutral,
        Gate = new CardGate("1 approval by someone other than the requester", [], true, run.CreatedAt.AddMinutes(30), null, null),
    };

    private static TimelineEvent Event(Run run, int sequence, string text) =>
        new(run.Id, sequence, run.CreatedAt, Core.Identity.Actor.System, TimelineEventKind.Note, text, new Dictionary<string, string>());

    private static Run WithOrigin(Run run, ChannelRef origin) => new()
    {
        Id = run.Id, RecipeId = run.RecipeId, Cluster = run.Cluster, JobName = run.JobName, Inputs = run.Inputs,
        Requester = run.Requester, Origin = origin, CreatedAt = run.CreatedAt, State = run.State, Gate = run.Gate,
    };
}
