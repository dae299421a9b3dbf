using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FlinkOpsBot.Testing.Teams;

/// <summary>One <c>checkMemberGroups</c> call the fake Graph received.</summary>
public sealed record GraphCall(string ObjectId, string? Authorization, IReadOnlyList<string> GroupIds);

/// <summary>
/// A tiny Microsoft Graph on 127.0.0.1 over real HTTP: <c>POST /v1.0/users/{id}/checkMemberGroups</c> answers
/// <c>{"value": [...]}</c> with the asked groups that <see cref="AddMember"/> put the user in, or, after
/// <see cref="Refuse"/>, that status with Graph's <c>Authorization_RequestDenied</c> error. Depends on nothing of the bot.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GraphCall> _calls = new();
    private readonly ConcurrentDictionary<string, HashSet<string>> _memberOf = new(StringComparer.OrdinalIgnoreCase);
    private int? _refusal;

    private FakeGraphServer(WebApplication app) => _app = app;

    /// <summary>The Graph base URL to configure (<c>Teams:GraphBaseUrl</c>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The calls received, in order.</summary>
    public IReadOnlyList<GraphCall> Calls => _calls.ToArray();

    public static async Task<FakeGraphServer> StartAsync()
    {
        var app = LoopbackHost.Create();
        var server = new FakeGraphServer(app);
        app.MapPost("/v1.0/users/{id}/checkMemberGroups", server.CheckMemberGroupsAsync);
        await app.StartAsync();
        server.BaseAddress = LoopbackHost.BaseAddress(app);
        return server;
    }

    /// <summary>Makes <paramref name="objectId"/> a (transitive) member of <paramref name="groupId"/>.</summary>
    public void AddMember(string objectId, string groupId) => _memberOf.GetOrAdd(objectId, _ => new(StringComparer.OrdinalIgnoreCase)).Add(groupId);

    /// <summary>Answers every later call with <paramref name="status"/> (e.g. 403 when the app lacks the permissions).</summary>
    public void Refuse(int status) => _refusal = status;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task CheckMemberGroupsAsync(string id, HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var asked = body["groupIds"]!.AsArray().Select(g => (string)g!).ToList();
        _calls.Enqueue(new GraphCall(id, http.Request.Headers.Authorization, asked));
        if (_refusal is { } status)
        {
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = "Authorization_RequestDenied", ["message"] = "Insufficient privileges to complete the operation." },
            });
            return;
        }
        var groups = _memberOf.GetValueOrDefault(id) ?? [];
        var member = asked.Where(groups.Contains).Select(g => (JsonNode?)JsonValue.Create(g)).ToArray();
        await http.Response.WriteAsJsonAsync(new JsonObject { ["value"] = new JsonArray(member) });
    }
}
