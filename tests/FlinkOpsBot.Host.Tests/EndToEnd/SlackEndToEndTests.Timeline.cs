using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

public sealed partial class SlackEndToEndTests
{
    [Fact]
    public async Task Incident_RunInsideIt_ExportsTheMergedTimelineAsAFileToTheChannel()
    {
        // An incident is opened; a run started in the channel attaches; another person approves it and adds a note.
        Assert.StartsWith("INC-", await CommandTextAsync(Ana, "incident start orders lag after deploy"), StringComparison.Ordinal);
        var started = await CommandTextAsync(Ana, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        Assert.Contains("Attached to INC-", started, StringComparison.Ordinal);
        var runId = RunId.Parse(RunIdPattern().Match(started).Value);
        await DeployedBot.WaitForAsync(async () => await _bot.RunAsync(runId) is { State: RunState.AwaitingApproval } run ? run : null);
        await CommandTextAsync(Bo, $"approve {runId}");
        Assert.Equal(RunState.Succeeded, (await _bot.EndOfAsync(runId)).State);
        await CommandTextAsync(Bo, "note lag draining");

        var reply = await CommandTextAsync(Ana, "timeline export --format json");
        var verify = await CommandTextAsync(Ana, "timeline verify");

        // The file went up through the external upload flow to this channel, and parses back to the merged timeline.
        Assert.Contains("exported as JSON", reply, StringComparison.Ordinal);
        var complete = await DeployedBot.WaitForAsync(() => _slack.Requests.FirstOrDefault(r => r.Method == "files.completeUploadExternal"));
        Assert.Equal(Channel, complete.Json.GetProperty("channel_id").GetString());
        var fileId = complete.Json.GetProperty("files")[0].GetProperty("id").GetString();
        var upload = _slack.Requests.Single(r => r.Path == $"/upload/v1/{fileId}");
        var document = TimelineDocument.FromJson(upload.Body);
        Assert.StartsWith("INC-", document.Subject, StringComparison.Ordinal);
        Assert.Contains(document.Entries, e => e.Subject == runId.Value && e.Kind == TimelineEventKind.Decision && e.Actor.Key == $"slack:{Team}:{Bo}");
        Assert.Contains(document.Entries, e => e.Kind == TimelineEventKind.Note && e.Text == "lag draining" && e.Actor.Key == $"slack:{Team}:{Bo}");
        Assert.Contains(document.Entries, e => e.Subject == runId.Value && e.Kind == TimelineEventKind.Step && e.Evidence.ContainsKey("savepointPath"));
        Assert.Contains("the hash chain checks out", verify, StringComparison.Ordinal);
    }

    /// <summary>A signed slash command with its own trigger id (so it is not taken for a repeat); its acknowledgement's text.</summary>
    private async Task<string> CommandTextAsync(string user, string text)
    {
        var body = SlashCommandBody(user, text).Replace("8088930838d88f008e0", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        using var response = await PostSignedAsync("/slack/commands", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["text"]!;
    }
}
