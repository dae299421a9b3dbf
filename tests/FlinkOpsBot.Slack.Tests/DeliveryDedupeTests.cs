using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Tests.Fakes;

namespace FlinkOpsBot.Slack.Tests;

/// <summary>Slack retries and double clicks through the endpoints, with Core's dedupe in front of a recording pipeline.</summary>
public sealed class DeliveryDedupeTests : IAsyncLifetime
{
    private const string Trigger = "13345224609.738474920.8088930838d88f008e0";
    private static readonly Dictionary<string, string> Retry = new() { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" };
    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SlackTestHost.StartAsync(dedupe: true);
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("R-7Q2K started: upgrade orders-enricher", ReplyVisibility.InChannel, RunId.Parse("R-7Q2K")));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SlashCommand_SameTriggerIdTwice_HandledOnceAndTheRepeatSeesTheFirstAnswerPrivately()
    {
        using var first = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger));
        using var second = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger));

        Assert.Single(_host.Commands.Commands);
        Assert.Equal("in_channel", Ack(await first.Content.ReadAsStringAsync()).GetProperty("response_type").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var repeat = Ack(await second.Content.ReadAsStringAsync());
        Assert.Equal("ephemeral", repeat.GetProperty("response_type").GetString());
        Assert.Equal("R-7Q2K started: upgrade orders-enricher", repeat.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SlashCommand_RetryHeaderForAHandledTrigger_Acknowledged200AndNotHandledAgain()
    {
        using var first = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger));
        using var retry = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger), headers: Retry);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(_host.Commands.Commands);
    }

    [Fact]
    public async Task SlashCommand_RetryHeaderWhoseFirstNeverArrived_IsHandled()
    {
        using var retry = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger), headers: Retry);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(_host.Commands.Commands);
    }

    [Fact]
    public async Task SlashCommand_RetryWithoutTriggerId_Acknowledged200AndNotHandled()
    {
        using var retry = await _host.PostSignedAsync("/slack/commands", CommandBody(trigger: null), headers: Retry);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task SlashCommand_DifferentTriggerIds_EachHandled()
    {
        using var first = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger));
        using var second = await _host.PostSignedAsync("/slack/commands", CommandBody(Trigger + "x"));

        Assert.Equal(2, _host.Commands.Commands.Count);
    }

    [Fact]
    public async Task Button_DoubleClickBySamePerson_OneActionAndTheRefusalSaidOnce()
    {
        _host.Commands.OnAction = _ => Task.FromResult(CommandReply.Refused("You requested R-7Q2K; another approver must approve."));

        using var first = await PostClickAsync("U0CA5");
        using var second = await PostClickAsync("U0CA5");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Empty(await second.Content.ReadAsStringAsync());
        Assert.Single(_host.Commands.Actions);
        var refusal = await _host.Slack.NextRequestAsync();
        Assert.StartsWith("/hooks/actions/", refusal.Path, StringComparison.Ordinal);
        // The duplicate's answer (none) was decided before its request returned; only the first click's refusal exists.
        Assert.Single(_host.Slack.Requests);
    }

    [Fact]
    public async Task Button_RetryHeaderOfAClick_NotHandledTwice()
    {
        using var first = await PostClickAsync("U0CA5");
        using var retry = await PostClickAsync("U0CA5", Retry);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(_host.Commands.Actions);
    }

    [Fact]
    public async Task Button_SameButtonClickedBySecondPerson_IsNotADuplicate()
    {
        using var ana = await PostClickAsync("U0CA5");
        using var bo = await PostClickAsync("U0BO");

        Assert.Equal(["U0CA5", "U0BO"], _host.Commands.Actions.Select(a => a.Actor.Id));
    }

    private Task<HttpResponseMessage> PostClickAsync(string user, IReadOnlyDictionary<string, string>? headers = null)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T9TK3CUKW" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["team_id"] = "T9TK3CUKW" },
            ["api_app_id"] = "AABA1ABCD",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1768467600.000001", ["channel_id"] = "C0CA5" },
            ["trigger_id"] = "12321423423.333649436676." + Guid.NewGuid().ToString("N"), // a new trigger per click, as Slack sends
            ["channel"] = new JsonObject { ["id"] = "C0CA5" },
            ["response_url"] = _host.Slack.ResponseUrl("actions").ToString(),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = "approve",
                ["block_id"] = "gate",
                ["value"] = "R-7Q2K",
                ["type"] = "button",
                ["action_ts"] = "1548426417." + Random.Shared.Next(100_000, 999_999),
            }),
        };
        return _host.PostSignedAsync("/slack/interactions", SlackTestHost.Form(("payload", payload.ToJsonString())), headers: headers);
    }

    private string CommandBody(string? trigger)
    {
        var fields = new List<(string, string)>
        {
            ("team_id", "T0001"), ("channel_id", "C2147483705"), ("user_id", "U2147483697"), ("user_name", "Steve"), ("command", "/flink"),
            ("text", "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"), ("response_url", _host.Slack.ResponseUrl().ToString()), ("api_app_id", "A123456"),
        };
        if (trigger is not null) fields.Add(("trigger_id", trigger));
        return SlackTestHost.Form([.. fields]);
    }

    private static JsonElement Ack(string json) => JsonDocument.Parse(json).RootElement;
}
