using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Slack;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Slack.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Slack.Tests;

public sealed class SlackChannelTests : IAsyncLifetime
{
    private readonly InMemoryConversationStore _conversations = new();
    private FakeSlackServer _slack = null!;
    private ServiceProvider _services = null!;
    private IChatChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync();
        _services = SlackServices.Build(_slack, _conversations);
        _channel = Assert.Single(_services.GetServices<IChatChannel>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public void Platform_IsSlack()
    {
        Assert.Equal("slack", _channel.Platform);
    }

    [Fact]
    public async Task PublishAsync_FirstUpdate_PostsTheCardWhereTheCommandWasTypedAndSavesItsLocation()
    {
        var run = TestRuns.Run();

        await _channel.PublishAsync(Update(run), CancellationToken.None);

        var post = Assert.Single(_slack.Requests);
        Assert.Equal("chat.postMessage", post.Method);
        Assert.Equal("Bearer xoxb-test-token", post.Authorization);
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.Equal("C0INCIDENT", post.Json.GetProperty("channel").GetString());
        Assert.Equal("Upgrade orders-enricher — Waiting for approval", post.Json.GetProperty("text").GetString());
        Assert.Equal("header", post.Json.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.False(post.Json.TryGetProperty("thread_ts", out _));

        var location = await _conversations.GetAsync(run.Id, "slack", CancellationToken.None);
        Assert.NotNull(location);
        Assert.Equal(("C0INCIDENT", "1768467600.000001"), (location.ConversationId, location.MessageId));
    }

    [Fact]
    public async Task PublishAsync_LaterUpdate_UpdatesTheSameMessageInPlace()
    {
        var run = TestRuns.Run();
        await _channel.PublishAsync(Update(run), CancellationToken.None);
        run.State = RunState.Executing;

        await _channel.PublishAsync(Update(run, card => card with { State = RunState.Executing, StateLabel = "Executing", Gate = card.Gate! with { IsOpen = false } }), CancellationToken.None);

        Assert.Equal(["chat.postMessage", "chat.update"], _slack.Requests.Select(r => r.Method));
        var update = _slack.Requests[1].Json;
        Assert.Equal("C0INCIDENT", update.GetProperty("channel").GetString());
        Assert.Equal("1768467600.000001", update.GetProperty("ts").GetString());
        Assert.Equal("Upgrade orders-enricher — Executing", update.GetProperty("text").GetString());
        Assert.DoesNotContain(update.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
    }

    [Fact]
    public async Task PublishAsync_NewEvents_PostsThemAsOneReplyInTheCardsThread()
    {
        var run = TestRuns.Run();
        TimelineEvent[] events =
        [
            TestRuns.Event(run.Id, 0, TimeSpan.Zero, "requested by <@U0BO>"),
            TestRuns.Event(run.Id, 1, TimeSpan.FromSeconds(2), "preconditions passed: 7 of 7 (lag < 5 s & falling)"),
        ];

        await _channel.PublishAsync(Update(run, events: events), CancellationToken.None);

        Assert.Equal(2, _slack.Requests.Count);
        var reply = _slack.Requests[1];
        Assert.Equal("chat.postMessage", reply.Method);
        Assert.Equal("C0INCIDENT", reply.Json.GetProperty("channel").GetString());
        Assert.Equal("1768467600.000001", reply.Json.GetProperty("thread_ts").GetString());
        Assert.Equal("09:00:00 requested by <@U0BO>\n09:00:02 preconditions passed: 7 of 7 (lag &lt; 5 s &amp; falling)", reply.Json.GetProperty("text").GetString());
        Assert.False(reply.Json.TryGetProperty("blocks", out _));
    }

    [Fact]
    public async Task PublishAsync_EventsOnALaterUpdate_ReplyUnderTheOriginalCard()
    {
        var run = TestRuns.Run();
        await _channel.PublishAsync(Update(run), CancellationToken.None);

        await _channel.PublishAsync(Update(run, events: [TestRuns.Event(run.Id, 2, TimeSpan.FromMinutes(1), "approved by <@U0ANA>")]), CancellationToken.None);

        Assert.Equal(["chat.postMessage", "chat.update", "chat.postMessage"], _slack.Requests.Select(r => r.Method));
        Assert.Equal("1768467600.000001", _slack.Requests[2].Json.GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task PublishAsync_SlackAnswersOkFalse_ThrowsSlackApiExceptionWithMethodErrorAndStatus()
    {
        var run = TestRuns.Run();
        _slack.AnswerNext(200, """{"ok":false,"error":"channel_not_found"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _channel.PublishAsync(Update(run), CancellationToken.None));

        Assert.Equal(("chat.postMessage", "channel_not_found", 200), (error.Method, error.Error, error.StatusCode));
        Assert.Null(await _conversations.GetAsync(run.Id, "slack", CancellationToken.None));
    }

    [Fact]
    public async Task PublishAsync_CardDeleted_ThrowsMessageNotFoundFromChatUpdate()
    {
        var run = TestRuns.Run();
        await _channel.PublishAsync(Update(run), CancellationToken.None);
        _slack.AnswerNext(200, """{"ok":false,"error":"message_not_found"}""");

        var error = await Assert.ThrowsAsync<SlackApiException>(() => _channel.PublishAsync(Update(run), CancellationToken.None));

        Assert.Equal(("chat.update", "message_not_found"), (error.Method, error.Error));
    }

    [Fact]
    public async Task PublishAsync_UpdatesWithinASecond_CoalescedToOneChatUpdatePerSecondAndTheLatestCardWins()
    {
        var clock = new WatchedClock();
        await using var services = ChannelServices(clock);
        var channel = services.GetServices<IChatChannel>().Single();
        var run = TestRuns.Run();
        await channel.PublishAsync(Update(run), CancellationToken.None);                              // post
        await channel.PublishAsync(Update(run, Labelled("Executing")), CancellationToken.None);        // update at once

        await channel.PublishAsync(Update(run, Labelled("Validating")), CancellationToken.None);       // held
        var wait = await clock.NextWaitAsync();
        await channel.PublishAsync(Update(run, Labelled("Succeeded")), CancellationToken.None);        // replaces the held card

        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Equal(["chat.postMessage", "chat.update"], _slack.Requests.Select(r => r.Method));
        clock.Advance(wait);
        var last = await _slack.NextRequestAsync(); // the post
        last = await _slack.NextRequestAsync();     // the first update
        last = await _slack.NextRequestAsync();     // the coalesced one
        Assert.Equal("chat.update", last.Method);
        Assert.Equal("Upgrade orders-enricher — Succeeded", last.Json.GetProperty("text").GetString());
        Assert.Equal(["chat.postMessage", "chat.update", "chat.update"], _slack.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task PublishAsync_HeldCardWithNewEvents_RepliesInTheThreadAtOnce()
    {
        var clock = new WatchedClock();
        await using var services = ChannelServices(clock);
        var channel = services.GetServices<IChatChannel>().Single();
        var run = TestRuns.Run();
        await channel.PublishAsync(Update(run), CancellationToken.None);
        await channel.PublishAsync(Update(run, Labelled("Executing")), CancellationToken.None);

        await channel.PublishAsync(Update(run, Labelled("Validating"), [TestRuns.Event(run.Id, 3, TimeSpan.FromSeconds(1), "savepoint at s3://x")]), CancellationToken.None);

        Assert.Equal(["chat.postMessage", "chat.update", "chat.postMessage"], _slack.Requests.Select(r => r.Method));
        Assert.Contains("savepoint at s3://x", _slack.Requests[2].Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task PublishAsync_UpdateAfterTheIntervalPassed_SentAtOnce()
    {
        var clock = new WatchedClock();
        await using var services = ChannelServices(clock);
        var channel = services.GetServices<IChatChannel>().Single();
        var run = TestRuns.Run();
        await channel.PublishAsync(Update(run), CancellationToken.None);
        await channel.PublishAsync(Update(run, Labelled("Executing")), CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(1));
        await channel.PublishAsync(Update(run, Labelled("Validating")), CancellationToken.None);

        Assert.Equal(["chat.postMessage", "chat.update", "chat.update"], _slack.Requests.Select(r => r.Method));
        Assert.Equal("Upgrade orders-enricher — Validating", _slack.Requests[2].Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task DisposeAsync_HeldCard_SentBeforeTheChannelGoes()
    {
        var clock = new WatchedClock();
        var services = ChannelServices(clock);
        var channel = services.GetServices<IChatChannel>().Single();
        var run = TestRuns.Run();
        await channel.PublishAsync(Update(run), CancellationToken.None);
        await channel.PublishAsync(Update(run, Labelled("Executing")), CancellationToken.None);
        await channel.PublishAsync(Update(run, Labelled("Succeeded")), CancellationToken.None);

        await services.DisposeAsync();

        Assert.Equal("Upgrade orders-enricher — Succeeded", _slack.Requests[^1].Json.GetProperty("text").GetString());
        Assert.Equal(3, _slack.Requests.Count);
    }

    private ServiceProvider ChannelServices(TimeProvider clock) => SlackServices.Build(_slack, clock: clock);

    private static Func<Core.Cards.RunCard, Core.Cards.RunCard> Labelled(string label) => card => card with { StateLabel = label };

    private static RunUpdate Update(Run run, Func<Core.Cards.RunCard, Core.Cards.RunCard>? change = null, IReadOnlyList<TimelineEvent>? events = null)
    {
        var card = TestRuns.AwaitingApproval(run.Id);
        return new RunUpdate(run, change is null ? card : change(card), events ?? []);
    }
}
