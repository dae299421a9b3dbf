using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary><c>POST /api/messages</c> through the host's composition on a TestServer, with real-shaped activities.</summary>
public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    private Uri ServiceUrl => _host.Connector.ServiceUrl;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_TokenRefused_Is401EmptyAndNothingHappens()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.ChannelMention(ServiceUrl, "runs").ToJsonString(), authorization: "Bearer forged");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(_host.FakeCommands.WasCalled);
        Assert.Empty(_host.Connector.Requests);
    }

    [Fact]
    public async Task Post_NoAuthorizationHeader_Is401()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.ChannelMention(ServiceUrl, "runs").ToJsonString(), authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_Validator_GetsActivitysChannelAndServiceUrl()
    {
        await _host.PostActivityAsync(TeamsTraffic.ChannelMention(ServiceUrl, "runs").ToJsonString(), authorization: "Bearer forged");

        Assert.Equal(("Bearer forged", "msteams", ServiceUrl.ToString()), Assert.Single(_host.Validator.Calls));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"message\",\"from\":42}")]
    [InlineData("{\"text\":\"no type\"}")]
    [InlineData("{\"type\":\"message\",\"channelId\":\"msteams\"}")]
    public async Task Post_Malformed_Is400BeforeAuthentication(string json)
    {
        var response = await _host.PostActivityAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Validator.Calls);
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_NotJson_Is415()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.ChannelMention(ServiceUrl, "runs").ToJsonString(), contentType: "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOver1MiB_Is413()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.Personal(ServiceUrl, new string('x', ActivityReader.MaxBodyBytes)).ToJsonString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_ChannelMention_HandsStrippedCommandWithEntraIdentityAndRepliesInThread()
    {
        _host.Connector.AddMember(TeamsTraffic.AnaMri, TeamsTraffic.AnaObjectId, "Ana Ruiz", "ana@contoso.com", TeamsTraffic.TenantId);
        _host.FakeCommands.OnCommand = _ => Task.FromResult(new CommandReply("Started R-7Q2K: upgrade orders-enricher.", ReplyVisibility.InChannel));

        var response = await _host.PostActivityAsync(TeamsTraffic.ChannelMention(ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.IsType<ChatCommand>(await _host.FakeCommands.NextCallAsync());
        Assert.Equal("upgrade orders-enricher --jar orders-enricher-2.4.0.jar", command.Text);
        Assert.Equal($"teams:{TeamsTraffic.TenantId}:{TeamsTraffic.AnaObjectId}", command.Actor.Key);
        Assert.Equal("Ana Ruiz", command.Actor.DisplayName);
        Assert.Equal("ana@contoso.com", command.Actor.Upn);
        Assert.Equal(new Core.Chat.ChannelRef("teams", TeamsTraffic.TenantId, TeamsTraffic.ChannelConversationId, Endpoint: _host.Connector.ServiceUrl.AbsoluteUri), command.Channel);

        var lookup = await _host.Connector.NextRequestAsync();
        Assert.Equal(("GET", "/amer/v3/conversations/19%3A9d3c71104f8c49128368b23a5eaeb86d%40thread.skype%3Bmessageid%3D1571508491752/members/29%3A1-gPLf2ZbH7vTqVNf0q2yd3P6FkJ0mHwhYm3Z0vMgkRk"),
            (lookup.Method, lookup.RawPath));
        var reply = await _host.Connector.NextRequestAsync();
        Assert.Equal("POST", reply.Method);
        Assert.Equal("/amer/v3/conversations/19%3A9d3c71104f8c49128368b23a5eaeb86d%40thread.skype%3Bmessageid%3D1571508491752/activities/1571508491752", reply.RawPath);
        Assert.Equal("Bearer fake-token-1", reply.Authorization);
        Assert.Equal("Started R-7Q2K: upgrade orders-enricher.", reply.Json.GetProperty("text").GetString());
        Assert.Equal("1571508491752", reply.Json.GetProperty("replyToId").GetString());
    }

    [Fact]
    public async Task Post_MemberLookupFails_CommandStillRunsWithoutUpn()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.Personal(ServiceUrl, "runs").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.IsType<ChatCommand>(await _host.FakeCommands.NextCallAsync());
        Assert.Equal("runs", command.Text);
        Assert.Null(command.Actor.Upn);
    }

    [Fact]
    public async Task Post_NoEntraObjectId_RepliesPolitelyWithoutCallingThePipeline()
    {
        var response = await _host.PostActivityAsync(TeamsTraffic.Personal(ServiceUrl, "upgrade orders-enricher", fromObjectId: null).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await _host.Connector.NextRequestAsync();
        Assert.Equal(MessagesEndpoint.NoIdentity, reply.Json.GetProperty("text").GetString());
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_PipelineThrows_RepliesWithApologyAndReference()
    {
        _host.FakeCommands.OnCommand = _ => throw new InvalidOperationException("boom");

        await _host.PostActivityAsync(TeamsTraffic.Personal(ServiceUrl, "runs").ToJsonString());

        var reply = await NextPostAsync();
        Assert.StartsWith("Something went wrong on our side; nothing was started. (ref: ", reply.Json.GetProperty("text").GetString());
        Assert.DoesNotContain("boom", reply.Body);
    }

    [Fact]
    public async Task Post_ActionSubmitRefused_RepliesWithTheRefusal()
    {
        _host.FakeCommands.OnAction = _ => Task.FromResult(CommandReply.Refused("You requested R-7Q2K, so your approval does not count."));

        var response = await _host.PostActivityAsync(TeamsTraffic.Submit(ServiceUrl, "approve", "R-7Q2K").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var action = Assert.IsType<ChatAction>(await _host.FakeCommands.NextCallAsync());
        Assert.Equal((RunId.Parse("R-7Q2K"), GateAction.Approve), (action.RunId, action.Action));
        Assert.Equal(TeamsTraffic.BoObjectId, action.Actor.Id);
        var reply = await NextPostAsync();
        Assert.Equal("You requested R-7Q2K, so your approval does not count.", reply.Json.GetProperty("text").GetString());
        Assert.EndsWith("/activities/1571508500000", reply.RawPath);
    }

    [Fact]
    public async Task Post_InvokeApprove_CallsPipelineAndAnswersWithTheViewersCard()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        _host.FakeCommands.OnAction = _ => Task.FromResult(CommandReply.Private("Approved."));

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(ServiceUrl, "approve", run.Id.Value).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var action = Assert.Single(_host.FakeCommands.Actions);
        Assert.Equal((run.Id, GateAction.Approve, TeamsTraffic.BoObjectId, TeamsTraffic.TenantId), (action.RunId, action.Action, action.Actor.Id, action.Actor.Tenant));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["statusCode", "type", "value"], body.Select(p => p.Key));
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", body["value"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_InvokeRefresh_AnswersCardWithoutCallingThePipeline()
    {
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);

        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(ServiceUrl, "refresh", run.Id.Value).ToJsonString());

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Contains("approve", body["value"]!.ToJsonString(), StringComparison.Ordinal); // Bo may approve: the buttons show
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Theory]
    [InlineData(TeamsTraffic.BoObjectId, true)]
    [InlineData(TeamsTraffic.AnaObjectId, false)] // the requester: another approver must decide
    public async Task Post_InvokeRefreshOnParkedRun_ShowsTheChoicesOnlyToThoseWhoMayDecide(string viewer, bool showsChoices)
    {
        var run = TeamsRuns.Parked(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        var response = await _host.PostActivityAsync(TeamsTraffic.CardAction(ServiceUrl, "refresh", run.Id.Value, fromObjectId: viewer).ToJsonString());

        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.ToJsonString();
        Assert.Equal(showsChoices, card.Contains("\"verb\":\"abandon\"", StringComparison.Ordinal));
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_InvokeMalformed_Answers400ErrorBody()
    {
        var json = TeamsTraffic.CardAction(ServiceUrl, "approve", "R-7Q2K");
        json["value"]!["action"]!["type"] = "Action.Submit";

        var response = await _host.PostActivityAsync(json.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, body.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("NotSupported", body.RootElement.GetProperty("value").GetProperty("code").GetString());
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Fact]
    public async Task Post_InvokeWithoutValue_Answers400MissingValue()
    {
        var json = TeamsTraffic.CardAction(ServiceUrl, "approve", "R-7Q2K");
        json.Remove("value");

        var response = await _host.PostActivityAsync(json.ToJsonString());

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"code":"BadRequest","message":"Missing value property"}""", body.RootElement.GetProperty("value").GetRawText());
    }

    [Theory]
    [InlineData("task/fetch")]
    [InlineData("composeExtension/query")]
    public async Task Post_OtherInvoke_Is501(string name)
    {
        var json = TeamsTraffic.CardAction(ServiceUrl, "approve", "R-7Q2K");
        json["name"] = name;

        var response = await _host.PostActivityAsync(json.ToJsonString());

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.False(_host.FakeCommands.WasCalled);
    }

    [Theory]
    [InlineData("conversationUpdate")]
    [InlineData("installationUpdate")]
    [InlineData("messageReaction")]
    [InlineData("typing")]
    public async Task Post_OtherActivityType_Is200AndIgnored(string type)
    {
        var json = TeamsTraffic.Personal(ServiceUrl, "");
        json["type"] = type;

        var response = await _host.PostActivityAsync(json.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_host.FakeCommands.WasCalled);
    }

    /// <summary>The next POST to the Connector (skipping member look-ups).</summary>
    private async Task<ConnectorRequest> NextPostAsync()
    {
        while (true)
        {
            var request = await _host.Connector.NextRequestAsync();
            if (request.Method == "POST") return request;
        }
    }
}
