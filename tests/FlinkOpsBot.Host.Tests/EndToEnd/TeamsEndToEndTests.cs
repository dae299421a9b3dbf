using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

/// <summary>
/// The whole bot as deployed for Microsoft Teams (<see cref="DeployedBot"/>: the host, FlinkSim over HTTP, Azurite),
/// with Microsoft's side played by local fakes over real HTTP: OpenID metadata and JWKS that sign
/// the Bot Connector's tokens, an Entra token endpoint for the bot's own token, and a Bot Connector that records what
/// the bot posts and puts. Activities are shaped like real Teams traffic and carry real signed JWTs.
/// </summary>
public sealed partial class TeamsEndToEndTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string CardContentType = "application/vnd.microsoft.card.adaptive";
    private const string BoUpn = "bo@contoso.example";
    private const string CyMri = "29:1cYYd0n0tApprover";
    private const string CyObjectId = "4e7c2a91-1d3b-4f6e-8a2c-5b9d0e1f3a44";
    private const string SreGroup = "c1d6c1a4-2b0e-4f4e-9b7a-0f5a3f3e9d11";

    private readonly AzuriteFixture _azurite;
    private DeployedBot _bot = null!;
    private FakeIdentityProvider _idp = null!;
    private FakeTokenEndpoint _tokens = null!;
    private FakeConnectorServer _connector = null!;
    private FakeGraphServer _graph = null!;

    public TeamsEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    public async Task InitializeAsync()
    {
        _idp = await FakeIdentityProvider.StartAsync(TeamsTraffic.TenantId);
        _tokens = await FakeTokenEndpoint.StartAsync();
        _connector = await FakeConnectorServer.StartAsync();
        _graph = await FakeGraphServer.StartAsync(); // the Entra group in the policy has nobody from this test in it
        // The member API is where the bot learns a UPN; only Bo is named (by UPN) in the gate policy.
        _connector.AddMember(TeamsTraffic.AnaMri, TeamsTraffic.AnaObjectId, "Ana Ruiz", "ana@contoso.example", TeamsTraffic.TenantId);
        _connector.AddMember(TeamsTraffic.BoMri, TeamsTraffic.BoObjectId, "Bo Lindqvist", BoUpn, TeamsTraffic.TenantId);
        _connector.AddMember(CyMri, CyObjectId, "Cy Okafor", "cy@contoso.example", TeamsTraffic.TenantId);
        _bot = await DeployedBot.StartAsync(_azurite, new Dictionary<string, string>
        {
            // Anyone in the tenant may request; approving needs the policy's own group, which names Bo by UPN and an
            // Entra group (asked of Microsoft Graph) that neither Ana nor Cy is in.
            ["Authorization:Groups:flink-oncall-approvers:0"] = BoUpn,
            ["Authorization:Groups:flink-oncall-approvers:1"] = "entra-group:" + SreGroup,
            ["Teams:GraphBaseUrl"] = _graph.BaseAddress.ToString(),
            ["Authorization:Rules:0:Requesters:0"] = $"teams:{TeamsTraffic.TenantId}:*",
            ["Authorization:Rules:0:Approvers:0"] = "@flink-oncall-approvers",
            ["Teams:AppId"] = TeamsTraffic.AppId,
            ["Teams:TenantId"] = TeamsTraffic.TenantId,
            ["Teams:AppPassword"] = "test-secret-not-real",
            ["Teams:Authority"] = _tokens.Authority.ToString(),
            ["Teams:OpenIdMetadataUrl"] = _idp.BotFrameworkMetadataUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _graph.DisposeAsync();
        await _tokens.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task Mention_ApprovedWithActionExecuteByAnAllowedPerson_UpgradesAndUpdatesTheCardInPlace()
    {
        // 1. Ana mentions the bot in a channel; the turn is acknowledged at once and answered with a reply naming the run.
        var ack = await PostActivityAsync(TeamsTraffic.ChannelMention(_connector.ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var mentionId = (string)TeamsTraffic.ChannelMention(_connector.ServiceUrl, "")["id"]!;
        var started = await DeployedBot.WaitForAsync(() => _connector.Requests.FirstOrDefault(r => IsMessageTo(r, $"activities/{mentionId}")));
        var runId = RunId.Parse(RunIdPattern().Match(started.Json.GetProperty("text").GetString()!).Value);
        Assert.Equal($"Bearer {_tokens.LastToken}", started.Authorization);

        // 2. The card is posted once as an Adaptive Card, then replaced in place (PUT) until the gate is open.
        var cardPost = await DeployedBot.WaitForAsync(() => _connector.Requests.FirstOrDefault(r => r.Method == "POST" && CardOf(r) is not null));
        Assert.Equal($"/amer/v3/conversations/{Uri.EscapeDataString(TeamsTraffic.ChannelConversationId)}/activities", cardPost.RawPath);
        await DeployedBot.WaitForAsync(async () => (await _bot.RunAsync(runId)).State == RunState.AwaitingApproval ? "" : null);
        var location = (await _bot.Services.GetRequiredService<IConversationStore>().GetAsync(runId, "teams", CancellationToken.None))!;
        var cardPath = $"/amer/v3/conversations/{Uri.EscapeDataString(TeamsTraffic.ChannelConversationId)}/activities/{Uri.EscapeDataString(location.MessageId)}";
        Assert.Equal(RunState.AwaitingApproval, (await _bot.RunAsync(runId)).State);

        // 3. Bo's client refreshes the shared card: Bo is a listed approver (by UPN), so his view has the buttons.
        var boView = await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "refresh", runId.Value));
        Assert.Contains(Verbs(boView), v => v == "approve");
        Assert.Contains(Verbs(boView), v => v == "reject");

        // 4. Bo approves with Action.Execute: the answer is his refreshed card; the run executes and succeeds against FlinkSim.
        var approved = await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "approve", runId.Value));
        Assert.DoesNotContain(Verbs(approved), v => v == "approve");
        Assert.Contains("Bo Lindqvist", approved.ToJsonString(), StringComparison.Ordinal);
        var done = await _bot.EndOfAsync(runId);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(TeamsTraffic.BoObjectId, Assert.Single(done.Approvals).Actor.Id);
        var newJob = _bot.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", newJob.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", newJob.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], newJob.RestoredFrom);

        // 5. The card was updated in place to the result; the timeline went as replies to the card.
        var final = await DeployedBot.WaitForAsync(() => _connector.Requests.LastOrDefault(r => r.Method == "PUT" && CardOf(r)!.ToJsonString().Contains("Succeeded", StringComparison.Ordinal)));
        Assert.Equal(cardPath, final.RawPath);
        Assert.All(_connector.Requests.Where(r => r.Method == "PUT"), r => Assert.Equal(cardPath, r.RawPath));
        Assert.Single(_connector.Requests, r => r.Method == "POST" && CardOf(r) is not null);
        var threadReplies = _connector.Requests.Where(r => r.Method == "POST" && r.RawPath == cardPath).ToList();
        Assert.Contains(threadReplies, r => r.Json.GetProperty("text").GetString()!.Contains("savepoint at", StringComparison.Ordinal));
        Assert.All(_connector.Requests, r => Assert.Equal($"Bearer {_tokens.LastToken}", r.Authorization));

        // 6. The timeline in Table Storage names the verified approver.
        var timeline = await _bot.Services.GetRequiredService<ITimelineStore>().ListAsync(runId, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.Contains("approved by", StringComparison.Ordinal) && e.Actor.Id == TeamsTraffic.BoObjectId);
    }

    [Fact]
    public async Task ActionExecute_ByAPersonThePolicyDoesNotAllow_IsRefusedOnTheirViewAndChangesNothing()
    {
        await PostActivityAsync(TeamsTraffic.ChannelMention(_connector.ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        var runId = await DeployedBot.WaitForAsync(async () => (await _bot.Runs.ListRecentAsync(1, CancellationToken.None)) is [var r] ? r.Id.Value : null);
        await DeployedBot.WaitForAsync(async () => (await _bot.RunAsync(RunId.Parse(runId))).State == RunState.AwaitingApproval ? runId : null);
        var callsBefore = _bot.Sim.Cluster.Calls.All.Count;

        // Cy is in the channel but not an approver; Ana requested the run and is not one either. Neither may approve it.
        var cyView = await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "approve", runId, CyMri, CyObjectId, "Cy Okafor"));
        var anaView = await InvokeAsync(TeamsTraffic.CardAction(_connector.ServiceUrl, "approve", runId, TeamsTraffic.AnaMri, TeamsTraffic.AnaObjectId, "Ana Ruiz"));

        Assert.Contains($"Approving upgrade on demo ({runId}) needs @flink-oncall-approvers; you are not in it.", cyView.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Verbs(cyView), v => v == "approve");
        Assert.Contains($"Approving upgrade on demo ({runId}) needs @flink-oncall-approvers; you are not in it.", anaView.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Verbs(anaView), v => v == "approve");
        Assert.Contains(_graph.Calls, c => c.ObjectId == CyObjectId && c.GroupIds.SequenceEqual([SreGroup]));
        var run = await _bot.RunAsync(RunId.Parse(runId));
        Assert.Equal(RunState.AwaitingApproval, run.State);
        Assert.Empty(run.Approvals);
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All.Skip(callsBefore), c => c.Method != "GET");
    }

    [Fact]
    public async Task Activity_WithATokenFromAnUnpublishedKey_Is401AndStartsNothing()
    {
        var forged = FakeIdentityProvider.IssueToken(_idp.UnpublishedKey("forged-1").Credentials(), FakeIdentityProvider.BotFrameworkIssuer, TeamsTraffic.AppId,
            DateTimeOffset.UtcNow, new Dictionary<string, object> { ["serviceurl"] = _connector.ServiceUrl.ToString() });

        var response = await PostActivityAsync(TeamsTraffic.ChannelMention(_connector.ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"), forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));
        Assert.Empty(_connector.Requests);
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    /// <summary>Posts an activity as the Bot Connector does: JSON, with a bearer token it signed for this bot and serviceUrl.</summary>
    private async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity, string? token = null)
    {
        token ??= FakeIdentityProvider.IssueToken(_idp.TeamsKey.Credentials(), FakeIdentityProvider.BotFrameworkIssuer, TeamsTraffic.AppId,
            DateTimeOffset.UtcNow, new Dictionary<string, object> { ["serviceurl"] = _connector.ServiceUrl.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _bot.Http.SendAsync(request);
    }

    /// <summary>Sends an <c>adaptiveCard/action</c> invoke and returns the card of the answer, checking the invoke response's shape.</summary>
    private async Task<JsonNode> InvokeAsync(JsonObject invoke)
    {
        var response = await PostActivityAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal(CardContentType, (string?)body["type"]);
        return body["value"]!;
    }

    private static bool IsMessageTo(ConnectorRequest request, string pathSuffix) =>
        request.Method == "POST" && request.RawPath.EndsWith(pathSuffix, StringComparison.Ordinal) && request.Json.TryGetProperty("text", out _);

    /// <summary>The Adaptive Card a Connector request carries, or null.</summary>
    private static JsonNode? CardOf(ConnectorRequest request)
    {
        if (request.Body.Length == 0) return null;
        var attachments = JsonNode.Parse(request.Body)?["attachments"]?.AsArray();
        return attachments?.FirstOrDefault(a => (string?)a?["contentType"] == CardContentType)?["content"];
    }

    /// <summary>The verbs of the card's <c>Action.Execute</c> buttons, wherever they sit.</summary>
    private static IEnumerable<string> Verbs(JsonNode card)
    {
        var verbs = new List<string>();
        Collect(card);
        return verbs;

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if ((string?)o["type"] == "Action.Execute" && (string?)o["verb"] is { } verb) verbs.Add(verb);
                    foreach (var (_, child) in o) Collect(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Collect(child);
                    break;
            }
        }
    }

    [GeneratedRegex("R-[0-9A-Z]{4}")]
    private static partial Regex RunIdPattern();
}
