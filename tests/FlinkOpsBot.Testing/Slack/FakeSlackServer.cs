using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FlinkOpsBot.Testing.Slack;

/// <summary>One request the fake Slack received.</summary>
public sealed record RecordedRequest(string Path, string? Authorization, string? ContentType, string Body)
{
    /// <summary>The Web API method, e.g. <c>chat.postMessage</c>, for requests under <c>/api/</c>.</summary>
    public string Method => Path.StartsWith("/api/", StringComparison.Ordinal) ? Path["/api/".Length..] : Path;

    /// <summary>The form fields of a form-encoded request (e.g. <c>files.getUploadURLExternal</c>).</summary>
    public IReadOnlyDictionary<string, string> Form => Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(kv => Uri.UnescapeDataString(kv[0].Replace('+', ' ')), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A tiny Slack on 127.0.0.1 over real HTTP: the Web API under <c>/api/</c> (answers <c>ok</c> with a fresh
/// <c>ts</c> unless a test scripts another answer; <c>files.getUploadURLExternal</c> answers an upload URL under
/// <c>/upload/</c> and a fresh file id, <c>files.completeUploadExternal</c> the files it completed), upload URLs
/// (answer <c>OK - length</c>) and response URLs under <c>/hooks/</c> (answers 200).
/// Records every request before answering it.
/// </summary>
public sealed class FakeSlackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string[]> _userGroups = new(StringComparer.Ordinal);
    private int _messages;
    private int _files;

    private FakeSlackServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri ApiBaseUrl => new(BaseAddress, "/api/");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeSlackServer> StartAsync()
    {
        var app = LoopbackHost.Create();
        var server = new FakeSlackServer(app);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = LoopbackHost.BaseAddress(app);
        return server;
    }

    /// <summary>A response URL on this server, like <c>https://hooks.slack.com/commands/T0001/…</c>.</summary>
    public Uri ResponseUrl(string kind = "commands") => new(BaseAddress, $"/hooks/{kind}/T0001/1234/5678");

    /// <summary>Makes the next Web API call answer with <paramref name="status"/> and <paramref name="json"/>.</summary>
    public void AnswerNext(int status, string json = "", string? retryAfter = null) => _script.Enqueue(response =>
    {
        response.StatusCode = status;
        if (retryAfter is not null) response.Headers.RetryAfter = retryAfter;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(json);
    });

    /// <summary>Defines a user group (<c>S…</c>) that <c>usergroups.users.list</c> answers with <paramref name="users"/>; others are <c>no_such_subteam</c>.</summary>
    public void AddUserGroup(string id, params string[] users) => _userGroups[id] = users;

    /// <summary>The next request to arrive; fails the test if none arrives within 10 seconds.</summary>
    public async Task<RecordedRequest> NextRequestAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var request = new RecordedRequest(http.Request.Path, http.Request.Headers.Authorization, http.Request.ContentType, await reader.ReadToEndAsync());
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);

        if (request.Path.StartsWith("/upload/", StringComparison.Ordinal))
        {
            // Slack's upload URL answers a plain "OK - <length>".
            await http.Response.WriteAsync($"OK - {Encoding.UTF8.GetByteCount(request.Body)}");
            return;
        }
        if (!request.Path.StartsWith("/api/", StringComparison.Ordinal)) return;
        if (_script.TryDequeue(out var answer))
        {
            await answer(http.Response);
            return;
        }
        if (request.Method == "usergroups.users.list")
        {
            // Form-encoded, as the bot sends it: usergroup=S…
            var group = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body).GetValueOrDefault("usergroup").ToString();
            await http.Response.WriteAsJsonAsync(_userGroups.TryGetValue(group, out var users)
                ? new JsonObject { ["ok"] = true, ["users"] = new JsonArray(users.Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()) }
                : new JsonObject { ["ok"] = false, ["error"] = "no_such_subteam" });
            return;
        }
        if (request.Method == "files.getUploadURLExternal")
        {
            var fileId = $"F{Interlocked.Increment(ref _files):D10}";
            await http.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(BaseAddress, $"/upload/v1/{fileId}").ToString(), ["file_id"] = fileId });
            return;
        }
        if (request.Method == "files.completeUploadExternal")
        {
            var files = new JsonArray();
            foreach (var file in request.Json.GetProperty("files").EnumerateArray()) files.Add(new JsonObject { ["id"] = file.GetProperty("id").GetString(), ["title"] = file.TryGetProperty("title", out var t) ? t.GetString() : null });
            await http.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = true, ["files"] = files });
            return;
        }
        var ts = $"1768467600.{Interlocked.Increment(ref _messages):D6}";
        var channel = request.Json.TryGetProperty("channel", out var c) ? c.GetString() : null;
        await http.Response.WriteAsJsonAsync(new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts });
    }
}
