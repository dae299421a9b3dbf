using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FlinkOpsBot.Testing.Teams;

/// <summary>
/// An Entra ID token endpoint on 127.0.0.1 over plain HTTP: <c>POST /{tenant}/oauth2/v2.0/token</c> with an OAuth 2.0
/// client-credentials form answers <c>{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"…"}</c>
/// with a fresh token each time (<c>fake-token-1</c>, <c>fake-token-2</c>, …). Records each form. Depends on nothing of the bot.
/// </summary>
public sealed class FakeTokenEndpoint : IAsyncDisposable
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();
    private int _issued;

    private FakeTokenEndpoint(WebApplication app) => _app = app;

    /// <summary>The authority to configure, <c>http://127.0.0.1:{port}/{tenant}</c>.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The forms received, oldest first.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => _requests.ToArray();

    /// <summary>The token the endpoint issued last, or null.</summary>
    public string? LastToken => _issued == 0 ? null : Token(_issued);

    public static async Task<FakeTokenEndpoint> StartAsync()
    {
        var app = LoopbackHost.Create();
        var endpoint = new FakeTokenEndpoint(app);
        app.MapPost("/{tenant}/oauth2/v2.0/token", endpoint.HandleAsync);
        await app.StartAsync();
        endpoint.Authority = new Uri(LoopbackHost.BaseAddress(app), "/" + TenantId);
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Token(int n) => $"fake-token-{n}";

    private async Task HandleAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        _requests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
        if (form["grant_type"] != "client_credentials" || string.IsNullOrEmpty(form["client_id"]))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "invalid_request" });
            return;
        }
        var n = Interlocked.Increment(ref _issued);
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["ext_expires_in"] = 3600,
            ["access_token"] = Token(n),
        });
    }
}
