using FlinkOpsBot.Testing.Slack;
using System.Globalization;
using System.Net;
using FlinkOpsBot.Slack.Tests.Fakes;

namespace FlinkOpsBot.Slack.Tests.Verification;

public sealed class SlackRequestFilterTests : IAsyncLifetime
{
    private const string Body = "team_id=T0001&channel_id=C2147483705&user_id=U2147483697&user_name=Steve&command=%2Fflink&text=status&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678";
    private SlackTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/interactions")]
    public async Task Post_Unsigned_Returns401WithEmptyBodyAndNothingRuns(string path)
    {
        using var response = await _host.PostAsync(path, Body, SlackTestHost.FormContentType, timestamp: null, signature: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_SignatureOfAnotherBody_Returns401AndNothingRuns()
    {
        var timestamp = _host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = SlackSigner.Sign(SlackSigner.DocsSecret, timestamp, Body.Replace("text=status", "text=upgrade", StringComparison.Ordinal));

        using var response = await _host.PostAsync("/slack/commands", Body, SlackTestHost.FormContentType, timestamp.ToString(CultureInfo.InvariantCulture), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_SignedSixMinutesAgo_Returns401AndNothingRuns()
    {
        var timestamp = _host.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds();
        var signature = SlackSigner.Sign(SlackSigner.DocsSecret, timestamp, Body);

        using var response = await _host.PostAsync("/slack/commands", Body, SlackTestHost.FormContentType, timestamp.ToString(CultureInfo.InvariantCulture), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_SignedButJson_Returns400AndNothingRuns()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", """{"team_id":"T0001"}""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_BodyOverOneMebibyte_Returns413AndNothingRuns()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", Body + "&text=" + new string('x', 1024 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(_host.Commands.WasCalled);
    }

    [Fact]
    public async Task Post_SignedNow_ReachesTheEndpoint()
    {
        using var response = await _host.PostSignedAsync("/slack/commands", Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Commands.Commands);
    }
}
