using System.Net;
using System.Text.Json;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Tests.Fakes;

namespace FlinkOpsBot.Slack.Tests.Commands;

public sealed class SlashCommandEndpointTests : IAsyncLifetime
{
    private SlackTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_SignedCommand_HandsTheVerifiedUserAndChannelToThePipeline()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.Single(_host.Commands.Commands);
        Assert.Equal(new ChatCommand(
            "upgrade orders-enricher --jar orders-enricher-2.4.0.jar",
            new Actor("slack", "T0001", "U2147483697", "Steve"),
            new ChannelRef("slack", "T0001", "C2147483705"))
        {
            DeliveryKey = "slack:T0001:cmd:13345224609.738474920.8088930838d88f008e0",
        }, command);
    }

    [Fact]
    public async Task Post_ReplyInTime_AcksWithTheReplyAsEphemeralJson()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(CommandReply.Refused("Unknown job `orders`.\nUsage: `/flink status [job]`"));

        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("status orders"));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", ack.GetProperty("response_type").GetString());
        Assert.Equal("Unknown job `orders`.\nUsage: `/flink status [job]`", ack.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Post_InChannelReply_AcksInChannel()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("R-7Q2K: upgrade of orders-enricher requested.", ReplyVisibility.InChannel, RunId.Parse("R-7Q2K")));

        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("upgrade orders-enricher --jar x.jar"));

        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("in_channel", ack.GetProperty("response_type").GetString());
        Assert.Equal("R-7Q2K: upgrade of orders-enricher requested.", ack.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Post_ReplyWithMarkupCharacters_EscapesThemButKeepsMentions()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(CommandReply.Refused("Only the requester (<@U024BE7LH>) can cancel; <!channel> & co > you."));

        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("cancel R-7Q2K"));

        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Only the requester (<@U024BE7LH>) can cancel; &lt;!channel&gt; &amp; co &gt; you.", ack.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Post_ReplyMissesTheBudget_AcksInChannelAtOnceThenPostsTheReplyToResponseUrl()
    {
        var reply = new TaskCompletionSource<CommandReply>();
        _host.Commands.OnCommand = _ =>
        {
            _host.Clock.Advance(TimeSpan.FromSeconds(2.6)); // the pipeline is still busy when the 2.5 s budget runs out
            return reply.Task;
        };

        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("upgrade orders-enricher --jar x.jar"));

        Assert.Equal("""{"response_type":"in_channel"}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Slack.Requests);

        reply.SetResult(new CommandReply("R-7Q2K: upgrade of orders-enricher requested.", ReplyVisibility.InChannel));
        var posted = await _host.Slack.NextRequestAsync();

        Assert.Equal(_host.Slack.ResponseUrl().AbsolutePath, posted.Path);
        Assert.Null(posted.Authorization);
        Assert.Equal("application/json", posted.ContentType?.Split(';')[0]);
        Assert.Equal("in_channel", posted.Json.GetProperty("response_type").GetString());
        Assert.Equal("R-7Q2K: upgrade of orders-enricher requested.", posted.Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Post_LateRefusal_PostsItEphemeral()
    {
        var reply = new TaskCompletionSource<CommandReply>();
        _host.Commands.OnCommand = _ =>
        {
            _host.Clock.Advance(TimeSpan.FromSeconds(3));
            return reply.Task;
        };
        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("upgrade orders-enricher --jar x.jar"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        reply.SetResult(CommandReply.Refused("orders-enricher is locked by R-7Q2K."));
        var posted = await _host.Slack.NextRequestAsync();

        Assert.Equal("ephemeral", posted.Json.GetProperty("response_type").GetString());
    }

    [Fact]
    public async Task Post_PipelineThrows_AcksAnEphemeralApologyWithATraceReferenceAndNoDetail()
    {
        _host.Commands.OnCommand = _ => throw new InvalidOperationException("table storage exploded at Foo.Bar()");

        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("upgrade orders-enricher --jar x.jar"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", ack.GetProperty("response_type").GetString());
        var text = ack.GetProperty("text").GetString()!;
        Assert.Matches(@"^Something went wrong on our side; nothing was started\. \(ref: \S+\)$", text);
        Assert.DoesNotContain("exploded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SslCheck_Returns200EmptyWithoutRunningAnything()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", "token=random&ssl_check=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.False(_host.Commands.WasCalled);
    }

    [Theory]
    [InlineData("team_id")]
    [InlineData("channel_id")]
    [InlineData("user_id")]
    [InlineData("command")]
    [InlineData("response_url")]
    public async Task Post_RequiredFieldMissing_Returns400AndNothingRuns(string field)
    {
        var body = string.Join('&', CommandBody("status").Split('&').Where(pair => !pair.StartsWith(field + "=", StringComparison.Ordinal)));

        using var response = await _host.PostSignedAsync("/slack/commands", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_ResponseUrlNotHttp_Returns400()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", CommandBody("status", responseUrl: "file:///etc/passwd"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_AnotherAppsCommand_Returns403WhenAppIdIsSet()
    {
        await using var host = await SlackTestHost.StartAsync(new Dictionary<string, string?> { [nameof(SlackOptions.AppId)] = "A0FLINKOPS" });

        using var other = await host.PostSignedAsync("/slack/commands", CommandBody("status", appId: "A123456"));
        using var ours = await host.PostSignedAsync("/slack/commands", CommandBody("status", appId: "A0FLINKOPS"));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Single(host.Commands.Commands);
    }

    /// <summary>Slack's documented slash command body (chat-protocols.md §2), for <c>/flink</c>.</summary>
    private string CommandBody(string text, string? responseUrl = null, string appId = "A123456") => SlackTestHost.Form(
        ("token", "gIkuvaNzQIHg97ATvDxqgjtO"),
        ("team_id", "T0001"),
        ("team_domain", "example"),
        ("enterprise_id", "E0001"),
        ("enterprise_name", "Globular Construct Inc"),
        ("channel_id", "C2147483705"),
        ("channel_name", "test"),
        ("user_id", "U2147483697"),
        ("user_name", "Steve"),
        ("command", "/flink"),
        ("text", text),
        ("response_url", responseUrl ?? _host.Slack.ResponseUrl().ToString()),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ("api_app_id", appId));
}
