using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Tests.Fakes;
using FlinkOpsBot.Testing;
using FlinkOpsBot.Testing.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Teams.Tests.Groups;

/// <summary>Entra group membership through Microsoft Graph <c>checkMemberGroups</c>, against a fake Graph and a fake token endpoint.</summary>
public sealed class GraphGroupDirectoryTests : IAsyncLifetime
{
    private const string Sre = "c1d6c1a4-2b0e-4f4e-9b7a-0f5a3f3e9d11";
    private const string Dba = "5b3f9a4e-6c1d-4e2f-9a0b-1c2d3e4f5a6b";
    private static readonly Actor Tom = new("teams", FakeTokenEndpoint.TenantId, "0b5c5d1e-0000-4000-8000-000000000001", "tom");

    private readonly ConcurrentQueue<(string Path, string? Authorization, JsonNode Body)> _calls = new();
    private readonly Dictionary<string, string[]> _memberOf = new() { [Tom.Id] = [Sre, "11111111-0000-4000-8000-000000000019"] };
    private int? _status;
    private WebApplication _graph = null!;
    private FakeTokenEndpoint _tokens = null!;
    private ServiceProvider _services = null!;
    private IGroupDirectory _directory = null!;
    private Uri _graphBase = null!;

    public async Task InitializeAsync()
    {
        _tokens = await FakeTokenEndpoint.StartAsync();
        _graph = LoopbackHost.Create();
        _graph.MapPost("/v1.0/users/{id}/checkMemberGroups", async (string id, HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            _calls.Enqueue((http.Request.Path, http.Request.Headers.Authorization, body));
            if (_status is { } status)
            {
                http.Response.StatusCode = status;
                await http.Response.WriteAsync("""{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}""");
                return;
            }
            var asked = body["groupIds"]!.AsArray().Select(g => (string)g!).ToList();
            var member = asked.Where(g => _memberOf.GetValueOrDefault(id, []).Contains(g)).Select(g => (JsonNode?)JsonValue.Create(g)).ToArray();
            await http.Response.WriteAsJsonAsync(new JsonObject { ["value"] = new JsonArray(member) });
        });
        await _graph.StartAsync();
        _graphBase = LoopbackHost.BaseAddress(_graph);
        var settings = TeamsTestHost.Settings(_tokens);
        settings[nameof(TeamsOptions.GraphBaseUrl)] = _graphBase.ToString();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IInboundTokenValidator, FakeTokenValidator>()
            .AddTeams(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
        _directory = Assert.Single(_services.GetServices<IGroupDirectory>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _graph.DisposeAsync();
        await _tokens.DisposeAsync();
    }

    [Fact]
    public async Task MemberOf_AsksGraphWithTheAppsGraphToken_AndAnswersTheGroupsThePersonIsIn()
    {
        var member = await _directory.MemberOfAsync(Tom, [Sre, Dba], CancellationToken.None);

        Assert.Equal("teams", _directory.Platform);
        Assert.Equal([Sre], member);
        var call = Assert.Single(_calls);
        Assert.Equal($"/v1.0/users/{Tom.Id}/checkMemberGroups", call.Path);
        Assert.Equal($"Bearer {_tokens.LastToken}", call.Authorization);
        Assert.Equal(new Uri(_graphBase, "/.default").AbsoluteUri, Assert.Single(_tokens.Requests)["scope"]);
    }

    [Fact]
    public async Task MemberOf_MoreThanTwentyGroups_AsksInCallsOfTwenty()
    {
        var groups = Enumerable.Range(0, 25).Select(i => $"11111111-0000-4000-8000-{i:D12}").ToList();

        var member = await _directory.MemberOfAsync(Tom, groups, CancellationToken.None);

        Assert.Equal(["11111111-0000-4000-8000-000000000019"], member);
        Assert.Equal([20, 5], _calls.Select(c => c.Body["groupIds"]!.AsArray().Count));
    }

    [Fact]
    public async Task MemberOf_GraphRefuses_IsAGroupLookupFailureThatNamesThePermissions()
    {
        _status = 403;

        var failure = await Assert.ThrowsAsync<GroupLookupException>(() => _directory.MemberOfAsync(Tom, [Sre], CancellationToken.None));

        Assert.Equal("Microsoft Graph checkMemberGroups answered 403 Authorization_RequestDenied; grant the app the Microsoft Graph application " +
            "permissions User.Read.All and GroupMember.Read.All, with admin consent", failure.Message);
    }

    [Fact]
    public async Task MemberOf_PersonFromAnotherTenant_IsNotLookedUp()
    {
        var guest = Tom with { Tenant = "0f0f0f0f-0000-4000-8000-000000000000" };

        var failure = await Assert.ThrowsAsync<GroupLookupException>(() => _directory.MemberOfAsync(guest, [Sre], CancellationToken.None));

        Assert.Contains("checked in the bot's tenant", failure.Message);
        Assert.Empty(_calls);
    }
}
