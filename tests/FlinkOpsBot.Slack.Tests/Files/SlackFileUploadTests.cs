using System.Text;
using System.Text.Json;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Slack.Tests.Fakes;
using FlinkOpsBot.Testing.Slack;

namespace FlinkOpsBot.Slack.Tests.Files;

/// <summary>
/// A slash command whose reply carries a file (a timeline export) has it uploaded with Slack's external upload flow
/// (<c>files.getUploadURLExternal</c> → POST to the upload URL → <c>files.completeUploadExternal</c>) against the fake Slack.
/// </summary>
public sealed class SlackFileUploadTests : IAsyncLifetime
{
    private const string Markdown = "# Timeline of INC-4F2K: orders lag — after deploy ✓\n\n1. `2026-01-15 09:00:00Z` **ana** opened\n";
    private static readonly ReplyFile File = new("timeline-INC-4F2K.md", "text/markdown; charset=utf-8", "Timeline of INC-4F2K (Markdown)", Markdown,
        new Uri("https://flinkops.example.com/api/timeline/INC-4F2K?format=md"));

    private SlackTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ReplyWithAFile_IsUploadedToTheCommandsChannelInThreeSteps()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("Timeline of INC-4F2K: 1 entries, exported as Markdown.", ReplyVisibility.Ephemeral) { File = File });

        using var ack = await _host.PostSignedAsync("/slack/commands", Body("timeline export"));

        Assert.Equal("Timeline of INC-4F2K: 1 entries, exported as Markdown.", JsonDocument.Parse(await ack.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString());
        var getUrl = await NextAsync("files.getUploadURLExternal");
        Assert.Equal("Bearer xoxb-test-token", getUrl.Authorization);
        Assert.Equal("application/x-www-form-urlencoded", getUrl.ContentType);
        Assert.Equal("timeline-INC-4F2K.md", getUrl.Form["filename"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(Markdown).ToString(System.Globalization.CultureInfo.InvariantCulture), getUrl.Form["length"]);
        var upload = await NextAsync("/upload/v1/F0000000001");
        Assert.Null(upload.Authorization); // the upload URL is the credential: the bot token does not go there
        Assert.Equal(Markdown, upload.Body);
        var complete = await NextAsync("files.completeUploadExternal");
        Assert.Equal("Bearer xoxb-test-token", complete.Authorization);
        Assert.Equal("F0000000001", complete.Json.GetProperty("files")[0].GetProperty("id").GetString());
        Assert.Equal("Timeline of INC-4F2K (Markdown)", complete.Json.GetProperty("files")[0].GetProperty("title").GetString());
        Assert.Equal("C2147483705", complete.Json.GetProperty("channel_id").GetString());
        Assert.False(complete.Json.TryGetProperty("thread_ts", out _));
    }

    [Fact]
    public async Task BotNotInTheChannel_TellsThePersonWhyAndWhereElseToGetIt()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("exported", ReplyVisibility.Ephemeral) { File = File });
        _host.Slack.AnswerNext(200, """{"ok":true,"upload_url":"UPLOAD","file_id":"F0001"}""".Replace("UPLOAD", new Uri(_host.Slack.BaseAddress, "/upload/v1/F0001").ToString(), StringComparison.Ordinal));
        _host.Slack.AnswerNext(200, """{"ok":false,"error":"not_in_channel"}""");

        using var ack = await _host.PostSignedAsync("/slack/commands", Body("timeline export"));

        var apology = await FirstToAsync("/hooks/commands/T0001/1234/5678");
        Assert.Equal("ephemeral", apology.Json.GetProperty("response_type").GetString());
        Assert.Equal(
            "Could not upload timeline-INC-4F2K.md: the bot is not in this channel; invite it with `/invite @FlinkOpsBot` and export again. " +
            "It is also available at https://flinkops.example.com/api/timeline/INC-4F2K?format=md (with the export token).",
            apology.Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task UploadUrlThatIsNotHttps_IsRefusedAndNothingIsSent()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("exported", ReplyVisibility.Ephemeral) { File = File });
        _host.Slack.AnswerNext(200, """{"ok":true,"upload_url":"http://files.example.net/upload/F0001","file_id":"F0001"}""");

        using var ack = await _host.PostSignedAsync("/slack/commands", Body("timeline export"));

        var apology = await FirstToAsync("/hooks/commands/T0001/1234/5678");
        Assert.Contains("Slack answered invalid_upload_url", apology.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Slack.Requests, r => r.Method == "files.completeUploadExternal");
    }

    [Fact]
    public async Task ReplyWithoutAFile_UploadsNothing()
    {
        _host.Commands.OnCommand = _ => Task.FromResult(CommandReply.Private("no file"));

        using var ack = await _host.PostSignedAsync("/slack/commands", Body("timeline"));
        // A later request shows the pipeline is idle: nothing but it reached the fake Slack.
        _host.Commands.OnCommand = _ => Task.FromResult(new CommandReply("exported", ReplyVisibility.Ephemeral) { File = File });
        using var second = await _host.PostSignedAsync("/slack/commands", Body("timeline export"));

        Assert.Equal("files.getUploadURLExternal", (await _host.Slack.NextRequestAsync()).Method);
    }

    private async Task<RecordedRequest> NextAsync(string method)
    {
        var request = await _host.Slack.NextRequestAsync();
        Assert.Equal(method, request.Method);
        return request;
    }

    /// <summary>The first request to <paramref name="method"/> (a Web API method or a path), skipping those before it.</summary>
    private async Task<RecordedRequest> FirstToAsync(string method)
    {
        while (true)
        {
            if (await _host.Slack.NextRequestAsync() is { } request && request.Method == method) return request;
        }
    }

    private string Body(string text) => SlackTestHost.Form(
        ("team_id", "T0001"),
        ("channel_id", "C2147483705"),
        ("user_id", "U2147483697"),
        ("user_name", "Steve"),
        ("command", "/flink"),
        ("text", text),
        ("response_url", _host.Slack.ResponseUrl().ToString()),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ("api_app_id", "A123456"));
}
