using System.Text.Json;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>A reply with a file (timeline export) in Teams: inline in the reply, with the link to the HTTP export.</summary>
public sealed class ReplyFileTests : IAsyncLifetime
{
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TeamsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_ExportCommand_RepliesWithTheFileInlineAndTheLink()
    {
        var json = """{ "subject": "INC-4F2K", "entries": [] }""";
        var file = new ReplyFile("timeline-INC-4F2K.json", "application/json; charset=utf-8", "Timeline of INC-4F2K (JSON)", json,
            new Uri("https://flinkops.example.com/api/timeline/INC-4F2K?format=json"));
        _host.FakeCommands.OnCommand = _ => Task.FromResult(new CommandReply("Timeline of INC-4F2K: 0 entries, exported as JSON.", ReplyVisibility.Ephemeral) { File = file });

        await _host.PostActivityAsync(TeamsTraffic.Personal(_host.Connector.ServiceUrl, "timeline export INC-4F2K --format json").ToJsonString());

        var reply = await NextPostAsync();
        Assert.Equal(
            "Timeline of INC-4F2K: 0 entries, exported as JSON.\n\n**Timeline of INC-4F2K (JSON)** (timeline-INC-4F2K.json)\n\n```json\n" + json +
            "\n```\n\nThe whole file over HTTP (with the export token): https://flinkops.example.com/api/timeline/INC-4F2K?format=json",
            reply.Json.GetProperty("text").GetString());
        Assert.Equal("markdown", reply.Json.GetProperty("textFormat").GetString());
    }

    [Fact]
    public void Inline_LongMarkdown_IsCutAtALineBreakAndSaysSo()
    {
        var lines = string.Join('\n', Enumerable.Range(1, 2000).Select(i => $"{i}. `2026-01-15 09:00:00Z` **ana** step {i} done"));
        var file = new ReplyFile("timeline-R-7Q2K.md", "text/markdown; charset=utf-8", "Timeline of R-7Q2K (Markdown)", lines);

        var text = ReplyFileText.Inline("exported", file);

        Assert.True(text.Length < ReplyFileText.MaxInlineChars + 500, $"{text.Length} characters");
        Assert.Contains($"…cut here: the whole file is {lines.Length} characters.", text, StringComparison.Ordinal);
        Assert.Contains("GET /api/timeline/{id}", text, StringComparison.Ordinal);
        var lastLine = text.Split('\n').Last(l => l.Contains("**ana**", StringComparison.Ordinal));
        Assert.EndsWith(" done", lastLine, StringComparison.Ordinal);
    }

    private async Task<FlinkOpsBot.Testing.Teams.ConnectorRequest> NextPostAsync()
    {
        while (true)
        {
            var request = await _host.Connector.NextRequestAsync();
            if (request.Method == "POST") return request;
        }
    }
}
