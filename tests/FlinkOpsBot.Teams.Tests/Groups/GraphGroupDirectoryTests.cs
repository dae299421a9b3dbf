using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Tests.Fakes;
using FlinkOpsBot.Testing.Teams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Teams.Tests.Groups;

/// <summary>Entra group membership through Microsoft Graph <c>checkMemberGroups</c>, against a fake Graph and a fake token endpoint.</summary>
public sealed class GraphGroupDirectoryTests : IAsyncLifetime
{
    private const string Sre = "c1d6c1a4-2b0e-4f4e-9b7a-0f5a3f3e9d11";
    private const string Dba = "5b3f9a4e-6c1d-4e2f-9a0b-1c2d3e4f5a6b";
    private const string Nineteenth = "11111111-0000-4000-8000-000000000019";
    private static readonly Actor Tom = new("teams", FakeTokenEndpoint.TenantId, "0b5c5d1e-0000-4000-8000-000000000001", "tom");

    private FakeGraphServer _graph = null!;
    private FakeTokenEndpoint _tokens = null!;
    private ServiceProvider _services = null!;
    private IGroupDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        _tokens = await FakeTokenEndpoint.StartAsync();
        _graph = await FakeGraphServer.StartAsync();
        _graph.AddMember(Tom.Id, Sre);
        _graph.AddMember(Tom.Id, Nineteenth);
        var settings = TeamsTestHost.Settings(_tokens);
        settings[nameof(TeamsOptions.GraphBaseUrl)] = _graph.BaseAddress.ToString();
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
        var call = Assert.Single(_graph.Calls);
        Assert.Equal((Tom.Id, $"Bearer {_tokens.LastToken}"), (call.ObjectId, call.Authorization));
        Assert.Equal(new Uri(_graph.BaseAddress, "/.default").AbsoluteUri, Assert.Single(_tokens.Requests)["scope"]);
    }

    [Fact]
    public async Task MemberOf_MoreThanTwentyGroups_AsksInCallsOfTwenty()
    {
        var groups = Enumerable.Range(0, 25).Select(i => $"11111111-0000-4000-8000-{i:D12}").ToList();

        var member = await _directory.MemberOfAsync(Tom, groups, CancellationToken.None);

        Assert.Equal([Nineteenth], member);
        Assert.Equal([20, 5], _graph.Calls.Select(c => c.GroupIds.Count));
    }

    [Fact]
    public async Task MemberOf_GraphRefuses_IsAGroupLookupFailureThatNamesThePermissions()
    {
        _graph.Refuse(403);

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
        Assert.Empty(_graph.Calls);
    }
}
