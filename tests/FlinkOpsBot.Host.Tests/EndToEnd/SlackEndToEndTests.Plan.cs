using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

/// <summary>The plan-bound gate from Slack: the Approve button carries the plan hash; a stale one is refused; the requester's Cancel button.</summary>
public sealed partial class SlackEndToEndTests
{
    [Fact]
    public async Task ApproveButton_FromACardShowingAnOlderPlan_IsRefusedPrivately_AndTheRequestersCancelButtonEndsTheRun()
    {
        var ack = await PostSignedAsync("/slack/commands", SlashCommandBody(Ana, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar"));
        var runId = RunId.Parse(RunIdPattern().Match((string)JsonNode.Parse(await ack.Content.ReadAsStringAsync())!["text"]!).Value);
        var gate = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "chat.update" && r.Body.Contains("\"action_id\":\"approve\"", StringComparison.Ordinal)));
        var cardTs = gate.Json.GetProperty("ts").GetString()!;
        var run = await _bot.RunAsync(runId);

        // The card's Approve button carries the plan it shows.
        var buttons = gate.Json.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray())
            .ToDictionary(b => b.GetProperty("action_id").GetString()!, b => b.GetProperty("value").GetString()!);
        Assert.Equal($"{runId}:{run.Plan!.Hash}", buttons["approve"]);
        Assert.Equal(runId.Value, buttons["cancel"]);

        // A click from a card that showed another plan: refused to the clicker alone, nothing recorded.
        var stale = await PostSignedAsync("/slack/interactions", ButtonBody(Bo, "approve", $"{runId}:deadbeef", cardTs));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var refusal = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Path.StartsWith("/hooks/actions/", StringComparison.Ordinal)));
        Assert.Equal("ephemeral", refusal.Json.GetProperty("response_type").GetString());
        Assert.StartsWith("The plan changed since this card was shown (it showed plan deadbeef", refusal.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        var after = await _bot.RunAsync(runId);
        Assert.Equal(RunState.AwaitingApproval, after.State);
        Assert.Empty(after.Approvals);

        // The requester's Cancel button ends the run; the card says so in place, without buttons.
        var cancel = await PostSignedAsync("/slack/interactions", ButtonBody(Ana, "cancel", runId.Value, cardTs));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var done = await _bot.EndOfAsync(runId);
        Assert.Equal(RunState.Cancelled, done.State);
        Assert.Equal(Ana, done.Decline!.Actor.Id);
        var final = await DeployedBot.WaitForAsync(() => _slack.Requests.LastOrDefault(r => r.Method == "chat.update" && r.Body.Contains("Cancelled", StringComparison.Ordinal)));
        Assert.Equal(cardTs, final.Json.GetProperty("ts").GetString());
        Assert.DoesNotContain("\"action_id\":\"cancel\"", final.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }
}
