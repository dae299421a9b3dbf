using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

/// <summary>
/// The whole bot as deployed (<see cref="DeployedBot"/>: the host, FlinkSim over HTTP, Azurite) with a fake Slack Web
/// API; Slack's side is played with real-shaped, signed requests.
/// </summary>
public sealed partial class SlackEndToEndTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Team = "T0001";
    private const string Channel = "C0INCIDENT";
    private const string Ana = "U0ANA";
    private const string Bo = "U0BO";
    private const string Cy = "U0CY";
    private const string OncallGroup = "S0ONCALL1";

    private readonly AzuriteFixture _azurite;
    private DeployedBot _bot = null!;
    private FakeSlackServer _slack = null!;

    public SlackEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync();
        _slack.AddUserGroup(OncallGroup, Bo);
        _bot = await DeployedBot.StartAsync(_azurite, new Dictionary<string, string>
        {
            ["Slack:SigningSecret"] = SlackSigner.DocsSecret,
            ["Slack:BotToken"] = "xoxb-test-token",
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            // Anyone in the workspace may request; approving needs the policy's own group: Ana by id, and the Slack user
            // group S0ONCALL1, which has Bo (asked of Slack with usergroups.users.list). Cy is in neither.
            ["Authorization:Groups:flink-oncall-approvers:0"] = Ana,
            ["Authorization:Groups:flink-oncall-approvers:1"] = OncallGroup,
            ["Authorization:Rules:0:Requesters:0"] = $"slack:{Team}:*",
            ["Authorization:Rules:0:Approvers:0"] = "@flink-oncall-approvers",
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task SlashCommand_ApprovedByAnotherPerson_UpgradesAndUpdatesTheCardInPlace()
    {
        // 1. The slash command is acknowledged in channel, naming the run.
        var ack = await PostSignedAsync("/slack/commands", SlashCommandBody(Ana, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var ackJson = JsonNode.Parse(await ack.Content.ReadAsStringAsync())!;
        Assert.Equal("in_channel", (string?)ackJson["response_type"]);
        var runId = RunId.Parse(RunIdPattern().Match((string)ackJson["text"]!).Value);

        // 2. The card is posted, then updated in place until the gate opens with Approve / Reject buttons.
        var cardPost = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "chat.postMessage" && !r.Json.TryGetProperty("thread_ts", out _)));
        Assert.Equal("Bearer xoxb-test-token", cardPost.Authorization);
        Assert.Equal(Channel, cardPost.Json.GetProperty("channel").GetString());
        var gate = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "chat.update" && r.Body.Contains("\"action_id\":\"approve\"", StringComparison.Ordinal)));
        var cardTs = gate.Json.GetProperty("ts").GetString()!;
        Assert.Equal(RunState.AwaitingApproval, (await _bot.RunAsync(runId)).State);

        // 3. The requester's own click is refused, privately, and changes nothing.
        var selfApproval = await PostSignedAsync("/slack/interactions", ButtonBody(Ana, "approve", runId, cardTs));
        Assert.Equal(HttpStatusCode.OK, selfApproval.StatusCode);
        var refusal = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Path.StartsWith("/hooks/actions/", StringComparison.Ordinal)));
        Assert.Equal("ephemeral", refusal.Json.GetProperty("response_type").GetString());
        Assert.Contains("another approver must approve", refusal.Json.GetProperty("text").GetString());
        Assert.Equal(RunState.AwaitingApproval, (await _bot.RunAsync(runId)).State);

        // 4. Another person approves; the run executes, validates and succeeds against FlinkSim.
        var approval = await PostSignedAsync("/slack/interactions", ButtonBody(Bo, "approve", runId, cardTs));
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        var done = await _bot.EndOfAsync(runId);
        Assert.Equal(RunState.Succeeded, done.State);
        var newJob = _bot.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", newJob.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", newJob.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], newJob.RestoredFrom);

        // 5. The card was updated in place to show the result and who approved; events went to its thread.
        var final = await DeployedBot.WaitForAsync(() => _slack.Requests.LastOrDefault(r => r.Method == "chat.update" && r.Body.Contains("Succeeded", StringComparison.Ordinal)));
        Assert.Equal(cardTs, final.Json.GetProperty("ts").GetString());
        Assert.Contains($"<@{Bo}>", Unescaped(final));
        Assert.DoesNotContain("\"action_id\":\"approve\"", final.Body);
        Assert.All(_slack.Requests.Where(r => r.Method == "chat.update"), r => Assert.Equal(cardTs, r.Json.GetProperty("ts").GetString()));
        Assert.Single(_slack.Requests, r => r.Method == "chat.postMessage" && !r.Json.TryGetProperty("thread_ts", out _));
        var replies = _slack.Requests.Where(r => r.Method == "chat.postMessage" && r.Json.TryGetProperty("thread_ts", out _)).ToList();
        Assert.NotEmpty(replies);
        Assert.All(replies, r => Assert.Equal(cardTs, r.Json.GetProperty("thread_ts").GetString()));
        Assert.Contains(replies, r => r.Body.Contains("savepoint at", StringComparison.Ordinal));

        // 6. The timeline is in Table Storage.
        var timeline = await _bot.Services.GetRequiredService<ITimelineStore>().ListAsync(runId, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.Contains("approved by", StringComparison.Ordinal) && e.Actor.Id == Bo);
    }

    [Fact]
    public async Task Button_ClickedByAPersonThePolicyDoesNotAllow_IsRefusedPrivatelyAndChangesNothing()
    {
        var ack = await PostSignedAsync("/slack/commands", SlashCommandBody(Ana, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        var runId = RunId.Parse(RunIdPattern().Match((string)JsonNode.Parse(await ack.Content.ReadAsStringAsync())!["text"]!).Value);
        var gate = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "chat.update" && r.Body.Contains("\"action_id\":\"approve\"", StringComparison.Ordinal)));
        var cardTs = gate.Json.GetProperty("ts").GetString()!;
        var before = await _bot.RunAsync(runId);
        var callsBefore = _bot.Sim.Cluster.Calls.All.Count;

        var click = await PostSignedAsync("/slack/interactions", ButtonBody(Cy, "approve", runId, cardTs));

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var refusal = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Path.StartsWith("/hooks/actions/", StringComparison.Ordinal)));
        Assert.Equal("ephemeral", refusal.Json.GetProperty("response_type").GetString());
        Assert.Equal($"Approving upgrade on demo ({runId}) needs @flink-oncall-approvers; you are not in it.", refusal.Json.GetProperty("text").GetString());
        Assert.Contains(_slack.Requests, r => r.Method == "usergroups.users.list" && r.Body == $"usergroup={OncallGroup}");
        var after = await _bot.RunAsync(runId);
        Assert.Equal(RunState.AwaitingApproval, after.State);
        Assert.Empty(after.Approvals);
        Assert.Equal(before.TimelineSequence, after.TimelineSequence);
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All.Skip(callsBefore), c => c.Method != "GET");
    }

    [Fact]
    public async Task SlashCommand_ByAPersonThePolicyDoesNotAllow_IsAnEphemeralRefusalAndStartsNothing()
    {
        var response = await PostSignedAsync("/slack/commands", SlashCommandBody(Cy, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar", team: "T0OTHER"));

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)json["response_type"]);
        Assert.Equal("Requesting upgrade on demo needs slack:T0001:*; that is not you. Nothing was started.", (string)json["text"]!);
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task SlashCommand_Unsigned_Is401AndStartsNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands")
        {
            Content = new StringContent(SlashCommandBody(Ana, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", "v0=" + new string('0', 64));

        var response = await _bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    [Fact]
    public async Task SlashCommand_BadArgument_IsAnEphemeralUsageAndStartsNothing()
    {
        var response = await PostSignedAsync("/slack/commands", SlashCommandBody(Ana, "upgrade orders-enricher --parallelism lots"));

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)json["response_type"]);
        Assert.Contains("--parallelism must be a positive whole number", (string)json["text"]!);
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    private async Task<HttpResponseMessage> PostSignedAsync(string path, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", SlackSigner.Sign(SlackSigner.DocsSecret, timestamp, body));
        return await _bot.Http.SendAsync(request);
    }

    private string SlashCommandBody(string user, string text, string team = Team) => Form(new()
    {
        ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
        ["team_id"] = team,
        ["team_domain"] = "example",
        ["channel_id"] = Channel,
        ["channel_name"] = "incidents",
        ["user_id"] = user,
        ["user_name"] = user == Ana ? "ana" : "bo",
        ["command"] = "/flink",
        ["text"] = text,
        ["response_url"] = _slack.ResponseUrl().ToString(),
        ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
        ["api_app_id"] = "A123456",
    });

    private string ButtonBody(string user, string actionId, RunId runId, string messageTs) => ButtonBody(user, actionId, runId.Value, messageTs);

    private string ButtonBody(string user, string actionId, string value, string messageTs)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user == Ana ? "ana" : "bo", ["name"] = user == Ana ? "ana" : "bo", ["team_id"] = Team },
            ["api_app_id"] = "A123456",
            ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = Channel, ["is_ephemeral"] = false },
            ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
            ["team"] = new JsonObject { ["id"] = Team, ["domain"] = "example" },
            ["channel"] = new JsonObject { ["id"] = Channel, ["name"] = "incidents" },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["text"] = "card" },
            ["response_url"] = _slack.ResponseUrl("actions").ToString(),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = "gate",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Approve", ["emoji"] = true },
                ["value"] = value,
                ["type"] = "button",
                ["action_ts"] = "1548426417.840180",
            }),
        };
        return Form(new() { ["payload"] = payload.ToJsonString() });
    }

    // Slack reads JSON escapes; the assertions read what Slack would show.
    private static string Unescaped(RecordedRequest request) =>
        JsonNode.Parse(request.Body)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Form(Dictionary<string, string> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    [GeneratedRegex("R-[0-9A-Z]{4}")]
    private static partial Regex RunIdPattern();
}
