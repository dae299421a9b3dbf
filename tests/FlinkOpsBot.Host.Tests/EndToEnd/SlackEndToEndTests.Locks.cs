using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

public sealed partial class SlackEndToEndTests
{
    [Fact]
    public async Task LockCommands_FromSlack_BlockAnotherPerson_AndAnApprovedStealReleasesTheLockInTableStorage()
    {
        // 1. Ana locks the job; the channel sees it.
        var locked = await SlashJsonAsync(Ana, "lock orders-enricher --reason \"INC-42: hands off\" --for 2h");
        Assert.Equal("in_channel", (string?)locked["response_type"]);
        Assert.Contains($"orders-enricher on demo is now locked by <@{Ana}>", (string)locked["text"]!);

        // 2. Bo's upgrade is refused, privately, naming the holder and the reason; nothing starts.
        var refused = await SlashJsonAsync(Bo, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        Assert.Equal("ephemeral", (string?)refused["response_type"]);
        Assert.Contains($"locked by <@{Ana}>", (string)refused["text"]!);
        Assert.Contains("“INC-42: hands off”", (string)refused["text"]!);
        Assert.Empty(await _bot.Runs.ListRecentAsync(10, CancellationToken.None));

        // 3. Bo asks to steal it: a steal-lock run whose card has the gate; the lock holds meanwhile.
        var steal = await SlashJsonAsync(Bo, "unlock orders-enricher --steal --reason \"ana is off shift\"");
        Assert.Equal("in_channel", (string?)steal["response_type"]);
        var runId = RunId.Parse(RunIdPattern().Match((string)steal["text"]!).Value);
        var gate = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "chat.update" && r.Body.Contains("\"action_id\":\"approve\"", StringComparison.Ordinal)));
        var locks = _bot.Services.GetRequiredService<IJobLockStore>();
        Assert.NotNull(await locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));

        // 4. An approver other than the requester approves with the card's button; the lock is released.
        var approval = await PostSignedAsync("/slack/interactions", ButtonBody(Ana, "approve", runId, gate.Json.GetProperty("ts").GetString()!));
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        Assert.Equal(RunState.Succeeded, (await _bot.EndOfAsync(runId)).State);
        Assert.Null(await locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        var timeline = await _bot.Services.GetRequiredService<ITimelineStore>().ListAsync(runId, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.Contains("approved by", StringComparison.Ordinal) && e.Actor.Id == Ana);
        Assert.Contains(timeline, e => e.Text.Contains($"<@{Ana}>'s lock on orders-enricher released", StringComparison.Ordinal));
    }

    /// <summary>A slash command with its own trigger_id (Slack's id of one delivery; a repeated one is a retry) and its immediate answer.</summary>
    private async Task<JsonNode> SlashJsonAsync(string user, string text)
    {
        var body = SlashCommandBody(user, text).Replace("8088930838d88f008e0", Guid.NewGuid().ToString("N")[..19], StringComparison.Ordinal);
        var response = await PostSignedAsync("/slack/commands", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
