using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Slack.Tests.Fakes;
using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Slack.Tests.WebApi;

/// <summary>Retries through the whole Web API client, against the fake Slack, on a clock the tests move.</summary>
public sealed class SlackRetryHandlerTests : IAsyncLifetime
{
    private readonly WatchedClock _clock = new();
    private readonly InMemoryConversationStore _conversations = new();
    private FakeSlackServer _slack = null!;
    private ServiceProvider _services = null!;
    private IChatChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync();
        _services = SlackServices.Build(_slack, _conversations, _clock);
        _channel = _services.GetRequiredService<IChatChannel>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Send_RateLimitedWithRetryAfter1_WaitsOneSecondPlusJitterThenRetries()
    {
        var run = TestRuns.Run();
        _slack.AnswerNext(429, """{"ok":false,"error":"ratelimited"}""", retryAfter: "1");

        var publish = _channel.PublishAsync(new RunUpdate(run, TestRuns.AwaitingApproval(run.Id), []), CancellationToken.None);
        var wait = await _clock.NextWaitAsync();

        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Single(_slack.Requests);
        Assert.False(publish.IsCompleted);

        _clock.Advance(wait);
        await publish;

        Assert.Equal(["chat.postMessage", "chat.postMessage"], _slack.Requests.Select(r => r.Method));
        Assert.NotNull(await _conversations.GetAsync(run.Id, "slack", CancellationToken.None));
    }

    [Fact]
    public async Task Send_ServerError_RetriesAfterABackoff()
    {
        var run = TestRuns.Run();
        _slack.AnswerNext(503);

        var publish = _channel.PublishAsync(new RunUpdate(run, TestRuns.AwaitingApproval(run.Id), []), CancellationToken.None);
        var wait = await _clock.NextWaitAsync();
        Assert.True(wait > TimeSpan.Zero);
        _clock.Advance(wait);
        await publish;

        Assert.Equal(2, _slack.Requests.Count);
    }

    [Fact]
    public async Task Send_StillRateLimitedAfterThreeRetries_ThrowsRatelimited()
    {
        var run = TestRuns.Run();
        for (var i = 0; i < 4; i++) _slack.AnswerNext(429, """{"ok":false,"error":"ratelimited"}""", retryAfter: "30");

        var publish = _channel.PublishAsync(new RunUpdate(run, TestRuns.AwaitingApproval(run.Id), []), CancellationToken.None);
        for (var retry = 0; retry < 3; retry++)
        {
            var wait = await _clock.NextWaitAsync();
            Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31));
            _clock.Advance(wait);
        }
        var error = await Assert.ThrowsAsync<SlackApiException>(() => publish);

        Assert.Equal(("chat.postMessage", "ratelimited", 429), (error.Method, error.Error, error.StatusCode));
        Assert.Equal(4, _slack.Requests.Count);
    }

    [Fact]
    public async Task Send_OkFalseOnHttp200_IsNotRetried()
    {
        var run = TestRuns.Run();
        _slack.AnswerNext(200, """{"ok":false,"error":"invalid_blocks"}""");

        await Assert.ThrowsAsync<SlackApiException>(() => _channel.PublishAsync(new RunUpdate(run, TestRuns.AwaitingApproval(run.Id), []), CancellationToken.None));

        Assert.Single(_slack.Requests);
    }
}
