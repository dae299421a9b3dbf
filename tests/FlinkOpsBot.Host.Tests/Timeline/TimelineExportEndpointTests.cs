using System.Net;
using System.Net.Http.Headers;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Host.Tests.EndToEnd;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.Timeline;

/// <summary>
/// <c>GET /api/timeline/{id}?format=md|json</c> on the deployed host (Azurite storage): 401 without detail unless the
/// configured bearer token is presented; then the incident's timeline as Markdown or JSON.
/// </summary>
public sealed class TimelineExportEndpointTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Token = "0123456789abcdef0123456789abcdef-export";
    private static readonly Actor Ana = new("slack", "T0001", "U0ANA", "ana");
    private static readonly ChannelRef Channel = new("slack", "T0001", "C0INCIDENT");

    private readonly AzuriteFixture _azurite;
    private DeployedBot _bot = null!;
    private IncidentId _incident;

    public TimelineExportEndpointTests(AzuriteFixture azurite) => _azurite = azurite;

    public async Task InitializeAsync()
    {
        _bot = await DeployedBot.StartAsync(_azurite, new Dictionary<string, string> { ["Timeline:BearerToken"] = Token });
        var commands = _bot.Services.GetRequiredService<ICommandService>();
        Assert.True((await commands.HandleAsync(new ChatCommand("incident start orders lag after deploy", Ana, Channel), CancellationToken.None)).Accepted);
        Assert.True((await commands.HandleAsync(new ChatCommand("note consumer lag 2M records on orders-enricher", Ana, Channel), CancellationToken.None)).Accepted);
        _incident = (await _bot.Services.GetRequiredService<IIncidentStore>().GetOpenAsync(Channel, CancellationToken.None))!.Value.Id;
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    public static readonly TheoryData<string, string?> Unauthorized = new()
    {
        { "no header", null },
        { "wrong token", "Bearer 0123456789abcdef0123456789abcdef-exporX" },
        { "shorter token", "Bearer 0123" },
        { "token as Basic", $"Basic {Token}" },
        { "token without scheme", Token },
        { "empty bearer", "Bearer " },
    };

    [Theory]
    [MemberData(nameof(Unauthorized))]
    public async Task Get_WithoutTheToken_Is401WithNoDetail(string why, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/timeline/{_incident}?format=json");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await _bot.Http.SendAsync(request);

        Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, why);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Get_Markdown_ReturnsTheTimelineInOrder()
    {
        using var response = await GetAsync($"/api/timeline/{_incident}?format=md");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith($"# Timeline of {_incident}: orders lag after deploy", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("opened the incident", StringComparison.Ordinal) < text.IndexOf("consumer lag 2M records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_Json_ParsesBackToTheStoredEntries()
    {
        using var response = await GetAsync($"/api/timeline/{_incident.Value.ToLowerInvariant()}?format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var document = TimelineDocument.FromJson(await response.Content.ReadAsStringAsync());
        var stored = await _bot.Services.GetRequiredService<IIncidentStore>().ListEntriesAsync(_incident, CancellationToken.None);
        Assert.Equal(stored.Select(CoreJson.Serialize), document.Entries.Select(CoreJson.Serialize));
        Assert.Equal(Ana.Key, document.Entries[1].Actor.Key);
    }

    [Theory]
    [InlineData("/api/timeline/INC-2222", HttpStatusCode.NotFound)]
    [InlineData("/api/timeline/orders-enricher", HttpStatusCode.NotFound)]
    [InlineData("/api/timeline/R-2222?format=md", HttpStatusCode.NotFound)]
    [InlineData("/api/timeline/INC-2222?format=pdf", HttpStatusCode.BadRequest)]
    public async Task Get_UnknownIdOrFormat_SaysSoAfterAuthorization(string path, HttpStatusCode status)
    {
        using var response = await GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await _bot.Http.SendAsync(request);
    }
}
