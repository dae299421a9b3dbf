using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FlinkOpsBot.Testing.Teams;

/// <summary>One request the fake Connector received; <see cref="RawPath"/> is the path exactly as sent (escapes intact).</summary>
public sealed record ConnectorRequest(string Method, string RawPath, string? Authorization, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A tiny Bot Connector on 127.0.0.1 over real HTTP, under the serviceUrl <see cref="ServiceUrl"/> (<c>…/amer/</c>, like
/// Teams' regional ones). Answers POST <c>v3/conversations/{id}/activities[/{id}]</c> with 201 and a fresh
/// <c>{"id":"1:…"}</c>, PUT with 200 and the activity's id, GET <c>…/members/{id}</c> with a member added by
/// <see cref="AddMember"/> (else 404 <c>MemberNotFoundInConversation</c>), unless a test scripts the next answer.
/// Records every request before answering it. Depends on nothing of the bot.
/// </summary>
public sealed class FakeConnectorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ConnectorRequest> _arrivals = Channel.CreateUnbounded<ConnectorRequest>();
    private readonly ConcurrentQueue<(int Status, string Json, string? RetryAfter)> _script = new();
    private readonly ConcurrentQueue<ConnectorRequest> _requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.Ordinal);
    private int _activities;

    private FakeConnectorServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The serviceUrl activities from this Connector carry, e.g. <c>http://127.0.0.1:5123/amer/</c>.</summary>
    public Uri ServiceUrl => new(BaseAddress, "/amer/");

    public IReadOnlyList<ConnectorRequest> Requests => _requests.ToArray();

    public static async Task<FakeConnectorServer> StartAsync()
    {
        var app = LoopbackHost.Create();
        var server = new FakeConnectorServer(app);
        app.Map("/{**path}", server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = LoopbackHost.BaseAddress(app);
        return server;
    }

    /// <summary>Makes the next request answer with <paramref name="status"/> and <paramref name="json"/>.</summary>
    public void AnswerNext(int status, string json = "", string? retryAfter = null) => _script.Enqueue((status, json, retryAfter));

    /// <summary>Adds a member the member API returns (by id <c>29:…</c> or Entra object id).</summary>
    public void AddMember(string id, string aadObjectId, string name, string userPrincipalName, string tenantId)
    {
        var member = new JsonObject
        {
            ["id"] = id, ["name"] = name, ["aadObjectId"] = aadObjectId, ["userPrincipalName"] = userPrincipalName,
            ["email"] = userPrincipalName, ["tenantId"] = tenantId, ["userRole"] = "user",
        };
        _members[id] = member;
        _members[aadObjectId] = member;
    }

    /// <summary>The next request to arrive; fails the test if none arrives within 10 seconds.</summary>
    public async Task<ConnectorRequest> NextRequestAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var rawPath = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var request = new ConnectorRequest(http.Request.Method, rawPath, http.Request.Headers.Authorization, http.Request.ContentType, await reader.ReadToEndAsync());
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);

        http.Response.ContentType = "application/json; charset=utf-8";
        if (_script.TryDequeue(out var answer))
        {
            http.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null) http.Response.Headers.RetryAfter = answer.RetryAfter;
            await http.Response.WriteAsync(answer.Json);
            return;
        }

        var segments = http.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (http.Request.Method)
        {
            case "POST":
                http.Response.StatusCode = StatusCodes.Status201Created;
                await http.Response.WriteAsync(new JsonObject { ["id"] = $"1:activity-{Interlocked.Increment(ref _activities)}" }.ToJsonString());
                return;
            case "PUT":
                await http.Response.WriteAsync(new JsonObject { ["id"] = segments[^1] }.ToJsonString());
                return;
            case "GET" when segments.Length >= 2 && segments[^2] == "members":
                if (_members.TryGetValue(segments[^1], out var member))
                {
                    await http.Response.WriteAsync(member.ToJsonString());
                    return;
                }
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsync("""{"error":{"code":"MemberNotFoundInConversation","message":"The member is not in the conversation."}}""");
                return;
            default:
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }
}
