using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Tests.Fakes;

namespace FlinkOpsBot.Slack.Tests.Interactions;

public sealed class InteractionEndpointTests : IAsyncLifetime
{
    private SlackTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("approve", GateAction.Approve)]
    [InlineData("reject", GateAction.Reject)]
    [InlineData("cancel", GateAction.Cancel)]
    [InlineData("retry", GateAction.Retry)]
    [InlineData("continue", GateAction.Continue)]
    [InlineData("rollback", GateAction.RollBack)]
    [InlineData("abandon", GateAction.Abandon)]
    public async Task Post_ButtonClick_HandsTheRunActionAndClickerToThePipelineAndAcksEmpty(string actionId, GateAction expected)
    {
        using var response = await PostPayloadAsync(BlockActions(actionId, "R-7Q2K"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        var action = Assert.Single(_host.Commands.Actions);
        Assert.Equal(new ChatAction(
            RunId.Parse("R-7Q2K"),
            expected,
            new Actor("slack", "T9TK3CUKW", "U0CA5", "ana"),
            new ChannelRef("slack", "T9TK3CUKW", "C0CA5"))
        {
            DeliveryKey = $"slack:T9TK3CUKW:act:U0CA5:1768467600.000001:{actionId}:R-7Q2K",
        }, action);
    }

    [Fact]
    public async Task Post_ApproveCarryingAPlanHash_HandsTheHashTheCardShowedToThePipeline()
    {
        using var response = await PostPayloadAsync(BlockActions("approve", "R-7Q2K:1A2B3C4D"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var action = Assert.Single(_host.Commands.Actions);
        Assert.Equal(RunId.Parse("R-7Q2K"), action.RunId);
        Assert.Equal("1a2b3c4d", action.PlanHash);
        Assert.Equal("slack:T9TK3CUKW:act:U0CA5:1768467600.000001:approve:R-7Q2K:1A2B3C4D", action.DeliveryKey);
    }

    [Theory]
    [InlineData("R-7Q2K:")]
    [InlineData("R-7Q2K:xyz")]
    [InlineData("R-7Q2K:1a2b3c4d5")]
    [InlineData("nope:1a2b3c4d")]
    public async Task Post_MalformedButtonValue_Is400AndReachesNoPipeline(string value)
    {
        using var response = await PostPayloadAsync(BlockActions("approve", value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_NoTeamOrChannelObjects_UsesUserTeamAndContainerChannel()
    {
        var payload = BlockActions("approve", "R-7Q2K");
        payload.Remove("team");
        payload.Remove("channel");

        using var response = await PostPayloadAsync(payload);

        var action = Assert.Single(_host.Commands.Actions);
        Assert.Equal("T9TK3CUKW", action.Actor.Tenant);
        Assert.Equal(new ChannelRef("slack", "T9TK3CUKW", "C0CA5"), action.Channel);
    }

    [Fact]
    public async Task Post_RefusedClick_PostsTheRefusalToOnlyTheClickerThroughResponseUrl()
    {
        _host.Commands.OnAction = _ => Task.FromResult(CommandReply.Refused("You requested R-7Q2K, so your approval does not count; another approver must approve it."));

        using var response = await PostPayloadAsync(BlockActions("approve", "R-7Q2K"));
        var posted = await _host.Slack.NextRequestAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_host.Slack.ResponseUrl("actions").AbsolutePath, posted.Path);
        Assert.Equal("ephemeral", posted.Json.GetProperty("response_type").GetString());
        Assert.False(posted.Json.GetProperty("replace_original").GetBoolean());
        Assert.Equal("You requested R-7Q2K, so your approval does not count; another approver must approve it.", posted.Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Post_PipelineThrows_AcksAndTellsTheClickerWithATraceReference()
    {
        _host.Commands.OnAction = _ => throw new InvalidOperationException("etag storm in Foo.Bar()");

        using var response = await PostPayloadAsync(BlockActions("approve", "R-7Q2K"));
        var posted = await _host.Slack.NextRequestAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ephemeral", posted.Json.GetProperty("response_type").GetString());
        Assert.Matches(@"^Something went wrong on our side.*\(ref: \S+\)$", posted.Json.GetProperty("text").GetString());
        Assert.DoesNotContain("etag storm", posted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownActionId_Acks200WithoutRunningAnything()
    {
        using var response = await PostPayloadAsync(BlockActions("WaXA", "click_me_123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_OtherPayloadType_Acks200WithoutRunningAnything()
    {
        var payload = BlockActions("approve", "R-7Q2K");
        payload["type"] = "view_submission";

        using var response = await PostPayloadAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Theory]
    [InlineData("payload=%7Bnot%20json")]
    [InlineData("payload=")]
    [InlineData("token=abc")]
    public async Task Post_NoReadablePayload_Returns400(string body)
    {
        using var response = await _host.PostSignedAsync("/slack/interactions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Theory]
    [InlineData("not-a-run")]
    [InlineData("")]
    public async Task Post_ButtonValueNotARunId_Returns400(string value)
    {
        using var response = await PostPayloadAsync(BlockActions("approve", value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_NoUser_Returns400()
    {
        var payload = BlockActions("approve", "R-7Q2K");
        payload.Remove("user");

        using var response = await PostPayloadAsync(payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_AnotherAppsClick_Returns403WhenAppIdIsSet()
    {
        await using var host = await SlackTestHost.StartAsync(new Dictionary<string, string?> { [nameof(SlackOptions.AppId)] = "A0FLINKOPS" });

        using var response = await host.PostSignedAsync("/slack/interactions", SlackTestHost.Form(("payload", BlockActions("approve", "R-7Q2K").ToJsonString())));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(host.Commands.WasCalled);
    }

    private Task<HttpResponseMessage> PostPayloadAsync(JsonObject payload) =>
        _host.PostSignedAsync("/slack/interactions", SlackTestHost.Form(("payload", payload.ToJsonString())));

    /// <summary>A block_actions payload shaped like Slack's documented example (chat-protocols.md §3), clicking a card button.</summary>
    private JsonObject BlockActions(string actionId, string value) => JsonNode.Parse($$"""
        {
          "type": "block_actions",
          "team": { "id": "T9TK3CUKW", "domain": "example" },
          "user": { "id": "U0CA5", "username": "ana", "name": "ana", "team_id": "T9TK3CUKW" },
          "api_app_id": "AABA1ABCD",
          "token": "9s8d9as89d8as9d8as989",
          "container": { "type": "message", "message_ts": "1768467600.000001", "channel_id": "C0CA5", "is_ephemeral": false },
          "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
          "channel": { "id": "C0CA5", "name": "incidents" },
          "message": { "type": "message", "ts": "1768467600.000001", "text": "Upgrade orders-enricher — Waiting for approval", "bot_id": "B0CA5", "blocks": [] },
          "state": { "values": {} },
          "response_url": "{{_host.Slack.ResponseUrl("actions")}}",
          "actions": [
            {
              "action_id": "{{actionId}}",
              "block_id": "=qXel",
              "text": { "type": "plain_text", "text": "Approve", "emoji": true },
              "value": "{{value}}",
              "style": "primary",
              "type": "button",
              "action_ts": "1548426417.840180"
            }
          ]
        }
        """)!.AsObject();
}
