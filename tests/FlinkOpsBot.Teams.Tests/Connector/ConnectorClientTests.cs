using FlinkOpsBot.Teams.Connector;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Connector;

/// <summary>The Connector client over real HTTP against the fake Connector and token endpoint; retries on a clock the tests move.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string ThreadConversationId = "19:9d3c71104f8c49128368b23a5eaeb86d@thread.skype;messageid=1571508491752";
    private ConnectorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ConnectorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ReplyToActivity_ChannelThread_EscapesPathAsRecordedTraffic()
    {
        var serviceUrl = _harness.Verified(ThreadConversationId);

        var id = await _harness.Client.ReplyToActivityAsync(serviceUrl, ThreadConversationId, "1571508491752", OutboundActivity.Message("hi"), CancellationToken.None);

        var request = Assert.Single(_harness.Connector.Requests);
        Assert.Equal("/amer/v3/conversations/19%3A9d3c71104f8c49128368b23a5eaeb86d%40thread.skype%3Bmessageid%3D1571508491752/activities/1571508491752", request.RawPath);
        Assert.Equal("1:activity-1", id);
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        Assert.Equal("message", request.Json.GetProperty("type").GetString());
        Assert.Equal("1571508491752", request.Json.GetProperty("replyToId").GetString());
    }

    [Fact]
    public async Task Send_ServiceUrlWithoutTrailingSlash_StillAppendsV3()
    {
        _harness.Verified(ThreadConversationId);
        var withoutSlash = new Uri(_harness.Connector.ServiceUrl.ToString().TrimEnd('/'));

        await _harness.Client.SendToConversationAsync(withoutSlash, "a:1", OutboundActivity.Message("hi"), CancellationToken.None);

        Assert.Equal("/amer/v3/conversations/a%3A1/activities", Assert.Single(_harness.Connector.Requests).RawPath);
    }

    [Fact]
    public async Task Send_TwoCalls_FetchTheTokenOnceAndSendItAsBearer()
    {
        var serviceUrl = _harness.Verified("a:1");

        await _harness.Client.SendToConversationAsync(serviceUrl, "a:1", OutboundActivity.Message("one"), CancellationToken.None);
        await _harness.Client.SendToConversationAsync(serviceUrl, "a:1", OutboundActivity.Message("two"), CancellationToken.None);

        var form = Assert.Single(_harness.Tokens.Requests);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(TeamsTestHost.AppId, form["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
        Assert.Equal(["Bearer fake-token-1", "Bearer fake-token-1"], _harness.Connector.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Send_UnverifiedServiceUrl_RefusedWithoutAnyRequest()
    {
        var error = await Assert.ThrowsAsync<TeamsApiException>(() =>
            _harness.Client.SendToConversationAsync(_harness.Connector.ServiceUrl, "a:1", OutboundActivity.Message("hi"), CancellationToken.None));

        Assert.Equal(TeamsApiException.UntrustedServiceUrl, error.ErrorCode);
        Assert.Empty(_harness.Connector.Requests);
        Assert.Empty(_harness.Tokens.Requests);
    }

    [Fact]
    public async Task Send_RateLimitedWithRetryAfter_WaitsThatLongThenRetries()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AnswerNext(429, """{"error":{"code":"TooManyRequests","message":"slow down"}}""", retryAfter: "2");

        var send = _harness.Client.SendToConversationAsync(serviceUrl, "a:1", OutboundActivity.Message("hi"), CancellationToken.None);
        var wait = await _harness.Clock.NextWaitAsync();

        Assert.Equal(TimeSpan.FromSeconds(2), wait);
        Assert.False(send.IsCompleted);
        _harness.Clock.Advance(wait);
        Assert.Equal("1:activity-1", await send);
        Assert.Equal(["POST", "POST"], _harness.Connector.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Update_ServiceUnavailable_RetriesAfterABackoff()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AnswerNext(503);

        var update = _harness.Client.UpdateActivityAsync(serviceUrl, "a:1", "1:card", OutboundActivity.Message("v2"), CancellationToken.None);
        var wait = await _harness.Clock.NextWaitAsync();
        Assert.True(wait > TimeSpan.Zero);
        _harness.Clock.Advance(wait);
        await update;

        Assert.Equal(["PUT", "PUT"], _harness.Connector.Requests.Select(r => r.Method));
        Assert.Equal("1:card", _harness.Connector.Requests[1].Json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Send_ServiceUnavailable_PostIsNotRepeated()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AnswerNext(503, """{"error":{"code":"ServiceError","message":"try later"}}""");

        var error = await Assert.ThrowsAsync<TeamsApiException>(() =>
            _harness.Client.SendToConversationAsync(serviceUrl, "a:1", OutboundActivity.Message("hi"), CancellationToken.None));

        Assert.Equal((503, "ServiceError"), (error.StatusCode, error.ErrorCode));
        Assert.Single(_harness.Connector.Requests);
    }

    [Fact]
    public async Task Send_ClientError_ThrowsWithConnectorErrorCode()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AnswerNext(403, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""");

        var error = await Assert.ThrowsAsync<TeamsApiException>(() =>
            _harness.Client.SendToConversationAsync(serviceUrl, "a:1", OutboundActivity.Message("hi"), CancellationToken.None));

        Assert.Equal((403, "BotNotInConversationRoster", "The bot is not part of the conversation roster."), (error.StatusCode, error.ErrorCode, error.ErrorMessage));
        Assert.DoesNotContain("fake-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NotFoundWithoutJson_ThrowsHttpStatusCode()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AnswerNext(404);

        var error = await Assert.ThrowsAsync<TeamsApiException>(() =>
            _harness.Client.UpdateActivityAsync(serviceUrl, "a:1", "1:gone", OutboundActivity.Message("v2"), CancellationToken.None));

        Assert.Equal("http_404", error.ErrorCode);
        Assert.Single(_harness.Connector.Requests);
    }

    [Fact]
    public async Task GetMember_Known_ReadsUserPrincipalName()
    {
        var serviceUrl = _harness.Verified("a:1");
        _harness.Connector.AddMember("29:ana", "6f1c3a52-8e1b-4c1e-9a53-2a0d6b3c0f11", "Ana", "ana@contoso.com", FakeTokenEndpoint.TenantId);

        var member = await _harness.Client.GetMemberAsync(serviceUrl, "a:1", "29:ana", CancellationToken.None);

        Assert.Equal("ana@contoso.com", member.UserPrincipalName);
        Assert.Equal("/amer/v3/conversations/a%3A1/members/29%3Aana", Assert.Single(_harness.Connector.Requests).RawPath);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer", "https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/amer/")]
    [InlineData("ftp://smba.trafficmanager.net/amer/", null)]
    [InlineData("https://smba.trafficmanager.net/amer/?x=1", null)]
    [InlineData("https://user:pw@evil.example/", null)]
    [InlineData("/relative/", null)]
    [InlineData(null, null)]
    public void Normalize_ServiceUrl_IsABaseAddressOrNull(string? serviceUrl, string? expected) =>
        Assert.Equal(expected, ServiceUrls.Normalize(serviceUrl)?.AbsoluteUri);
}
